"""The one seam every source implements the same way: search, study details, series and
instance lists, retrieval into sinks, and the capabilities it declares.

A source is a platform or PACS over DICOMweb (:mod:`viewer.sources.dicomweb`), the
offline cache (:mod:`viewer.sources.cache`), a folder or CD (:mod:`viewer.sources.folder`)
or one that cannot be asked now (:class:`~viewer.sources.opening.UnavailableSource`: not
signed in). Callers read :attr:`ImagingSource.capabilities` instead of checking types.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from viewer.cache.sink import CachedInstance, SinkFactory
from viewer.dicomweb.qido import StudyQuery
from viewer.dicomweb.stow import StoreOutcome
from viewer.errors import QingyingError
from viewer.records import PatientRef, SeriesEntry, StudyRecord

Cancelled = Callable[[], bool]


def _never() -> bool:
    return False


def _ignore(_value: object) -> None:
    return None


@dataclass(frozen=True)
class SourceAnswer:
    studies: list[StudyRecord]
    capped: bool = False  # more studies matched than were fetched
    skipped: int = 0  # results left out because they were unusable (no valid UID)


@dataclass(frozen=True)
class StudyDetails:
    """What one instance's metadata adds to a study: links to other registries."""

    linked_patients: frozenset[PatientRef]
    body_part: str
    institution: str


@dataclass(frozen=True)
class Capabilities:
    """What a source declares of itself, so that nobody has to guess from its type."""

    # IssuerOfPatientID of the patient IDs it files patients under; "" when unknown.
    issuer: str = ""
    # It answers for patient IDs of every issuer and filters by issuer itself (the cache,
    # a CD: they hold whatever IDs their hospitals used).
    any_issuer: bool = False
    # It is the offline cache: answers with no network, and is where retrievals go.
    local_cache: bool = False
    # Its instances can be retrieved into the cache.
    can_retrieve: bool = True
    # It accepts instances sent back (STOW-RS): measurement reports, where the site says
    # the source takes them (``store = true`` in its configuration).
    can_store: bool = False
    # Why it cannot be asked now (not signed in, no keyring); None: it can.
    unavailable: QingyingError | None = field(default=None, compare=False)

    def speaks_for(self, issuer: str) -> bool:
        """Whether it files patients under IDs of ``issuer`` (the cache: of any)."""
        return self.any_issuer or self.issuer == issuer

    @property
    def remote(self) -> bool:
        """A source a download can come from: not the cache, and askable now."""
        return self.can_retrieve and not self.local_cache and self.unavailable is None


@dataclass(frozen=True)
class Transfer:
    """How a retrieval reports and stops: each instance once it is committed, bytes as
    they arrive, and a check, read between parts and reads, that ends it (CancelledError)."""

    on_instance: Callable[[CachedInstance], None] = _ignore
    on_bytes: Callable[[int], None] = _ignore
    cancelled: Cancelled = _never


class ImagingSource(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def capabilities(self) -> Capabilities: ...

    def search_studies(self, query: StudyQuery, cancelled: Cancelled) -> SourceAnswer:
        """The studies matching ``query`` (ID and issuer, name, dates…)."""
        ...

    def study_details(self, study_uid: str) -> StudyDetails:
        """Links to other registries and what the study list may lack."""
        ...

    def list_series(self, study_uid: str) -> list[SeriesEntry]:
        """The study's series with their instance counts (``expected``; None: unknown);
        ``cached`` is left 0: the cache's counts are added by whoever asks."""
        ...

    def list_instances(self, study_uid: str, series_uid: str) -> list[str]:
        """The series' SOPInstanceUIDs in InstanceNumber order: what a complete copy holds."""
        ...

    def retrieve_series(
        self, study_uid: str, series_uid: str, sinks: SinkFactory, transfer: Transfer
    ) -> None:
        """Every instance of the series into ``sinks``; each sink refuses any other."""
        ...

    def retrieve_instance(
        self, study_uid: str, series_uid: str, sop_uid: str, sinks: SinkFactory, transfer: Transfer
    ) -> None:
        """One instance into ``sinks``."""
        ...

    def store_instances(self, study_uid: str, parts: Sequence[bytes]) -> StoreOutcome:
        """Part 10 instances of the study sent to it (``capabilities.can_store``); a source
        that takes none raises UsageError, saying so."""
        ...

    def close(self) -> None:
        """Let go of what it holds open (connections); the caller is done with it."""
        ...
