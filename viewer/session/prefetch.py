"""Prefetch for a clinic day: each worklist patient's recent studies into the cache.

Meant to run unattended the night before (cron, Task Scheduler): every patient and every
study is tried, failures are counted and reported, and running it again resumes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from viewer.config import PrefetchConfig
from viewer.dicomweb.qido import StudyQuery
from viewer.errors import QingyingError
from viewer.history.service import CacheState, HistorySearch, HistoryStudy, PatientHistory
from viewer.retrieve.fetch import FetchReport
from viewer.retrieve.worklist import WorklistEntry
from viewer.sources.protocol import ImagingSource

FetchStudy = Callable[[HistoryStudy], FetchReport]


@dataclass
class PrefetchSummary:
    patients: int = 0
    patients_not_found: list[int] = field(default_factory=list)  # their worklist lines
    studies: int = 0  # selected for prefetch
    already_cached: int = 0
    fetched: int = 0  # studies brought to complete by this run
    instances: int = 0
    bytes: int = 0
    failed: list[str] = field(default_factory=list)  # "study UID: reason"
    problems: list[str] = field(default_factory=list)  # source problems met while searching

    @property
    def ok(self) -> bool:
        return not self.failed and not self.problems


def select_studies(
    history: PatientHistory, config: PrefetchConfig, today: date
) -> list[HistoryStudy]:
    """The newest ``last_studies`` studies within ``max_age_days``, of the wanted modalities."""
    oldest = (today - timedelta(days=config.max_age_days)).strftime("%Y%m%d")
    wanted = set(config.modalities)
    chosen = [
        s
        for s in history.studies
        if s.record.study_date >= oldest and (not wanted or wanted & set(s.record.modalities))
    ]
    return chosen[: config.last_studies]  # studies come newest first


def prefetch(
    entries: Sequence[WorklistEntry],
    sources: Sequence[ImagingSource],
    config: PrefetchConfig,
    fetch_study: FetchStudy,
    *,
    today: date,
    cache_state: CacheState,
    progress: Callable[[str], None] = lambda _m: None,
) -> PrefetchSummary:
    summary = PrefetchSummary()
    search = HistorySearch(sources, cache_state=cache_state)
    for entry in entries:
        summary.patients += 1
        try:
            result = search.run(StudyQuery(patient_id=entry.patient_id, issuer=entry.issuer))
        except QingyingError as err:
            summary.problems.append(f"worklist line {entry.line}: {err}")
            continue
        summary.problems += [p.message for p in result.problems]
        if not result.histories:
            summary.patients_not_found.append(entry.line)
            continue
        for study in select_studies(result.histories[0], config, today):
            summary.studies += 1
            if study.cached == "complete":
                summary.already_cached += 1
                continue
            progress(f"worklist line {entry.line}: fetching a study of {study.record.study_date}")
            try:
                report = fetch_study(study)
            except QingyingError as err:
                summary.failed.append(f"{study.study_uid}: {err}")
                continue
            summary.instances += report.fetched
            summary.bytes += report.bytes
            if report.complete:
                summary.fetched += 1
            else:
                summary.failed.append(
                    f"{study.study_uid}: {report.missing_after} instances missing"
                )
    summary.problems = list(dict.fromkeys(summary.problems))
    return summary
