"""A fetch reports each series: waiting, fetching, done or failed, and its cached count."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_fetcher import SERIES, STUDY, FakeClient, FakeRetriever, FakeStore, fake_source
from viewer.cache.sink import CachedInstance
from viewer.errors import CancelledError, NetworkError
from viewer.retrieve.fetch import FetchProgress, SeriesProgress, StudyFetcher

SERIES_OF = {sop: series for series, sops in SERIES.items() for sop in sops}


@dataclass
class SeriesRetriever(FakeRetriever):
    """Reports each instance with its series, as the cache's sink does; may send the
    first instance of every series twice (a server re-sending a part)."""

    send_twice: bool = False
    sent: set[str] = field(default_factory=set)

    def _store(self, sop: str, on_instance: Any) -> None:
        if self.fail_after is not None and len(self.store.cached) >= self.fail_after:
            raise NetworkError("fake: connection reset")
        self.store.cached.add(sop)
        instance = CachedInstance(STUDY, SERIES_OF[sop], sop, Path(sop), 10, "", "")
        on_instance(instance)
        if self.send_twice and sop not in self.sent:
            self.sent.add(sop)
            on_instance(instance)


def run(
    store: FakeStore,
    retriever: FakeRetriever,
    seen: list[FetchProgress] | None = None,
    *,
    on_report: Callable[[FetchProgress], None] = lambda _p: None,
    **kw: Any,
) -> list[FetchProgress]:
    """Fetch the study; a snapshot of each progress report is added to ``seen`` (which
    keeps them when the fetch raises), then ``on_report`` gets the report."""
    seen = [] if seen is None else seen
    lock = threading.Lock()

    def on_progress(p: FetchProgress) -> None:
        with lock:
            seen.append(p.snapshot())
        on_report(p)

    fetcher = StudyFetcher(
        fake_source(FakeClient(), retriever),
        store,
        series_workers=1,
        instance_workers=1,
        on_progress=on_progress,
        **kw,
    )
    fetcher.fetch(STUDY)
    return seen


def test_every_series_is_listed_from_the_first_report_with_its_counts() -> None:
    store = FakeStore(cached={"1.2.3.2.1"})  # the second series is already complete
    seen = run(store, SeriesRetriever(store))
    first = seen[0]
    assert first.series == {
        "1.2.3.1": SeriesProgress(expected=3, cached=0, stage="waiting"),
        "1.2.3.2": SeriesProgress(expected=1, cached=1, stage="done"),
    }
    last = seen[-1]
    assert last.series["1.2.3.1"] == SeriesProgress(3, 3, "done")
    assert last.series["1.2.3.1"].complete


def test_a_series_goes_waiting_fetching_done_and_counts_up_one_by_one() -> None:
    store = FakeStore()
    seen = run(store, SeriesRetriever(store))
    states = [(p.series["1.2.3.1"].stage, p.series["1.2.3.1"].cached) for p in seen]
    deduplicated = [s for i, s in enumerate(states) if i == 0 or states[i - 1] != s]
    assert deduplicated == [
        ("waiting", 0),
        ("fetching", 0),
        ("fetching", 1),
        ("fetching", 2),
        ("fetching", 3),
        ("done", 3),
    ]


def test_an_instance_sent_twice_counts_once() -> None:
    store = FakeStore()
    seen = run(store, SeriesRetriever(store, send_twice=True))
    assert max(p.series["1.2.3.1"].cached for p in seen) == 3
    assert seen[-1].series["1.2.3.1"] == SeriesProgress(3, 3, "done")


def test_the_series_that_breaks_is_failed_and_keeps_its_count() -> None:
    store = FakeStore()
    seen: list[FetchProgress] = []
    with pytest.raises(NetworkError):
        run(store, SeriesRetriever(store, fail_after=2), seen)
    last = seen[-1].series
    assert last["1.2.3.1"] == SeriesProgress(3, 2, "failed")
    assert last["1.2.3.2"] == SeriesProgress(1, 0, "waiting")  # never started


def test_a_cancelled_series_is_done_not_failed() -> None:
    store = FakeStore()
    seen: list[FetchProgress] = []
    stop = threading.Event()

    def stop_after_one(p: FetchProgress) -> None:
        if p.instances_done >= 1:
            stop.set()

    class Cancelling(SeriesRetriever):
        def _store(self, sop: str, on_instance: Any) -> None:
            if stop.is_set():
                raise CancelledError("retrieval cancelled")
            super()._store(sop, on_instance)

    with pytest.raises(CancelledError):
        run(store, Cancelling(store), seen, on_report=stop_after_one, cancelled=stop.is_set)
    assert seen[-1].series["1.2.3.1"] == SeriesProgress(3, 1, "done")


def test_a_snapshot_does_not_change_with_the_fetch() -> None:
    progress = FetchProgress(series={"1.2": SeriesProgress(2, 0)})
    copy = progress.snapshot()
    progress.series = {"1.2": SeriesProgress(2, 1)}
    progress.instances_done = 1
    assert copy.series == {"1.2": SeriesProgress(2, 0)} and copy.instances_done == 0
