"""Slice geometry: sorting, stacks, their warnings and the index ↔ patient mapping.

PS3.3 C.7.6.2.1.1: Image Position (Patient) (0020,0032) DS 3 is the centre of the first
transmitted pixel in mm, Image Orientation (Patient) (0020,0037) DS 6 the row and column
direction cosines, in the LPS patient coordinate system. A pixel at column i, row j is at

    P = S + X·Δi·i + Y·Δj·j

with S the position, X the row cosine, Y the column cosine, Δi the column spacing
(Pixel Spacing (0028,0030) value 2) and Δj the row spacing (value 1). Slices sort by
their position along the normal X × Y.

Warnings are values (``GeometryWarning``), never exceptions or log lines: a loader lowers
its confidence and says why. Tolerances:

- missing slices: a gap more than ``MISSING_FACTOR`` (1.5) × the typical spacing, the
  median gap between neighbours;
- uneven spacing: any other gap off the typical one by more than ``UNEVEN_RTOL`` (1 %);
- gantry tilt: the line through the slice positions more than ``TILT_TOLERANCE_DEG``
  (0.1°) off the normal;
- same orientation: cosines within ``ORIENTATION_TOLERANCE`` (1e-3) of each other;
- duplicate positions: neighbours closer than ``POSITION_TOLERANCE`` (1e-3 mm).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset

from viewer.imaging.modality_lut import functional_group_item

FloatArray = npt.NDArray[np.float64]
Vector = tuple[float, float, float]

MISSING_FACTOR = 1.5
UNEVEN_RTOL = 0.01
TILT_TOLERANCE_DEG = 0.1
ORIENTATION_TOLERANCE = 1e-3
POSITION_TOLERANCE = 1e-3


class GeometryIssue(StrEnum):
    NO_POSITION = "no_position"  # no Image Position/Orientation: the slice cannot be placed
    NO_PIXEL_SPACING = "no_pixel_spacing"  # 1 mm assumed: distances are not real
    MISSING_SLICES = "missing_slices"
    UNEVEN_SPACING = "uneven_spacing"
    GANTRY_TILT = "gantry_tilt"
    DUPLICATE_POSITIONS = "duplicate_positions"
    MIXED_ORIENTATION = "mixed_orientation"
    MIXED_SIZE = "mixed_size"
    MIXED_FRAME_OF_REFERENCE = "mixed_frame_of_reference"


@dataclass(frozen=True)
class GeometryWarning:
    issue: GeometryIssue
    message: str
    slices: tuple[int, ...] = ()  # input indices concerned
    value: float | None = None  # the gap in mm, the tilt in degrees, …


@dataclass(frozen=True)
class SliceGeometry:
    """Where one slice (or frame) lies; ``pixel_spacing`` is (row, column) as in the file."""

    position: Vector
    row_cosine: Vector
    column_cosine: Vector
    rows: int
    columns: int
    pixel_spacing: tuple[float, float] | None = None
    frame_of_reference: str = ""
    spacing_hint: float | None = None  # Spacing Between Slices, else Slice Thickness

    @property
    def normal(self) -> FloatArray:
        normal = np.cross(self.row_cosine, self.column_cosine)
        return normal / np.linalg.norm(normal)


@dataclass(frozen=True)
class Stack:
    """Slices of one orientation, size and frame of reference, sorted along the normal.

    ``indices`` point into the input, in sorted order. ``slice_step`` is the mean vector
    from one slice to the next, so the mapping is exact for evenly spaced stacks, tilted
    ones included; ``slice_spacing`` is the typical distance along the normal.
    """

    indices: tuple[int, ...]
    distances: tuple[float, ...]  # along the normal, ascending
    origin: Vector
    row_cosine: Vector
    column_cosine: Vector
    normal: Vector
    pixel_spacing: tuple[float, float]  # (row, column) in mm
    slice_spacing: float
    slice_step: Vector
    rows: int
    columns: int
    warnings: tuple[GeometryWarning, ...] = ()
    # Whether the cosines are the images' own (edge letters may be shown), and whether
    # the images have positions in patient space (a radiograph's stack has neither
    # necessarily: viewer.imaging.projection).
    oriented: bool = True
    placed: bool = True

    @property
    def spacing(self) -> tuple[float, float, float]:
        """(row, column, slice) spacing in mm."""
        return (*self.pixel_spacing, self.slice_spacing)

    @property
    def vtk_spacing(self) -> tuple[float, float, float]:
        """(Δi, Δj, Δk) for vtkImageData: column spacing, row spacing, slice step length."""
        return (
            self.pixel_spacing[1],
            self.pixel_spacing[0],
            float(np.linalg.norm(self.slice_step)),
        )

    @property
    def direction(self) -> FloatArray:
        """3×3, columns: row cosine, column cosine, slice step direction (the normal unless
        tilted). vtkImageData.SetDirectionMatrix takes it as is."""
        step = np.asarray(self.slice_step)
        return np.column_stack([self.row_cosine, self.column_cosine, step / np.linalg.norm(step)])

    @property
    def affine(self) -> FloatArray:
        """4×4 from (i, j, k, 1) to (x, y, z, 1), C.7.6.2.1.1 extended along the stack."""
        matrix = np.eye(4)
        matrix[:3, 0] = np.multiply(self.row_cosine, self.pixel_spacing[1])
        matrix[:3, 1] = np.multiply(self.column_cosine, self.pixel_spacing[0])
        matrix[:3, 2] = self.slice_step
        matrix[:3, 3] = self.origin
        return matrix

    def index_to_patient(self, ijk: npt.ArrayLike) -> FloatArray:
        """(column i, row j, slice k) → (x, y, z) mm in LPS; any leading shape."""
        points = np.asarray(ijk, dtype=np.float64)
        return points @ self.affine[:3, :3].T + self.affine[:3, 3]

    def patient_to_index(self, xyz: npt.ArrayLike) -> FloatArray:
        """(x, y, z) mm → fractional (i, j, k): the inverse of ``index_to_patient``."""
        points = np.asarray(xyz, dtype=np.float64) - self.affine[:3, 3]
        return points @ np.linalg.inv(self.affine[:3, :3]).T


@dataclass(frozen=True)
class SeriesGeometry:
    """A series split into stacks (largest first) with series-level warnings."""

    stacks: tuple[Stack, ...]
    warnings: tuple[GeometryWarning, ...] = ()
    unplaced: tuple[int, ...] = ()  # input indices without geometry

    @property
    def all_warnings(self) -> tuple[GeometryWarning, ...]:
        return self.warnings + tuple(w for stack in self.stacks for w in stack.warnings)


def slice_geometry(ds: Dataset) -> SliceGeometry | None:
    """The geometry of a single-frame image, or None without position or orientation."""
    return _geometry(ds, ds, ds)


def frame_geometries(ds: Dataset) -> list[SliceGeometry | None]:
    """Per-frame geometry of an enhanced multi-frame image (PS3.3 C.7.6.16.2.3-4, .1).

    Plane Position (5200,9230 → 0020,9113), Plane Orientation (0020,9116) and Pixel
    Measures (0028,9110) functional groups, each per-frame over shared.
    """
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    return [frame_geometry(ds, frame) for frame in range(frames)]


def frame_geometry(ds: Dataset, frame: int) -> SliceGeometry | None:
    """The geometry of frame ``frame`` (0-based) of an enhanced image, as
    :func:`frame_geometries` gives it, without reading the other frames' groups."""
    position = functional_group_item(ds, "PlanePositionSequence", frame)
    orientation = functional_group_item(ds, "PlaneOrientationSequence", frame)
    measures = functional_group_item(ds, "PixelMeasuresSequence", frame)
    if position is None or orientation is None:
        return None
    return _geometry(ds, position, orientation, measures)


