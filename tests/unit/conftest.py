"""Fixtures shared by the unit tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from viewer.cache.sealed import sealed_size
from viewer.cache.store import CacheStore
from viewer.instance_file import InstanceFile, read_instance_bytes

CACHE_KEY = bytes(range(32))  # a test's cache key (the app's comes from the keyring)


@pytest.fixture(params=["clear", "sealed"])
def store(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[CacheStore]:
    """An empty cache in the test's temporary folder, closed after the test: once with
    its instances in clear, once sealed with a key as the app's cache is (issue 18)."""
    key = CACHE_KEY if request.param == "sealed" else None
    with CacheStore(tmp_path / "cache", max_size=10**9, key=key) as opened:
        yield opened


def on_disk(store: CacheStore, plain: int) -> int:
    """The bytes an instance of ``plain`` bytes takes on ``store``'s disk (sealed: more)."""
    return sealed_size(plain) if store.instance_key is not None else plain


def stored(store: CacheStore, path: Path) -> bytes:
    """The instance a file of ``store`` holds, as its readers see it (unsealed)."""
    return read_instance_bytes(InstanceFile(path, key=store.instance_key))
