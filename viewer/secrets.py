"""Passwords and tokens in the operating system's keyring, and nowhere else.

One entry per source URL and user: service ``qingying:<DICOMweb root>``, username the
account name. Nothing here logs a secret or writes one to a file.
"""

from __future__ import annotations

import keyring
import keyring.errors

from viewer.errors import AuthError

SERVICE_PREFIX = "qingying:"


class KeyringUnavailableError(AuthError):
    """No usable system keyring: secrets cannot be kept, so none are."""


def service_name(url: str) -> str:
    return SERVICE_PREFIX + url.rstrip("/")


def _unavailable(err: Exception) -> KeyringUnavailableError:
    return KeyringUnavailableError(
        "no system keyring is available to keep the password "
        f"({type(err).__name__}); on Linux start and unlock gnome-keyring or KWallet"
    )


def store_password(url: str, username: str, password: str) -> None:
    try:
        keyring.set_password(service_name(url), username, password)
    except keyring.errors.KeyringError as err:
        raise _unavailable(err) from err


def get_password(url: str, username: str) -> str | None:
    try:
        return keyring.get_password(service_name(url), username)
    except keyring.errors.KeyringError as err:
        raise _unavailable(err) from err


def find_username(url: str) -> str | None:
    """The account stored for ``url`` when the configuration names none."""
    try:
        credential = keyring.get_credential(service_name(url), None)
    except keyring.errors.KeyringError as err:
        raise _unavailable(err) from err
    return credential.username if credential else None


def delete_password(url: str, username: str) -> bool:
    """Forget the password; False when there was none."""
    try:
        keyring.delete_password(service_name(url), username)
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringError as err:
        raise _unavailable(err) from err
    return True