def _geometry(
    ds: Dataset, position: Dataset, orientation: Dataset, measures: Dataset | None = None
) -> SliceGeometry | None:
    measures = ds if measures is None else measures
    hint = _floats(measures.get("SpacingBetweenSlices")) or _floats(measures.get("SliceThickness"))
    return plane_geometry(
        _floats(position.get("ImagePositionPatient")),
        _floats(orientation.get("ImageOrientationPatient")),
        int(ds.get("Rows", 0)),
        int(ds.get("Columns", 0)),
        _floats(measures.get("PixelSpacing")),
        str(ds.get("FrameOfReferenceUID", "")),
        hint[0] if hint else None,
    )


def plane_geometry(
    ipp: Sequence[float],
    iop: Sequence[float],
    rows: int,
    columns: int,
    pixel_spacing: Sequence[float],
    frame_of_reference: str,
    spacing_hint: float | None,
) -> SliceGeometry | None:
    """A slice's geometry from its values (Image Plane Module, PS3.3 C.7.6.2); None
    without a position or a usable orientation. ``spacing_hint``: Spacing Between Slices,
    else Slice Thickness."""
    if len(ipp) != 3 or len(iop) != 6 or np.linalg.norm(np.cross(iop[:3], iop[3:])) < 0.5:
        return None
    return SliceGeometry(
        (ipp[0], ipp[1], ipp[2]),
        (iop[0], iop[1], iop[2]),
        (iop[3], iop[4], iop[5]),
        rows,
        columns,
        (pixel_spacing[0], pixel_spacing[1])
        if len(pixel_spacing) == 2 and min(pixel_spacing) > 0
        else None,
        frame_of_reference,
        abs(spacing_hint) if spacing_hint else None,
    )


