"""Search every source at once and build each patient's merged, linked, flagged history.

1. Ask every source in parallel; a source that fails is reported and the others go on.
   An ID is only sent to sources whose patient IDs come from the same issuer: the same
   number at another hospital is another patient.
2. Read one instance's metadata per study to learn the IDs other registries give the
   patient (OtherPatientIDsSequence), then ask the sources of those registries.
3. Join IDs only through those links (or the user's confirmation); merge studies by
   StudyInstanceUID, naming every source that holds each; flag recent similar exams.
4. For an ID search, also look for records with the same name and birth date that no
   link joins: they come back as *possible* same patients, kept apart.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from typing import TypeVar

from viewer.dicomweb.qido import QueryError, StudyQuery
from viewer.dicomweb.session import cancel_scope
from viewer.errors import CancelledError, InvalidDataError, QingyingError
from viewer.history.grouping import (
    PatientLinks,
    build_links,
    name_probe,
    same_person_by_demographics,
)
from viewer.history.result import (
    HistoryResult,
    HistoryStudy,
    PatientHistory,
    SearchNote,
    SearchProgress,
    SourceProblem,
    search_failed_entirely,
)
from viewer.history.similar import DEFAULT_WINDOW_DAYS, recent_similar
from viewer.records import PatientRef, StudyRecord
from viewer.sources.protocol import ImagingSource, SourceAnswer, StudyDetails

log = logging.getLogger(__name__)
T = TypeVar("T")
Progress = Callable[[SearchProgress], None]
# A study's cache state (none, partial, complete) from its UID and the most instances a
# source says it holds (None when no source says).
CacheState = Callable[[str, int | None], str]
MAX_LINK_ROUNDS = 3


class HistorySearch:
    def __init__(
        self,
        sources: Sequence[ImagingSource],
        *,
        similar_window_days: int = DEFAULT_WINDOW_DAYS,
        per_source: int = 8,
        cache_state: CacheState = lambda _uid, _count: "none",
        cancelled: Callable[[], bool] = lambda: False,
        progress: Progress = lambda _progress: None,
    ) -> None:
        self.sources = list(sources)
        self.window = similar_window_days
        # Each source gets as many calls at once as its connection pool holds; sources
        # never wait for each other's calls.
        self.per_source = per_source
        self.cache_state = cache_state
        self.cancelled = cancelled
        self.progress = progress
        self._order = {s.name: i for i, s in enumerate(self.sources)}

    def run(
        self, query: StudyQuery, confirmed: Iterable[tuple[PatientRef, PatientRef]] = ()
    ) -> HistoryResult:
        run = _Run(self, query)
        workers = max(1, self.per_source * len(self.sources))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="qido") as pool:
            run.pool = pool
            run.first_round()
            run.follow_links()
            if query.patient_id:
                run.probe_unlinked_same_name()
        return run.result(list(confirmed))


class _Run:
    """The state of one search: records found, sources asked, problems met."""

    def __init__(self, search: HistorySearch, query: StudyQuery) -> None:
        self.search = search
        self.query = query
        self.pool: ThreadPoolExecutor | None = None
        self.limits: dict[str, threading.BoundedSemaphore] = {}
        self.records: dict[tuple[str, str], StudyRecord] = {}  # (source, study uid)
        self.detailed: set[tuple[str, str]] = set()
        self.asked: set[tuple[str, PatientRef]] = set()
        self.problems: dict[str, QingyingError] = {}
        self.answered: set[str] = set()
        self.notes: list[SearchNote] = []
        self.wanted: set[PatientRef] = set()  # the IDs an ID search asked for

    # -- rounds ---------------------------------------------------------------------------
    def first_round(self) -> None:
        q = self.query
        if not q.patient_id:
            self._ask([(source, q, None) for source in self.search.sources])
            return
        asks = []
        for source in self.search.sources:
            issuer = q.issuer or source.capabilities.issuer
            if q.issuer and not source.capabilities.speaks_for(q.issuer):
                continue  # this source's IDs come from another registry
            ref = PatientRef(q.patient_id, issuer)
            self.asked.add((source.name, ref))
            asks.append((source, q, ref))
        if not asks:
            self.notes.append(SearchNote("no-source-for-issuer", issuer=q.issuer))
        self._ask(asks, asked_by_user=True)

    def follow_links(self) -> None:
        for _ in range(MAX_LINK_ROUNDS):
            self._read_details()
            asks = []
            known = {r.patient for r in self.records.values()}
            for record in list(self.records.values()):
                for ref in record.linked_patients - known:
                    for source in self.search.sources:
                        if (
                            source.capabilities.speaks_for(ref.issuer)
                            and (source.name, ref) not in self.asked
                        ):
                            self.asked.add((source.name, ref))
                            linked = _query_or_none(
                                partial(
                                    replace,
                                    self.query,
                                    patient_id=ref.patient_id,
                                    issuer=ref.issuer,
                                    name="",
                                )
                            )
                            if linked is not None:
                                asks.append((source, linked, ref))
            if not asks:
                return
            self._ask(asks)

    def probe_unlinked_same_name(self) -> None:
        """Records with the asked patient's name and birth date but no link: to confirm."""
        mine = [r for r in self.records.values() if r.patient in self.wanted]
        probes = {p for p in (name_probe(r) for r in mine) if p is not None}
        asks = []
        for probe in sorted(probes, key=lambda p: (p.name, p.birth_date)):
            probe_query = _query_or_none(
                partial(StudyQuery, name=probe.name, birth_date=probe.birth_date)
            )
            if probe_query is not None:
                asks += [(source, probe_query, None) for source in self.search.sources]
        self._ask(asks, keep=lambda r: any(same_person_by_demographics(r, m) for m in mine))
        self.follow_links()

    # -- parallel calls -------------------------------------------------------------------
    def _ask(
        self,
        asks: Sequence[tuple[ImagingSource, StudyQuery, PatientRef | None]],
        keep: Callable[[StudyRecord], bool] = lambda _r: True,
        *,
        asked_by_user: bool = False,
    ) -> None:
        futures = [
            (source, ref, self._submit(source, source.search_studies, query, self.search.cancelled))
            for source, query, ref in asks
        ]
        for source, ref, future in futures:
            answer = self._wait(source, future)
            if answer is None:
                continue
            self.answered.add(source.name)
            if answer.capped:
                self.notes.append(SearchNote("capped", source=source.name))
            if answer.skipped:
                self.notes.append(SearchNote("skipped", source=source.name, count=answer.skipped))
            for record in answer.studies:
                # An ID search keeps only the asked ID as this registry issues it: a
                # server that returns another issuer's patient is not answering for ours.
                if ref is not None and not _answers_for(record.patient, ref):
                    continue
                if not keep(record):
                    continue
                self.records.setdefault((source.name, record.study_uid), record)
                if asked_by_user and ref is not None:
                    self.wanted.add(record.patient)
            self.search.progress(
                SearchProgress(source.name, len(answer.studies), source.capabilities.local_cache)
            )

    def _read_details(self) -> None:
        todo = [key for key in self.records if key not in self.detailed]
        by_name = {s.name: s for s in self.search.sources}
        futures = [
            (key, self._submit(by_name[key[0]], by_name[key[0]].study_details, key[1]))
            for key in todo
        ]
        for key, future in futures:
            self.detailed.add(key)
            details = self._wait(by_name[key[0]], future, fatal=False)
            if details is not None:
                self.records[key] = _with_details(self.records[key], details)

    def _submit(self, source: ImagingSource, fn: Callable[..., T], *args: object) -> Future[T]:
        if self.search.cancelled():
            raise CancelledError("search cancelled")
        assert self.pool is not None
        limit = self.limits.setdefault(
            source.name, threading.BoundedSemaphore(self.search.per_source)
        )

        def limited() -> T:
            # A Cancel also ends the request's wait for a Retry-After or a backoff.
            with limit, cancel_scope(self.search.cancelled):
                return fn(*args)

        return self.pool.submit(limited)

    def _wait(self, source: ImagingSource, future: Future[T], fatal: bool = True) -> T | None:
        try:
            return future.result()
        except QingyingError as err:
            if isinstance(err, CancelledError):
                raise
            self._problem(source, err, fatal)
            return None
        except Exception as err:
            # An answer that broke its reader in a way no typed error describes (a
            # RecursionError from 100k-deep JSON, an OverflowError from 1e999): bad data
            # from that source, reported as its problem; the others' results still count.
            # Only the type is logged: the message may quote the answer.
            log.warning("source %s: unusable answer (%s)", source.name, type(err).__name__)
            unusable = InvalidDataError(f"{source.name}: unusable answer ({type(err).__name__})")
            self._problem(source, unusable, fatal)
            return None
        finally:
            if self.search.cancelled():
                raise CancelledError("search cancelled")

    def _problem(self, source: ImagingSource, err: QingyingError, fatal: bool) -> None:
        if fatal or source.name not in self.problems:
            self.problems.setdefault(source.name, err)
        log.info("source %s failed: %s", source.name, type(err).__name__)

    # -- result ---------------------------------------------------------------------------
    def result(self, confirmed: list[tuple[PatientRef, PatientRef]]) -> HistoryResult:
        records = list(self.records.values())
        links = build_links(records, confirmed)
        groups: dict[PatientRef, list[StudyRecord]] = {}
        for record in records:
            groups.setdefault(links.root(record.patient), []).append(record)
        roots = sorted(groups, key=lambda root: self._group_rank(root, links, groups[root]))
        histories = tuple(self._history(links, groups[root]) for root in roots)
        self._note_split_studies(histories)
        pairs = tuple(
            (i, j)
            for i in range(len(histories))
            for j in range(i + 1, len(histories))
            if _possibly_same(groups[roots[i]], groups[roots[j]])
        )
        if self.query.patient_id:
            pairs = tuple(p for p in pairs if p[0] == 0)
        problems = tuple(
            SourceProblem(name, err)
            for name, err in sorted(self.problems.items(), key=lambda kv: self._rank(kv[0]))
        )
        by_name = {s.name: s for s in self.search.sources}
        live = [n for n in self.answered if not by_name[n].capabilities.local_cache]
        return HistoryResult(
            offline=bool(self.answered) and not live and bool(self.problems),
            histories=histories,
            possible_same=pairs,
            problems=problems,
            answered=tuple(sorted(self.answered, key=self._rank)),
            notes=tuple(dict.fromkeys(self.notes)),
            answered_live=tuple(sorted(live, key=self._rank)),
        )

    @property
    def _retrievable(self) -> frozenset[str]:
        """Sources a study can be downloaded from (not the cache, askable now)."""
        return frozenset(s.name for s in self.search.sources if s.capabilities.remote)

    def _rank(self, source_name: str) -> int:
        return self.search._order.get(source_name, len(self.search._order))

    def _group_rank(
        self, root: PatientRef, links: PatientLinks, records: list[StudyRecord]
    ) -> tuple[int, str, str]:
        asked = bool(self.wanted & links.members(root))
        first = min(records, key=lambda r: (r.patient_name, r.patient))
        return (0 if asked else 1, first.patient_name, str(root))

    def _history(self, links: PatientLinks, records: list[StudyRecord]) -> PatientHistory:
        by_uid: dict[str, list[StudyRecord]] = {}
        for record in sorted(records, key=lambda r: self._prefer(r)):
            by_uid.setdefault(record.study_uid, []).append(record)
        local = frozenset(s.name for s in self.search.sources if s.capabilities.local_cache)
        merged = [_merge(found, self._retrievable, local) for found in by_uid.values()]
        # The sources' count of instances goes with the question: a cache that knows of
        # no more images than it holds may still lack some a source has.
        merged = [
            replace(m, cached=self.search.cache_state(m.study_uid, m.record.instance_count))
            for m in merged
        ]
        flags = recent_similar((m.record for m in merged), self.search.window)
        studies = sorted(
            (replace(m, recent_similar=flags.get(m.study_uid, frozenset())) for m in merged),
            key=lambda m: (m.record.study_date, m.record.study_time, m.study_uid),
            reverse=True,
        )
        head = min(records, key=self._prefer)
        return PatientHistory(
            patients=links.members(head.patient),
            name=head.patient_name,
            birth_date=head.birth_date,
            sex=head.sex,
            studies=tuple(studies),
        )

    def _prefer(self, record: StudyRecord) -> tuple[int, int]:
        # The record under the asked ID first, then sources in configuration order.
        return (0 if record.patient in self.wanted else 1, self._rank(record.source))

    def _note_split_studies(self, histories: tuple[PatientHistory, ...]) -> None:
        seen: dict[str, int] = {}
        for index, history in enumerate(histories):
            for study in history.studies:
                if seen.setdefault(study.study_uid, index) != index:
                    self.notes.append(SearchNote("split-study"))


