"""Radiographs and other images without a place in patient space open as a stack in
file order; their edges are named only from Patient Orientation (PS3.3 C.7.6.1.1.1)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.support.dicom_files import new_instance
from viewer.imaging.geometry import GeometryIssue
from viewer.imaging.orientation import edge_letters
from viewer.imaging.projection import direction_of
from viewer.imaging.volume import load_volume

DX = "1.2.840.10008.5.1.4.1.1.1.1"  # Digital X-Ray Image Storage - For Presentation


def radiograph(
    path: Path,
    *,
    rows: int = 6,
    columns: int = 4,
    orientation: list[str] | None = None,
    spacing: list[float] | None = None,
    number: int = 1,
) -> Path:
    ds = new_instance(DX)
    ds.Modality, ds.InstanceNumber = "DX", number
    if orientation is not None:
        ds.PatientOrientation = orientation
    if spacing is not None:
        ds.PixelSpacing = spacing
    ds.Rows, ds.Columns = rows, columns
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME1"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.PixelData = (np.arange(rows * columns, dtype=np.uint16) * 10 * number).tobytes()
    ds.save_as(path, enforce_file_format=True)
    return path


def test_a_radiograph_opens_as_one_image_with_the_edges_its_orientation_names(
    tmp_path: Path,
) -> None:
    # A PA chest film as it is read: the patient's left on the screen's right (rows run
    # towards L), the head up (columns run towards F).
    path = radiograph(tmp_path / "chest.dcm", orientation=["L", "F"], spacing=[0.14, 0.14])
    volume = load_volume([path])
    assert volume.voxels.shape == (1, 6, 4)
    assert np.array_equal(volume.voxels[0].ravel(), np.arange(24) * 10)
    stack = volume.stack
    assert stack.oriented and not stack.placed
    assert stack.pixel_spacing == (0.14, 0.14) and volume.warnings == ()
    letters = edge_letters(stack.row_cosine, stack.column_cosine)
    assert (letters.left, letters.right, letters.top, letters.bottom) == ("R", "L", "H", "F")


def test_a_radiograph_without_orientation_or_spacing_names_no_edge_and_says_uncalibrated(
    tmp_path: Path,
) -> None:
    volume = load_volume([radiograph(tmp_path / "film.dcm")])
    assert not volume.stack.oriented
    assert [w.issue for w in volume.warnings] == [GeometryIssue.NO_PIXEL_SPACING]


def test_images_of_another_size_are_left_out_and_said_to_be(tmp_path: Path) -> None:
    paths = [
        radiograph(tmp_path / "1.dcm", number=1, spacing=[0.2, 0.2]),
        radiograph(tmp_path / "2.dcm", number=2, spacing=[0.2, 0.2]),
        radiograph(tmp_path / "3.dcm", number=3, rows=8, spacing=[0.2, 0.2]),
    ]
    volume = load_volume(paths)
    assert volume.voxels.shape == (2, 6, 4)
    assert volume.voxels[1, 0, 1] == 2 * 10  # the second file's, in file order
    (warning,) = volume.warnings
    assert warning.issue is GeometryIssue.MIXED_SIZE and warning.slices == (2,)


@pytest.mark.parametrize(
    ("letters", "expected"),
    [("L", (1.0, 0.0, 0.0)), ("A", (0.0, -1.0, 0.0)), ("F", (0.0, 0.0, -1.0))],
)
def test_direction_letters_are_dicom_patient_axes(
    letters: str, expected: tuple[float, float, float]
) -> None:
    assert direction_of(letters) == expected


def test_oblique_or_unknown_letters_are_not_guessed() -> None:
    oblique = direction_of("FL")
    assert oblique is not None and np.allclose(oblique, (2**-0.5, 0.0, -(2**-0.5)))
    assert direction_of("X") is None and direction_of("LR") is None and direction_of("") is None
