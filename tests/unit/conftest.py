"""Fixtures shared by the unit tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from viewer.cache.store import CacheStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CacheStore]:
    """An empty cache in the test's temporary folder, closed after the test."""
    with CacheStore(tmp_path / "cache", max_size=10**9) as opened:
        yield opened
