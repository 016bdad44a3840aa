"""The audit trail's keys: one random master key per OS user, in the system keyring.

The master key (32 random bytes, base64 in the keyring entry ``qingying:audit-key`` of
the OS login name, through :mod:`viewer.secrets`' backend) is made on first use and
never written anywhere else. Two keys are derived from it with HKDF-SHA256 (RFC 5869),
each for one purpose: AES-256-GCM for the patient block of each record, HMAC-SHA256
for the chain. ``kid``, a short tag of the key, is written on each line so that a record
made under another key (the keyring entry lost and made again) is named as such.

No key, no record: a keyring that is missing, locked or holds a damaged entry raises
:class:`AuditKeyUnavailableError`. A damaged entry is never replaced: that would leave
the trail written so far unreadable for good.

``cryptography`` is imported inside the functions that use it: the fetch command's
start-up must not pay for it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable
from contextlib import AbstractContextManager

from viewer.errors import AuditKeyUnavailableError
from viewer.kept_keys import KeptKey

SERVICE = "qingying:audit-key"
WHAT = "the audit trail's key"
NONCE_BYTES = 12  # AES-GCM's standard nonce


def os_user() -> str:
    """The OS login name (who is signed in to the workstation)."""
    import getpass  # with termios: not at the fetch command's start

    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name to be found (a container's odd uid)
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "unknown"


class AuditKeys:
    """The derived keys. A plain class, not a dataclass: import time counts here, and
    its repr must never show a key."""

    __slots__ = ("encryption", "kid", "mac")

    def __init__(self, encryption: bytes, mac: bytes, kid: str) -> None:
        self.encryption = encryption  # AES-256-GCM key of the patient blocks
        self.mac = mac  # HMAC-SHA256 key of the chain
        self.kid = kid  # a tag naming the key, not revealing it

    def __repr__(self) -> str:
        return f"AuditKeys(kid={self.kid!r})"

    def seal(self, plaintext: bytes, aad: bytes) -> bytes:
        """nonce ‖ AES-GCM ciphertext and tag; ``aad`` binds it to its line."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = os.urandom(NONCE_BYTES)
        return nonce + AESGCM(self.encryption).encrypt(nonce, plaintext, aad)

    def open(self, sealed: bytes, aad: bytes) -> bytes | None:
        """The plaintext, or None when the block was changed or made under another key."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if len(sealed) < NONCE_BYTES + 16:
            return None
        try:
            return AESGCM(self.encryption).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)
        except InvalidTag:
            return None

    def sign(self, data: bytes) -> str:
        return hmac.new(self.mac, data, hashlib.sha256).hexdigest()


def derive(master: bytes) -> AuditKeys:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    def expand(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)

    mac = expand(b"qingying audit chain hmac-sha256 v1")
    kid = hmac.new(mac, b"key id", hashlib.sha256).hexdigest()[:12]
    return AuditKeys(expand(b"qingying audit patient aes-256-gcm v1"), mac, kid)


def load_keys(
    *, under_lock: Callable[[], AbstractContextManager[object]] | None = None
) -> AuditKeys:
    """The OS user's audit keys, the master key made and kept on first use.

    ``under_lock``, when given, is entered (a context manager factory: the trail's file
    lock) to make the key, so that two processes starting at once make one key, not two
    of which one would be lost with the records made under it."""
    user = os_user()
    master = _read(user)
    if master is None:
        if under_lock is None:
            master = _make(user)
        else:
            with under_lock():
                master = _read(user) or _make(user)
    return derive(master)


def existing_keys() -> AuditKeys | None:
    """The OS user's audit keys if the keyring holds them; None if it holds none (to read
    a trail, never to write one)."""
    master = _read(os_user())
    return derive(master) if master is not None else None


def _kept(user: str) -> KeptKey:
    return KeptKey(
        SERVICE,
        user,
        what=WHAT,
        consequence="the audit trail can be neither written nor read",
        error=AuditKeyUnavailableError,
    )


def _read(user: str) -> bytes | None:
    return _kept(user).read()


def _make(user: str) -> bytes:
    return _kept(user).make()