def positive_pair(value: Any) -> tuple[float, float] | None:
    """Two finite positive numbers (a Pixel Spacing, an Imager Pixel Spacing), or None
    for anything else a damaged header may hold."""
    try:
        pair = [float(v) for v in (value or [])]
    except (TypeError, ValueError):
        return None
    if len(pair) != 2 or not all(np.isfinite(pair)) or min(pair) <= 0:
        return None
    return (pair[0], pair[1])


def _floats(value: Any) -> list[float]:
    if value is None or value == "":
        return []
    if isinstance(value, str | int | float):
        return [float(value)]
    return [float(v) for v in value]


def split_stacks(slices: Sequence[SliceGeometry | None]) -> SeriesGeometry:
    """Group slices by orientation, size and frame of reference, then sort each group."""
    placed = {index: item for index, item in enumerate(slices) if item is not None}
    unplaced = [index for index, item in enumerate(slices) if item is None]
    groups: list[list[int]] = []
    for index, item in placed.items():
        for group in groups:
            if _same_kind(placed[group[0]], item):
                group.append(index)
                break
        else:
            groups.append([index])
    groups.sort(key=lambda g: (-len(g), g[0]))
    stacks = tuple(sort_slices([placed[i] for i in g], g) for g in groups)
    warnings = _series_warnings([placed[g[0]] for g in groups], groups)
    if unplaced:
        warnings.insert(
            0,
            GeometryWarning(
                GeometryIssue.NO_POSITION,
                f"{len(unplaced)} image(s) without position or orientation",
                tuple(unplaced),
            ),
        )
    return SeriesGeometry(stacks, tuple(warnings), tuple(unplaced))


def _same_kind(a: SliceGeometry, b: SliceGeometry) -> bool:
    return all(_alike(issue, a, b) for issue, _ in _MIXED)


def _series_warnings(
    firsts: Sequence[SliceGeometry], groups: Sequence[Sequence[int]]
) -> list[GeometryWarning]:
    """One warning per property that differs between stacks of the series."""
    everything = tuple(i for group in groups for i in group)
    warnings = []
    for issue, what in _MIXED:
        kinds: list[SliceGeometry] = []
        for first in firsts:
            if not any(_alike(issue, first, kind) for kind in kinds):
                kinds.append(first)
        if len(kinds) > 1:
            warnings.append(
                GeometryWarning(issue, f"{len(kinds)} {what} in one series", everything)
            )
    return warnings


_MIXED = (
    (GeometryIssue.MIXED_ORIENTATION, "orientations"),
    (GeometryIssue.MIXED_SIZE, "image sizes"),
    (GeometryIssue.MIXED_FRAME_OF_REFERENCE, "frames of reference"),
)


def _alike(issue: GeometryIssue, a: SliceGeometry, b: SliceGeometry) -> bool:
    if issue is GeometryIssue.MIXED_SIZE:
        return (a.rows, a.columns) == (b.rows, b.columns)
    if issue is GeometryIssue.MIXED_FRAME_OF_REFERENCE:
        return a.frame_of_reference == b.frame_of_reference
    cosines_a = np.array(a.row_cosine + a.column_cosine)
    return bool(np.allclose(cosines_a, b.row_cosine + b.column_cosine, atol=ORIENTATION_TOLERANCE))


