"""Orientation letters for image edges and directions (PS3.3 C.7.6.1.1.1, C.7.6.2.1.1).

The patient coordinate system is LPS: +x towards the patient's Left, +y Posterior, +z
Head (superior); the opposite ends are Right, Anterior, Foot. A direction gets the letter
of each axis whose cosine magnitude is at least ``LETTER_THRESHOLD`` (0.25, i.e. within
about 75.5° of that axis), strongest first, so at most 3 letters: an axial row gives
"L", a 45° oblique "LP", a double oblique "LPH". The threshold keeps a few degrees of
patient rotation from adding a letter on every edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

LETTER_THRESHOLD = 0.25
PLANE_THRESHOLD = float(np.cos(np.radians(30)))  # normal within 30° of an axis names the plane

_LETTERS = (("L", "R"), ("P", "A"), ("H", "F"))  # (positive, negative) for x, y, z in LPS


class Plane(StrEnum):
    AXIAL = "axial"
    CORONAL = "coronal"
    SAGITTAL = "sagittal"
    OBLIQUE = "oblique"


@dataclass(frozen=True)
class EdgeLetters:
    """Letters shown at the middle of each image edge."""

    left: str
    right: str
    top: str
    bottom: str


def direction_letters(vector: npt.ArrayLike, threshold: float = LETTER_THRESHOLD) -> str:
    """The letters of the patient directions ``vector`` points to, strongest first."""
    v = np.asarray(vector, dtype=np.float64)
    v = v / np.linalg.norm(v)
    axes = sorted(range(3), key=lambda axis: -abs(v[axis]))
    return "".join(
        _LETTERS[axis][0 if v[axis] > 0 else 1] for axis in axes if abs(v[axis]) >= threshold
    )


def edge_letters(row_cosine: npt.ArrayLike, column_cosine: npt.ArrayLike) -> EdgeLetters:
    """Edge letters from Image Orientation (Patient) (0020,0037).

    Columns grow to the right along the row cosine, rows grow downwards along the column
    cosine, so the right edge points along the row cosine and the bottom edge along the
    column cosine.
    """
    row = np.asarray(row_cosine, dtype=np.float64)
    column = np.asarray(column_cosine, dtype=np.float64)
    return EdgeLetters(
        left=direction_letters(-row),
        right=direction_letters(row),
        top=direction_letters(-column),
        bottom=direction_letters(column),
    )


def plane(row_cosine: npt.ArrayLike, column_cosine: npt.ArrayLike) -> Plane:
    """Axial, coronal or sagittal when the normal is within 30° of z, y or x; else oblique."""
    normal = np.cross(np.asarray(row_cosine, float), np.asarray(column_cosine, float))
    normal = np.abs(normal / np.linalg.norm(normal))
    axis = int(np.argmax(normal))
    if normal[axis] < PLANE_THRESHOLD:
        return Plane.OBLIQUE
    return (Plane.SAGITTAL, Plane.CORONAL, Plane.AXIAL)[axis]
