"""Where a password may travel: Basic sign-in (RFC 7617) sends it in every request,
only base64-encoded, so only over TLS — plain ``http://`` only to this machine itself
(the demo platform and the tests, on loopback), where nothing crosses a network.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

BASIC_NEEDS_TLS = (
    'auth = "basic" sends the password with every request: use an https:// URL '
    "(plain http:// only to this machine: localhost, 127.0.0.1, ::1)"
)


def basic_allowed(url: str) -> bool:
    """A password may be sent to ``url``: https, or http to a loopback address."""
    parts = urlsplit(url)
    if parts.scheme.lower() == "https":
        return True
    if parts.scheme.lower() != "http" or not parts.hostname:
        return False
    host = parts.hostname.lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: it may resolve anywhere
