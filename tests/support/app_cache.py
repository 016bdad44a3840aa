"""A cache the app made (a command's, the window's), opened by a test as the app opens
it: sealed with the cache's key from the keyring the app used."""

from __future__ import annotations

from pathlib import Path

from viewer.cache.cache_key import cache_key
from viewer.cache.index_db import Connection, connect
from viewer.cache.layout import INDEX_NAME
from viewer.cache.store import CacheStore


def app_store(root: Path, max_size: int = 10**12) -> CacheStore:
    return CacheStore(root, max_size, key=cache_key(root))


def index_connection(root: Path) -> Connection:
    """A connection of its own to the index of the app's cache at ``root``."""
    return connect(root / INDEX_NAME, cache_key(root), timeout=5)
