"""The fetch plan: only what is missing, series requests when nothing is cached, fallback."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from viewer.cache.sink import CachedInstance
from viewer.dicomweb.client import SearchResult
from viewer.errors import InvalidDataError, NetworkError, ServerError
from viewer.retrieve.fetch import FetchControl, StudyFetcher
from viewer.sources.dicomweb import DicomwebSource

STUDY = "1.2.3"
SERIES = {"1.2.3.1": ["1.2.3.1.1", "1.2.3.1.2", "1.2.3.1.3"], "1.2.3.2": ["1.2.3.2.1"]}


def uid_json(tag: str, uid: str, number: int | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {tag: {"vr": "UI", "Value": [uid]}}
    if number is not None:
        item["00200013"] = {"vr": "IS", "Value": [number]}
    return item


def series_json(uid: str, count: int | None) -> dict[str, Any]:
    item = uid_json("0020000E", uid)
    if count is not None:  # NumberOfSeriesRelatedInstances
        item["00201209"] = {"vr": "IS", "Value": [count]}
    return item


class FakeClient:
    """Lists SERIES: the series with their counts (as Orthanc does; ``counts=False``: a
    server that leaves them out), the instances out of InstanceNumber order."""

    name = "fake"

    def __init__(self, counts: bool = True, calls: list[tuple[str, ...]] | None = None) -> None:
        self.counts = counts
        self.calls = [] if calls is None else calls  # ("series list",), ("list", series)

    def search_series(self, study_uid: str, *_fields: Any) -> SearchResult:
        self.calls.append(("series list",))
        items = [series_json(s, len(sops) if self.counts else None) for s, sops in SERIES.items()]
        return SearchResult(items, capped=False)

    def search_series_instances(self, study_uid: str, series_uid: str, fields: Any) -> SearchResult:
        self.calls.append(("list", series_uid))
        sops = SERIES[series_uid]
        # Listed out of order on purpose: the plan orders by InstanceNumber.
        items = [uid_json("00080018", s, n + 1) for n, s in reversed(list(enumerate(sops)))]
        return SearchResult(items, capped=False)


@dataclass
class FakeStore:
    cached: set[str] = field(default_factory=set)  # SOP UIDs: their series UID and a number
    expected: dict[str, list[str]] = field(default_factory=dict)
    count: int = 0  # the study's, kept

    def set_expected(self, study_uid: str, series_uid: str, sop_uids: Any) -> None:
        self.expected[series_uid] = sorted({*self.expected.get(series_uid, ()), *sop_uids})

    def expect_at_least(self, study_uid: str, n_instances: int) -> None:
        self.count = max(self.count, n_instances)

    def cached_sop_uids(self, study_uid: str, series_uid: str | None = None) -> set[str]:
        return {s for s in self.cached if series_uid in (None, s.rsplit(".", 1)[0])}

    def missing_instances(self, study_uid: str, series_uid: str | None = None) -> set[str]:
        series = [series_uid] if series_uid else list(self.expected)
        return {s for uid in series for s in self.expected.get(uid, []) if s not in self.cached}

    def begin_instance(self, accept: Any) -> Any:
        raise AssertionError("the fake retriever stores directly")

    def pack_sinks(self, study_uid: str) -> Any:
        return contextlib.nullcontext(self)


@dataclass
class FakeRetriever:
    store: FakeStore
    refuse_series: bool = False
    fail_after: int | None = None
    refuse_instances: set[str] = field(default_factory=set)
    calls: list[tuple[str, ...]] = field(default_factory=list)
    send_only: int | None = None  # a series answer holds only the first so many

    def _store(self, sop: str, on_instance: Any) -> None:
        if self.fail_after is not None and len(self.store.cached) >= self.fail_after:
            raise NetworkError("fake: connection reset")
        self.store.cached.add(sop)
        on_instance(CachedInstance(STUDY, sop.rsplit(".", 1)[0], sop, Path(sop), 10, "", ""))

    def retrieve_series(self, study: str, series: str, sinks: Any, **cb: Any) -> None:
        self.calls.append(("series", series))
        if self.refuse_series:
            raise ServerError("fake: HTTP 500")
        for sop in SERIES[series][: self.send_only]:
            self._store(sop, cb["on_instance"])

    def retrieve_instance(self, study: str, series: str, sop: str, sinks: Any, **cb: Any) -> None:
        self.calls.append(("instance", sop))
        if sop in self.refuse_instances:
            raise ServerError("fake: HTTP 500")
        self._store(sop, cb["on_instance"])


def fake_source(client: Any, retriever: Any) -> DicomwebSource:
    """A DICOMweb source over a fake client (its lists) and a fake retriever (its
    transfers, in place of WADO-RS)."""
    source = DicomwebSource(client.name, "", client)
    source.__dict__["_wado"] = retriever  # the cached retriever the source would make
    return source


def fetcher(store: FakeStore, retriever: FakeRetriever, *, counts: bool = True) -> StudyFetcher:
    """One series at a time; the client's requests are logged with the retriever's."""
    client = FakeClient(counts=counts, calls=retriever.calls)
    return StudyFetcher(fake_source(client, retriever), store, series_workers=1, instance_workers=1)  # type: ignore[arg-type]


def transfers(calls: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    return [c for c in calls if c[0] in ("series", "instance")]


def test_nothing_cached_comes_in_one_request_per_series() -> None:
    store = FakeStore()
    retriever = FakeRetriever(store)
    report = fetcher(store, retriever).fetch(STUDY)
    assert report.complete and report.fetched == 4
    assert sorted(transfers(retriever.calls)) == [("series", "1.2.3.1"), ("series", "1.2.3.2")]


def test_partly_cached_series_fetches_only_the_missing_instances() -> None:
    store = FakeStore(cached={"1.2.3.1.1", "1.2.3.2.1"})
    retriever = FakeRetriever(store)
    report = fetcher(store, retriever).fetch(STUDY)
    assert report.complete and report.fetched == 2
    assert transfers(retriever.calls) == [("instance", "1.2.3.1.2"), ("instance", "1.2.3.1.3")]


def test_refused_series_request_falls_back_to_instances() -> None:
    store = FakeStore()
    retriever = FakeRetriever(store, refuse_series=True)
    report = fetcher(store, retriever).fetch(STUDY, "1.2.3.1")
    assert report.complete
    assert transfers(retriever.calls)[0] == ("series", "1.2.3.1")
    assert {c for c in transfers(retriever.calls)[1:]} == {
        ("instance", s) for s in SERIES["1.2.3.1"]
    }


def test_broken_link_raises_and_keeps_what_arrived() -> None:
    store = FakeStore()
    retriever = FakeRetriever(store, fail_after=2)
    with pytest.raises(NetworkError):
        fetcher(store, retriever).fetch(STUDY)
    assert len(store.cached) == 2
    again = fetcher(store, FakeRetriever(store)).fetch(STUDY)
    assert again.complete and again.fetched == 2


def test_after_the_link_fails_no_more_instance_requests_are_sent() -> None:
    # Per-instance requests (a partly cached series): on a dead link each would wait for
    # its own timeout.
    store = FakeStore(cached={"1.2.3.1.1"})
    retriever = FakeRetriever(store, fail_after=1)
    with pytest.raises(NetworkError):
        fetcher(store, retriever).fetch(STUDY, "1.2.3.1")
    assert transfers(retriever.calls) == [("instance", "1.2.3.1.2")]


def test_a_server_error_on_one_instance_does_not_stop_the_others() -> None:
    store = FakeStore(cached={"1.2.3.1.1"})
    retriever = FakeRetriever(store, refuse_instances={"1.2.3.1.2"})
    with pytest.raises(ServerError):
        fetcher(store, retriever).fetch(STUDY, "1.2.3.1")
    assert transfers(retriever.calls) == [("instance", "1.2.3.1.2"), ("instance", "1.2.3.1.3")]
    assert "1.2.3.1.3" in store.cached


def test_opened_series_gets_its_first_image_alone_first() -> None:
    # Listed first (its first image by InstanceNumber, though listed last), then the rest.
    store = FakeStore()
    retriever = FakeRetriever(store)
    f = fetcher(store, retriever)
    f.fetch(STUDY, opened="1.2.3.1")
    assert retriever.calls[:4] == [
        ("series list",),
        ("list", "1.2.3.1"),
        ("instance", "1.2.3.1.1"),
        ("series", "1.2.3.1"),
    ]
    assert f._ordered["1.2.3.1"][1] == SERIES["1.2.3.1"]  # by InstanceNumber, not listing order


def test_an_opened_series_is_listed_before_any_transfer_starts() -> None:
    # With two workers, one listing the opened series while the other streams another
    # series could let that other series' images come first.
    class SlowLists(FakeClient):
        def search_series_instances(self, study: str, series: str, fields: Any) -> SearchResult:
            time.sleep(0.2)  # Orthanc's instance lists are slow
            return super().search_series_instances(study, series, fields)

    store = FakeStore()
    retriever = FakeRetriever(store)
    client = SlowLists(calls=retriever.calls)
    f = StudyFetcher(fake_source(client, retriever), store, series_workers=2)  # type: ignore[arg-type]
    f.fetch(STUDY, opened="1.2.3.2")
    assert retriever.calls[:2] == [("series list",), ("list", "1.2.3.2")]
    assert ("list", "1.2.3.1") not in retriever.calls


def test_a_series_the_cache_lacks_is_requested_before_any_instance_listing() -> None:
    store = FakeStore()
    retriever = FakeRetriever(store)
    report = fetcher(store, retriever).fetch(STUDY)
    assert retriever.calls == [("series list",), ("series", "1.2.3.1"), ("series", "1.2.3.2")]
    assert report.complete and report.fetched == 4
    # complete by its count: what arrived is what the cache now expects of each series
    assert store.expected == SERIES


def test_a_short_series_lists_its_instances_and_fetches_the_rest() -> None:
    store = FakeStore()
    retriever = FakeRetriever(store, send_only=1)  # each series answer: its first instance
    report = fetcher(store, retriever).fetch(STUDY, "1.2.3.1")
    assert retriever.calls == [
        ("series list",),
        ("series", "1.2.3.1"),
        ("list", "1.2.3.1"),
        ("instance", "1.2.3.1.2"),
        ("instance", "1.2.3.1.3"),
    ]
    assert report.complete and report.fetched == 3
    assert store.expected == {"1.2.3.1": SERIES["1.2.3.1"]}


def test_a_series_without_a_count_is_listed_before_its_request() -> None:
    store = FakeStore()
    retriever = FakeRetriever(store)
    report = fetcher(store, retriever, counts=False).fetch(STUDY, "1.2.3.1")
    assert retriever.calls == [("series list",), ("list", "1.2.3.1"), ("series", "1.2.3.1")]
    assert report.complete


def test_a_series_cached_to_its_count_is_not_listed_again() -> None:
    store = FakeStore(cached={*SERIES["1.2.3.1"], *SERIES["1.2.3.2"]})
    retriever = FakeRetriever(store)
    report = fetcher(store, retriever).fetch(STUDY)
    assert retriever.calls == [("series list",)]
    assert report.complete and report.fetched == 0


def test_a_fetch_that_starts_without_instance_lists_keeps_the_studys_count() -> None:
    # What the cache holds (one instance of the first series) and what the counts say
    # it lacks: if the fetch stops before the lists are known, the study is partial.
    store = FakeStore(cached={"1.2.3.1.1"})
    retriever = FakeRetriever(store, fail_after=1)
    with pytest.raises(NetworkError):
        fetcher(store, retriever).fetch(STUDY)
    assert store.count == 4


def test_an_instance_sent_twice_is_counted_once_in_the_studys_progress() -> None:
    # The opened series' first image comes alone, then again inside the series request.
    store = FakeStore()
    retriever = FakeRetriever(store)
    f = fetcher(store, retriever)
    seen: list[tuple[int, int]] = []
    f.on_progress = lambda p: seen.append((p.instances_done, p.instances_total))
    report = f.fetch(STUDY, opened="1.2.3.1")
    assert report.complete
    assert ("instance", "1.2.3.1.1") in transfers(retriever.calls)  # it was sent twice
    assert seen[-1] == (4, 4)
    assert all(done <= total for done, total in seen)


def test_a_series_opened_before_the_fetch_plans_goes_first() -> None:
    store = FakeStore()
    retriever = FakeRetriever(store)
    f = fetcher(store, retriever)
    control = FetchControl()
    assert control.open_series("1.2.3.2") is False  # nothing planned yet: remembered
    control.attach(f)
    f.fetch(STUDY)
    assert transfers(retriever.calls)[0] == (
        "instance",
        "1.2.3.2.1",
    )  # its first image, alone, first
    assert transfers(retriever.calls)[1] == ("series", "1.2.3.2")


def test_a_series_opened_while_others_are_fetched_jumps_the_queue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = FakeStore()
    retriever = FakeRetriever(store)
    f = fetcher(store, retriever)
    control = FetchControl()
    control.attach(f)
    original = retriever.retrieve_series

    def retrieve_series(study: str, series: str, sinks: Any, **cb: Any) -> None:
        if series == "1.2.3.1":  # the doctor opens the last series during the first one
            assert control.open_series("1.2.3.3") is True
        original(study, series, sinks, **cb)

    retriever.retrieve_series = retrieve_series  # type: ignore[method-assign]
    monkeypatch.setitem(SERIES, "1.2.3.3", ["1.2.3.3.1", "1.2.3.3.2"])
    f.fetch(STUDY)
    order = [c for c in transfers(retriever.calls) if c[0] == "series" or c[1].endswith(".3.1")]
    assert order == [
        ("series", "1.2.3.1"),
        ("instance", "1.2.3.3.1"),
        ("series", "1.2.3.3"),
        ("series", "1.2.3.2"),
    ]


def test_an_invalid_uid_cannot_be_opened() -> None:
    with pytest.raises(InvalidDataError):
        FetchControl().open_series("1.2/../3")


@dataclass
class CrashingRetriever(FakeRetriever):
    """A retriever whose series answers (and, with ``crash_instances``, also its instance
    answers) end in an error no typed error describes, as an overflow in a reader did."""

    crash_instances: bool = False

    def retrieve_series(self, study: str, series: str, sinks: Any, **cb: Any) -> None:
        self.calls.append(("series", series))
        raise OverflowError("cannot convert float infinity to integer")

    def retrieve_instance(self, study: str, series: str, sop: str, sinks: Any, **cb: Any) -> None:
        if self.crash_instances:
            self.calls.append(("instance", sop))
            raise RecursionError("maximum recursion depth exceeded")
        super().retrieve_instance(study, series, sop, sinks, **cb)


def test_a_series_answer_that_breaks_unexpectedly_falls_back_to_instances() -> None:
    store = FakeStore()
    retriever = CrashingRetriever(store)
    report = fetcher(store, retriever).fetch(STUDY, "1.2.3.1")
    assert report.complete and report.fetched == 3
    assert {c for c in transfers(retriever.calls)[1:]} == {
        ("instance", s) for s in SERIES["1.2.3.1"]
    }


def test_a_worker_that_fails_unexpectedly_says_so_and_the_series_is_failed() -> None:
    from viewer.retrieve.fetch import FetchWorkerError

    store = FakeStore()
    seen: list[Any] = []
    fetch = StudyFetcher(
        fake_source(FakeClient(), CrashingRetriever(store, crash_instances=True)),
        store,  # type: ignore[arg-type]
        series_workers=1,
        instance_workers=1,
        on_progress=seen.append,
    )
    with pytest.raises(FetchWorkerError, match=r"fake: fetching series 1\.2\.3\.1 failed"):
        fetch.fetch(STUDY, "1.2.3.1")
    assert seen[-1].series["1.2.3.1"].stage == "failed"
