"""An enhanced CT (one file, its frames placed in the patient by the Plane Position and
Orientation functional groups) is stacked by those places as a CT's slices are: sorted
along the normal, with a location, linked scrolling and MPR; a cine without places stays
a film in file order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.uid import EnhancedCTImageStorage, generate_uid

from tests.support.dicom_files import new_instance
from viewer.imaging.export import display_image
from viewer.imaging.frames import load_frames
from viewer.imaging.modality_lut import apply_modality
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


def enhanced_mr(path: Path, slopes: list[float]) -> Path:
    """A cine of one frame per slope, each frame's own rescale (per-frame groups only, as
    an enhanced MR scales each frame): frame f holds a ramp whose modality values are
    f * 100 + 0 … 63 whatever its slope; a window on the first frame alone."""
    ds = new_instance(EnhancedCTImageStorage)
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.PatientName, ds.PatientID, ds.Modality = "Test^Scaled", "E2", "MR"
    ds.Rows, ds.Columns, ds.NumberOfFrames = 8, 8, len(slopes)
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
    ds.SharedFunctionalGroupsSequence = [item(PixelMeasuresSequence=[item(PixelSpacing=[1, 1])])]
    groups, frames = [], []
    for f, slope in enumerate(slopes, 1):
        truth = f * 100 + np.arange(64, dtype=np.float64).reshape(8, 8)
        frames.append(np.rint((truth - 10) / slope).astype("<u2"))
        group = item(
            PixelValueTransformationSequence=[item(RescaleSlope=slope, RescaleIntercept=10)]
        )
        if f == 1:
            group.FrameVOILUTSequence = [item(WindowCenter=200, WindowWidth=300)]
        groups.append(group)
    ds.PerFrameFunctionalGroupsSequence = groups
    ds.PixelData = np.stack(frames).tobytes()
    ds.save_as(path, enforce_file_format=True)
    return path


def test_per_frame_rescales_are_followed_and_the_screen_is_the_export(tmp_path: Path) -> None:
    slopes = [1.0, 0.5, 2.0, 0.25]
    path = enhanced_mr(tmp_path / "mr.dcm", slopes)
    series = OpenSeries("s", "x", load_frames([path]))
    assert series.window is not None and series.window.center == 200  # frame 1's own
    for k in range(len(slopes)):
        values = apply_modality(series.volume.voxels[k], series.chain.modality)
        truth = (k + 1) * 100 + np.arange(64).reshape(8, 8)
        # Within half the coarsest frame's step: the file's own rounding, nothing more.
        assert np.abs(values - truth).max() <= max(slopes) / 2
        export = display_image(dcmread(path), frame=k + 1, voi=series.window)
        assert np.abs(series.display_slice(k).astype(int) - export).max() <= 1