def sort_slices(slices: Sequence[SliceGeometry], indices: Sequence[int] | None = None) -> Stack:
    """Sort slices of one orientation along their normal and check the stack.

    The distance of a slice along the stack is ``normal · position``; slices sort by it,
    ascending (ties keep input order). ``indices`` name the slices in the caller's list
    (default 0 … n−1). The orientation, size and spacing of the first slice are used.
    """
    if not slices:
        raise ValueError("no slices to sort")
    names = list(range(len(slices))) if indices is None else list(indices)
    first = slices[0]
    normal = first.normal
    distances = np.array([float(np.dot(normal, s.position)) for s in slices])
    order = np.argsort(distances, kind="stable")
    positions = np.array([slices[i].position for i in order], dtype=np.float64)
    sorted_names = tuple(names[i] for i in order)
    gaps = np.diff(distances[order])
    typical = _typical_gap(gaps, first.spacing_hint)
    if len(slices) > 1 and np.linalg.norm(positions[-1] - positions[0]) > POSITION_TOLERANCE:
        step = (positions[-1] - positions[0]) / (len(slices) - 1)
    else:
        step = normal * typical
    warnings = _spacing_warnings(gaps, typical, sorted_names)
    warnings += _tilt_warning(step, normal, sorted_names, len(slices))
    if first.pixel_spacing is None:
        warnings.append(
            GeometryWarning(
                GeometryIssue.NO_PIXEL_SPACING, "no Pixel Spacing: 1 mm assumed", sorted_names
            )
        )
    return Stack(
        indices=sorted_names,
        distances=tuple(float(d) for d in distances[order]),
        origin=_vector(positions[0]),
        row_cosine=first.row_cosine,
        column_cosine=first.column_cosine,
        normal=_vector(normal),
        pixel_spacing=first.pixel_spacing or (1.0, 1.0),
        slice_spacing=typical,
        slice_step=_vector(step),
        rows=first.rows,
        columns=first.columns,
        warnings=tuple(warnings),
    )


def _vector(values: FloatArray) -> Vector:
    return (float(values[0]), float(values[1]), float(values[2]))


def _typical_gap(gaps: FloatArray, hint: float | None) -> float:
    """The median gap between distinct neighbours; a lone slice uses the file's hint or 1 mm."""
    distinct = gaps[gaps > POSITION_TOLERANCE]
    if distinct.size:
        return float(np.median(distinct))
    return hint or 1.0


def _spacing_warnings(
    gaps: FloatArray, typical: float, names: tuple[int, ...]
) -> list[GeometryWarning]:
    warnings = []
    duplicates = np.flatnonzero(gaps <= POSITION_TOLERANCE)
    if duplicates.size:
        slices = tuple(sorted({names[i] for d in duplicates for i in (d, d + 1)}))
        warnings.append(
            GeometryWarning(
                GeometryIssue.DUPLICATE_POSITIONS,
                f"{duplicates.size} slice(s) share a position with a neighbour",
                slices,
            )
        )
    missing = np.flatnonzero(gaps > MISSING_FACTOR * typical)
    if missing.size:
        count = int(sum(round(gaps[i] / typical) - 1 for i in missing))
        warnings.append(
            GeometryWarning(
                GeometryIssue.MISSING_SLICES,
                f"about {max(count, 1)} slice(s) missing; typical spacing {typical:g} mm",
                tuple(names[i] for d in missing for i in (d, d + 1)),
                float(gaps[missing].max()),
            )
        )
    regular = (gaps > POSITION_TOLERANCE) & (gaps <= MISSING_FACTOR * typical)
    uneven = np.flatnonzero(regular & (np.abs(gaps - typical) > UNEVEN_RTOL * typical))
    if uneven.size:
        worst = float(np.abs(gaps[uneven] - typical).max())
        warnings.append(
            GeometryWarning(
                GeometryIssue.UNEVEN_SPACING,
                f"slice spacing varies by up to {worst:g} mm around {typical:g} mm",
                tuple(sorted({names[i] for d in uneven for i in (d, d + 1)})),
                worst,
            )
        )
    return warnings


def _tilt_warning(
    step: FloatArray, normal: FloatArray, names: tuple[int, ...], count: int
) -> list[GeometryWarning]:
    length = float(np.linalg.norm(step))
    if count < 2 or length <= POSITION_TOLERANCE:
        return []
    angle = float(np.degrees(np.arccos(min(1.0, abs(float(np.dot(step, normal))) / length))))
    if angle <= TILT_TOLERANCE_DEG:
        return []
    return [
        GeometryWarning(
            GeometryIssue.GANTRY_TILT,
            f"slices are stacked {angle:.2f}° off their normal (gantry tilt)",
            names,
            angle,
        )
    ]
