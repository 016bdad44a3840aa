"""Where a source's password comes from: this session's memory, then the system keyring.

A doctor who signs in without "Remember" has the password kept in memory for this run
only (:class:`SessionCredentials`); otherwise it is in the keyring (:mod:`viewer.secrets`).
:func:`sign_in_state` says, as data, whether a source is signed in and how; the window
and the CLI put it into words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from viewer import secrets
from viewer.config import SourceConfig
from viewer.errors import QingyingError


class CredentialProvider(Protocol):
    def password_for(self, url: str, username: str) -> str | None: ...

    def username_for(self, url: str) -> str | None: ...


class KeyringCredentials:
    """The system keyring alone (the CLI's, and what a remembered sign-in left)."""

    def password_for(self, url: str, username: str) -> str | None:
        return secrets.get_password(url, username)

    def username_for(self, url: str) -> str | None:
        return secrets.find_username(url)


KEYRING = KeyringCredentials()


class SessionCredentials:
    """Passwords of sources signed in without "Remember": memory only, this run only;
    what is not here comes from ``fallback`` (the keyring)."""

    def __init__(self, fallback: CredentialProvider = KEYRING) -> None:
        self._passwords: dict[tuple[str, str], str] = {}
        self._fallback = fallback

    def put(self, url: str, username: str, password: str) -> None:
        self._passwords[(url, username)] = password

    def clear(self) -> None:
        """Forget every password kept for this run: the doctor's session is closed (the
        idle lock lifted for another user)."""
        self._passwords.clear()

    def password(self, url: str, username: str) -> str | None:
        """This session's password only."""
        return self._passwords.get((url, username))

    def username(self, url: str) -> str | None:
        """The user signed in for this session only."""
        return next((user for u, user in self._passwords if u == url), None)

    def password_for(self, url: str, username: str) -> str | None:
        return self.password(url, username) or self._fallback.password_for(url, username)

    def username_for(self, url: str) -> str | None:
        return self.username(url) or self._fallback.username_for(url)


SignInKind = Literal["no-sign-in", "session", "remembered", "provider", "signed-out", "no-keyring"]


@dataclass(frozen=True)
class SignInState:
    kind: SignInKind
    user: str = ""
    # "provider": signed in through this OpenID provider, as ``user`` (login, and name);
    # the current access token ends at ``until`` (seconds since the epoch; 0: not yet
    # asked for), and renews itself before then.
    provider: str = ""
    name: str = ""
    until: float = 0.0
    subject: str = ""  # the provider's stable id of the user (``sub``)

    @property
    def ok(self) -> bool:
        return self.kind in ("no-sign-in", "session", "remembered", "provider")


def sign_in_state(source: SourceConfig, session: SessionCredentials) -> SignInState:
    """Whether ``source`` can be asked now, and with whose credentials."""
    if source.auth == "none":
        return SignInState("no-sign-in")
    if source.auth == "oidc":
        return _provider_state(source)
    user = session.username(source.url)
    if user and session.password(source.url, user) is not None:
        return SignInState("session", user)
    try:
        user = stored_username(source)
        if user and secrets.get_password(source.url, user) is not None:
            return SignInState("remembered", user)
    except QingyingError:
        return SignInState("no-keyring")
    return SignInState("signed-out")


def stored_username(source: SourceConfig) -> str | None:
    """The configured username, else the one the keyring holds for this source."""
    if source.username:
        return source.username
    try:
        return secrets.find_username(source.url)
    except QingyingError:
        return None


def _provider_state(source: SourceConfig) -> SignInState:
    from viewer.sources.oidc.signins import SIGN_INS  # only where OIDC is configured

    try:
        info = SIGN_INS.info(source)
    except QingyingError:
        return SignInState("no-keyring")
    if info is None:
        return SignInState("signed-out")
    user = info.user
    return SignInState(
        "provider", user.login, info.provider, user.name, info.expires_at, user.subject
    )
