"""What the index needs from one instance, read from its header (pixels are not read).

Text values are decoded with the file's SpecificCharacterSet (PS3.5 §6.1; the demo and
many Chinese hospitals use GB18030), so a PN is kept as the whole string as stored,
e.g. ``Wang^XiaoDong=王^小东``, every component group included.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydicom
from pydicom.errors import InvalidDicomError

from viewer.errors import InvalidDataError
from viewer.uids import require_uid

_DEFER_LARGE_VALUES = 64 * 1024  # bytes; big non-pixel elements are left on disk
# What the index reads; SpecificCharacterSet to decode the text (PS3.5 §6.1.2.3).
_INDEXED_KEYWORDS = [
    "SpecificCharacterSet",
    "SOPClassUID",
    "SOPInstanceUID",
    "StudyDate",
    "StudyTime",
    "AccessionNumber",
    "Modality",
    "InstitutionName",
    "StudyDescription",
    "SeriesDescription",
    "PatientName",
    "PatientID",
    "IssuerOfPatientID",
    "PatientBirthDate",
    "PatientSex",
    "OtherPatientIDsSequence",
    "BodyPartExamined",
    "StudyInstanceUID",
    "SeriesInstanceUID",
    "SeriesNumber",
    "InstanceNumber",
]


@dataclass(frozen=True)
class InstanceHeader:
    study_uid: str
    series_uid: str
    sop_uid: str
    sop_class_uid: str
    transfer_syntax_uid: str
    instance_number: int | None
    # patient (as this file describes them)
    patient_id: str
    issuer: str
    patient_name: str
    birth_date: str
    sex: str
    other_patient_ids: tuple[tuple[str, str], ...]  # (PatientID, IssuerOfPatientID)
    # study
    study_date: str
    study_time: str
    accession_number: str
    study_description: str
    body_part: str
    institution: str
    # series
    modality: str
    series_number: int | None
    series_description: str


def read_header(path: Path) -> InstanceHeader:
    """The index fields of a DICOM Part 10 file (PS3.10 §7); InvalidDataError if it is not
    one, or if its Study, Series or SOP Instance UID is not a valid UID."""
    try:
        ds = pydicom.dcmread(
            path,
            stop_before_pixels=True,
            defer_size=_DEFER_LARGE_VALUES,
            specific_tags=_INDEXED_KEYWORDS,  # half the time of a full header
        )
    except InvalidDicomError as err:
        raise InvalidDataError(f"not a DICOM Part 10 file ({err})") from err
    except Exception as err:  # pydicom raises many kinds on damaged data
        raise InvalidDataError(f"unreadable DICOM file: {type(err).__name__}: {err}") from err
    try:
        return _header_of(ds)
    except InvalidDataError:
        raise
    except Exception as err:
        raise InvalidDataError(f"unreadable DICOM header: {type(err).__name__}: {err}") from err


def _header_of(ds: Any) -> InstanceHeader:
    meta = getattr(ds, "file_meta", None)
    syntax = _text(meta, "TransferSyntaxUID") if meta is not None else ""
    if not syntax:
        raise InvalidDataError("not a DICOM Part 10 file (no TransferSyntaxUID in file meta)")
    # The dataset's own UID is the one that counts; the file meta's only stands in for it
    # when the element is absent altogether (PS3.10 §7.1 says they are equal).
    has_sop = "SOPInstanceUID" in ds
    sop_uid = _text(ds, "SOPInstanceUID") if has_sop else _text(meta, "MediaStorageSOPInstanceUID")
    return InstanceHeader(
        study_uid=require_uid(_text(ds, "StudyInstanceUID"), "StudyInstanceUID"),
        series_uid=require_uid(_text(ds, "SeriesInstanceUID"), "SeriesInstanceUID"),
        sop_uid=require_uid(sop_uid, "SOPInstanceUID"),
        sop_class_uid=_text(ds, "SOPClassUID") or _text(meta, "MediaStorageSOPClassUID"),
        transfer_syntax_uid=require_uid(syntax, "TransferSyntaxUID"),
        instance_number=_integer(ds, "InstanceNumber"),
        patient_id=_text(ds, "PatientID"),
        issuer=_text(ds, "IssuerOfPatientID"),
        patient_name=_text(ds, "PatientName"),
        birth_date=_text(ds, "PatientBirthDate"),
        sex=_text(ds, "PatientSex").upper(),
        other_patient_ids=_other_ids(ds),
        study_date=_text(ds, "StudyDate"),
        study_time=_text(ds, "StudyTime"),
        accession_number=_text(ds, "AccessionNumber"),
        study_description=_text(ds, "StudyDescription"),
        body_part=_text(ds, "BodyPartExamined").upper(),
        institution=_text(ds, "InstitutionName"),
        modality=_text(ds, "Modality").upper(),
        series_number=_integer(ds, "SeriesNumber"),
        series_description=_text(ds, "SeriesDescription"),
    )


def _text(ds: Any, keyword: str) -> str:
    """A single-valued text element as a str ('' when absent or empty); the first value
    of a multi-valued one."""
    value = ds.get(keyword) if ds is not None else None
    if value is None:
        return ""
    if isinstance(value, list | tuple) or type(value).__name__ == "MultiValue":
        value = value[0] if len(value) else ""
    return str(value).strip().strip("\x00")


def _integer(ds: Any, keyword: str) -> int | None:
    text = _text(ds, keyword)
    try:
        return int(float(text)) if text else None
    except ValueError:
        return None


def _other_ids(ds: Any) -> tuple[tuple[str, str], ...]:
    """OtherPatientIDsSequence (PS3.3 C.7.1.1): every item with an ID, and its issuer."""
    ids = []
    for item in ds.get("OtherPatientIDsSequence") or ():
        patient_id = _text(item, "PatientID")
        if patient_id:
            ids.append((patient_id, _text(item, "IssuerOfPatientID")))
    return tuple(ids)
