"""The clinic prefetch as one job for the window: progress as numbers, and a cancel.

It runs the same :func:`viewer.retrieve.prefetch.prefetch` as ``prefetch --worklist``,
one worklist patient at a time, so it can stop between patients; a cancel during a fetch
stops that fetch too (what arrived stays cached, the next run resumes). Progress is a
:class:`PrefetchProgress` (which patient, which study, the fetch's own progress) rather
than text, so a screen can say it in its own language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from viewer.config import PrefetchConfig
from viewer.errors import CancelledError, NotFoundError
from viewer.history.service import HistoryStudy
from viewer.history.sources import DicomwebSource, ImagingSource
from viewer.retrieve.fetch import CacheStoreLike, FetchProgress, FetchReport, fetch_into_cache
from viewer.retrieve.prefetch import PrefetchSummary, prefetch
from viewer.retrieve.worklist import WorklistEntry


class PrefetchStore(CacheStoreLike, Protocol):
    def study_state(self, study_uid: str) -> str: ...


FetchFunction = Callable[..., FetchReport]


@dataclass(frozen=True)
class PrefetchProgress:
    patients_done: int
    patients_total: int
    line: int = 0  # worklist line of the patient being worked on (0: none)
    study_date: str = ""  # StudyDate of the study being fetched ("": searching)
    fetch: FetchProgress | None = None  # of that study


def holder_of(study: HistoryStudy, sources: Mapping[str, ImagingSource]) -> DicomwebSource:
    """The first source (in the study's order) that holds the study and can be asked."""
    for name in study.sources:
        source = sources.get(name)
        if isinstance(source, DicomwebSource):
            return source
    raise NotFoundError("no reachable source holds it")


def run_prefetch(
    entries: Sequence[WorklistEntry],
    sources: Sequence[ImagingSource],
    config: PrefetchConfig,
    store: PrefetchStore,
    *,
    today: date,
    on_progress: Callable[[PrefetchProgress], None] = lambda _p: None,
    cancelled: Callable[[], bool] = lambda: False,
    fetch: FetchFunction = fetch_into_cache,
) -> PrefetchSummary:
    """Prefetch each entry's recent studies; CancelledError when ``cancelled`` says so."""
    by_name = {s.name: s for s in sources}
    total = PrefetchSummary()
    count = len(entries)
    for done, entry in enumerate(entries):
        if cancelled():
            raise CancelledError("prefetch cancelled")
        on_progress(PrefetchProgress(done, count, entry.line))

        def fetch_study(
            study: HistoryStudy, done: int = done, line: int = entry.line
        ) -> FetchReport:
            def progress(p: FetchProgress) -> None:
                # A copy: the fetch goes on changing its own, the receiver keeps this one.
                snapshot = p.snapshot()
                on_progress(PrefetchProgress(done, count, line, study.record.study_date, snapshot))

            client = holder_of(study, by_name).client
            return fetch(client, store, study.study_uid, on_progress=progress, cancelled=cancelled)

        one = prefetch(
            [entry], sources, config, fetch_study, today=today, cache_state=store.study_state
        )
        if cancelled():  # a fetch stopped by the cancel counts as failed in ``one``
            raise CancelledError("prefetch cancelled")
        _add(total, one)
    on_progress(PrefetchProgress(count, count))
    total.problems = list(dict.fromkeys(total.problems))
    return total


def _add(total: PrefetchSummary, one: PrefetchSummary) -> None:
    total.patients += one.patients
    total.patients_not_found += one.patients_not_found
    total.studies += one.studies
    total.already_cached += one.already_cached
    total.fetched += one.fetched
    total.instances += one.instances
    total.bytes += one.bytes
    total.failed += one.failed
    total.problems += one.problems
