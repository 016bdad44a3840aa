"""Lengths, angles and areas of shapes drawn on an image, in its calibration's plane.

Points are image coordinates: (column, row), 0-based, pixel centres at integers — the
CLI's and the screen's. Each point is taken into the plane axis by axis
(:meth:`Calibration.to_plane`: column × column spacing, row × row spacing) before any
length or angle is computed, so pixels that are not square measure true: an angle
drawn on anisotropic pixels is the angle in the patient, not on the screen's grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.measure.calibration import Calibration

Point = tuple[float, float]


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str  # "mm", "px", "mm²", "px²", "°"


def length(calibration: Calibration, points: Sequence[Point]) -> Quantity:
    """The length along ``points`` (two: a distance; more: a polyline)."""
    if len(points) < 2:
        raise ValueError("a length needs two points at least")
    xy = calibration.to_plane(points)
    steps = np.diff(xy, axis=0)
    return Quantity(float(np.hypot(steps[:, 0], steps[:, 1]).sum()), calibration.unit)


def angle(calibration: Calibration, first: Point, vertex: Point, last: Point) -> Quantity:
    """The angle at ``vertex`` between the rays to ``first`` and ``last``, 0–180°."""
    a, v, c = calibration.to_plane([first, vertex, last])
    return Quantity(_between(a - v, c - v), "°")


def cobb(calibration: Calibration, line1: Sequence[Point], line2: Sequence[Point]) -> Quantity:
    """The Cobb angle between two lines (along two vertebral endplates), 0–180°: each
    line taken from its left end to its right, so a curve beyond 90° reads as such
    rather than as its supplement."""
    directions = []
    for line in (line1, line2):
        p, q = calibration.to_plane(line[:2])
        d = q - p
        directions.append(-d if d[0] < 0 or (d[0] == 0 and d[1] < 0) else d)
    return Quantity(_between(*directions), "°")


def rectangle_area(calibration: Calibration, corner: Point, opposite: Point) -> Quantity:
    (x0, y0), (x1, y1) = calibration.to_plane([corner, opposite])
    return Quantity(abs(x1 - x0) * abs(y1 - y0), calibration.unit + "²")


def ellipse_area(calibration: Calibration, corner: Point, opposite: Point) -> Quantity:
    """The ellipse inscribed in the rectangle ``corner``–``opposite`` (axes along the
    image's rows and columns): π a b."""
    (x0, y0), (x1, y1) = calibration.to_plane([corner, opposite])
    return Quantity(float(np.pi * abs(x1 - x0) / 2 * abs(y1 - y0) / 2), calibration.unit + "²")


def polygon_area(calibration: Calibration, points: Sequence[Point]) -> Quantity:
    """The area a closed outline encloses (the shoelace formula; the last point joins
    the first)."""
    if len(points) < 3:
        raise ValueError("an outline needs three points at least")
    xy = calibration.to_plane(points)
    x, y = xy[:, 0], xy[:, 1]
    twice = np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))
    return Quantity(float(abs(twice) / 2), calibration.unit + "²")


def _between(u: npt.NDArray[Any], v: npt.NDArray[Any]) -> float:
    nu, nv = float(np.hypot(*u)), float(np.hypot(*v))
    if nu == 0 or nv == 0:
        raise ValueError("an angle needs two rays of some length")
    # atan2 of cross and dot: exact near 0° and 180°, where acos loses digits.
    cross = float(u[0] * v[1] - u[1] * v[0])
    return float(np.degrees(np.arctan2(abs(cross), float(np.dot(u, v)))))
