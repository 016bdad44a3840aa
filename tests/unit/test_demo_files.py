"""Every generated file is valid Part 10 DICOM and agrees with the manifest."""

from __future__ import annotations

import os
from pathlib import Path

import pydicom
import pytest
from pydicom.tag import Tag

from viewer.demo import Manifest
from viewer.uids import is_valid_uid

# Where tests/conftest.py's demo_data fixture generates the data set.
DEMO_DATA_DIR = Path(
    os.environ.get("QINGYING_DEMO_DATA", Path(__file__).resolve().parents[2] / ".demo" / "data")
)

TARGETS = ("platform", "pacs")
MODULE_TAGS = (
    "PatientName",
    "PatientID",
    "IssuerOfPatientID",
    "PatientBirthDate",
    "PatientSex",
    "StudyInstanceUID",
    "StudyDate",
    "StudyTime",
    "AccessionNumber",
    "StudyID",
    "ReferringPhysicianName",
    "StudyDescription",
    "SeriesInstanceUID",
    "SeriesNumber",
    "SeriesDescription",
    "Modality",
    "BodyPartExamined",
    "InstitutionName",
    "Manufacturer",
    "InstanceNumber",
)


def _files(target: str) -> list[Path]:
    return sorted((DEMO_DATA_DIR / target).rglob("*.dcm"))


def test_file_counts_match_manifest(demo_data: Manifest) -> None:
    for target in TARGETS:
        files = _files(target)
        counts = demo_data.counts[target]
        assert len(files) == counts.instances
        assert len({f.parent.parent for f in files}) == counts.studies
        assert len({f.parent for f in files}) == counts.series
        for study in demo_data.studies_in(target):
            for series in study.series:
                folder = Manifest.series_dir(DEMO_DATA_DIR, target, study, series)
                assert len(list(folder.glob("*.dcm"))) == series.instances


@pytest.mark.parametrize("target", TARGETS)
def test_every_file_reads_back_with_pydicom(demo_data: Manifest, target: str) -> None:
    series_by_uid = {s.series_instance_uid: s for st in demo_data.studies for s in st.series}
    for path in _files(target):
        ds = pydicom.dcmread(path)
        meta = ds.file_meta
        assert path.stem == ds.SOPInstanceUID == meta.MediaStorageSOPInstanceUID
        assert path.parent.name == ds.SeriesInstanceUID
        assert path.parent.parent.name == ds.StudyInstanceUID
        assert meta.MediaStorageSOPClassUID == ds.SOPClassUID
        series = series_by_uid[ds.SeriesInstanceUID]
        assert meta.TransferSyntaxUID == series.transfer_syntax_uid
        assert ds.SOPClassUID == series.sop_class_uid
        assert ds.SpecificCharacterSet == "GB18030"
        for keyword in MODULE_TAGS:
            assert keyword in ds, f"{path.name}: {keyword} missing"
        for uid in (ds.SOPInstanceUID, ds.SeriesInstanceUID, ds.StudyInstanceUID):
            assert is_valid_uid(uid)
        pixels = ds.pixel_array
        frames = int(ds.get("NumberOfFrames", 1))
        expected = (ds.Rows, ds.Columns) if ds.SamplesPerPixel == 1 else (ds.Rows, ds.Columns, 3)
        assert pixels.shape == ((frames, *expected) if frames > 1 else expected)


def test_instance_numbers_are_1_to_n(demo_data: Manifest) -> None:
    study = demo_data.study("p2-mr-2020")
    for series in study.series:
        folder = Manifest.series_dir(DEMO_DATA_DIR, "platform", study, series)
        numbers = sorted(
            int(pydicom.dcmread(f, stop_before_pixels=True).InstanceNumber)
            for f in folder.glob("*.dcm")
        )
        assert numbers == list(range(1, series.instances + 1))


def test_names_round_trip_through_gb18030(demo_data: Manifest) -> None:
    for study in demo_data.studies:
        target = study.targets[0]
        series = study.series[0]
        path = next(Manifest.series_dir(DEMO_DATA_DIR, target, study, series).glob("*.dcm"))
        raw = pydicom.dcmread(path, stop_before_pixels=True)
        patient = demo_data.patient(study.patient_key)
        # Raw bytes as stored: alphabetic=ideographic= all in GB18030.
        name = raw.get_item(Tag("PatientName")).value
        assert name.rstrip(b" ") == patient.name.encode("gb18030")
        assert name.rstrip(b" ") != patient.name.encode("utf-8")
        institution = raw.get_item(Tag("InstitutionName")).value
        assert institution.rstrip(b" ") == study.institution_name.encode("gb18030")
        # Decoded through the character set they come back unchanged.
        assert raw.PatientName.ideographic == patient.name.split("=")[1]
        assert raw.PatientName.alphabetic == patient.name.split("=")[0]
        assert raw.InstitutionName == study.institution_name
        assert raw.StudyDescription == study.study_description


def test_tags_agree_with_manifest(demo_data: Manifest) -> None:
    for study in demo_data.studies:
        for target in study.targets:
            for series in study.series:
                folder = Manifest.series_dir(DEMO_DATA_DIR, target, study, series)
                ds = pydicom.dcmread(next(folder.glob("*.dcm")), stop_before_pixels=True)
                assert ds.StudyDate == study.study_date
                assert ds.StudyTime == study.study_time
                assert ds.AccessionNumber == study.accession_number
                assert ds.BodyPartExamined == study.body_part_examined
                assert ds.Modality == series.modality in study.modalities
                assert ds.SeriesNumber == series.series_number


def test_patient_identity_depends_on_target(demo_data: Manifest) -> None:
    both = demo_data.studies_tagged("both")
    assert both
    for study in both:
        patient = demo_data.patient(study.patient_key)
        seen = {}
        for target in TARGETS:
            folder = Manifest.series_dir(DEMO_DATA_DIR, target, study, study.series[0])
            seen[target] = pydicom.dcmread(next(folder.glob("*.dcm")), stop_before_pixels=True)
        platform, pacs = seen["platform"], seen["pacs"]
        assert (platform.PatientID, platform.IssuerOfPatientID) == (patient.platform_id, "JS-EMPI")
        others = {(i.PatientID, i.IssuerOfPatientID) for i in platform.OtherPatientIDsSequence}
        assert others == {(mrn, issuer) for issuer, mrn in patient.mrns.items()}
        assert all(i.TypeOfPatientID == "TEXT" for i in platform.OtherPatientIDsSequence)
        assert (pacs.PatientID, pacs.IssuerOfPatientID) == (patient.mrns["NJGL"], "NJGL")
        linked = [(i.PatientID, i.IssuerOfPatientID) for i in pacs.OtherPatientIDsSequence]
        assert linked == [(patient.platform_id, "JS-EMPI")]
