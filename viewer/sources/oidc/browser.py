"""Signing in through the system browser: authorization code with PKCE (RFC 7636) and a
loopback redirect on an ephemeral port (RFC 8252 7.3).

The app listens on ``127.0.0.1:<any free port>/callback`` for one answer, checks that
it carries the ``state`` this sign-in sent (and the provider's ``iss``, RFC 9207, when
the provider sends one), then trades the code and the PKCE verifier for tokens and
checks the ID token's ``nonce``. The browser only ever sees the code; no token passes
through it.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from viewer.config_oidc import OidcSettings
from viewer.errors import CancelledError, SignInRefusedError
from viewer.sources.oidc.endpoints import ProviderMetadata, post_form, token_error
from viewer.sources.oidc.grant import TokenAnswer
from viewer.sources.oidc.id_token import CLOCK_SKEW, check_id_token

WAIT_SECONDS = 300.0  # for the doctor to finish at the provider's pages
_DONE_PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Qingying</title></head>"
    "<body style='font-family:sans-serif;background:#1e1e1e;color:#ddd;margin:40px'>"
    "<h1>Qingying</h1><p>{}</p></body></html>"
)


@dataclass(frozen=True)
class SignInResult:
    answer: TokenAnswer
    claims: dict[str, Any]  # of the checked ID token


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    redirect_uri: str
    state: str
    nonce: str
    verifier: str


def authorization_request(
    settings: OidcSettings,
    metadata: ProviderMetadata,
    redirect_uri: str,
    *,
    reauthenticate: bool = False,
) -> AuthorizationRequest:
    verifier = secrets.token_urlsafe(64)  # 86 characters, within RFC 7636's 43-128
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    params = {
        "response_type": "code",
        "client_id": settings.client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(settings.scopes),
        "state": state,
        "nonce": nonce,
        "code_challenge": challenge.rstrip(b"=").decode(),
        "code_challenge_method": "S256",
    }
    prompts = ["login"] if reauthenticate else []  # not the browser's session: the password
    if "offline_access" in settings.scopes:
        prompts.append("consent")  # OpenID Connect Core 11: offline access needs it
    if prompts:
        params["prompt"] = " ".join(prompts)
    if reauthenticate:
        params["max_age"] = "0"
    if settings.resource:
        params["resource"] = settings.resource
    url = f"{metadata.authorization_endpoint}?{urlencode(params)}"
    return AuthorizationRequest(url, redirect_uri, state, nonce, verifier)


class LoopbackRedirect:
    """The answer of one redirect to a loopback port of the system's choosing.

    Only an answer carrying this sign-in's ``state`` is taken; any other request (a page
    of another site, a stale tab, a local program) is answered and ignored, so it can
    neither stand in for the provider nor end the sign-in. Each connection gets a thread
    and a few seconds, so an idle one holds nothing up."""

    def __init__(self) -> None:
        self._answer: dict[str, str] | None = None
        self._state = b""
        self._arrived = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.block_on_close = False  # an idle connection never holds up close()
        self.redirect_uri = f"http://127.0.0.1:{self._server.server_port}/callback"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="oidc-redirect", daemon=True
        )
        self._thread.start()

    def expect(self, state: str) -> None:
        self._state = state.encode()

    def _take(self, path: str) -> bool:
        parts = urlsplit(path)
        if parts.path != "/callback" or self._arrived.is_set() or not self._state:
            return False
        query = parse_qs(parts.query, max_num_fields=20)
        answer = {k: v[0] for k, v in query.items() if len(v) == 1}
        if not secrets.compare_digest(answer.get("state", "").encode(), self._state):
            return False
        self._answer = answer
        self._arrived.set()
        return True

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            timeout = 5  # seconds a connection may idle: it never blocks the real answer

            def do_GET(self) -> None:
                if not owner._take(self.path):
                    self._page(400, "This page is not Qingying's sign-in. Close it.")
                    return
                said = "The sign-in was received: return to Qingying."
                if "error" in (owner._answer or {}):
                    said = "The sign-in did not complete. Return to Qingying."
                self._page(200, said)

            def _page(self, status: int, said: str) -> None:
                body = _DONE_PAGE.format(said).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                """The request line holds the code: never logged."""

        return Handler

    def wait(self, timeout: float, cancelled: Callable[[], bool]) -> dict[str, str]:
        deadline = time.monotonic() + timeout
        while not self._arrived.wait(0.2):
            if cancelled():
                raise CancelledError("the sign-in was cancelled")
            if time.monotonic() >= deadline:
                raise SignInRefusedError("the sign-in was not completed in time")
        assert self._answer is not None
        return self._answer

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def sign_in_with_browser(
    settings: OidcSettings,
    metadata: ProviderMetadata,
    session: requests.Session,
    open_url: Callable[[str], object],
    *,
    cancelled: Callable[[], bool] = lambda: False,
    timeout: float = WAIT_SECONDS,
    reauthenticate: bool = True,
) -> SignInResult:
    """Open the provider's sign-in page with ``open_url`` and wait for its answer.
    ``reauthenticate``: the provider must ask for the password now, not take the
    browser's session for it (``prompt=login``, ``max_age=0``, and an ``auth_time`` from
    this sign-in). On by default: a workstation is shared, and the last doctor's session
    at the provider may live on in its browser."""
    issuer = metadata.issuer
    started = time.time()
    redirect = LoopbackRedirect()
    try:
        request = authorization_request(
            settings, metadata, redirect.redirect_uri, reauthenticate=reauthenticate
        )
        redirect.expect(request.state)
        open_url(request.url)
        got = redirect.wait(timeout, cancelled)
    finally:
        redirect.close()
    # The state was checked as the answer arrived (LoopbackRedirect); RFC 9207's iss
    # is required where the provider says it sends one.
    iss = got.get("iss")
    if (iss is None and metadata.iss_in_answer) or (iss is not None and iss != issuer):
        raise SignInRefusedError(f"{issuer}: the answer comes from another provider")
    if "error" in got:
        denied = got["error"] == "access_denied"
        raise SignInRefusedError(
            f"{issuer}: the sign-in was denied" if denied else f"{issuer}: the sign-in failed"
        )
    code = got.get("code")
    if not code:
        raise SignInRefusedError(f"{issuer}: the answer holds no code")
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": request.redirect_uri,
        "client_id": settings.client_id,
        "code_verifier": request.verifier,
    }
    if settings.resource:
        form["resource"] = settings.resource
    status, body = post_form(session, issuer, metadata.token_endpoint, form)
    if status != 200:
        raise token_error(issuer, status, body)
    answer = TokenAnswer.parse(issuer, body)
    if answer.id_token is None:
        raise SignInRefusedError(f"{issuer}: the provider sent no ID token")
    claims = check_id_token(answer.id_token, metadata, session, settings.client_id, request.nonce)
    auth_time = claims.get("auth_time")
    if reauthenticate and (
        not isinstance(auth_time, (int, float)) or auth_time < started - CLOCK_SKEW
    ):
        raise SignInRefusedError(f"{issuer}: the provider did not ask for the password again")
    return SignInResult(answer, claims)
