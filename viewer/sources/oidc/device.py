"""Signing in on another device: the device authorization grant (RFC 8628).

For a shared workstation, a session over SSH, or wherever no browser can open: the app
shows a short code and a link (and a QR code of the complete link where the provider
gives one); the doctor signs in on a phone or another computer; the app asks the token
endpoint at the pace the provider sets until the sign-in completes, is denied or expires.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import requests

from viewer.config_oidc import OidcSettings
from viewer.dicomweb.auth import origin_of
from viewer.errors import CancelledError, InvalidDataError, SignInRefusedError
from viewer.plaintext import basic_allowed
from viewer.sources.oidc.browser import SignInResult
from viewer.sources.oidc.endpoints import ProviderMetadata, post_form, token_error
from viewer.sources.oidc.grant import TokenAnswer
from viewer.sources.oidc.id_token import check_id_token

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
SLOW_DOWN = 5.0  # seconds added to the interval at each slow_down (RFC 8628 3.5)


@dataclass(frozen=True)
class DeviceCode:
    user_code: str  # what the doctor types at the provider
    verification_uri: str
    verification_uri_complete: str | None  # the link with the code in it (for a QR code)
    expires_at: float  # time.monotonic()
    interval: float
    device_code: str  # the app's handle on the request: never shown

    def __repr__(self) -> str:
        return f"DeviceCode(user_code={self.user_code!r}, uri={self.verification_uri!r})"


def start_device_sign_in(
    settings: OidcSettings, metadata: ProviderMetadata, session: requests.Session
) -> DeviceCode:
    issuer = metadata.issuer
    if metadata.device_authorization_endpoint is None:
        raise SignInRefusedError(f"{issuer}: the provider offers no device sign-in")
    form = {"client_id": settings.client_id, "scope": " ".join(settings.scopes)}
    if settings.resource:
        form["resource"] = settings.resource
    status, body = post_form(session, issuer, metadata.device_authorization_endpoint, form)
    if status != 200:
        raise token_error(issuer, status, body)
    user_code, device_code = body.get("user_code"), body.get("device_code")
    uri, complete = body.get("verification_uri"), body.get("verification_uri_complete")
    complete = complete if isinstance(complete, str) else None
    if not all(isinstance(v, str) and v for v in (user_code, device_code, uri)):
        raise InvalidDataError(f"{issuer}: the provider's device answer is incomplete")
    assert isinstance(user_code, str) and isinstance(device_code, str) and isinstance(uri, str)
    # A link the doctor is sent to must be the provider's own kind of URL.
    if not basic_allowed(uri) or (complete is not None and not _same_origin(uri, complete)):
        raise InvalidDataError(f"{issuer}: the provider's device link is not an https:// URL")
    expires = _seconds(body.get("expires_in"), 600.0)
    return DeviceCode(
        user_code=user_code[:64],
        verification_uri=uri,
        verification_uri_complete=complete,
        expires_at=time.monotonic() + expires,
        interval=max(1.0, _seconds(body.get("interval"), 5.0)),
        device_code=device_code,
    )


def wait_device_sign_in(
    settings: OidcSettings,
    metadata: ProviderMetadata,
    session: requests.Session,
    code: DeviceCode,
    *,
    cancelled: Callable[[], bool] = lambda: False,
    sleep: Callable[[float], None] = time.sleep,
) -> SignInResult:
    """Ask until the doctor has signed in; SignInRefusedError if denied or expired."""
    issuer = metadata.issuer
    interval = code.interval
    form = {"grant_type": DEVICE_GRANT, "device_code": code.device_code}
    form["client_id"] = settings.client_id
    if settings.resource:
        form["resource"] = settings.resource
    while True:
        _pause(interval, cancelled, sleep)
        if time.monotonic() >= code.expires_at:
            raise SignInRefusedError(f"{issuer}: the code expired before the sign-in")
        status, body = post_form(session, issuer, metadata.token_endpoint, form)
        if status == 200:
            break
        error = body.get("error")
        if error == "authorization_pending":
            continue
        if error == "slow_down":
            interval += SLOW_DOWN
            continue
        if error == "access_denied":
            raise SignInRefusedError(f"{issuer}: the sign-in was denied")
        if error == "expired_token":
            raise SignInRefusedError(f"{issuer}: the code expired before the sign-in")
        raise token_error(issuer, status, body)
    answer = TokenAnswer.parse(issuer, body)
    if answer.id_token is None:
        raise SignInRefusedError(f"{issuer}: the provider sent no ID token")
    # No nonce in this grant (RFC 8628): the token came straight from the token endpoint.
    claims = check_id_token(answer.id_token, metadata, session, settings.client_id, None)
    return SignInResult(answer, claims)


def _pause(seconds: float, cancelled: Callable[[], bool], sleep: Callable[[float], None]) -> None:
    left = seconds
    while left > 0:  # in short steps, so that a cancel is seen at once
        if cancelled():
            raise CancelledError("the sign-in was cancelled")
        step = min(left, 0.2)
        sleep(step)
        left -= step
    if cancelled():
        raise CancelledError("the sign-in was cancelled")


def _seconds(value: object, default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return default
    return float(min(value, 3600))


def _same_origin(a: str, b: str) -> bool:
    return origin_of(a) == origin_of(b)
