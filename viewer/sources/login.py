"""Signing in to a source: check the credentials against the server, then keep them.

The password is stored in the keyring only after the server accepted it, so a typo never
replaces a working password.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from viewer import secrets
from viewer.config import SourceConfig
from viewer.dicomweb.auth import BasicAuth
from viewer.dicomweb.client import DicomwebClient
from viewer.dicomweb.session import Timeouts, make_session, retry_policy
from viewer.errors import AuthError, QingyingError

Store = Callable[[str, str, str], None]
MAX_ACCOUNTS = 50  # remembered for one source on one workstation account, at most


def check_credentials(
    source: SourceConfig, username: str, password: str, timeouts: Timeouts | None = None
) -> None:
    """Raise AuthError (refused), CertificateError, NetworkError or ServerError; else OK."""
    if source.auth == "oidc":
        # No password: the doctor signs in at the provider (viewer.sources.oidc).
        raise AuthError(f"{source.name}: signs in through its OpenID provider, not a password")
    # One retry only: the user is waiting, and a down server should be said at once.
    session = make_session(
        ca_bundle=source.ca_bundle, timeouts=timeouts, retries=retry_policy(total=1)
    )
    if source.auth == "basic":
        if not username:
            raise AuthError(f"{source.name}: a username is needed")
        session.auth = BasicAuth(username, password)
    try:
        DicomwebClient(source.url, session, name=source.name).check_access()
    except AuthError as err:
        raise AuthError(f"{source.name}: wrong username or password") from err
    finally:
        session.close()


def login(
    source: SourceConfig,
    username: str,
    password: str,
    *,
    store: Store = secrets.store_password,
    timeouts: Timeouts | None = None,
) -> None:
    check_credentials(source, username, password, timeouts)
    if source.auth == "basic":
        store(source.url, username, password)


def logout(source: SourceConfig, username: str | None) -> bool:
    """Forget the stored password; False when none was stored."""
    user = username or source.username or secrets.find_username(source.url)
    if not user:
        return False
    return secrets.delete_password(source.url, user)


def logout_all(source: SourceConfig) -> None:
    """Forget the password remembered for ``source``, whoever's it is; a keyring out of
    reach has nothing to forget that could be used either."""
    if source.auth == "oidc":
        from viewer.sources.oidc.signins import SIGN_INS

        with contextlib.suppress(QingyingError):
            SIGN_INS.end(source)  # revoked at the provider too, without waiting
        return
    if source.auth != "basic":
        return
    with contextlib.suppress(QingyingError):
        for _ in range(MAX_ACCOUNTS):  # each doctor who chose "Remember" on this account
            if not logout(source, None):
                return


def logout_all_but(kept: SourceConfig | None) -> Callable[[SourceConfig], None]:
    """:func:`logout_all` for every source but the sign-in ``kept`` shares (the next
    doctor has just signed in at its provider, in place of the last one); None: all."""
    key = kept.oidc.sign_in_key if kept is not None and kept.oidc is not None else None

    def sign_out(source: SourceConfig) -> None:
        if key is None or source.oidc is None or source.oidc.sign_in_key != key:
            logout_all(source)

    return sign_out
