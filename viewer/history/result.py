"""What a history search gives back: each patient's merged studies, the sources that
failed (as data: only the CLI and the window put them into words) and whether the answer
came from the cache alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from viewer.dicomweb.qido import StudyQuery
from viewer.errors import AuthError, QingyingError
from viewer.records import PatientRef, StudyRecord


@dataclass(frozen=True)
class SearchProgress:
    """A source answered one of the search's questions with ``studies`` studies.
    ``local_cache``: that source is the offline cache (which has no name to show)."""

    source: str
    studies: int
    local_cache: bool = False


NoteKind = Literal["no-source-for-issuer", "capped", "skipped", "split-study"]


@dataclass(frozen=True)
class SearchNote:
    """Something the doctor should know of a search that is no source's failure.

    ``no-source-for-issuer``: no configured source files patients under ``issuer``;
    ``capped``: ``source`` matched more studies than were fetched (narrow the search);
    ``skipped``: ``source`` sent ``count`` results without a usable UID (left out);
    ``split-study``: one study is filed under two patients no source links.
    """

    kind: NoteKind
    source: str = ""
    issuer: str = ""
    count: int = 0


@dataclass(frozen=True)
class SourceProblem:
    source: str
    error: QingyingError

    @property
    def message(self) -> str:
        return str(self.error)


@dataclass(frozen=True)
class HistoryStudy:
    record: StudyRecord  # the description shown; gaps filled from the other sources
    sources: tuple[str, ...]  # every source holding the study, in configuration order
    # Those it can be downloaded from (not the cache, askable when searched).
    retrievable_from: tuple[str, ...] = ()
    # Every holder but the offline cache, askable now or once signed in.
    held_elsewhere: tuple[str, ...] = ()
    recent_similar: frozenset[str] = frozenset()
    cached: str = "none"  # none | partial | complete

    @property
    def study_uid(self) -> str:
        return self.record.study_uid


@dataclass(frozen=True)
class PatientHistory:
    patients: frozenset[PatientRef]  # every ID known to be this patient
    name: str
    birth_date: str
    sex: str
    studies: tuple[HistoryStudy, ...]  # newest first


@dataclass(frozen=True)
class HistoryResult:
    histories: tuple[PatientHistory, ...]  # for an ID search, [0] is the patient asked for
    possible_same: tuple[tuple[int, int], ...]  # pairs of histories to confirm, never merged
    problems: tuple[SourceProblem, ...]
    answered: tuple[str, ...]  # sources that answered at least once
    notes: tuple[SearchNote, ...] = field(default=())
    offline: bool = False  # no live source answered: everything shown is from the cache
    answered_live: tuple[str, ...] = ()  # those of ``answered`` that are not the cache

    @property
    def no_source_answered(self) -> bool:
        return not self.answered and bool(self.problems)


def search_failed_entirely(result: HistoryResult) -> QingyingError | None:
    """The error to exit with when no live source answered and the cache had nothing.

    Authentication when every failure was one; otherwise the first other failure.
    """
    if not result.problems:
        return None
    if result.answered and not result.offline:
        return None  # a live source answered
    if result.offline and any(h.studies for h in result.histories):
        return None  # offline, but the cache has something to show
    errors = [p.error for p in result.problems]
    if all(isinstance(e, AuthError) for e in errors):
        return errors[0]
    return next(e for e in errors if not isinstance(e, AuthError))


def primary_ref(
    history: PatientHistory, query: StudyQuery | None, issuer_order: Sequence[str] = ()
) -> PatientRef:
    """The ID to show first for a patient: the one asked for, else the one the first
    configured source's issuer gave, else the first in order."""
    refs = sorted(history.patients)
    if query is not None and query.patient_id:
        for ref in refs:
            if ref.patient_id == query.patient_id and (
                not query.issuer or ref.issuer == query.issuer
            ):
                return ref
    for issuer in issuer_order:
        for ref in refs:
            if ref.issuer == issuer:
                return ref
    return refs[0]
