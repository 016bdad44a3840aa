"""A fetch that starts without the instance lists and stops before it knows them leaves
the study partial in the cache, and the next run completes it (a real cache, a source
that sends real instances)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.unit.test_wado import STUDY, instance
from viewer.cache.sink import Accept, SinkFactory
from viewer.cache.store import CacheStore
from viewer.errors import NetworkError
from viewer.records import SeriesEntry
from viewer.retrieve.fetch import StudyFetcher, fetch_into_cache
from viewer.sources.protocol import Capabilities, Transfer

A, B = "1.2.826.0.1.3680043.8.498.2", "1.2.826.0.1.3680043.8.498.4"
MADE = {A: [instance(n, series=A) for n in range(1, 4)], B: [instance(n, series=B) for n in (7, 8)]}


@dataclass
class Source:
    """Lists the series with their counts; sends instances until ``cut_after`` have gone
    (then the link drops)."""

    cut_after: int | None = None
    sent: int = 0
    calls: list[tuple[str, ...]] = field(default_factory=list)
    name: str = "test"
    capabilities: Capabilities = field(default_factory=Capabilities)

    def list_series(self, study_uid: str) -> list[SeriesEntry]:
        self.calls.append(("series list",))
        return [SeriesEntry(uid, "OT", None, "", len(made), 0) for uid, made in MADE.items()]

    def list_instances(self, study_uid: str, series_uid: str) -> list[str]:
        self.calls.append(("list", series_uid))
        return [sop for sop, _ in MADE[series_uid]]

    def retrieve_series(
        self, study_uid: str, series_uid: str, sinks: SinkFactory, transfer: Transfer
    ) -> None:
        self.calls.append(("series", series_uid))
        for _sop, data in MADE[series_uid]:
            self._send(Accept(self.name, study_uid, series_uid), data, sinks, transfer)

    def retrieve_instance(
        self, study_uid: str, series_uid: str, sop_uid: str, sinks: SinkFactory, transfer: Transfer
    ) -> None:
        self.calls.append(("instance", sop_uid))
        data = dict(MADE[series_uid])[sop_uid]
        self._send(Accept(self.name, study_uid, series_uid, sop_uid), data, sinks, transfer)

    def _send(self, accept: Accept, data: bytes, sinks: SinkFactory, transfer: Transfer) -> None:
        if self.cut_after is not None and self.sent >= self.cut_after:
            raise NetworkError("test: connection reset")
        sink = sinks.begin_instance(accept)
        sink.write(data)
        transfer.on_instance(sink.commit())
        self.sent += 1


@pytest.fixture
def store(tmp_path: Path) -> CacheStore:
    with CacheStore(tmp_path / "cache", 1 << 30) as opened:
        yield opened  # type: ignore[misc]


def test_a_fetch_stopped_before_completeness_is_known_leaves_the_study_partial(
    store: CacheStore,
) -> None:
    source = Source(cut_after=2)  # two of the first series' three, then the link drops
    with pytest.raises(NetworkError):
        StudyFetcher(source, store, series_workers=1).fetch(STUDY)  # type: ignore[arg-type]
    assert source.calls == [("series list",), ("series", A)]  # no instance list is known
    assert len(store.cached_sop_uids(STUDY)) == 2
    assert store.study_state(STUDY) == "partial"

    again = Source()
    report = fetch_into_cache(again, store, STUDY)  # type: ignore[arg-type]
    assert report.complete and report.fetched == 3
    # the short series is listed and its last instance fetched alone; the other whole
    assert ("list", A) in again.calls and ("instance", MADE[A][2][0]) in again.calls
    assert ("series", B) in again.calls and ("list", B) not in again.calls
    assert store.study_state(STUDY) == "complete"
    assert store.missing_instances(STUDY) == set()


def test_a_fetch_complete_by_the_counts_leaves_the_study_complete(store: CacheStore) -> None:
    source = Source()
    report = fetch_into_cache(source, store, STUDY)  # type: ignore[arg-type]
    assert report.complete and report.fetched == 5
    assert not any(call[0] == "list" for call in source.calls)
    assert store.study_state(STUDY) == "complete"
    assert store.cached_sop_uids(STUDY, A) == {sop for sop, _ in MADE[A]}


def test_a_series_fetch_stopped_early_leaves_the_study_partial_then_complete(
    store: CacheStore,
) -> None:
    with pytest.raises(NetworkError):
        fetch_into_cache(Source(cut_after=1), store, STUDY, A)  # type: ignore[arg-type]
    assert store.study_state(STUDY) == "partial"
    fetch_into_cache(Source(), store, STUDY, A)  # type: ignore[arg-type]
    # the series is complete; nothing said more of the study than this series before
    assert store.study_state(STUDY) == "complete"
