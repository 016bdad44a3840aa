"""Cases of the OpenID provider's boundary: what a hostile or broken provider (or a page
in the doctor's browser) can hand the app.

One case mutates one of: the discovery document, a token answer, a device answer, an ID
token and the keys it is checked with, or the raw request the loopback redirect reads.
Promises beyond "no crash": a mutated ID token is never taken for another's claims, no
error message repeats a token, what is accepted is whole (a bearer token, a lifetime,
https endpoints), and the loopback answers only on ``/callback``.
"""

from __future__ import annotations

import json
import random
import socket
import time
from pathlib import Path
from typing import Any

import requests

from tests.fuzz.boundaries import BrokenPromiseError, keep
from tests.fuzz.corpus import Corpus
from tests.fuzz.mutate import mutate_bytes, splice

ISSUER = "https://id.example.org"
SECRET = "rt-SECRET-refresh-token-value"
_KEY: Any = None  # one RSA key per worker: making one takes tens of milliseconds


class Answers:
    """A provider whose every GET and POST answers the bytes given, as ``requests`` would."""

    def __init__(self, status: int, body: bytes) -> None:
        self.status, self.body = status, body

    def _response(self) -> requests.Response:
        response = requests.Response()
        response.status_code = self.status
        response._content = self.body
        return response

    def get(self, url: str, **_: Any) -> requests.Response:
        return self._response()

    def post(self, url: str, **_: Any) -> requests.Response:
        return self._response()


def _key() -> Any:
    global _KEY
    if _KEY is None:
        from cryptography.hazmat.primitives.asymmetric import rsa

        _KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _KEY


def _metadata() -> Any:
    from viewer.sources.oidc.endpoints import ProviderMetadata

    return ProviderMetadata(
        ISSUER, f"{ISSUER}/auth", f"{ISSUER}/token", f"{ISSUER}/jwks", f"{ISSUER}/device"
    )


def _said(err: BaseException) -> None:
    if SECRET in str(err):
        raise BrokenPromiseError("an error message repeats the refresh token")


def provider(rng: random.Random, corpus: Corpus, work: Path) -> None:
    kind = rng.choice(["discovery", "token", "device", "id_token", "redirect"])
    {
        "discovery": _discovery,
        "token": _token,
        "device": _device,
        "id_token": _id_token,
        "redirect": _redirect,
    }[kind](rng, work)


def _mutated_json(rng: random.Random, work: Path, value: dict[str, Any]) -> bytes:
    data = mutate_bytes(rng, json.dumps(value).encode())
    if rng.random() < 0.2:
        data = splice(rng, data, b'"expires_in": -1e309, "issuer": null, [{}]')
    keep(work, "provider.json", data)
    return data


def _discovery(rng: random.Random, work: Path) -> None:
    from viewer.plaintext import basic_allowed
    from viewer.sources.oidc.endpoints import discover

    doc = {
        "issuer": ISSUER,
        "authorization_endpoint": f"{ISSUER}/auth",
        "token_endpoint": f"{ISSUER}/token",
        "jwks_uri": f"{ISSUER}/jwks",
        "device_authorization_endpoint": f"{ISSUER}/device",
        "revocation_endpoint": f"{ISSUER}/revoke",
        "id_token_signing_alg_values_supported": ["RS256", "none", "HS256"],
    }
    found = discover(Answers(200, _mutated_json(rng, work, doc)), ISSUER)  # type: ignore[arg-type]
    if found.issuer != ISSUER:
        raise BrokenPromiseError("another provider's document was taken")
    urls = [found.authorization_endpoint, found.token_endpoint, found.jwks_uri]
    if not all(basic_allowed(u) for u in urls):
        raise BrokenPromiseError("a plain http:// endpoint was taken")
    if any(a in ("none",) or a.startswith("HS") for a in found.id_token_algs):
        raise BrokenPromiseError("an unsigned or shared-secret algorithm was taken")


