"""An enhanced CT (one file, its frames placed in the patient by the Plane Position and
Orientation functional groups) is stacked by those places as a CT's slices are: sorted
along the normal, with a location, linked scrolling and MPR; a cine without places stays
a film in file order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset
from pydicom.uid import EnhancedCTImageStorage, generate_uid

from tests.support.dicom_files import new_instance
from viewer.imaging.frames import load_frames
from viewer.session.mpr import can_reformat
from viewer.session.reading import OpenSeries

FRAMES = 5


def item(**values: object) -> Dataset:
    ds = Dataset()
    for keyword, value in values.items():
        setattr(ds, keyword, value)
    return ds


def enhanced_ct(path: Path, *, placed: bool = True) -> Path:
    """Frame f (1-based, file order) at z = 2 * (FRAMES - f) mm: the file runs head to
    feet; its pixels hold f * 100 stored, HU = stored - 1024 (shared groups)."""
    ds = new_instance(EnhancedCTImageStorage)
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.FrameOfReferenceUID = generate_uid()
    ds.PatientName, ds.PatientID, ds.Modality = "Test^Enhanced", "E1", "CT"
    ds.Rows, ds.Columns, ds.NumberOfFrames = 8, 8, FRAMES
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    shared = item(
        PixelMeasuresSequence=[item(PixelSpacing=[0.8, 0.8], SliceThickness=2.0)],
        PixelValueTransformationSequence=[
            item(RescaleSlope=1, RescaleIntercept=-1024, RescaleType="HU")
        ],
        FrameVOILUTSequence=[item(WindowCenter=40, WindowWidth=400)],
    )
    if placed:
        shared.PlaneOrientationSequence = [item(ImageOrientationPatient=[1, 0, 0, 0, 1, 0])]
    ds.SharedFunctionalGroupsSequence = [shared]
    ds.PerFrameFunctionalGroupsSequence = [
        item(PlanePositionSequence=[item(ImagePositionPatient=[0, 0, 2.0 * (FRAMES - f)])])
        if placed
        else item()
        for f in range(1, FRAMES + 1)
    ]
    pixels = np.stack([np.full((8, 8), f * 100, dtype="<u2") for f in range(1, FRAMES + 1)])
    ds.PixelData = pixels.tobytes()
    ds.save_as(path, enforce_file_format=True)
    return path


def test_an_enhanced_ct_is_stacked_by_its_frames_places(tmp_path: Path) -> None:
    volume = load_frames([enhanced_ct(tmp_path / "ct.dcm")])
    stack = volume.stack
    assert stack.placed and stack.oriented
    assert list(stack.distances) == [0.0, 2.0, 4.0, 6.0, 8.0]  # feet to head
    assert [int(volume.voxels[k][0, 0]) for k in range(FRAMES)] == [500, 400, 300, 200, 100]
    assert volume.headers[0].get("SliceThickness") == 2.0
    series = OpenSeries("s", "x", volume)
    assert series.window is not None and series.window.center == 40  # the shared groups'
    assert can_reformat(series)


def test_a_multi_frame_without_places_stays_a_film_in_file_order(tmp_path: Path) -> None:
    volume = load_frames([enhanced_ct(tmp_path / "cine.dcm", placed=False)])
    assert not volume.stack.placed
    assert [int(volume.voxels[k][0, 0]) for k in range(FRAMES)] == [100, 200, 300, 400, 500]
