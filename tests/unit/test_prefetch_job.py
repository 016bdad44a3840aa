"""The prefetch job of the window: the same prefetch, numbers for progress, and a cancel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from viewer.config import PrefetchConfig
from viewer.dicomweb.qido import StudyQuery
from viewer.errors import CancelledError, QingyingError
from viewer.records import PatientRef, StudyRecord
from viewer.retrieve.fetch import FetchProgress, FetchReport, SeriesProgress
from viewer.retrieve.worklist import WorklistEntry
from viewer.session.prefetch_job import PrefetchProgress, prefetch_worklist, run_prefetch
from viewer.sources.cache import CACHE_CAPABILITIES
from viewer.sources.dicomweb import DicomwebSource
from viewer.sources.protocol import Capabilities, SourceAnswer, StudyDetails

TODAY = date(2024, 7, 1)


def record(uid: str, patient_id: str, study_date: str) -> StudyRecord:
    return StudyRecord(
        study_uid=uid,
        source="platform",
        patient=PatientRef(patient_id, "JS-EMPI"),
        patient_name="Li^XiuYing=李^秀英=",
        birth_date="19780101",
        sex="F",
        study_date=study_date,
        study_time="",
        accession_number="",
        description="",
        modalities=("CT",),
        body_part="",
        institution="",
        series_count=1,
        instance_count=2,
    )


class Platform(DicomwebSource):
    """Answers from fixed records, without a server."""

    def __init__(self, records: list[StudyRecord]) -> None:
        super().__init__("platform", "JS-EMPI", client=object())  # type: ignore[arg-type]
        self.records = records

    def search_studies(self, query: StudyQuery, cancelled: Callable[[], bool]) -> SourceAnswer:
        return SourceAnswer([r for r in self.records if r.patient.patient_id == query.patient_id])

    def study_details(self, study_uid: str) -> StudyDetails:
        return StudyDetails(frozenset(), "", "")


class Store:
    def __init__(self) -> None:
        self.complete: set[str] = set()

    def study_state(self, study_uid: str, source_count: int | None = None) -> str:
        return "complete" if study_uid in self.complete else "none"


RECORDS = [
    record("1.1", "P1", "20240601"),
    record("1.2", "P1", "20240301"),
    record("2.1", "P2", "20240501"),
]
ENTRIES = [WorklistEntry("P1", "JS-EMPI", line=1), WorklistEntry("P2", "JS-EMPI", line=2)]


def fake_fetch(store: Store, fetched: list[str]) -> Callable[..., FetchReport]:
    def fetch(client: Any, _store: Any, study_uid: str, **kw: Any) -> FetchReport:
        kw["on_progress"](FetchProgress(instances_done=2, instances_total=2))
        if kw["cancelled"]():
            raise CancelledError("fetch cancelled")
        fetched.append(study_uid)
        store.complete.add(study_uid)
        return FetchReport(study_uid, fetched=2, bytes=100, missing_after=0)

    return fetch


def test_every_patient_is_prefetched_with_progress_by_patient_and_study() -> None:
    store, fetched, seen = Store(), [], []  # type: ignore[var-annotated]
    store.complete.add("1.2")  # already cached: not fetched again
    summary = run_prefetch(
        ENTRIES,
        [Platform(RECORDS)],
        PrefetchConfig(),
        store,  # type: ignore[arg-type]
        today=TODAY,
        on_progress=seen.append,
        fetch=fake_fetch(store, fetched),
    )
    assert fetched == ["1.1", "2.1"]
    assert (summary.patients, summary.studies, summary.already_cached, summary.fetched) == (
        2,
        3,
        1,
        2,
    )
    assert (summary.instances, summary.bytes) == (4, 200)
    assert seen[0] == PrefetchProgress(0, 2, line=1)
    studies = [(p.patients_done, p.line, p.study_date) for p in seen if p.fetch is not None]
    assert studies == [(0, 1, "20240601"), (1, 2, "20240501")]
    assert seen[-1] == PrefetchProgress(2, 2)


def test_cancel_during_a_fetch_stops_the_whole_prefetch() -> None:
    store, fetched = Store(), []  # type: ignore[var-annotated]
    seen: list[PrefetchProgress] = []
    with pytest.raises(CancelledError):
        run_prefetch(
            ENTRIES,
            [Platform(RECORDS)],
            PrefetchConfig(),
            store,  # type: ignore[arg-type]
            today=TODAY,
            on_progress=seen.append,
            cancelled=lambda: any(p.fetch is not None for p in seen),
            fetch=fake_fetch(store, fetched),
        )
    assert fetched == []
    assert all(p.line == 1 for p in seen)  # the second patient was never started


def test_a_patient_not_found_and_a_study_no_live_source_holds_are_counted() -> None:
    store, fetched = Store(), []  # type: ignore[var-annotated]
    entries = [WorklistEntry("NOBODY", line=1), WorklistEntry("P2", line=2)]

    class Folder:
        """A source that answers searches but cannot be fetched from (not DICOMweb)."""

        name = "platform"
        capabilities = Capabilities(issuer="JS-EMPI", can_retrieve=False)

        def search_studies(self, query: StudyQuery, cancelled: Callable[[], bool]) -> SourceAnswer:
            found = [r for r in RECORDS if r.patient.patient_id == query.patient_id]
            return SourceAnswer(found)

        def study_details(self, study_uid: str) -> StudyDetails:
            return StudyDetails(frozenset(), "", "")

    summary = run_prefetch(
        entries,
        [Folder()],
        PrefetchConfig(),
        store,  # type: ignore[arg-type]
        today=TODAY,
        fetch=fake_fetch(store, fetched),
    )
    assert summary.patients == 2
    assert summary.patients_not_found == [1]
    assert fetched == []
    assert summary.failed == ["2.1: no reachable source holds it"]


def test_each_progress_keeps_the_fetch_progress_it_was_given() -> None:
    """The fetch goes on changing its own FetchProgress; what was reported stays as it was
    (the window shows it later, on another thread)."""
    store, seen = Store(), []  # type: ignore[var-annotated]

    def fetch(client: Any, _store: Any, study_uid: str, **kw: Any) -> FetchReport:
        live = FetchProgress(instances_total=2)
        for done in (1, 2):
            live.instances_done = done
            live.series = {"9.9": SeriesProgress(2, done, "fetching")}
            kw["on_progress"](live)
        store.complete.add(study_uid)
        return FetchReport(study_uid, fetched=2, bytes=100, missing_after=0)

    run_prefetch(
        ENTRIES[1:],
        [Platform(RECORDS)],
        PrefetchConfig(),
        store,  # type: ignore[arg-type]
        today=TODAY,
        on_progress=seen.append,
        fetch=fetch,
    )
    fetches = [p.fetch for p in seen if p.fetch is not None]
    assert [f.instances_done for f in fetches] == [1, 2]
    assert [f.series["9.9"].cached for f in fetches] == [1, 2]


class EvictingStore(Store):
    def __init__(self, problem: str = "") -> None:
        super().__init__()
        self.evicted = 0
        self.problem = problem

    def evict(self) -> None:
        self.evicted += 1
        if self.problem:
            raise QingyingError(self.problem)


class CacheAsSource(Platform):
    """The window's own sources end with the offline cache: it is not prefetched from."""

    def __init__(self) -> None:
        super().__init__(RECORDS)
        self.name = "cache"
        self.capabilities = CACHE_CAPABILITIES

    def search_studies(self, query: StudyQuery, cancelled: Callable[[], bool]) -> SourceAnswer:
        raise AssertionError("the offline cache was searched")


