"""OpenID Connect sign-in for a desktop app (RFC 8252, RFC 9700): authorization code with
PKCE through the system browser, the device grant, tokens renewed and rotated, the
refresh token only in the OS keyring. :mod:`.signins` is the way in."""
