"""Slice sorting, stacks and their warnings, index ↔ patient mapping (PS3.3 C.7.6.2.1.1)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydicom.dataset import Dataset

from viewer.imaging.geometry import (
    GeometryIssue,
    GeometryWarning,
    SliceGeometry,
    frame_geometries,
    slice_geometry,
    sort_slices,
    split_stacks,
)

AXIAL = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0))
SAGITTAL = ((0.0, 1.0, 0.0), (0.0, 0.0, -1.0))  # normal (−1, 0, 0)
PIXEL_SPACING_ROW_COL = (0.5, 0.8)  # anisotropic, so a row/column swap shows
SPACING = 2.5


def _slice(
    position: tuple[float, float, float],
    orientation: tuple[tuple[float, float, float], tuple[float, float, float]] = AXIAL,
    size: tuple[int, int] = (4, 6),
    spacing: tuple[float, float] | None = PIXEL_SPACING_ROW_COL,
) -> SliceGeometry:
    return SliceGeometry(position, *orientation, *size, spacing, "1.2.3")


def _axial_stack(zs: list[float], y_shift_per_slice: float = 0.0) -> list[SliceGeometry]:
    return [_slice((-100.0, -120.0 + i * y_shift_per_slice, z)) for i, z in enumerate(zs)]


REGULAR_Z = [i * SPACING for i in range(12)]


def _issues(stack_warnings: tuple[GeometryWarning, ...]) -> set[GeometryIssue]:
    return {w.issue for w in stack_warnings}


class TestSortSlices:
    def test_shuffled_slices_sort_along_the_normal(self) -> None:
        order = np.random.default_rng(7).permutation(len(REGULAR_Z))
        shuffled = [_axial_stack(REGULAR_Z)[i] for i in order]
        stack = sort_slices(shuffled)
        assert [shuffled[i].position[2] for i in stack.indices] == REGULAR_Z
        assert stack.origin == (-100.0, -120.0, 0.0)
        assert stack.slice_spacing == pytest.approx(SPACING)

    def test_sagittal_slices_sort_by_position_along_minus_x(self) -> None:
        xs = [3.0, -1.0, 1.0, 5.0, -3.0]
        stack = sort_slices([_slice((x, 0.0, 0.0), SAGITTAL) for x in xs])
        assert [xs[i] for i in stack.indices] == [5.0, 3.0, 1.0, -1.0, -3.0]
        assert stack.normal == (-1.0, 0.0, 0.0)

    def test_regular_stack_raises_no_warning(self) -> None:
        assert sort_slices(_axial_stack(REGULAR_Z)).warnings == ()

    def test_vtk_origin_spacing_and_direction(self) -> None:
        stack = sort_slices(_axial_stack(REGULAR_Z[::-1]))
        assert stack.spacing == pytest.approx((0.5, 0.8, SPACING))
        assert stack.vtk_spacing == pytest.approx((0.8, 0.5, SPACING))  # (Δi, Δj, Δk)
        np.testing.assert_allclose(stack.direction, np.eye(3))


class TestStackWarnings:
    def test_missing_slice(self) -> None:
        zs = REGULAR_Z[:5] + REGULAR_Z[6:]
        stack = sort_slices(_axial_stack(zs))
        assert _issues(stack.warnings) == {GeometryIssue.MISSING_SLICES}
        (warning,) = stack.warnings
        assert warning.value == pytest.approx(2 * SPACING)
        assert warning.slices == (4, 5)

    def test_uneven_spacing(self) -> None:
        zs = [*REGULAR_Z[:6], *(z + 0.3 for z in REGULAR_Z[6:])]  # one gap of 2.8 mm
        stack = sort_slices(_axial_stack(zs))
        assert _issues(stack.warnings) == {GeometryIssue.UNEVEN_SPACING}
        assert stack.warnings[0].value == pytest.approx(0.3)

    def test_spacing_within_one_percent_is_even(self) -> None:
        zs = [*REGULAR_Z[:6], *(z + 0.02 for z in REGULAR_Z[6:])]
        assert sort_slices(_axial_stack(zs)).warnings == ()

    def test_gantry_tilt(self) -> None:
        stack = sort_slices(_axial_stack(REGULAR_Z, y_shift_per_slice=0.5))
        assert _issues(stack.warnings) == {GeometryIssue.GANTRY_TILT}
        assert stack.warnings[0].value == pytest.approx(math.degrees(math.atan(0.5 / SPACING)))

    def test_duplicate_positions(self) -> None:
        stack = sort_slices(_axial_stack([0.0, 2.5, 2.5, 5.0]))
        assert _issues(stack.warnings) == {GeometryIssue.DUPLICATE_POSITIONS}

    def test_absent_pixel_spacing(self) -> None:
        slices = [_slice((0.0, 0.0, z), spacing=None) for z in REGULAR_Z]
        stack = sort_slices(slices)
        assert _issues(stack.warnings) == {GeometryIssue.NO_PIXEL_SPACING}
        assert stack.pixel_spacing == (1.0, 1.0)


class TestSplitStacks:
    def test_mixed_orientation_makes_two_stacks_largest_first(self) -> None:
        slices = [_slice((x, 0.0, 0.0), SAGITTAL) for x in (0.0, 1.0, 2.0)]
        slices += _axial_stack(REGULAR_Z[:5])
        series = split_stacks(slices)
        assert [len(s.indices) for s in series.stacks] == [5, 3]
        assert series.stacks[0].indices == (3, 4, 5, 6, 7)
        assert {w.issue for w in series.warnings} == {GeometryIssue.MIXED_ORIENTATION}

    def test_mixed_size(self) -> None:
        slices = [*_axial_stack(REGULAR_Z[:4]), _slice((0.0, 0.0, 50.0), size=(8, 8))]
        series = split_stacks(slices)
        assert len(series.stacks) == 2
        assert {w.issue for w in series.warnings} == {GeometryIssue.MIXED_SIZE}

    def test_images_without_geometry_are_unplaced(self) -> None:
        series = split_stacks([None, *_axial_stack(REGULAR_Z[:3])])
        assert series.unplaced == (0,)
        assert series.stacks[0].indices == (1, 2, 3)
        assert {w.issue for w in series.all_warnings} == {GeometryIssue.NO_POSITION}

    def test_one_regular_stack_has_no_warning(self) -> None:
        assert split_stacks(_axial_stack(REGULAR_Z)).all_warnings == ()


class TestIndexToPatient:
    def test_column_index_moves_along_the_row_cosine_by_the_column_spacing(self) -> None:
        stack = sort_slices([_slice((10.0, 20.0, z), SAGITTAL) for z in (0.0, 0.0)])
        # C.7.6.2.1.1: P = S + X·Δi·i + Y·Δj·j, X = (0,1,0), Δi = 0.8; Y = (0,0,−1), Δj = 0.5
        np.testing.assert_allclose(stack.index_to_patient([0, 0, 0]), [10, 20, 0])
        np.testing.assert_allclose(stack.index_to_patient([1, 0, 0]), [10, 20.8, 0])
        np.testing.assert_allclose(stack.index_to_patient([0, 1, 0]), [10, 20, -0.5])

    def test_slice_index_lands_on_each_slice_position(self) -> None:
        slices = _axial_stack(REGULAR_Z, y_shift_per_slice=0.5)  # tilted too
        stack = sort_slices(slices)
        for k, index in enumerate(stack.indices):
            np.testing.assert_allclose(stack.index_to_patient([0, 0, k]), slices[index].position)

    def test_round_trip(self) -> None:
        oblique = ((0.8, 0.6, 0.0), (0.0, 0.0, -1.0))
        stack = sort_slices([_slice((5.0 + 0.6 * z, -0.8 * z, 1.0), oblique) for z in range(5)])
        ijk = np.random.default_rng(3).uniform(-5, 50, size=(20, 3))
        np.testing.assert_allclose(stack.patient_to_index(stack.index_to_patient(ijk)), ijk)


class TestFromDatasets:
    def test_single_frame_dataset(self) -> None:
        ds = Dataset()
        ds.ImagePositionPatient = ["-100", "-120", "7.5"]
        ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
        ds.PixelSpacing = ["0.5", "0.8"]
        ds.Rows, ds.Columns = 4, 6
        ds.FrameOfReferenceUID = "1.2.3"
        ds.SliceThickness = "2.5"
        assert slice_geometry(ds) == SliceGeometry(
            (-100.0, -120.0, 7.5), *AXIAL, 4, 6, (0.5, 0.8), "1.2.3", 2.5
        )

    def test_dataset_without_orientation_has_no_geometry(self) -> None:
        ds = Dataset()
        ds.ImagePositionPatient = ["0", "0", "0"]
        assert slice_geometry(ds) is None

    def test_enhanced_multi_frame_functional_groups(self) -> None:
        orientation, measures, shared = Dataset(), Dataset(), Dataset()
        orientation.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        measures.PixelSpacing = [0.5, 0.8]
        shared.PlaneOrientationSequence = [orientation]
        shared.PixelMeasuresSequence = [measures]
        frames = []
        for z in (5.0, 0.0, 2.5):
            position, frame = Dataset(), Dataset()
            position.ImagePositionPatient = [0, 0, z]
            frame.PlanePositionSequence = [position]
            frames.append(frame)
        ds = Dataset()
        ds.NumberOfFrames, ds.Rows, ds.Columns = 3, 4, 6
        ds.SharedFunctionalGroupsSequence = [shared]
        ds.PerFrameFunctionalGroupsSequence = frames
        geometries = frame_geometries(ds)
        assert all(g is not None and g.pixel_spacing == (0.5, 0.8) for g in geometries)
        series = split_stacks(geometries)
        assert series.stacks[0].indices == (1, 2, 0)
