"""What the cache tells its callers: studies as indexed, and the reports of its chores."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

StudyState = Literal["none", "partial", "complete"]


@dataclass(frozen=True)
class CachedSeries:
    series_uid: str
    modality: str
    series_number: int | None
    description: str
    instance_count: int  # cached
    size: int  # bytes of its cached instances (what else its packs hold counts to the study)


@dataclass(frozen=True)
class CachedStudy:
    """One study in the cache, with the fields a history search needs (keyword names in
    comments) and the cache's own bookkeeping."""

    study_uid: str  # StudyInstanceUID
    patient_id: str  # PatientID
    issuer: str  # IssuerOfPatientID
    patient_name: str  # PatientName, the whole PN as stored: "Wang^XiaoDong=王^小东"
    birth_date: str  # PatientBirthDate
    sex: str  # PatientSex
    study_date: str  # StudyDate
    study_time: str  # StudyTime
    accession_number: str  # AccessionNumber
    description: str  # StudyDescription
    modalities: tuple[str, ...]  # ModalitiesInStudy, from the cached series
    body_part: str  # BodyPartExamined
    institution: str  # InstitutionName
    other_patient_ids: tuple[tuple[str, str], ...]  # OtherPatientIDsSequence (ID, issuer)
    series_count: int  # cached series
    instance_count: int  # cached instances
    expected_instance_count: int  # known to exist at the source (0: unknown)
    # Bytes on disk: files of its own, and its packs whole (with what stays in them of
    # instances replaced or removed), so it may exceed the sum of its series' sizes.
    size: int
    last_access: float  # seconds since the epoch
    pinned: bool
    state: StudyState
    series: tuple[CachedSeries, ...] = ()


@dataclass(frozen=True)
class EvictReport:
    target: int  # the size eviction worked towards, bytes
    size_before: int
    size_after: int
    evicted: list[str] = field(default_factory=list)  # StudyInstanceUIDs, oldest first
    kept_pinned: list[str] = field(default_factory=list)
    kept_open: list[str] = field(default_factory=list)
    quarantine_purged: int = 0  # damaged files deleted first, before any study

    @property
    def freed(self) -> int:
        return self.size_before - self.size_after

    @property
    def within_budget(self) -> bool:
        return self.size_after <= self.target


# What verify found wrong with an instance, as a code a screen can say in its own words:
# missing (no file), wrong_size (its own file is not the size indexed), pack_short (its
# pack ends before the instance does), checksum_mismatch, unreadable (the OS refused:
# the reason is the ``detail``).
ProblemKind = Literal["missing", "wrong_size", "pack_short", "checksum_mismatch", "unreadable"]


@dataclass(frozen=True)
class DamagedEntry:
    study_uid: str
    series_uid: str
    sop_uid: str
    path: Path  # where the file was (it is now in quarantine, or gone)
    kind: ProblemKind
    detail: str = ""  # the OS's reason (unreadable); the sizes (wrong_size, pack_short)

    @property
    def problem(self) -> str:
        """The problem in English, for the command line and the quarantine note."""
        if self.kind == "wrong_size":
            return f"size {self.detail}"
        if self.kind == "pack_short":
            return f"its pack ends {self.detail} bytes short"
        if self.kind == "unreadable":
            return f"unreadable: {self.detail}"
        return self.kind.replace("_", " ")


@dataclass(frozen=True)
class VerifyReport:
    checked: int
    damaged: list[DamagedEntry] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.damaged


@dataclass(frozen=True)
class SkippedFile:
    path: Path
    reason: str


@dataclass
class ImportReport:
    source: Path
    imported: int = 0  # instances copied into the cache
    studies: set[str] = field(default_factory=set)
    not_dicom: list[SkippedFile] = field(default_factory=list)
    unreadable: list[SkippedFile] = field(default_factory=list)
    # Never opened: FIFOs, devices, sockets, links that lead out of the folder imported
    # (a FIFO would block the import for good, a link to /dev/zero never end).
    not_regular: list[SkippedFile] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.not_dicom) + len(self.unreadable) + len(self.not_regular)
