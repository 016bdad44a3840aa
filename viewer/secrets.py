"""Passwords and tokens in the operating system's keyring, and nowhere else.

One entry per source URL and user: service ``qingying:<DICOMweb root>``, username the
account name. Nothing here logs a secret or writes one to a file.

The backend is the one ``keyring`` would choose, in its order: one already set (the
tests' in-memory keyring), ``PYTHON_KEYRING_BACKEND``, keyring's config file, else the
viable backend of the highest priority. That last step loads every backend plugin
through the package metadata, and on Linux the macOS one runs ``gcc`` and ``ld`` to look
for a library (~65 ms of a command that lasts a few hundred). When its answer is plain
it is taken without the search (:func:`_secret_service_alone`): on Linux, with only
keyring's own backends installed and neither ``dbus`` (KWallet) nor ``gi`` (libsecret)
importable, the Secret Service if its daemon answers; otherwise keyring searches.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import sys

import keyring
import keyring.core
import keyring.errors
from keyring.backend import KeyringBackend

from viewer.errors import KeyringUnavailableError

SERVICE_PREFIX = "qingying:"

# The entry points keyring itself declares (group "keyring.backends"): any other is a
# plugin whose backend keyring's own search might prefer.
KEYRING_OWN_PLUGINS = frozenset(
    f"keyring.backends.{name}"
    for name in ("kwallet", "SecretService", "Windows", "chainer", "libsecret", "macOS")
)
# Modules without which KWallet (dbus-python) and libsecret (PyGObject) cannot be viable.
OTHER_LINUX_BACKEND_NEEDS = ("dbus", "gi")


def service_name(url: str) -> str:
    return SERVICE_PREFIX + url.rstrip("/")


def _unavailable(err: Exception, what: str = "the password") -> KeyringUnavailableError:
    return KeyringUnavailableError(
        f"no system keyring is available to keep {what} "
        f"({type(err).__name__}); on Linux start and unlock gnome-keyring or KWallet"
    )


def _secret_service_alone() -> KeyringBackend | None:
    """The Secret Service when keyring's search could find nothing else viable, or None."""
    if not sys.platform.startswith("linux"):
        return None
    if any(importlib.util.find_spec(name) is not None for name in OTHER_LINUX_BACKEND_NEEDS):
        return None
    plugins = importlib.metadata.entry_points(group="keyring.backends")
    if any(plugin.value not in KEYRING_OWN_PLUGINS for plugin in plugins):
        return None
    from keyring.backends import SecretService

    secret_service: type[KeyringBackend] = SecretService.Keyring
    try:  # keyring's viability test (secretstorage present, the daemon on the bus)
        viable = secret_service.priority > 0
    except Exception:  # keyring's search skips a backend whatever its test raises
        return None
    return secret_service() if viable else None


def backend() -> KeyringBackend:
    """The keyring backend in use, chosen as keyring would (see the module's notes)."""
    if getattr(keyring.core, "_keyring_backend", False) is None:  # none chosen yet
        chosen = keyring.core.load_env() or keyring.core.load_config() or _secret_service_alone()
        if chosen is not None:
            keyring.set_keyring(chosen)
    return keyring.get_keyring()


def store_password(url: str, username: str, password: str) -> None:
    try:
        backend().set_password(service_name(url), username, password)
    except keyring.errors.KeyringError as err:
        raise _unavailable(err) from err


def get_password(url: str, username: str) -> str | None:
    try:
        return backend().get_password(service_name(url), username)
    except keyring.errors.KeyringError as err:
        raise _unavailable(err) from err


def find_username(url: str) -> str | None:
    """The account stored for ``url`` when the configuration names none."""
    try:
        credential = backend().get_credential(service_name(url), None)
    except keyring.errors.KeyringError as err:
        raise _unavailable(err) from err
    return credential.username if credential else None


def get_secret(service: str, username: str, *, what: str) -> str | None:
    """Any secret of the app's by its keyring service (``qingying:...``) and user, through
    the same backend as the passwords; ``what`` names it in the error message."""
    try:
        return backend().get_password(service, username)
    except keyring.errors.KeyringError as err:
        raise _unavailable(err, what) from err


def store_secret(service: str, username: str, secret: str, *, what: str) -> None:
    try:
        backend().set_password(service, username, secret)
    except keyring.errors.KeyringError as err:
        raise _unavailable(err, what) from err


def delete_secret(service: str, username: str, *, what: str) -> bool:
    """Forget a secret of the app's; False when there was none."""
    try:
        backend().delete_password(service, username)
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringError as err:
        raise _unavailable(err, what) from err
    return True


def delete_password(url: str, username: str) -> bool:
    """Forget the password; False when there was none."""
    return delete_secret(service_name(url), username, what="the password")
