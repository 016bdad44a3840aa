"""Images that have no place in patient space: radiographs, secondary captures, scans.

A projection radiograph (DX, CR, MG, XA frames) carries no Image Position/Orientation
(Patient); its rows and columns are described, if at all, by Patient Orientation
(0020,0020) (PS3.3 C.7.6.1.1.1): two strings of direction letters (L, R, A, P, H, F)
for the row direction (left to right) and the column direction (top to bottom). Such a
series is still read as a stack: its images in file order, one after another.

Only Pixel Spacing (0028,0030) calibrates a distance here; Imager Pixel Spacing is at
the detector, not at the patient, and is left to the measurement's own calibration.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from viewer.imaging.geometry import GeometryIssue, GeometryWarning, Stack, Vector, positive_pair

# DICOM's patient coordinate system (LPS, PS3.3 C.7.6.2.1.1): +x left, +y posterior,
# +z head.
LETTER_DIRECTIONS = {
    "L": (1.0, 0.0, 0.0),
    "R": (-1.0, 0.0, 0.0),
    "P": (0.0, 1.0, 0.0),
    "A": (0.0, -1.0, 0.0),
    "H": (0.0, 0.0, 1.0),
    "F": (0.0, 0.0, -1.0),
}


def direction_of(letters: str) -> Vector | None:
    """The unit vector of direction letters ("A", "FL"); None when any is unknown or
    they cancel out."""
    if not letters or any(ch not in LETTER_DIRECTIONS for ch in letters):
        return None
    total = np.sum([LETTER_DIRECTIONS[ch] for ch in letters], axis=0)
    norm = float(np.linalg.norm(total))
    if norm < 1e-6:
        return None
    x, y, z = (float(v) for v in total / norm)
    return (x, y, z)


def projection_stack(
    count: int, rows: int, columns: int, pixel_spacing: Any, patient_orientation: Any
) -> Stack:
    """``count`` images of ``rows`` × ``columns`` laid in file order.

    ``oriented`` is True only when Patient Orientation names both directions, and they
    are perpendicular: otherwise no edge letter may be shown (an unlabelled film is not
    guessed). Without Pixel Spacing the stack says so, as a sectional one does.
    """
    values = [str(v).strip().upper() for v in (patient_orientation or [])]
    row = direction_of(values[0]) if len(values) == 2 else None
    column = direction_of(values[1]) if len(values) == 2 else None
    oriented = row is not None and column is not None and abs(float(np.dot(row, column))) < 1e-3
    if not oriented or row is None or column is None:
        row, column = (1.0, 0.0, 0.0), (0.0, 1.0, 0.0)
    nx, ny, nz = (float(v) for v in np.cross(row, column))
    normal = (nx, ny, nz)
    spacing = positive_pair(pixel_spacing)
    warnings: tuple[GeometryWarning, ...] = ()
    if spacing is None:
        warnings = (
            GeometryWarning(
                GeometryIssue.NO_PIXEL_SPACING,
                "no Pixel Spacing: 1 mm assumed",
                tuple(range(count)),
            ),
        )
    return Stack(
        indices=tuple(range(count)),
        distances=tuple(float(k) for k in range(count)),
        origin=(0.0, 0.0, 0.0),
        row_cosine=row,
        column_cosine=column,
        normal=normal,
        pixel_spacing=spacing or (1.0, 1.0),
        slice_spacing=1.0,
        slice_step=normal,
        rows=rows,
        columns=columns,
        warnings=warnings,
        oriented=oriented,
        placed=False,
    )


def same_size(sizes: Sequence[tuple[int, int]]) -> list[int]:
    """Indices of the images the size of the first (the others cannot share a stack)."""
    return [i for i, size in enumerate(sizes) if size == sizes[0]]
