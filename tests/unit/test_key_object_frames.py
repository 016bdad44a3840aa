"""Key frames of a multi-frame image travel in the Key Object Selection with their
frame numbers and come back as those frames (a cine's frame 3 is not its frame 1)."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest

from tests.support.colour_files import write_colour
from viewer.measure.key_objects import key_images_of, key_object_selection


def header(path: Path) -> pydicom.Dataset:
    ds = pydicom.dcmread(path, stop_before_pixels=True)
    ds.PatientBirthDate, ds.PatientSex, ds.StudyID = "19650314", "M", "1"
    ds.StudyDate, ds.StudyTime, ds.AccessionNumber = "20241105", "101500", "A1"
    ds.ReferringPhysicianName, ds.SeriesNumber = "", 1
    return ds


def test_key_frames_of_a_cine_come_back_as_those_frames(tmp_path: Path) -> None:
    cine = header(write_colour(tmp_path / "cine.dcm", frames=6))
    still = header(write_colour(tmp_path / "still.dcm"))
    still.StudyInstanceUID = cine.StudyInstanceUID  # key images of one study
    ko = key_object_selection([(cine, 5), (cine, 3), (still, 1)])
    again = pydicom.dcmread(_saved(ko, tmp_path / "ko.dcm"))
    series, sop = str(cine.SeriesInstanceUID), str(cine.SOPInstanceUID)
    found = key_images_of(again)
    assert (series, sop, 3) in found and (series, sop, 5) in found
    assert (str(still.SeriesInstanceUID), str(still.SOPInstanceUID), 1) in found
    assert len(found) == 3  # the cine named once, with both its frames


def test_an_instance_named_without_frames_is_its_first(tmp_path: Path) -> None:
    still = header(write_colour(tmp_path / "still.dcm"))
    ko = key_object_selection([(still, 1)])
    (reference,) = [
        item.ReferencedSOPSequence[0] for item in ko.ContentSequence if item.ValueType == "IMAGE"
    ]
    assert "ReferencedFrameNumber" not in reference  # a single frame: the instance alone
    assert key_images_of(ko) == [(str(still.SeriesInstanceUID), str(still.SOPInstanceUID), 1)]


def test_frame_numbers_that_are_no_frame_are_left_out(tmp_path: Path) -> None:
    cine = header(write_colour(tmp_path / "cine.dcm", frames=6))
    ko = key_object_selection([(cine, 2)])
    for item in ko.ContentSequence:
        if item.ValueType == "IMAGE":
            item.ReferencedSOPSequence[0].ReferencedFrameNumber = [0, -3, 2]
    assert [f for *_s, f in key_images_of(ko)] == [2]


def _saved(ds: pydicom.Dataset, path: Path) -> Path:
    ds.save_as(path, enforce_file_format=True)
    return path


pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
