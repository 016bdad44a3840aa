"""The quarantine's damaged files are patient data: kept a week, counted in the budget,
purged first when the cache must shrink, readable by the user alone."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from tests.unit.test_cache_store import Study, commit
from viewer.cache import quarantine
from viewer.cache.layout import CacheLayout
from viewer.cache.store import CacheStore

WEEK = 7 * 24 * 3600


def damage(store: CacheStore, study: Study, n: int) -> Path:
    """An instance committed, then a byte of it flipped and ``verify`` run: its file is
    in quarantine."""
    path = commit(store, study.instance(number=n)[1])
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    report = store.verify()
    assert not report.ok
    return path


def aged(store: CacheStore, seconds: float) -> None:
    """Every file in quarantine put there ``seconds`` ago."""
    for item in store.quarantined():
        os.utime(item.path, (time.time() - seconds, time.time() - seconds))


@pytest.fixture
def store(tmp_path: Path) -> CacheStore:
    with CacheStore(tmp_path / "cache", max_size=10**9) as opened:
        yield opened


def test_the_quarantine_counts_in_the_cache_size(store: CacheStore) -> None:
    indexed_before = store.size()
    damage(store, Study(), 1)
    held = store.quarantined()
    assert len(held) == 1 and held[0].size > 0
    indexed = store._index.total_size()
    assert indexed == indexed_before  # the damaged row is gone from the index...
    assert store.size() == indexed + held[0].size  # ...but its bytes still count


def test_quarantined_files_are_readable_by_the_user_alone(store: CacheStore) -> None:
    damage(store, Study(), 1)  # a file of its own: moved there
    study = Study()  # and an instance of a pack: copied there
    with store.pack_sinks(study.uid) as sinks:
        part = sinks.begin_instance()
        part.write(study.instance(number=2)[1])
        part.commit_async().result(timeout=10)
    (item,) = store.instance_files(study.uid)
    with item.path.open("r+b") as fh:
        fh.seek(item.offset + (item.size or 0) - 8)
        fh.write(b"\xff" * 8)
    assert not store.verify().ok
    assert len(store.quarantined()) == 2
    folder = CacheLayout(store.root).quarantine_dir
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for item in store.quarantined():
        assert stat.S_IMODE(item.path.stat().st_mode) & 0o077 == 0


def test_what_was_kept_longer_than_a_week_is_purged_when_the_budget_is_kept(
    store: CacheStore,
) -> None:
    damage(store, Study(), 1)
    aged(store, WEEK + 60)
    report = store.evict()  # within budget: nothing else goes
    assert store.quarantined() == [] and report.evicted == []


def test_an_unreadable_quarantine_does_not_stop_the_cache_opening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "cache"
    with CacheStore(root, max_size=10**9) as store:
        damage(store, Study(), 1)
    scandir = os.scandir

    def refused(path: object) -> object:
        if str(path).endswith(".quarantine"):  # as for a folder the user may not read
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(quarantine.os, "scandir", refused)
    with CacheStore(root, max_size=10**9) as store:
        assert store.quarantined() == [] and store.evict().evicted == []


def test_what_was_kept_longer_than_a_week_is_purged_when_the_cache_opens(
    tmp_path: Path,
) -> None:
    root = tmp_path / "cache"
    with CacheStore(root, max_size=10**9) as store:
        damage(store, Study(), 1)
        aged(store, WEEK + 60)
        damage(store, Study(), 2)  # a day-old one stays
        assert len(store.quarantined()) == 2
    with CacheStore(root, max_size=10**9) as store:
        held = store.quarantined()
        assert len(held) == 1
        assert time.time() - held[0].since < 60


def test_eviction_purges_the_quarantine_before_any_study(store: CacheStore) -> None:
    damage(store, Study(), 1)
    kept = Study()
    commit(store, kept.instance()[1])
    in_quarantine = sum(q.size for q in store.quarantined())
    report = store.evict(to_size=store.size() - 1)
    assert report.quarantine_purged == 1
    assert report.evicted == []  # the damaged copy went, the study stayed
    assert store.quarantined() == []
    assert report.freed == in_quarantine and report.within_budget
    assert [s.study_uid for s in store.studies()] == [kept.uid]


def test_eviction_purges_only_as_much_quarantine_as_needed_oldest_first(
    store: CacheStore,
) -> None:
    damage(store, Study(), 1)
    aged(store, 3600)
    damage(store, Study(), 2)
    older, newer = store.quarantined()
    assert older.since < newer.since
    report = store.evict(to_size=store.size() - 1)
    assert report.quarantine_purged == 1
    assert store.quarantined() == [newer]


def test_a_cache_within_budget_keeps_its_young_quarantine(store: CacheStore) -> None:
    damage(store, Study(), 1)
    report = store.evict()
    assert report.quarantine_purged == 0 and len(store.quarantined()) == 1


def test_purge_ignores_what_is_not_a_quarantined_instance(tmp_path: Path) -> None:
    layout = CacheLayout(tmp_path / "cache")
    layout.create()
    stray = layout.quarantine_dir / "notes.txt"
    stray.write_text("kept")
    assert quarantine.contents(layout) == []
    assert quarantine.purge(layout, older_than=0, free=10**9) == []
    assert stray.exists()


def test_cache_list_says_what_the_quarantine_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from viewer.cli import run

    root = tmp_path / "cache"
    config = tmp_path / "c.toml"
    config.write_text(f'[cache]\ndir = "{root}"\nmax_size = "1 GB"\n', encoding="utf-8")
    with CacheStore(root, max_size=10**9) as store:
        damage(store, Study(), 1)
        held = store.quarantined()[0].size
    assert run(["--config", str(config), "cache", "list"]) == 0
    out = capsys.readouterr().out
    assert f"1 damaged file(s) in quarantine, {held:,} bytes (purged after 7 days" in out
