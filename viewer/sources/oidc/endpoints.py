"""The identity provider as the app talks to it: its discovery document (OpenID Connect
Discovery 1.0) and the form posts and JSON answers of its endpoints (RFC 6749 5.1–5.2).

Every endpoint must be https (plain http only on loopback, for the demo and the tests),
and no call follows a redirect: a code, a verifier or a refresh token is sent to the
endpoint the provider named, nowhere else. Errors name the provider, never a token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from viewer.dicomweb.errors_map import request_error
from viewer.errors import AuthError, InvalidDataError, ServerError, SignInAgainError
from viewer.plaintext import basic_allowed

MAX_ANSWER = 256 * 1024  # a discovery document, a JWKS or a token answer is far smaller
# Token errors that mean this grant is over: sign in again (RFC 6749 5.2, RFC 8628 3.5).
GRANT_OVER = {"invalid_grant", "unauthorized_client", "invalid_client"}


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    device_authorization_endpoint: str | None = None
    revocation_endpoint: str | None = None
    end_session_endpoint: str | None = None
    id_token_algs: tuple[str, ...] = ("RS256",)
    iss_in_answer: bool = False  # RFC 9207: the authorization answer names its issuer


def discover(session: requests.Session, issuer: str) -> ProviderMetadata:
    """The provider's metadata; its ``issuer`` must be exactly the configured one
    (OpenID Connect Discovery 4.3), so no other provider's document is taken for it."""
    # Discovery 4: a terminating "/" of the issuer is removed before the well-known path.
    doc = get_json(session, issuer, f"{issuer.rstrip('/')}/.well-known/openid-configuration")
    if doc.get("issuer") != issuer:
        raise InvalidDataError(f"{issuer}: the provider's discovery document names another issuer")

    scheme = issuer.split(":", 1)[0].lower()

    def endpoint(key: str, needed: bool = True) -> str | None:
        value = doc.get(key)
        if value is None and not needed:
            return None
        # An https provider's endpoints are https too (http only for a loopback one).
        if (
            not isinstance(value, str)
            or not basic_allowed(value)
            or value.split(":", 1)[0].lower() != scheme
        ):
            raise InvalidDataError(f"{issuer}: {key} is missing or not an https:// URL")
        return value

    algs = doc.get("id_token_signing_alg_values_supported", ["RS256"])
    algs = algs if isinstance(algs, list) else []
    # Only signatures by the provider's public keys: never "none", never a shared secret.
    usable = tuple(a for a in algs if isinstance(a, str) and a[:2] in ("RS", "PS", "ES"))
    return ProviderMetadata(
        issuer=issuer,
        authorization_endpoint=str(endpoint("authorization_endpoint")),
        token_endpoint=str(endpoint("token_endpoint")),
        jwks_uri=str(endpoint("jwks_uri")),
        device_authorization_endpoint=endpoint("device_authorization_endpoint", False),
        revocation_endpoint=endpoint("revocation_endpoint", False),
        end_session_endpoint=endpoint("end_session_endpoint", False),
        id_token_algs=usable or ("RS256",),
        iss_in_answer=doc.get("authorization_response_iss_parameter_supported") is True,
    )


def get_json(session: requests.Session, issuer: str, url: str) -> dict[str, Any]:
    try:
        response = session.get(url, allow_redirects=False, timeout=30)
    except requests.RequestException as err:
        raise request_error(issuer, err) from None
    if response.status_code != 200:
        raise ServerError(f"{issuer}: the provider answered HTTP {response.status_code}")
    return _json(issuer, response)


def post_form(
    session: requests.Session, issuer: str, url: str, form: dict[str, str]
) -> tuple[int, dict[str, Any]]:
    """POST ``form``; the status and the JSON answer (an error answer too)."""
    try:
        response = session.post(
            url,
            data=form,
            headers={"Accept": "application/json"},
            allow_redirects=False,
            timeout=30,
        )
    except requests.RequestException as err:
        raise request_error(issuer, err) from None
    if response.status_code >= 500:
        raise ServerError(f"{issuer}: the provider answered HTTP {response.status_code}")
    if response.status_code == 200 and not response.content:
        return 200, {}  # revocation answers 200 with no body (RFC 7009 2.2)
    return response.status_code, _json(issuer, response)


def token_error(issuer: str, status: int, answer: dict[str, Any]) -> AuthError:
    """The typed error of a refused token request; its ``error`` code is a fixed word
    from RFC 6749 and is shown, its description (the provider's free text) is not."""
    code = answer.get("error")
    word = code if isinstance(code, str) and code.isascii() and len(code) < 40 else "error"
    if word in GRANT_OVER:
        return SignInAgainError(f"{issuer}: the sign-in is no longer valid ({word}); sign in again")
    return AuthError(f"{issuer}: the provider refused the request ({word}, HTTP {status})")


def _json(issuer: str, response: requests.Response) -> dict[str, Any]:
    body = response.content
    if len(body) > MAX_ANSWER:
        raise InvalidDataError(f"{issuer}: the provider's answer is too large")
    try:
        value = response.json()
    except ValueError:
        raise InvalidDataError(f"{issuer}: the provider's answer is not JSON") from None
    if not isinstance(value, dict):
        raise InvalidDataError(f"{issuer}: the provider's answer is not a JSON object")
    return value