def test_a_worklist_is_read_its_due_patients_prefetched_and_the_cache_evicted(
    tmp_path: Path,
) -> None:
    worklist = tmp_path / "clinic.csv"
    worklist.write_text("PatientID,date\nP1,2024-07-02\nP2,2024-09-01\n", encoding="utf-8")
    store, fetched, seen = EvictingStore(), [], []  # type: ignore[var-annotated]
    opened: list[int] = []

    def open_sources() -> list[Any]:
        opened.append(1)
        return [Platform(RECORDS), CacheAsSource()]

    summary = prefetch_worklist(
        worklist,
        open_sources,
        PrefetchConfig(days_ahead=1),
        store,  # type: ignore[arg-type]
        today=TODAY,
        on_progress=seen.append,
        fetch=fake_fetch(store, fetched),
    )
    assert summary.patients == 1  # P2 comes in two months
    assert fetched == ["1.1", "1.2"]
    assert seen[0] == PrefetchProgress(0, 1, opening_sources=True)
    assert (opened, store.evicted) == ([1], 1)


def test_while_the_sources_open_the_progress_says_so_and_names_no_worklist_line(
    tmp_path: Path,
) -> None:
    worklist = tmp_path / "clinic.txt"
    worklist.write_text("P1\nP2\n", encoding="utf-8")
    store, fetched, seen = EvictingStore(), [], []  # type: ignore[var-annotated]
    while_opening: list[PrefetchProgress] = []

    def open_sources() -> list[Any]:
        while_opening.extend(seen)
        return [Platform(RECORDS)]

    prefetch_worklist(
        worklist,
        open_sources,
        PrefetchConfig(),
        store,  # type: ignore[arg-type]
        today=TODAY,
        on_progress=seen.append,
        fetch=fake_fetch(store, fetched),
    )
    assert while_opening == [PrefetchProgress(0, 2, opening_sources=True)]
    after = seen[len(while_opening) :]
    assert after[0] == PrefetchProgress(0, 2, line=1)  # the first patient: line 1
    assert not any(p.opening_sources for p in after)
    assert all(p.line for p in after[:-1]) and after[-1] == PrefetchProgress(2, 2)


def test_with_no_patient_due_nothing_is_opened_nor_evicted(tmp_path: Path) -> None:
    worklist = tmp_path / "clinic.csv"
    worklist.write_text("PatientID,date\nP1,2024-09-01\n", encoding="utf-8")
    store, seen = EvictingStore(), []  # type: ignore[var-annotated]

    def open_sources() -> list[Any]:
        raise AssertionError("sources opened with nobody due")

    summary = prefetch_worklist(
        worklist,
        open_sources,
        PrefetchConfig(),
        store,  # type: ignore[arg-type]
        today=TODAY,
        on_progress=seen.append,
    )
    assert summary.patients == 0
    assert seen == [PrefetchProgress(0, 0)]
    assert store.evicted == 0


def test_an_eviction_that_fails_leaves_the_summary(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    worklist = tmp_path / "clinic.txt"
    worklist.write_text("P2\n", encoding="utf-8")
    store, fetched = EvictingStore("index locked"), []  # type: ignore[var-annotated]
    summary = prefetch_worklist(
        worklist,
        lambda: [Platform(RECORDS)],
        PrefetchConfig(),
        store,  # type: ignore[arg-type]
        today=TODAY,
        fetch=fake_fetch(store, fetched),
    )
    assert (summary.fetched, store.evicted) == (1, 1)
    assert "eviction to keep the cache's budget failed" in caplog.text