def _token(rng: random.Random, work: Path) -> None:
    from viewer.sources.oidc.endpoints import post_form, token_error
    from viewer.sources.oidc.grant import TokenAnswer

    answer = {
        "access_token": "at-1",
        "token_type": "Bearer",
        "expires_in": 300,
        "refresh_token": SECRET,
        "error": "invalid_grant",
    }
    if rng.random() < 0.5:
        del answer["error"]
    status = rng.choice([200, 200, 400, 401, 500])
    session = Answers(status, _mutated_json(rng, work, answer))
    try:
        got, body = post_form(session, ISSUER, f"{ISSUER}/token", {})  # type: ignore[arg-type]
        if got != 200:
            raise token_error(ISSUER, got, body)
        parsed = TokenAnswer.parse(ISSUER, body)
    except Exception as err:
        _said(err)
        raise
    if not parsed.access_token or not parsed.expires_in > 0:
        raise BrokenPromiseError("a token answer without a token or a lifetime was taken")


def _device(rng: random.Random, work: Path) -> None:
    from viewer.config_oidc import OidcSettings
    from viewer.plaintext import basic_allowed
    from viewer.sources.oidc.device import start_device_sign_in

    answer = {
        "device_code": SECRET,
        "user_code": "ABCD-EFGH",
        "verification_uri": f"{ISSUER}/device",
        "verification_uri_complete": f"{ISSUER}/device?user_code=ABCD-EFGH",
        "expires_in": 600,
        "interval": 5,
    }
    session = Answers(200, _mutated_json(rng, work, answer))
    settings = OidcSettings(ISSUER, "qingying")
    try:
        code = start_device_sign_in(settings, _metadata(), session)  # type: ignore[arg-type]
    except Exception as err:
        _said(err)
        raise
    if not basic_allowed(code.verification_uri) or code.interval < 1:
        raise BrokenPromiseError("a device answer was taken with a bad link or pace")
    if SECRET in repr(code):
        raise BrokenPromiseError("the device code shows in its repr")


def _id_token(rng: random.Random, work: Path) -> None:
    import jwt

    from viewer.sources.oidc.id_token import check_id_token

    key = _key()
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": "zhang.wei", "aud": "qingying", "iat": now, "exp": now + 60}
    claims["nonce"] = "n-1"
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwks = {"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]}
    keys = json.dumps(jwks).encode()
    data = token.encode()
    if rng.random() < 0.8:
        data = mutate_bytes(rng, data)
    else:
        keys = mutate_bytes(rng, keys)
    keep(work, "id_token.txt", data + b"\n" + keys)
    text = data.decode("ascii", errors="replace")
    got = check_id_token(text, _metadata(), Answers(200, keys), "qingying", "n-1")  # type: ignore[arg-type]
    if {k: got.get(k) for k in claims} != claims:
        raise BrokenPromiseError("a mutated ID token was taken for other claims")


def _redirect(rng: random.Random, work: Path) -> None:
    from viewer.sources.oidc.browser import LoopbackRedirect

    line = b"GET /callback?code=c-1&state=s-1&iss=https%3A%2F%2Fid HTTP/1.1\r\nHost: x\r\n\r\n"
    data = mutate_bytes(rng, line)
    keep(work, "redirect.txt", data)
    redirect = LoopbackRedirect()
    try:
        port = int(redirect.redirect_uri.split(":")[2].split("/")[0])
        with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
            try:
                conn.sendall(data)
                conn.shutdown(socket.SHUT_WR)
                while conn.recv(4096):
                    pass
            except OSError:
                pass  # the server may answer and close before all was sent, or drop it
        answer = redirect._answer
        if answer is not None:
            first = data.split(b"\r\n", 1)[0].split(b" ")
            if len(first) < 2 or not first[1].split(b"?")[0].endswith(b"/callback"):
                raise BrokenPromiseError("an answer was taken from another path than /callback")
            if not all(isinstance(k, str) and isinstance(v, str) for k, v in answer.items()):
                raise BrokenPromiseError("the redirect's answer holds other than text")
    finally:
        redirect.close()
