"""Random keys the app makes once and keeps in the system keyring, never on disk.

The audit trail's master key and each cache's data key are such keys: 32 random bytes,
base64 in one keyring entry (service, account) through :mod:`viewer.secrets`' backend.
A key is made on first use and read back at once, so that of two processes making it at
the same time both go on with the one the keyring kept. An entry that does not hold a
key of the right size is *damaged* and never replaced here: replacing it would leave
what was sealed under the old key unreadable for good; the caller decides.

Every failure is the caller's error type (``error``), a :class:`KeyringUnavailableError`,
so the window words it as the keyring's problem; its message names the entry's purpose
(``what``), never a key.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os

from viewer import secrets
from viewer.errors import KeyringUnavailableError

KEY_BYTES = 32


class KeptKey:
    """One key's keyring entry. ``consequence`` ends the message of a keyring that cannot
    give it (what cannot be done without it)."""

    def __init__(
        self,
        service: str,
        account: str,
        *,
        what: str,
        consequence: str,
        error: type[KeyringUnavailableError] = KeyringUnavailableError,
    ) -> None:
        self.service, self.account = service, account
        self.what, self.consequence, self.error = what, consequence, error

    def read(self) -> bytes | None:
        """The key, or None when the keyring holds no entry for it."""
        try:
            stored = secrets.get_secret(self.service, self.account, what=self.what)
        except KeyringUnavailableError as err:
            raise self.error(f"{err}; {self.consequence}") from err
        except Exception as err:  # a backend's own failure (D-Bus, a locked collection)
            raise self._unavailable(err) from err
        if stored is None:
            return None
        try:
            key = base64.b64decode(stored.encode("ascii"), validate=True)
        except (UnicodeEncodeError, binascii.Error):
            key = b""
        if len(key) != KEY_BYTES:
            raise self.error(
                f"{self.what} in the system keyring ({self.service}) is damaged; "
                "it is left as it is: ask IT to restore it"
            )
        return key

    def make(self) -> bytes:
        """A new random key kept in the entry; what the keyring holds after (another
        process's key, should it have written last)."""
        key = os.urandom(KEY_BYTES)
        try:
            secrets.store_secret(
                self.service, self.account, base64.b64encode(key).decode("ascii"), what=self.what
            )
        except KeyringUnavailableError as err:
            raise self.error(f"{err}; {self.consequence}") from err
        except Exception as err:
            raise self._unavailable(err) from err
        kept = self.read()
        if kept is None:
            raise self.error(f"the system keyring did not keep {self.what}; {self.consequence}")
        return kept

    def forget(self) -> None:
        """Remove the entry (a key made by a process that lost the race to name it)."""
        # Best effort, whatever the backend raises: an entry left behind names nothing.
        with contextlib.suppress(Exception):
            secrets.delete_secret(self.service, self.account, what=self.what)

    def _unavailable(self, err: Exception) -> KeyringUnavailableError:
        return self.error(
            f"the system keyring could not give {self.what} ({type(err).__name__}); "
            f"{self.consequence}; on Linux start and unlock gnome-keyring or KWallet"
        )
