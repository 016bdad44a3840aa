"""Each cache's data key: random, made with the cache, kept in the user's keyring only.

The cache folder holds a plain file ``key-id`` naming its key (random, not secret); the
key itself is the keyring entry ``qingying:cache-key`` of that id, per OS user, as the
cache is (issue 18: encryption at rest, the key per cache and per user). A cache moved
to another folder keeps its key; a copy of the folder to another user's account or
machine is unreadable there.

``key-id`` holds three lines: the id, the keyring backend that kept the key, and a check
value of the key (an HMAC of a fixed text under it: it tells the key, reveals nothing of
it). With them a key that cannot be had is told apart from a key that is gone:

- the keyring locked or absent, or another backend answering today (a desktop whose
  keyring daemon did not start): :class:`CacheKeyUnavailableError`, the cache left
  whole and closed, for when that keyring is back;
- the same backend holding no entry for the id, an entry that is not the key the check
  names, a ``key-id`` that is not one, or a sealed index with no ``key-id`` beside it:
  :class:`CacheKeyLostError` (its ``key_id``: the id found, or None). What the cache
  holds under that key can never be read again: its owner forgets it
  (:mod:`viewer.cache.lost_key`) and starts anew;
- the key the check names, and an index that does not open with it: the index is
  damaged, not the key lost (:class:`CacheIndexDamagedError`, from the index).

Making the key races with another process making it for the same new cache: each keeps
its key under an id of its own, then names its id in ``key-id`` with a link that fails
if the file exists, so the first to link wins and the other forgets its entry and takes
the winner's (which the keyring held before the link named it).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets as token
from pathlib import Path
from typing import NamedTuple

from viewer import secrets
from viewer.cache import machine_key
from viewer.cache.index_db import is_plain
from viewer.cache.layout import INDEX_NAME, TEMP_DIR, fsync_dir
from viewer.cache.machine_key import read_machine_key
from viewer.errors import CacheKeyLostError, CacheKeyUnavailableError
from viewer.kept_keys import KeptKey
from viewer.private_files import PRIVATE_DIR, PRIVATE_FILE

SERVICE = "qingying:cache-key"
KEY_ID_NAME = "key-id"
WHAT = "the offline cache's key"
CONSEQUENCE = "the offline cache cannot be opened (searching the sources still works)"


class KeyName(NamedTuple):
    key_id: str
    kept_by: str  # the keyring backend that kept it ("" unknown)
    check: str  # the key's check value ("" unknown)


def _entry(key_id: str) -> KeptKey:
    return KeptKey(
        SERVICE, key_id, what=WHAT, consequence=CONSEQUENCE, error=CacheKeyUnavailableError
    )


def check_value(key: bytes) -> str:
    return hmac.new(key, b"qingying cache key check v1", hashlib.sha256).hexdigest()[:32]


def read_key_id(root: Path) -> str | None:
    """The id ``key-id`` names, or None when the cache has none yet."""
    named = read_key_name(root)
    return named.key_id if named is not None else None


def read_key_name(root: Path) -> KeyName | None:
    """What ``key-id`` says, or None when there is none. A file that cannot be read now
    (permissions, I/O) is the OSError: the cache stays closed, never forgotten for it."""
    try:
        text = (root / KEY_ID_NAME).read_bytes().decode("ascii")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as err:
        raise CacheKeyLostError(f"the cache's key id is damaged ({root})", None) from err
    lines = [line.strip() for line in text.split("\n")] + ["", ""]
    key_id, kept_by, check = lines[:3]
    if not (16 <= len(key_id) <= 64 and all(c in "0123456789abcdef" for c in key_id)):
        raise CacheKeyLostError(f"the cache's key id is damaged ({root})", None)
    return KeyName(key_id, kept_by, check)


def _backend_name() -> str:
    kind = type(secrets.backend())
    return f"{kind.__module__}.{kind.__qualname__}"


def cache_key(root: Path, machine_key_file: Path | None = None) -> bytes:
    """The key of the cache at ``root``, made (and named there) if it has none yet; with
    ``machine_key_file`` (IT's choice for shared machines, :mod:`viewer.cache.machine_key`)
    that file's key, named there, instead of one in the user's keyring."""
    if machine_key_file is not None:
        return _machine_key(root, machine_key_file)
    named = read_key_name(root)
    if named is not None:
        return _named_key(root, named)
    _require_no_sealed_index(root)
    mine = token.token_hex(16)
    entry = _entry(mine)
    key = entry.make()
    try:
        named_now = _name(root, KeyName(mine, _backend_name(), check_value(key)))
    except BaseException:
        entry.forget()
        raise
    if named_now:
        return key
    entry.forget()  # another process named its key first: that one is the cache's
    return cache_key(root)


def _require_no_sealed_index(root: Path) -> None:
    index = root / INDEX_NAME
    if index.is_file() and index.stat().st_size > 0 and not is_plain(index):
        raise CacheKeyLostError(f"the key id of the sealed cache in {root} is gone", None)


def _machine_key(root: Path, path: Path) -> bytes:
    """The machine's key, which the cache's ``key-id`` names by its check value."""
    key = read_machine_key(path)
    check = check_value(key)
    named = read_key_name(root)
    if named is None:
        _require_no_sealed_index(root)
        _name(root, KeyName(check, machine_key.KEPT_BY, check))  # or another process's
        named = read_key_name(root)
        if named is None:  # removed meanwhile (a lost key forgotten by another process)
            return _machine_key(root, path)
    machine_key.require_the_named_key(root, key, named.check, named.key_id)
    return key


def _named_key(root: Path, named: KeyName) -> bytes:
    key = _entry(named.key_id).read()
    if key is None:
        in_use = _backend_name()
        if named.kept_by and named.kept_by != in_use:
            raise CacheKeyUnavailableError(
                f"the offline cache's key is kept in another keyring ({named.kept_by}) than "
                f"the one in use ({in_use}); {CONSEQUENCE}"
            )
        raise CacheKeyLostError(
            f"the keyring no longer holds the key of the cache in {root}", named.key_id
        )
    if named.check and not hmac.compare_digest(check_value(key), named.check):
        raise CacheKeyLostError(
            f"the keyring holds another key than the cache's in {root}", named.key_id
        )
    return key


def _name(root: Path, name: KeyName) -> bool:
    """Write ``key-id`` unless it exists, durably; True when this call wrote it. Written
    first in the cache's ``.tmp`` (where start-up removes what a killed process left),
    then linked to its name; where the file system has no links, created exclusively."""
    temp = root / TEMP_DIR
    temp.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    text = "\n".join(name).encode("ascii") + b"\n"
    part = temp / f"{KEY_ID_NAME}-{os.getpid()}-{token.token_hex(4)}.part"
    _write_new(part, text)
    try:
        os.link(part, root / KEY_ID_NAME)  # fails if the name exists: never overwrites
    except FileExistsError:
        return False
    except OSError:  # no hard links here (exFAT, some network shares)
        try:
            _write_new(root / KEY_ID_NAME, text)
        except FileExistsError:
            return False
    finally:
        with contextlib.suppress(OSError):
            part.unlink()
    fsync_dir(root)  # the name survives a power cut with the index it opens
    return True


def _write_new(path: Path, text: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        os.write(fd, text)
        os.fsync(fd)
    finally:
        os.close(fd)
