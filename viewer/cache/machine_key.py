"""A machine's cache key, chosen by IT for shared clinic machines (issue 18 point 1).

The cache's key is kept in each user's keyring by default (:mod:`viewer.cache.cache_key`).
Where a clinic's workstation is used by doctors whose keyring does not last (a generic
account reset at logout, a roaming profile, a keyring that is never unlocked), that key
would be lost at every logout, and the studies prefetched for the clinic's offline days
with it. IT then provisions one key for the machine: a file of 32 random bytes, set in
the site config as ``cache.machine_key_file``, which the accounts that run Qingying may
read and nobody else (deployment.md says how: a group, mode 0640, owned by root).

The file is refused, never used, unless it is safe to trust with patient data:

- a regular file of exactly 32 bytes (raw; or 44 characters of base64 and a newline);
- on POSIX: owned by root or by the user, writable by its owner alone, and readable by
  no one outside its owner and group (mode ``o-rwx``, ``go-w``).

A refusal is :class:`CacheKeyUnavailableError` naming the file and the reason: the
cache stays closed and whole for when IT mends the file. The cache's ``key-id`` names
the machine key by its check value, as it names a keyring's key; a key file replaced by
another key is a lost key (:class:`CacheKeyLostError`): what was sealed under the old one
is forgotten and fetched again. Switching a cache from the keyring to the machine key,
or back, is the same: the cache starts anew.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import stat
from pathlib import Path

from viewer.errors import CacheKeyLostError, CacheKeyUnavailableError

KEPT_BY = "machine-key-file"
KEY_BYTES = 32
_CONSEQUENCE = "the offline cache cannot be opened (searching the sources still works)"


def read_machine_key(path: Path) -> bytes:
    """The 32-byte key in ``path``, if the file may be trusted (see the module doc)."""
    try:
        # Never waits: a FIFO or a device put there opens at once and is refused below.
        flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
    except OSError as err:
        raise _unusable(path, err.strerror or str(err)) from None
    try:
        info = os.fstat(fd)  # of the file read, not of a name that may change meanwhile
        _require_safe(path, info)
        data = os.read(fd, 64)
    finally:
        os.close(fd)
    return _key_from(path, data)


def _require_safe(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise _unusable(path, "not a regular file")
    if os.name != "posix":
        return  # Windows: the file's ACL, set by IT, is what protects it (deployment.md)
    if info.st_uid not in (0, os.getuid()):
        raise _unusable(path, "owned by another user than root or you")
    mode = stat.S_IMODE(info.st_mode)
    if mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise _unusable(path, f"writable by others than its owner (mode {mode:04o})")
    if mode & stat.S_IRWXO:
        raise _unusable(path, f"open to every user of the machine (mode {mode:04o})")


def _key_from(path: Path, data: bytes) -> bytes:
    if len(data) == KEY_BYTES:
        return data
    try:
        decoded = base64.b64decode(data.strip(), validate=True)
    except (binascii.Error, ValueError):
        decoded = b""
    if len(decoded) != KEY_BYTES:
        raise _unusable(path, f"not a key of {KEY_BYTES} bytes (raw, or in base64)")
    return decoded


def _unusable(path: Path, why: str) -> CacheKeyUnavailableError:
    return CacheKeyUnavailableError(
        f"the machine's cache key {path} cannot be used: {why}; {_CONSEQUENCE}"
    )


def require_the_named_key(root: Path, key: bytes, named_check: str, key_id: str) -> None:
    """CacheKeyLostError unless ``key`` is the one the cache's ``key-id`` names."""
    from viewer.cache.cache_key import check_value

    if not hmac.compare_digest(check_value(key), named_check):
        raise CacheKeyLostError(
            f"the machine's key is not the key the cache in {root} was sealed with", key_id
        )