def _query_or_none(make: Callable[[], StudyQuery]) -> StudyQuery | None:
    """A follow-up query made of what a source answered (a linked ID, a name and birth
    date), or None when those values cannot be asked (``ID*``, a birth date that is no
    date): a source's bad data is not the user's usage error, and must not end the search."""
    try:
        return make()
    except QueryError:
        log.info("a follow-up query from a source's answer cannot be asked; left out")
        return None


def _answers_for(found: PatientRef, asked: PatientRef) -> bool:
    """Whether a record found under ``found`` is the patient ``asked`` for.

    The ID must match exactly; so must the issuer, unless the source's issuer is unknown.
    """
    return found.patient_id == asked.patient_id and (
        not asked.issuer or found.issuer == asked.issuer
    )


def _with_details(record: StudyRecord, details: StudyDetails) -> StudyRecord:
    return record.with_details(
        linked_patients=record.linked_patients | details.linked_patients,
        body_part=record.body_part or details.body_part,
        institution=record.institution or details.institution,
    )


def _merge(
    records: list[StudyRecord], retrievable: frozenset[str], local: frozenset[str]
) -> HistoryStudy:
    """One study held by several sources: the first record, its gaps filled by the rest;
    its instance count the most any of them says (a source may not have all of it)."""
    head = records[0]
    for other in records[1:]:
        head = head.with_details(
            description=head.description or other.description,
            institution=head.institution or other.institution,
            body_part=head.body_part or other.body_part,
            accession_number=head.accession_number or other.accession_number,
            modalities=head.modalities or other.modalities,
            series_count=head.series_count if head.series_count is not None else other.series_count,
        )
    counts = [r.instance_count for r in records if r.instance_count is not None]
    head = head.with_details(instance_count=max(counts) if counts else None)
    sources = tuple(dict.fromkeys(r.source for r in records))
    return HistoryStudy(
        record=head,
        sources=sources,
        retrievable_from=tuple(s for s in sources if s in retrievable),
        held_elsewhere=tuple(s for s in sources if s not in local),
    )


def _possibly_same(a: list[StudyRecord], b: list[StudyRecord]) -> bool:
    return any(same_person_by_demographics(x, y) for x in a for y in b)


__all__ = [
    "HistoryResult",
    "HistorySearch",
    "HistoryStudy",
    "PatientHistory",
    "SearchNote",
    "SearchProgress",
    "SourceAnswer",
    "SourceProblem",
    "search_failed_entirely",
]
