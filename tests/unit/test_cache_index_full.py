"""A full disk under the index is a DiskFullError naming the cache, never a raw sqlite
error; and a cache whose start-up repair cannot be written still opens for reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_cache_store import Study, commit
from viewer.cache.index_db import Connection
from viewer.cache.store import CacheStore
from viewer.errors import DiskFullError


def fill_index(store: CacheStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The index may grow no more, on any thread's connection: SQLite answers
    SQLITE_FULL, as on a full disk."""
    index = store._index
    pages = index.connection().execute("PRAGMA page_count").fetchone()[0]
    connect = index.connection

    def capped() -> Connection:
        conn = connect()
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(index, "connection", capped)


def test_an_index_that_cannot_grow_is_a_disk_full_error_naming_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with CacheStore(tmp_path / "cache", 10**9) as store:
        kept = commit(store, Study().instance()[1])
        fill_index(store, monkeypatch)
        with pytest.raises(DiskFullError, match="disk holding the cache is full") as caught:
            for _ in range(200):
                commit(store, Study().instance()[1])
        assert str(tmp_path / "cache") in str(caught.value)
        assert kept.exists() and len(store.studies()) >= 1
        assert store.verify().ok  # what was committed before is whole


def test_a_cache_opens_for_reading_when_its_start_up_repair_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "cache"
    with CacheStore(root, 10**9) as store:
        study = Study()
        commit(store, study.instance()[1])

    def full(*_args: object, **_kwargs: object) -> None:
        raise DiskFullError("the disk holding the cache is full")

    monkeypatch.setattr("viewer.cache.housekeeping.reconcile", full)
    with CacheStore(root, 10**9) as store:
        assert [s.study_uid for s in store.studies()] == [study.uid]
