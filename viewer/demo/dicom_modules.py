"""Builders for the DICOM modules every demo instance shares (PS3.3 Part A/C.7).

Each function returns a small :class:`Dataset` that the caller merges; the patient
module is the only part that differs between the platform and the hospital PACS copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydicom.dataset import Dataset
from pydicom.sequence import Sequence as DicomSequence
from pydicom.valuerep import PersonName

from viewer.demo.identifiers import demo_uid
from viewer.demo.patients import (
    INSTITUTIONS,
    PACS,
    PACS_ISSUER,
    PLATFORM,
    PLATFORM_ISSUER,
    PatientDef,
    StudyDef,
)

CHARSET = "GB18030"
MANUFACTURER = "Qingying Demo"
# Fixed referring physicians per institution; Chinese names exercise GB18030 in PN.
_REFERRING = {
    "JSPH": "Chen^Jing=陈^静=",
    "NJGL": "Zhou^Ming=周^明=",
    "SZFY": "Sun^Li=孙^丽=",
    "WXRM": "Zhao^Gang=赵^刚=",
}


def person_name(value: str) -> PersonName:
    """A PN kept byte-exact in GB18030.

    pydicom drops a trailing empty component ("...=王^小东=" loses its last "=") when it
    encodes a str; handing it the encoded bytes keeps the value as written (PS3.5 §6.2).
    """
    return PersonName(value.encode(CHARSET), encodings=[CHARSET])


def ds_str(value: float) -> str:
    """A Decimal String (PS3.5 §6.2, at most 16 characters) without float noise."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if len(text) > 16:
        raise ValueError(f"DS too long: {text}")
    return text


def ds_list(values: Iterable[float]) -> list[str]:
    return [ds_str(v) for v in values]


def _other_id(value: str, issuer: str) -> Dataset:
    item = Dataset()
    item.PatientID = value
    item.IssuerOfPatientID = issuer
    item.TypeOfPatientID = "TEXT"
    return item


def patient_module(p: PatientDef, target: str) -> Dataset:
    """Patient Module (PS3.3 C.7.1.1) as the given target holds the patient.

    The platform identifies the patient by the resident-ID-style number (JS-EMPI) and
    lists every hospital MRN; the hospital PACS uses its own MRN and links the platform ID.
    """
    ds = Dataset()
    ds.PatientName = person_name(p.name)
    if target == PLATFORM:
        ds.PatientID = p.platform_id
        ds.IssuerOfPatientID = PLATFORM_ISSUER
        others = [_other_id(mrn, issuer) for issuer, mrn in p.mrns]
    elif target == PACS:
        ds.PatientID = p.mrn(PACS_ISSUER)
        ds.IssuerOfPatientID = PACS_ISSUER
        others = [_other_id(p.platform_id, PLATFORM_ISSUER)]
    else:
        raise ValueError(f"unknown target {target!r}")
    ds.TypeOfPatientID = "TEXT"
    ds.OtherPatientIDsSequence = DicomSequence(others)
    ds.PatientBirthDate = p.birth_date
    ds.PatientSex = p.sex
    return ds


def study_module(s: StudyDef, description: str) -> Dataset:
    """General Study Module (PS3.3 C.7.2.1)."""
    ds = Dataset()
    ds.StudyInstanceUID = study_uid(s)
    ds.StudyDate = s.date
    ds.StudyTime = s.time
    ds.ReferringPhysicianName = person_name(_REFERRING[s.institution])
    ds.StudyID = s.date[2:] + s.time[:4]  # SH, 10 digits
    ds.AccessionNumber = s.accession_number
    ds.StudyDescription = description
    return ds


def series_module(
    s: StudyDef,
    number: int,
    modality: str,
    description: str,
    body_part: str,
    time_offset_s: int = 0,
) -> Dataset:
    """General Series Module (PS3.3 C.7.3.1); series start a little after the study."""
    ds = Dataset()
    ds.Modality = modality
    ds.SeriesInstanceUID = series_uid(s, number)
    ds.SeriesNumber = number
    ds.SeriesDescription = description
    ds.BodyPartExamined = body_part
    ds.SeriesDate = s.date
    ds.SeriesTime = add_seconds(s.time, time_offset_s)
    return ds


def equipment_module(s: StudyDef, model: str) -> Dataset:
    """General Equipment Module (PS3.3 C.7.5.1)."""
    inst = INSTITUTIONS[s.institution]
    ds = Dataset()
    ds.Manufacturer = MANUFACTURER
    ds.ManufacturerModelName = model
    ds.InstitutionName = inst.name
    ds.InstitutionalDepartmentName = inst.department
    ds.StationName = inst.station
    ds.SoftwareVersions = "1.0"
    return ds


def sop_common(sop_class_uid: str, sop_instance_uid: str) -> Dataset:
    """SOP Common Module (PS3.3 C.12.1); GB18030 covers the Chinese names (PS3.3 C.12.1.1.2)."""
    ds = Dataset()
    ds.SpecificCharacterSet = CHARSET
    ds.SOPClassUID = sop_class_uid
    ds.SOPInstanceUID = sop_instance_uid
    return ds


def study_uid(s: StudyDef) -> str:
    return demo_uid("study", s.key)


def series_uid(s: StudyDef, number: int) -> str:
    return demo_uid("series", s.key, number)


def instance_uid(s: StudyDef, series_number: int, instance_number: int) -> str:
    return demo_uid("instance", s.key, series_number, instance_number)


def frame_of_reference_uid(s: StudyDef) -> str:
    # One frame of reference per study: all series of a study share the patient position.
    return demo_uid("frame-of-reference", s.key)


def add_seconds(hhmmss: str, seconds: int) -> str:
    """``hhmmss`` plus ``seconds`` (never crosses midnight in this scenario)."""
    total = int(hhmmss[:2]) * 3600 + int(hhmmss[2:4]) * 60 + int(hhmmss[4:6]) + seconds
    if total >= 86400:
        raise ValueError("time crosses midnight")
    return f"{total // 3600:02d}{total // 60 % 60:02d}{total % 60:02d}"


def merge(*parts: Dataset) -> Dataset:
    """One dataset holding the elements of all ``parts`` (later parts win)."""
    out = Dataset()
    for part in parts:
        for elem in part:
            out.add(elem)
    return out


def image_pixel_module(
    rows: int,
    columns: int,
    photometric: str,
    bits_stored: int,
    samples: int = 1,
) -> Dataset:
    """Image Pixel Module description (PS3.3 C.7.6.3); pixel data is added later."""
    ds = Dataset()
    ds.SamplesPerPixel = samples
    ds.PhotometricInterpretation = photometric
    if samples > 1:
        ds.PlanarConfiguration = 0
    ds.Rows = rows
    ds.Columns = columns
    ds.BitsAllocated = 8 if bits_stored <= 8 else 16
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 0
    return ds


def windows(centres: Sequence[float], widths: Sequence[float], names: Sequence[str]) -> Dataset:
    """VOI LUT Module windows (PS3.3 C.11.2) with their explanations."""
    ds = Dataset()
    ds.WindowCenter = ds_list(centres)
    ds.WindowWidth = ds_list(widths)
    ds.WindowCenterWidthExplanation = list(names)
    return ds
