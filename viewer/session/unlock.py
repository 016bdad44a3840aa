"""Who the idle lock belongs to, and whether a password unlocks it.

A workstation left signed in between patients locks itself (the window hides every
image, list and name behind a lock screen). Unlocking asks for the platform sign-in
again: the password is checked with the server, as signing in is. A clinic on a dropped
link can still unlock: the password is then compared with the one this session already
holds (remembered in the keyring, or kept in memory for this run), so nobody who did not
know it gets in. With nobody signed in to any source there is no password to ask: the
lock only lifts by closing the session, which hides what was open for good.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from viewer.audit.events import AuditEvent, Outcome
from viewer.audit.keys import os_user
from viewer.config import Config, SourceConfig
from viewer.errors import AuthError, CertificateError, NetworkError, QingyingError
from viewer.session.auditing import Auditor
from viewer.sources.credentials import SessionCredentials, sign_in_state
from viewer.sources.login import check_credentials

if TYPE_CHECKING:
    from viewer.sources.oidc.signins import SignIns

Check = Callable[[SourceConfig, str, str], None]
Unlocked = Literal["checked", "offline"]  # by the server; by this session's own password
FREE_TRIES = 3  # wrong passwords in a row before each next try waits
MAX_WAIT_S = 60.0


@dataclass(frozen=True)
class LockHolder:
    """The account the lock screen names and asks the password of."""

    os_user: str
    source: SourceConfig | None  # None: nobody is signed in, only closing the session lifts it
    user: str = ""  # the platform user of ``source``
    subject: str = ""  # signed in through a provider: its stable id of the user (``sub``)

    @property
    def can_unlock(self) -> bool:
        return self.source is not None and bool(self.user)

    @property
    def by_provider(self) -> bool:
        """Unlocked by signing in again at the OpenID provider, not with a password."""
        return self.source is not None and self.source.auth == "oidc"


def lock_holder(config: Config, credentials: SessionCredentials) -> LockHolder:
    """The first source (in configuration order) signed in, with a password or through
    its OpenID provider: the one a doctor signs in to first, the platform, comes first in
    a site's config. ("none" has no user to ask for.)"""
    for source in config.sources:
        state = sign_in_state(source, credentials)
        if state.kind in ("session", "remembered", "provider") and state.user:
            return LockHolder(os_user(), source, state.user, state.subject)
    return LockHolder(os_user(), None)


def unlock_by_provider(
    holder: LockHolder, sign_ins: SignIns | None = None, *, audit: Auditor | None = None
) -> Literal["same", "other"]:
    """After the doctor signed in again at the provider (the password asked anew): the
    holder themself unlocks (``"same"``); another user's sign-in (``"other"``) closes the
    holder's session first. Each is recorded in the trail."""
    from viewer.sources.oidc.signins import SIGN_INS

    assert holder.source is not None
    grant = (sign_ins or SIGN_INS).grant(holder.source)
    if grant is None:
        _record(audit, holder, Outcome.MINOR_FAILURE)
        raise AuthError(f"{holder.source.name}: not signed in")
    same = hmac.compare_digest(grant.user.subject.encode(), holder.subject.encode())
    if same:
        _record(audit, holder, Outcome.SUCCESS, "provider")
        return "same"
    _record(audit, LockHolder(holder.os_user, holder.source, grant.user.login), Outcome.SUCCESS)
    return "other"


class UnlockTooSoonError(AuthError):
    """Too many wrong passwords in a row: the next try must wait ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"too many wrong passwords: try again in {seconds:.0f} s")
        self.seconds = seconds


class UnlockAttempts:
    """Wrong passwords in a row slow the next try: :data:`FREE_TRIES` free, then 1, 2,
    4 ... up to :data:`MAX_WAIT_S` seconds between tries. Someone guessing at a locked
    workstation gets few tries an hour; a doctor who mistyped twice waits for nothing.
    (The platform's own lockout still counts the tries checked with it.)"""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.failures = 0
        self._not_before = 0.0

    def wait_s(self) -> float:
        return max(0.0, self._not_before - self._clock())

    def failed(self) -> None:
        self.failures += 1
        if self.failures >= FREE_TRIES:
            wait = min(MAX_WAIT_S, 2.0 ** (self.failures - FREE_TRIES))
            self._not_before = self._clock() + wait

    def succeeded(self) -> None:
        self.failures, self._not_before = 0, 0.0


def unlock(
    holder: LockHolder,
    password: str,
    credentials: SessionCredentials,
    check: Check = check_credentials,
    *,
    attempts: UnlockAttempts | None = None,
    audit: Auditor | None = None,
) -> Unlocked:
    """``"checked"`` when the server accepts the password; ``"offline"`` when the server
    cannot be reached and the password is this session's own. Raises AuthError for a
    wrong password (UnlockTooSoonError, not trying, while ``attempts`` say to wait), and
    the link's error when the server cannot say and the session holds no password to
    compare with. Each try that was made goes into the ``audit`` trail, refused or not."""
    if attempts is not None and (wait := attempts.wait_s()) > 0:
        raise UnlockTooSoonError(wait)
    try:
        how = _unlock(holder, password, credentials, check)
    except AuthError:
        if attempts is not None:
            attempts.failed()
        _record(audit, holder, Outcome.MINOR_FAILURE)
        raise
    if attempts is not None:
        attempts.succeeded()
    _record(audit, holder, Outcome.SUCCESS, how)
    return how


def _record(audit: Auditor | None, holder: LockHolder, outcome: Outcome, how: str = "") -> None:
    if audit is not None and holder.source is not None:
        detail = {"how": f"unlock {how}".strip()}
        event = AuditEvent(
            "signed_in",
            source=holder.source.name,
            platform_user=holder.user or None,
            outcome=outcome,
            detail=detail,
        )
        audit.record(event)


def _unlock(
    holder: LockHolder, password: str, credentials: SessionCredentials, check: Check
) -> Unlocked:
    if holder.source is None or not holder.user:
        raise AuthError("nobody is signed in: close the session to unlock")
    if not password:
        raise AuthError(f"{holder.source.name}: the password is needed")
    try:
        check(holder.source, holder.user, password)
    except CertificateError:
        raise  # a server that cannot be trusted is not asked, nor stood in for
    except NetworkError as err:
        try:
            known = credentials.password_for(holder.source.url, holder.user)
        except QingyingError:
            known = None  # the keyring is out of reach too
        if known is None:
            raise err from None
        if not hmac.compare_digest(known.encode("utf-8"), password.encode("utf-8")):
            raise AuthError(f"{holder.source.name}: wrong username or password") from None
        return "offline"
    return "checked"
