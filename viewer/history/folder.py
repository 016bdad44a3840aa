"""A folder or DICOMDIR (a patient's CD, a USB stick) opened as a source, without copying.

Every file's header is read once (pixels are not). Only regular files inside the folder
are read, chosen as an import chooses them (no FIFO, device, socket or link out of the
folder: ``cache.importer.candidate_files``). Searches filter those headers with the same
matching as the cache, and each study's files are listed for loading. To keep the
studies after the CD is gone, import it into the cache instead (``cache import``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from viewer.cache.header import InstanceHeader, read_header
from viewer.cache.importer import candidate_files
from viewer.cache.matching import wildcard_match
from viewer.cache.models import ImportReport
from viewer.dicomweb.qido import StudyQuery, name_pattern
from viewer.errors import InvalidDataError, NotFoundError
from viewer.history.records import PatientRef, StudyRecord, linked_refs
from viewer.history.sources import Cancelled, SourceAnswer, StudyDetails


@dataclass(frozen=True)
class FolderInstance:
    path: Path
    header: InstanceHeader


class FolderSource:
    issuer = ""
    multi_issuer = True  # a CD holds whatever IDs its hospital used

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
