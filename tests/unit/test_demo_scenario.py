"""The special cases of docs/demo-scenario.md hold in the generated data."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import numpy as np
import pydicom
from pydicom.dataset import Dataset

from viewer.demo import Manifest, StudyEntry

DEMO_DATA_DIR = Path(
    os.environ.get("QINGYING_DEMO_DATA", Path(__file__).resolve().parents[2] / ".demo" / "data")
)


def _first(study: StudyEntry, target: str, pixels: bool = False) -> Dataset:
    folder = Manifest.series_dir(DEMO_DATA_DIR, target, study, study.series[0])
    return pydicom.dcmread(sorted(folder.glob("*.dcm"))[0], stop_before_pixels=not pixels)


def _day(yyyymmdd: str) -> date:
    return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))


def test_study_in_both_targets_shares_uids(demo_data: Manifest) -> None:
    both = demo_data.studies_tagged("both")
    assert both
    for study in both:
        assert study.targets == ["platform", "pacs"]
        for series in study.series:
            trees = {
                t: sorted(
                    p.name for p in Manifest.series_dir(DEMO_DATA_DIR, t, study, series).iterdir()
                )
                for t in study.targets
            }
            assert trees["platform"] == trees["pacs"]
            name = trees["platform"][0]
            a, b = (
                pydicom.dcmread(Manifest.series_dir(DEMO_DATA_DIR, t, study, series) / name)
                for t in study.targets
            )
            assert a.StudyInstanceUID == b.StudyInstanceUID == study.study_instance_uid
            assert a.SeriesInstanceUID == b.SeriesInstanceUID
            assert a.SOPInstanceUID == b.SOPInstanceUID
            assert a.PixelData == b.PixelData
            assert a.PatientID != b.PatientID


def test_pacs_only_study_is_linked_to_the_platform_id(demo_data: Manifest) -> None:
    only = demo_data.studies_tagged("pacs_only")
    assert only
    for study in only:
        assert study.targets == ["pacs"]
        assert not (DEMO_DATA_DIR / "platform" / study.study_instance_uid).exists()
        ds = _first(study, "pacs")
        patient = demo_data.patient(study.patient_key)
        assert ds.OtherPatientIDsSequence[0].PatientID == patient.platform_id
        assert ds.OtherPatientIDsSequence[0].IssuerOfPatientID == "JS-EMPI"


def test_repeat_exam_within_30_days_at_another_hospital(demo_data: Manifest) -> None:
    repeats = [s for s in demo_data.studies if any(t.startswith("repeat_of:") for t in s.tags)]
    assert repeats
    for study in repeats:
        tag = next(t for t in study.tags if t.startswith("repeat_of:"))
        earlier = demo_data.study(tag.split(":", 1)[1])
        assert earlier.patient_key == study.patient_key
        assert earlier.modalities == study.modalities
        assert earlier.body_part_examined == study.body_part_examined
        assert earlier.institution_name != study.institution_name
        assert 0 < (_day(study.study_date) - _day(earlier.study_date)).days <= 30


def test_same_name_patient_is_distinct_and_in_the_pacs(demo_data: Manifest) -> None:
    p1, p4 = demo_data.patient("p1"), demo_data.patient("p4")
    assert p1.name == p4.name == "Wang^XiaoDong=王^小东="
    assert p1.birth_date != p4.birth_date
    assert p1.platform_id != p4.platform_id
    assert p1.mrns["NJGL"] != p4.mrns["NJGL"]
    in_pacs = {s.patient_key for s in demo_data.studies_in("pacs")}
    assert {"p1", "p4"} <= in_pacs


def test_each_patient_has_a_history_at_three_institutions(demo_data: Manifest) -> None:
    assert len(demo_data.patients) >= 4
    for patient in demo_data.patients:
        studies = [s for s in demo_data.studies if s.patient_key == patient.key]
        assert len({s.institution_name for s in studies}) >= 3
        assert len({s.study_date[:4] for s in studies}) >= 3
        modalities = {m for s in studies for m in s.modalities}
        assert {"CT", "MR", "US"} <= modalities
        assert modalities & {"CR", "DX"}
        assert set(patient.mrns) >= {"JSPH"}


def test_radiographs_are_monochrome1_with_imager_pixel_spacing(demo_data: Manifest) -> None:
    xrays = [s for s in demo_data.studies if s.modalities[0] in ("CR", "DX")]
    assert {s.modalities[0] for s in xrays} == {"CR", "DX"}
    for study in xrays:
        ds = _first(study, study.targets[0])
        assert ds.PhotometricInterpretation == "MONOCHROME1"
        assert len(ds.ImagerPixelSpacing) == 2
        assert "PixelSpacing" not in ds
        assert ds.BodyPartExamined == "CHEST"
        if ds.Modality == "DX":
            assert ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.1.1"
            assert ds.PresentationLUTShape == "INVERSE"
            assert float(ds.EstimatedRadiographicMagnificationFactor) > 1.0
        else:
            assert ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.1"


def test_ultrasound_is_calibrated_colour_multiframe(demo_data: Manifest) -> None:
    uss = [s for s in demo_data.studies if s.modalities == ["US"]]
    assert uss
    for study in uss:
        ds = _first(study, study.targets[0], pixels=True)
        assert ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.3.1"
        assert ds.PhotometricInterpretation == "RGB"
        assert ds.SamplesPerPixel == 3
        assert int(ds.NumberOfFrames) > 1
        assert float(ds.FrameTime) > 0
        region = ds.SequenceOfUltrasoundRegions[0]
        assert region.PhysicalUnitsXDirection == region.PhysicalUnitsYDirection == 3  # cm
        assert region.PhysicalDeltaX > 0 and region.PhysicalDeltaY > 0
        frames = ds.pixel_array
        assert frames.shape == (int(ds.NumberOfFrames), ds.Rows, ds.Columns, 3)
        colourful = (frames[..., 0].astype(int) - frames[..., 2]) != 0
        assert np.any(colourful)  # not grey in disguise


def test_manifest_counts_add_up(demo_data: Manifest) -> None:
    for target, counts in demo_data.counts.items():
        held = demo_data.studies_in(target)
        assert counts.studies == len(held)
        assert counts.instances == sum(s.instance_count for s in held)
        assert counts.series == sum(s.series_count for s in held)
    for study in demo_data.studies:
        assert study.series_count == len(study.series)
        assert study.instance_count == sum(s.instances for s in study.series)
