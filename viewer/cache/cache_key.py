"""Each cache's data key: random, made with the cache, kept in the user's keyring only.

The cache folder holds a plain file ``key-id`` naming its key (random, not secret); the
key itself is the keyring entry ``qingying:cache-key`` of that id, per OS user, as the
cache is (issue 18: encryption at rest, the key per cache and per user). A cache moved
to another folder keeps its key; a copy of the folder to another user's account or
machine is unreadable there.

Making the key races with another process making it for the same new cache: each keeps
its key under an id of its own, then names its id in ``key-id`` with a link that fails
if the file exists, so the first to link wins and the other forgets its entry and takes
the winner's (which the keyring held before the link named it).

A ``key-id`` whose entry the keyring no longer holds (the keyring reset, the folder
copied from elsewhere) is :class:`CacheKeyLostError`: what the cache holds can never be
read again, and its owner rebuilds it from the sources (:mod:`viewer.cache.lost_key`).
"""

from __future__ import annotations

import os
import secrets as token
from pathlib import Path

from viewer.cache.layout import TEMP_DIR
from viewer.errors import CacheKeyLostError, CacheKeyUnavailableError
from viewer.kept_keys import KeptKey
from viewer.private_files import PRIVATE_DIR, PRIVATE_FILE

SERVICE = "qingying:cache-key"
KEY_ID_NAME = "key-id"
WHAT = "the offline cache's key"
CONSEQUENCE = "the offline cache cannot be opened (searching the sources still works)"


def _entry(key_id: str) -> KeptKey:
    return KeptKey(
        SERVICE, key_id, what=WHAT, consequence=CONSEQUENCE, error=CacheKeyUnavailableError
    )


def read_key_id(root: Path) -> str | None:
    """The id ``key-id`` names, or None when the cache has none yet."""
    try:
        text = (root / KEY_ID_NAME).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise CacheKeyLostError(f"the cache's key id cannot be read ({root})") from err
    if not (16 <= len(text) <= 64 and all(c in "0123456789abcdef" for c in text)):
        raise CacheKeyLostError(f"the cache's key id is damaged ({root})")
    return text


def cache_key(root: Path) -> bytes:
    """The key of the cache at ``root``, made (and named there) if it has none yet."""
    key_id = read_key_id(root)
    if key_id is not None:
        key = _entry(key_id).read()
        if key is None:
            raise CacheKeyLostError(
                f"the system keyring no longer holds the key of the cache in {root}"
            )
        return key
    mine = token.token_hex(16)
    entry = _entry(mine)
    key = entry.make()
    if _name(root, mine):
        return key
    entry.forget()  # another process named its key first: that one is the cache's
    return cache_key(root)


def _name(root: Path, key_id: str) -> bool:
    """Write ``key-id`` unless it exists; True when this call wrote it. Written first in
    the cache's ``.tmp``, where start-up removes what a killed process left."""
    temp = root / TEMP_DIR
    temp.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    part = temp / f"{KEY_ID_NAME}-{os.getpid()}-{token.token_hex(4)}.part"
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        os.write(fd, key_id.encode("ascii") + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(part, root / KEY_ID_NAME)  # fails if the name exists: never overwrites
    except FileExistsError:
        return False
    finally:
        part.unlink()
    return True
