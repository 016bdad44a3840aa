"""Eviction follows last use, not the order studies came in: a doctor who opens an old
study keeps it, and a newer one nobody opened goes first.

Real clocks, no last_access set by hand: what is checked is that touching and opening
a study are what move it, as the viewer does them.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.unit.test_cache_store import Study, commit
from viewer.cache.store import CacheStore

TICK_S = 0.02  # between steps, so that no two of them share a timestamp


@pytest.fixture
def three_studies(tmp_path: Path) -> tuple[CacheStore, list[Study]]:
    """A store holding three studies of one instance each, oldest first."""
    store = CacheStore(tmp_path / "cache", 10**9)
    studies = [Study() for _ in range(3)]
    for study in studies:
        commit(store, study.instance()[1])
        time.sleep(TICK_S)
    return store, studies


def evict_one(store: CacheStore) -> list[str]:
    """Evict down to one study fewer than now; the studies that went."""
    return store.evict(to_size=store.size() - 1).evicted


def test_opening_the_oldest_study_saves_it_and_the_next_oldest_goes(
    three_studies: tuple[CacheStore, list[Study]],
) -> None:
    store, (old, newer, newest) = three_studies
    with store:
        with store.open_study(old.uid):
            pass  # opened and closed again: it no longer protects by being open
        time.sleep(TICK_S)
        assert evict_one(store) == [newer.uid]
        assert store.study_state(old.uid) != "none"
        assert store.study_state(newest.uid) != "none"


def test_touching_a_study_counts_as_a_use(
    three_studies: tuple[CacheStore, list[Study]],
) -> None:
    store, (old, newer, newest) = three_studies
    with store:
        store.touch(old.uid)
        store.touch(newer.uid)
        time.sleep(TICK_S)
        # Least recently used now: the newest inserted, never opened since.
        assert evict_one(store) == [newest.uid]
        assert evict_one(store) == [old.uid]
        assert [s.study_uid for s in store.studies()] == [newer.uid]


def test_without_any_use_the_oldest_goes_first(
    three_studies: tuple[CacheStore, list[Study]],
) -> None:
    store, (old, _newer, _newest) = three_studies
    with store:
        assert evict_one(store) == [old.uid]
