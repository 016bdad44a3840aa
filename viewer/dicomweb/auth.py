"""Authentication of requests to a source, built so that tokens can renew themselves.

Every scheme is a ``requests`` auth object. A scheme that can renew its credentials
(an OIDC access token near or past expiry) does so and replays the request once when the
server refuses it; HTTP Basic cannot renew, so a refusal is final and becomes
:class:`AuthError` in the client.
"""

from __future__ import annotations

from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
from requests.auth import AuthBase, HTTPBasicAuth

from viewer.errors import AuthError
from viewer.plaintext import BASIC_NEEDS_TLS, basic_allowed

# Servers that check bearer tokens in a filter answer 403 without a challenge (Orthanc's
# python filters can only allow or deny), so both codes trigger one renewal.
REFUSED = (401, 403)


class TokenProvider(Protocol):
    """What a bearer scheme needs: the current token, and a way to get a new one."""

    def access_token(self) -> str: ...

    def refresh(self, refused: str | None = None) -> bool:
        """A server refused ``refused`` (the token that request carried): renew unless
        a newer one is already there; False when nothing can be renewed."""
        ...


class RenewableAuth(AuthBase):
    """Adds credentials to each request; on 401/403, renews once and replays the request."""

    def apply(self, request: requests.PreparedRequest) -> None:
        raise NotImplementedError

    def renew(self, refused: requests.PreparedRequest) -> bool:
        """Get fresh credentials after ``refused`` was refused; False: nothing to renew."""
        return False

    def applies_to(self, url: str) -> bool:
        """These credentials are for ``url``: a refusal from elsewhere renews nothing."""
        return True

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        self.apply(request)
        request.register_hook("response", self._on_response)
        return request

    def _on_response(self, response: requests.Response, **kwargs: Any) -> requests.Response:
        request = response.request
        if response.status_code not in REFUSED or getattr(request, "_qy_replayed", False):
            return response
        if not self.applies_to(str(request.url)):
            return response
        if not self.renew(request):
            return response
        response.content  # noqa: B018  (read the body so the connection can be reused)
        response.close()
        retry = request.copy()
        retry.headers.pop("Authorization", None)
        self.apply(retry)
        retry._qy_replayed = True  # type: ignore[attr-defined]
        conn = response.connection
        replay: requests.Response = conn.send(retry, **kwargs)
        replay.history.append(response)
        replay.request = retry
        return replay


class BasicAuth(RenewableAuth):
    """HTTP Basic (RFC 7617) with a password from the keyring; nothing to renew."""

    def __init__(self, username: str, password: str) -> None:
        self._basic = HTTPBasicAuth(username, password)
        self.username = username

    def apply(self, request: requests.PreparedRequest) -> None:
        if not basic_allowed(str(request.url)):
            # The config refuses such a source; this holds for any other way a request
            # might reach plain http (a URL built elsewhere, a later change).
            raise AuthError(f"{BASIC_NEEDS_TLS}; the password was not sent")
        self._basic(request)

    def __repr__(self) -> str:  # never show the password
        return f"BasicAuth(username={self.username!r})"


class BearerAuth(RenewableAuth):
    """A bearer token (RFC 6750) from a provider that can renew it (an OIDC sign-in).

    The token goes only to the origin it was asked for (``origin``: the source's URL):
    a request or a redirect anywhere else carries none, and a refusal from there renews
    nothing (RFC 9700 4.11)."""

    def __init__(self, token_provider: TokenProvider, origin: str) -> None:
        self._provider = token_provider
        self._origin = origin_of(origin)

    def applies_to(self, url: str) -> bool:
        return origin_of(url) == self._origin

    def apply(self, request: requests.PreparedRequest) -> None:
        if not self.applies_to(str(request.url)):
            request.headers.pop("Authorization", None)
            return
        request.headers["Authorization"] = f"Bearer {self._provider.access_token()}"

    def renew(self, refused: requests.PreparedRequest) -> bool:
        sent = str(refused.headers.get("Authorization", ""))
        return self._provider.refresh(
            sent[len("Bearer ") :] if sent.startswith("Bearer ") else None
        )

    def __repr__(self) -> str:
        return f"BearerAuth(origin={self._origin!r})"


def origin_of(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port (the default one named), as RFC 6454 compares them."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port
