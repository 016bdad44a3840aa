"""Cancelling a fetch: no request starts after it, a running one stops at once, and at most
the instance each running request was receiving is still committed."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.http_server import Reply, Seen, scripted_server
from tests.unit.test_fetcher import (
    STUDY,
    FakeClient,
    FakeRetriever,
    FakeStore,
    fake_source,
    uid_json,
)
from tests.unit.test_wado import MULTIPART, DirSinks, instance, multipart, retriever_for
from viewer.dicomweb.client import SearchResult
from viewer.errors import CancelledError
from viewer.retrieve.fetch import StudyFetcher


def test_no_inventory_request_starts_after_the_cancel() -> None:
    """A source that gives no counts is asked for each series' list: a study of many
    series must not go on asking."""
    stop = threading.Event()
    asked: list[str] = []

    class Client(FakeClient):
        def search_series(self, study_uid: str, *_fields: Any) -> SearchResult:
            asked.append("series")
            return super().search_series(study_uid, *_fields)

        def search_series_instances(self, study_uid: str, series_uid: str, fields: Any) -> Any:
            asked.append(series_uid)
            stop.set()  # the doctor cancels while the first series is listed
            return super().search_series_instances(study_uid, series_uid, fields)

    store = FakeStore()
    retriever = FakeRetriever(store)
    fetcher = StudyFetcher(
        fake_source(Client(counts=False), retriever),
        store,  # type: ignore[arg-type]
        series_workers=1,
        cancelled=stop.is_set,
    )
    with pytest.raises(CancelledError):
        fetcher.fetch(STUDY)
    assert asked == ["series", "1.2.3.1"]
    assert retriever.calls == []


def test_a_cancel_between_single_instance_requests_starts_no_more_and_ends_the_series() -> None:
    """A partly cached series comes instance by instance: after the cancel none is asked
    for, and the series is not counted as done."""
    store = FakeStore(cached={"1.2.3.1.1"})
    stop = threading.Event()

    class Cancelling(FakeRetriever):
        def retrieve_instance(
            self, study: str, series: str, sop: str, sinks: Any, **cb: Any
        ) -> None:
            super().retrieve_instance(study, series, sop, sinks, **cb)
            stop.set()  # the doctor cancels while the first one comes

    retriever = Cancelling(store)
    fetcher = StudyFetcher(
        fake_source(FakeClient(), retriever),
        store,
        series_workers=1,
        instance_workers=1,
        cancelled=stop.is_set,
    )
    with pytest.raises(CancelledError):
        fetcher.fetch(STUDY, "1.2.3.1")
    assert retriever.calls == [("instance", "1.2.3.1.2")]
    assert fetcher.progress.series_done == 0
    assert fetcher.progress.series["1.2.3.1"].stage == "done"  # ended, not failed


def test_a_cancel_during_a_series_request_starts_no_listing_after_it() -> None:
    """A series asked for whole without its list, cancelled after its first instance:
    neither its list (to check it) nor the next series is asked for."""
    stop = threading.Event()

    class Cancelling(FakeRetriever):
        def _store(self, sop: str, on_instance: Any) -> None:
            if stop.is_set():
                raise CancelledError("retrieval cancelled")
            super()._store(sop, on_instance)
            stop.set()

    store = FakeStore()
    retriever = Cancelling(store)
    fetcher = StudyFetcher(
        fake_source(FakeClient(calls=retriever.calls), retriever),
        store,  # type: ignore[arg-type]
        series_workers=1,
        cancelled=stop.is_set,
    )
    with pytest.raises(CancelledError):
        fetcher.fetch(STUDY)
    assert retriever.calls == [("series list",), ("series", "1.2.3.1")]
    assert store.count == 4  # the study stays partial: 1 of 4 cached


# -- through a real HTTP server: two series requests running when the cancel comes ----------
PER_SERIES = 8
STUDY_OF_TWO = "1.2.826.0.1.3680043.8.498.1"  # test_wado's instances are of it


class DirStore(DirSinks):
    """The fetch's store over the test sinks: what the fetch expects and what is missing."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.expected: dict[str, list[str]] = {}

    def set_expected(self, study_uid: str, series_uid: str, sop_uids: Any) -> None:
        self.expected[series_uid] = list(sop_uids)

    def expect_at_least(self, study_uid: str, n_instances: int) -> None:
        pass

    def cached_sop_uids(self, study_uid: str, series_uid: str | None = None) -> set[str]:
        listed = self.expected.get(series_uid, []) if series_uid else self.committed
        return set(self.committed) & set(listed)

    def missing_instances(self, study_uid: str, series_uid: str | None = None) -> set[str]:
        wanted = [series_uid] if series_uid else list(self.expected)
        return {s for u in wanted for s in self.expected.get(u, []) if s not in self.committed}

    def pack_sinks(self, study_uid: str) -> Any:
        return contextlib.nullcontext(self)


