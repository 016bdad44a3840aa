"""The clinic prefetch as one job, for ``prefetch --worklist`` and for the window.

:func:`prefetch_worklist` is the whole job: read the worklist, keep the patients due,
open the sources, prefetch, evict to keep the budget. It runs
:func:`viewer.session.prefetch.prefetch` one worklist patient at a time
(:func:`run_prefetch`), so it can stop between patients; a cancel during a fetch stops
that fetch too (what arrived stays cached, the next run resumes). Progress is a
:class:`PrefetchProgress` (which patient, which study, the fetch's own progress) rather
than text, so a screen can say it in its own language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from viewer.audit.events import AuditEvent
from viewer.config import PrefetchConfig
from viewer.errors import CancelledError, NotFoundError
from viewer.history.service import HistoryStudy
from viewer.retrieve.fetch import CacheStoreLike, FetchProgress, FetchReport, fetch_into_cache
from viewer.retrieve.worklist import WorklistEntry, due, read_worklist
from viewer.session.auditing import Auditor, fetch_event
from viewer.session.budget import EvictingStore, keep_budget
from viewer.session.prefetch import PrefetchSummary, prefetch
from viewer.sources.protocol import ImagingSource

log = logging.getLogger(__name__)


class PrefetchStore(CacheStoreLike, Protocol):
    def study_state(self, study_uid: str, source_count: int | None = None) -> str: ...


class WorklistStore(PrefetchStore, EvictingStore, Protocol):
    pass


FetchFunction = Callable[..., FetchReport]


@dataclass(frozen=True)
class PrefetchProgress:
    patients_done: int
    patients_total: int
    line: int = 0  # worklist line of the patient being worked on (0: none)
    study_date: str = ""  # StudyDate of the study being fetched ("": searching)
    fetch: FetchProgress | None = None  # of that study
    # The sources are being opened (signing in): no worklist line is worked on yet.
    opening_sources: bool = False


def holder_of(study: HistoryStudy, sources: Mapping[str, ImagingSource]) -> ImagingSource:
    """The first source (in the study's order) that holds the study and can be asked."""
    for name in study.sources:
        source = sources.get(name)
        if source is not None and source.capabilities.remote:
            return source
    raise NotFoundError("no reachable source holds it")


def prefetch_worklist(
    worklist: Path,
    open_sources: Callable[[], Sequence[ImagingSource]],
    config: PrefetchConfig,
    store: WorklistStore,
    *,
    today: date,
    on_progress: Callable[[PrefetchProgress], None] = lambda _p: None,
    cancelled: Callable[[], bool] = lambda: False,
    fetch: FetchFunction = fetch_into_cache,
    on_message: Callable[[str], None] = lambda _m: None,
    audit: Auditor | None = None,
) -> PrefetchSummary:
    """Prefetch the recent studies of the ``worklist`` patients due from ``today`` to
    ``days_ahead`` days on, then evict to keep the cache's budget (pinned and open studies
    are spared). With no patient due the summary is empty (no patient) and no source is
    opened. The first progress says how many are due and that the sources are being
    opened (that may take a while: signing in); the next names the first patient's
    worklist line. CancelledError when ``cancelled`` says so; ``on_message`` gets the
    prefetch's lines of text (for a terminal)."""
    entries = due(read_worklist(worklist), today, config.days_ahead)
    if not entries:
        on_progress(PrefetchProgress(0, 0))
        return PrefetchSummary()
    on_progress(PrefetchProgress(0, len(entries), opening_sources=True))
    sources = [s for s in open_sources() if not s.capabilities.local_cache]
    summary = run_prefetch(
        entries,
        sources,
        config,
        store,
        today=today,
        on_progress=on_progress,
        cancelled=cancelled,
        fetch=fetch,
        on_message=on_message,
        audit=audit,
    )
    keep_budget(store)
    return summary


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
    on_message: Callable[[str], None] = lambda _m: None,
    audit: Auditor | None = None,
) -> PrefetchSummary:
    """Prefetch each entry's recent studies; CancelledError when ``cancelled`` says so.
    Each study fetched goes into the audit trail (``audit``) as the patient's."""
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

            source = holder_of(study, by_name)
            report = fetch(
                source, store, study.study_uid, on_progress=progress, cancelled=cancelled
            )
            if audit is not None and report.fetched:
                audit.record(prefetched(study, source.name, report))
            return report

        one = prefetch(
            [entry],
            sources,
            config,
            fetch_study,
            today=today,
            cache_state=store.study_state,
            progress=on_message,
        )
        if cancelled():  # a fetch stopped by the cancel counts as failed in ``one``
            raise CancelledError("prefetch cancelled")
        _add(total, one)
    on_progress(PrefetchProgress(count, count))
    total.problems = list(dict.fromkeys(total.problems))
    return total


def prefetched(study: HistoryStudy, source: str, report: FetchReport) -> AuditEvent:
    """A worklist study brought into the cache, as the trail keeps any fetch."""
    record = study.record
    patient = record.patient
    return fetch_event(
        patient.patient_id, patient.issuer, record.patient_name, study.study_uid, source, report
    )


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
