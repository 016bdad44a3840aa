"""A folder or DICOMDIR (a patient's CD, a USB stick) opened as a source, without copying.

Every file's header is read once (pixels are not). Only regular files inside the folder
are read, chosen as an import chooses them (no FIFO, device, socket or link out of the
folder: ``cache.importer.candidate_files``). Searches filter those headers with the same
matching as the cache, and each study's files are listed for loading. To keep the
studies after the CD is gone, import it into the cache instead (``cache import``), or
retrieve a study from it as from any source: each file goes through the cache's sinks,
which refuse any instance the request did not ask for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from viewer.cache.header import InstanceHeader, read_header
from viewer.cache.importer import candidate_files
from viewer.cache.matching import wildcard_match
from viewer.cache.models import ImportReport
from viewer.cache.sink import Accept, SinkFactory
from viewer.dicomweb.qido import StudyQuery, name_pattern
from viewer.dicomweb.stow import StoreOutcome
from viewer.errors import CancelledError, InvalidDataError, NotFoundError, UsageError
from viewer.records import PatientRef, SeriesEntry, StudyRecord, linked_refs
from viewer.sources.protocol import Cancelled, Capabilities, SourceAnswer, StudyDetails, Transfer

READ_SIZE = 1 << 20  # bytes handed to a sink at a time


@dataclass(frozen=True)
class FolderInstance:
    path: Path
    header: InstanceHeader


class FolderSource:
    # A CD holds whatever IDs its hospital used.
    capabilities = Capabilities(any_issuer=True)

    def __init__(self, root: Path, name: str = "") -> None:
        self.root = root
        self.name = name or f"folder:{root.name or root}"
        report = ImportReport(root)
        self.skipped: list[Path] = []  # not DICOM, unreadable, or not a regular file
        self.studies: dict[str, list[FolderInstance]] = {}
        for path in candidate_files(root, report):
            try:
                header = read_header(path)
            except InvalidDataError:
                self.skipped.append(path)
                continue
            self.studies.setdefault(header.study_uid, []).append(FolderInstance(path, header))
        self.skipped += [s.path for s in report.unreadable + report.not_dicom + report.not_regular]
        if not self.studies and not root.exists():
            raise NotFoundError(f"{root}: no such file or folder")

    def search_studies(self, query: StudyQuery, cancelled: Cancelled) -> SourceAnswer:
        found = [
            _record(self.name, instances)
            for instances in self.studies.values()
            if _matches(instances, query)
        ]
        return SourceAnswer(found)

    def study_details(self, study_uid: str) -> StudyDetails:
        instances = self.studies.get(study_uid)
        if not instances:
            raise NotFoundError(f"{self.name}: no study {study_uid}")
        head = instances[0].header
        return StudyDetails(_links(head), head.body_part, head.institution)

    def instance_paths(self, study_uid: str, series_uid: str | None = None) -> list[Path]:
        """The study's (or series') files in InstanceNumber order, as the viewer loads them."""
        chosen = [
            i
            for i in self.studies.get(study_uid, [])
            if series_uid is None or i.header.series_uid == series_uid
        ]
        chosen.sort(key=lambda i: (i.header.series_uid, i.header.instance_number or 0))
        return [i.path for i in chosen]

    def list_series(self, study_uid: str) -> list[SeriesEntry]:
        by_series: dict[str, list[FolderInstance]] = {}
        for instance in self.studies.get(study_uid, []):
            by_series.setdefault(instance.header.series_uid, []).append(instance)
        return [
            SeriesEntry(uid, h.modality, h.series_number, h.series_description, len(found), 0)
            for uid, found in by_series.items()
            for h in (found[0].header,)
        ]

    def list_instances(self, study_uid: str, series_uid: str) -> list[str]:
        return [i.header.sop_uid for i in self._instances(study_uid, series_uid)]

    def retrieve_series(
        self, study_uid: str, series_uid: str, sinks: SinkFactory, transfer: Transfer
    ) -> None:
        accept = Accept(self.name, study_uid, series_uid)
        for instance in self._instances(study_uid, series_uid):
            self._copy(instance, sinks, accept, transfer)

    def retrieve_instance(
        self, study_uid: str, series_uid: str, sop_uid: str, sinks: SinkFactory, transfer: Transfer
    ) -> None:
        accept = Accept(self.name, study_uid, series_uid, sop_uid)
        found = [i for i in self._instances(study_uid, series_uid) if i.header.sop_uid == sop_uid]
        if not found:
            raise NotFoundError(f"{self.name}: no instance {sop_uid}")
        self._copy(found[0], sinks, accept, transfer)

    def store_instances(self, study_uid: str, parts: Sequence[bytes]) -> StoreOutcome:
        raise UsageError("a folder or CD takes nothing back")

    def close(self) -> None:
        """Nothing is kept open: each file is opened when it is read."""

    def _instances(self, study_uid: str, series_uid: str) -> list[FolderInstance]:
        chosen = [i for i in self.studies.get(study_uid, []) if i.header.series_uid == series_uid]
        return sorted(chosen, key=lambda i: i.header.instance_number or 0)

    def _copy(
        self, instance: FolderInstance, sinks: SinkFactory, accept: Accept, transfer: Transfer
    ) -> None:
        """The file's bytes into a sink, which checks them as it checks a download's (the
        file may have changed since its header was read: the sink decides)."""
        if transfer.cancelled():
            raise CancelledError("retrieval cancelled")
        sink = sinks.begin_instance(accept)
        try:
            with instance.path.open("rb") as file:
                while chunk := file.read(READ_SIZE):
                    sink.write(chunk)
                    transfer.on_bytes(len(chunk))
        except OSError as err:
            sink.abort()
            raise InvalidDataError(f"{instance.path}: cannot be read ({err.strerror})") from err
        except BaseException:
            sink.abort()
            raise
        transfer.on_instance(sink.commit())  # a refused instance is discarded by commit


def _matches(instances: list[FolderInstance], q: StudyQuery) -> bool:
    h = instances[0].header
    modalities = {i.header.modality for i in instances}
    checks = [
        not q.patient_id or h.patient_id == q.patient_id,
        not (q.patient_id and q.issuer) or h.issuer in (q.issuer, ""),
        not q.name or wildcard_match(name_pattern(q.name), h.patient_name),
        not q.birth_date or h.birth_date == q.birth_date,
        not q.sex or h.sex == q.sex,
        not q.modality or q.modality.upper() in modalities,
        not q.date_from or h.study_date >= q.date_from,
        not q.date_to or (bool(h.study_date) and h.study_date <= q.date_to),
        not q.accession_number or h.accession_number == q.accession_number,
    ]
    return all(checks)


def _links(h: InstanceHeader) -> frozenset[PatientRef]:
    return linked_refs(PatientRef(h.patient_id, h.issuer), h.other_patient_ids)


def _record(source: str, instances: list[FolderInstance]) -> StudyRecord:
    h = instances[0].header
    return StudyRecord(
        study_uid=h.study_uid,
        source=source,
        patient=PatientRef(h.patient_id, h.issuer),
        patient_name=h.patient_name,
        birth_date=h.birth_date,
        sex=h.sex,
        study_date=h.study_date,
        study_time=h.study_time,
        accession_number=h.accession_number,
        description=h.study_description,
        modalities=tuple(sorted({i.header.modality for i in instances if i.header.modality})),
        body_part=h.body_part,
        institution=h.institution,
        series_count=len({i.header.series_uid for i in instances}),
        instance_count=len(instances),
        linked_patients=_links(h),
    )
