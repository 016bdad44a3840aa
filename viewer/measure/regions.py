"""Region statistics: which pixels a region holds, and their values in modality units.

A pixel belongs to a region when its centre lies inside the outline (pixel centres at
integer coordinates, as everywhere in :mod:`viewer.measure`); on the boundary counts as
inside. The statistics are of modality values (PS3.3 C.11.1: stored values through the
Modality LUT or rescale — HU for a CT), never of displayed grey levels, so W/L never
changes them. The SD is the sample standard deviation (n − 1), as the spread of the
tissue the region samples.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.measure.shapes import Point

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class RegionStats:
    count: int  # pixels whose centres lie inside
    mean: float
    sd: float  # sample SD (n - 1); 0 for a single pixel
    minimum: float
    maximum: float


def rectangle_mask(shape: tuple[int, int], corner: Point, opposite: Point) -> BoolArray:
    rows, columns = np.ogrid[: shape[0], : shape[1]]
    (x0, x1), (y0, y1) = sorted((corner[0], opposite[0])), sorted((corner[1], opposite[1]))
    return (columns >= x0) & (columns <= x1) & (rows >= y0) & (rows <= y1)


def ellipse_mask(shape: tuple[int, int], corner: Point, opposite: Point) -> BoolArray:
    """The ellipse inscribed in the rectangle ``corner``–``opposite``."""
    cx, cy = (corner[0] + opposite[0]) / 2, (corner[1] + opposite[1]) / 2
    rx, ry = abs(opposite[0] - corner[0]) / 2, abs(opposite[1] - corner[1]) / 2
    rows, columns = np.ogrid[: shape[0], : shape[1]]
    if rx == 0 or ry == 0:
        return np.zeros(shape, dtype=bool)
    return ((columns - cx) / rx) ** 2 + ((rows - cy) / ry) ** 2 <= 1.0


def polygon_mask(shape: tuple[int, int], points: Sequence[Point]) -> BoolArray:
    """The pixels inside a closed outline (even–odd rule, so a freehand outline that
    crosses itself is read as the eye reads it), tested over its bounding box only."""
    mask = np.zeros(shape, dtype=bool)
    xy = np.asarray(points, dtype=float)
    if len(xy) < 3:
        return mask
    c0, r0 = np.maximum(np.floor(xy.min(axis=0)).astype(int), 0)
    c1, r1 = np.minimum(np.ceil(xy.max(axis=0)).astype(int), [shape[1] - 1, shape[0] - 1])
    if c1 < c0 or r1 < r0:
        return mask
    rows, columns = np.mgrid[r0 : r1 + 1, c0 : c1 + 1]
    x, y = columns.astype(float), rows.astype(float)
    inside = np.zeros(x.shape, dtype=bool)
    for (xa, ya), (xb, yb) in zip(xy, np.roll(xy, -1, axis=0), strict=True):
        if ya == yb:
            continue
        crosses = (ya > y) != (yb > y)
        at = xa + (y - ya) * (xb - xa) / (yb - ya)
        inside ^= crosses & (x < at)
    mask[r0 : r1 + 1, c0 : c1 + 1] = inside | _on_outline(x, y, xy)
    return mask


def region_stats(values: npt.NDArray[Any], mask: BoolArray) -> RegionStats | None:
    """Statistics of ``values`` where ``mask`` is set; None when no pixel centre is in."""
    picked = np.asarray(values, dtype=np.float64)[mask]
    if picked.size == 0:
        return None
    sd = float(picked.std(ddof=1)) if picked.size > 1 else 0.0
    return RegionStats(
        int(picked.size), float(picked.mean()), sd, float(picked.min()), float(picked.max())
    )


def _on_outline(x: npt.NDArray[Any], y: npt.NDArray[Any], xy: npt.NDArray[Any]) -> BoolArray:
    """Pixel centres on an edge of the outline (inside, as for the other shapes)."""
    on = np.zeros(x.shape, dtype=bool)
    for (xa, ya), (xb, yb) in zip(xy, np.roll(xy, -1, axis=0), strict=True):
        dx, dy = xb - xa, yb - ya
        span = dx * dx + dy * dy
        if span == 0:
            on |= (x == xa) & (y == ya)
            continue
        t = ((x - xa) * dx + (y - ya) * dy) / span
        cross = (x - xa) * dy - (y - ya) * dx
        on |= (np.abs(cross) <= 1e-9 * np.sqrt(span)) & (t >= 0) & (t <= 1)
    return on
