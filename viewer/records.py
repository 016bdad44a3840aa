"""What every room shares of a patient's imaging: patients (by ID and issuer), studies
and series as a source describes them, read from DICOM JSON (PS3.18 §F.2).

The ground floor: sources, history, retrieval and the session all speak of these, so
they live below all of them."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from viewer import dicom_json as dj
from viewer.uids import is_valid_uid

log = logging.getLogger(__name__)


class Tag:
    """Tags the history and the series lists read (PS3.6), as DICOM JSON keys."""

    SPECIFIC_CHARACTER_SET = "00080005"
    STUDY_DATE = "00080020"
    STUDY_TIME = "00080030"
    ACCESSION_NUMBER = "00080050"
    MODALITIES_IN_STUDY = "00080061"
    MODALITY = "00080060"
    INSTITUTION_NAME = "00080080"
    STUDY_DESCRIPTION = "00081030"
    PATIENT_NAME = "00100010"
    PATIENT_ID = "00100020"
    ISSUER_OF_PATIENT_ID = "00100021"
    PATIENT_BIRTH_DATE = "00100030"
    PATIENT_SEX = "00100040"
    OTHER_PATIENT_IDS_SEQUENCE = "00101002"
    BODY_PART_EXAMINED = "00180015"
    STUDY_INSTANCE_UID = "0020000D"
    SERIES_INSTANCE_UID = "0020000E"
    SOP_INSTANCE_UID = "00080018"
    NUMBER_OF_STUDY_RELATED_SERIES = "00201206"
    NUMBER_OF_STUDY_RELATED_INSTANCES = "00201208"
    SERIES_NUMBER = "00200011"
    SERIES_DESCRIPTION = "0008103E"
    NUMBER_OF_SERIES_RELATED_INSTANCES = "00201209"
    INSTANCE_NUMBER = "00200013"


# Asked for with includefield: what the timeline shows beyond the required return keys.
STUDY_INCLUDE_FIELDS = (
    Tag.STUDY_DESCRIPTION,
    Tag.INSTITUTION_NAME,
    Tag.BODY_PART_EXAMINED,
    Tag.ISSUER_OF_PATIENT_ID,
    Tag.PATIENT_BIRTH_DATE,
    Tag.PATIENT_SEX,
    Tag.MODALITIES_IN_STUDY,
    Tag.NUMBER_OF_STUDY_RELATED_SERIES,
    Tag.NUMBER_OF_STUDY_RELATED_INSTANCES,
)


# Asked for with includefield on a series search (PS3.18 §10.6.1): what a series tile
# shows, and the instance count a fetch checks its completeness against.
SERIES_INCLUDE_FIELDS = (
    Tag.MODALITY,
    Tag.SERIES_NUMBER,
    Tag.SERIES_DESCRIPTION,
    Tag.NUMBER_OF_SERIES_RELATED_INSTANCES,
)


@dataclass(frozen=True, order=True)
class PatientRef:
    """A patient as one registry knows them: (PatientID, IssuerOfPatientID).

    Two refs are the same patient only when both parts match, or when a source links
    them through OtherPatientIDsSequence: never on name or birth date alone.
    """

    patient_id: str
    issuer: str

    def __str__(self) -> str:
        return f"{self.patient_id} ({self.issuer or 'no issuer'})"


@dataclass(frozen=True)
class StudyRecord:
    """One study as one source describes it."""

    study_uid: str
    source: str
    patient: PatientRef
    patient_name: str
    birth_date: str
    sex: str
    study_date: str
    study_time: str
    accession_number: str
    description: str
    modalities: tuple[str, ...]
    body_part: str
    institution: str
    series_count: int | None
    instance_count: int | None
    linked_patients: frozenset[PatientRef] = field(default=frozenset())

    def with_details(self, **changes: Any) -> StudyRecord:
        return replace(self, **changes)


def study_from_json(item: dj.DicomJson, source: str, default_issuer: str) -> StudyRecord | None:
    """A QIDO-RS study result → StudyRecord; None (and a log line) when it is unusable.

    A result without a valid StudyInstanceUID cannot be retrieved or merged, so it is
    left out rather than shown half-known. The issuer falls back to the source's
    configured one, since many servers do not return IssuerOfPatientID.
    """
    uid = dj.text(item, Tag.STUDY_INSTANCE_UID)
    if not is_valid_uid(uid):
        log.warning(
            "source %s: a study result without a valid StudyInstanceUID was skipped", source
        )
        return None
    return StudyRecord(
        study_uid=uid,
        source=source,
        patient=PatientRef(
            dj.text(item, Tag.PATIENT_ID),
            dj.text(item, Tag.ISSUER_OF_PATIENT_ID) or default_issuer,
        ),
        patient_name=dj.person_name(item, Tag.PATIENT_NAME),
        birth_date=dj.text(item, Tag.PATIENT_BIRTH_DATE),
        sex=dj.text(item, Tag.PATIENT_SEX),
        study_date=dj.text(item, Tag.STUDY_DATE),
        study_time=dj.text(item, Tag.STUDY_TIME),
        accession_number=dj.text(item, Tag.ACCESSION_NUMBER),
        description=dj.text(item, Tag.STUDY_DESCRIPTION),
        modalities=tuple(dj.texts(item, Tag.MODALITIES_IN_STUDY)),
        body_part=dj.text(item, Tag.BODY_PART_EXAMINED).upper(),
        institution=dj.text(item, Tag.INSTITUTION_NAME),
        series_count=dj.integer(item, Tag.NUMBER_OF_STUDY_RELATED_SERIES),
        instance_count=dj.integer(item, Tag.NUMBER_OF_STUDY_RELATED_INSTANCES),
    )


def linked_patients_from_json(item: dj.DicomJson, default_issuer: str) -> frozenset[PatientRef]:
    """The IDs other registries give this patient (PS3.3 C.7.1.1 OtherPatientIDsSequence).

    Items without an issuer are ignored: an ID without its issuer could belong to anyone.
    """
    pairs = [
        (dj.text(entry, Tag.PATIENT_ID), dj.text(entry, Tag.ISSUER_OF_PATIENT_ID))
        for entry in dj.sequence_items(item, Tag.OTHER_PATIENT_IDS_SEQUENCE)
    ]
    own_issuer = dj.text(item, Tag.ISSUER_OF_PATIENT_ID) or default_issuer
    return linked_refs(PatientRef(dj.text(item, Tag.PATIENT_ID), own_issuer), pairs)


def linked_refs(own: PatientRef, other_ids: Iterable[tuple[str, str]]) -> frozenset[PatientRef]:
    """(PatientID, issuer) pairs of OtherPatientIDsSequence as refs, without ``own``.

    Pairs without an issuer are left out: an ID without its issuer could be anyone's.
    """
    return frozenset(PatientRef(p, i) for p, i in other_ids if p and i) - {own}


@dataclass(frozen=True)
class SeriesEntry:
    """One series of a study, as a source lists it, with what the cache holds of it."""

    series_uid: str  # SeriesInstanceUID
    modality: str  # Modality
    number: int | None  # SeriesNumber
    description: str  # SeriesDescription
    # Instances the series holds (NumberOfSeriesRelatedInstances); None: not known.
    expected: int | None
    cached: int  # of them in the offline cache


def series_from_json(items: Iterable[dj.DicomJson]) -> list[SeriesEntry]:
    """Series of a QIDO-RS answer (DICOM JSON); items without a valid UID are left out."""
    entries = []
    for item in items:
        uid = dj.text(item, Tag.SERIES_INSTANCE_UID)
        if not is_valid_uid(uid):
            continue
        entries.append(
            SeriesEntry(
                series_uid=uid,
                modality=dj.text(item, Tag.MODALITY).upper(),
                number=dj.integer(item, Tag.SERIES_NUMBER),
                description=dj.text(item, Tag.SERIES_DESCRIPTION),
                expected=dj.integer(item, Tag.NUMBER_OF_SERIES_RELATED_INSTANCES),
                cached=0,
            )
        )
    return entries