@pytest.fixture
def two_series() -> dict[str, list[tuple[str, bytes]]]:
    series = {"1.2.826.0.1.3680043.8.498.2", "1.2.826.0.1.3680043.8.498.4"}
    return {
        uid: [instance(k * 100 + n, series=uid) for n in range(1, PER_SERIES + 1)]
        for k, uid in enumerate(sorted(series), start=1)
    }


def test_after_a_cancel_each_running_request_completes_at_most_its_instance_in_flight(
    tmp_path: Path, two_series: dict[str, list[tuple[str, bytes]]]
) -> None:
    """Both series requests have received half of their first instance when the cancel
    comes; the rest of each answer then arrives at once (as one large read takes it)."""
    bodies = {uid: multipart([data for _, data in made]) for uid, made in two_series.items()}
    splits = {uid: bodies[uid].index(made[0][1]) + 1000 for uid, made in two_series.items()}
    first_halves = sum(splits.values())
    resume = threading.Event()

    def answer(uid: str) -> Iterator[bytes]:
        yield bodies[uid][: splits[uid]]
        resume.wait(10)
        yield bodies[uid][splits[uid] :]

    def script(seen: Seen) -> Reply:
        uid = seen.path.split("/series/")[1].strip("/")
        return Reply(200, headers={"Content-Type": MULTIPART}, stream=answer(uid))

    class Client:
        name = "test"

        def search_series(self, study_uid: str, *_fields: Any) -> SearchResult:
            return SearchResult([uid_json("0020000E", uid) for uid in two_series], capped=False)

        def search_series_instances(self, study: str, series: str, fields: Any) -> SearchResult:
            made = two_series[series]
            items = [uid_json("00080018", sop, n) for n, (sop, _) in enumerate(made, 1)]
            return SearchResult(items, capped=False)

    def cancelled() -> bool:
        # The cancel came while both requests waited for more: a read that brings more
        # than the two first halves ended after it.
        return fetcher.progress.bytes_done > first_halves

    store = DirStore(tmp_path / "cache")
    outcome: list[BaseException] = []
    with scripted_server(script) as server:
        fetcher = StudyFetcher(
            fake_source(Client(), retriever_for(server.url)),
            store,  # type: ignore[arg-type]
            series_workers=2,
            cancelled=cancelled,
        )

        def run() -> None:
            try:
                fetcher.fetch(STUDY_OF_TWO)
            except BaseException as err:  # handed to the test's thread
                outcome.append(err)

        thread = threading.Thread(target=run)
        thread.start()
        deadline = time.monotonic() + 10
        while fetcher.progress.bytes_done < first_halves and time.monotonic() < deadline:
            time.sleep(0.01)
        resume.set()
        thread.join(30)
        asked = [seen.path for seen in server.seen]
    assert not thread.is_alive()
    assert [type(err) for err in outcome] == [CancelledError]
    firsts = {made[0][0] for made in two_series.values()}
    assert set(store.committed) == firsts  # the instance each request was receiving
    assert store.aborted == 0 and store.leftovers() == []
    assert len(asked) == 2  # the two series requests, nothing after the cancel
