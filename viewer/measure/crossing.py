"""Where a measurement drawn on a slice meets an MPR reformat through the same volume.

A measurement lies in the plane of its slice ``k`` (image coordinates: column, row). A
reformat holds one index axis fixed — a column (``axis`` 0, sagittal of an axial stack)
or a row (``axis`` 1, coronal) — so it meets the slice's plane along one line of that
slice: ``column = at`` or ``row = at``. On that line a measurement shows as

- the parts of a region inside it (a rectangle, an ellipse, a freehand outline): the
  chord, drawn across the region on the reformat at the slice's height;
- the points where a line passes through it (a distance, a polyline, an angle's rays,
  a Cobb angle's or a bidirectional's lines): a mark there;
- a segment that lies along it (both ends within half a pixel of it), drawn whole;
- a probe, where it stands within half a pixel of it.

Nothing else is shown: a measurement that does not reach the plane is not in it.
Coordinates returned are the reformat's own index coordinates (``u``, ``v``): ``u`` the
slice's other in-plane axis (the row for ``axis`` 0, the column for ``axis`` 1), ``v``
the slice index ``k``. Pure geometry on the outline the slice view draws
(:mod:`viewer.measure.outline`), so both views show the same shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from viewer.measure.outline import Outline
from viewer.measure.shapes import Point
from viewer.measure.tools import Tool

REGIONS = (Tool.RECTANGLE, Tool.ELLIPSE, Tool.FREEHAND)
LINES = (Tool.LINE, Tool.POLYLINE, Tool.ANGLE, Tool.COBB, Tool.BIDIRECTIONAL)
HALF_PIXEL = 0.5  # a point this near the plane's line stands on it (pixel centres at integers)


@dataclass(frozen=True)
class Crossing:
    """What of a measurement lies on a reformat, in its (u, v) index coordinates."""

    segments: tuple[tuple[Point, Point], ...] = ()
    points: tuple[Point, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.segments or self.points)


def crossing(
    tool: Tool, shape: Outline, points: Sequence[Point], axis: int, at: float, k: int
) -> Crossing:
    """Where the measurement of ``tool`` drawn as ``shape`` (its ``points`` as the doctor
    placed them) on slice ``k`` meets the reformat holding index ``axis`` (0 column, 1
    row) at ``at``; an empty Crossing where it does not."""
    if axis not in (0, 1):
        raise ValueError("a reformat holds a column (0) or a row (1) fixed")
    w, u = axis, 1 - axis  # the coordinate the plane fixes, and the one along it
    v = float(k)
    if tool is Tool.PROBE:
        point = points[0]
        near = abs(point[w] - at) <= HALF_PIXEL
        return Crossing(points=((point[u], v),)) if near else Crossing()
    if tool in REGIONS:
        chords = [
            ((a, v), (b, v))
            for ring, closed in shape.lines
            if closed and len(ring) >= 3
            for a, b in _chords(ring, w, u, at)
        ]
        return Crossing(segments=tuple(chords))
    if tool in LINES:
        return _line_crossing(shape, w, u, at, v)
    return Crossing()  # an arrow, a note, a key mark, a calibration: nothing measured there


def _line_crossing(shape: Outline, w: int, u: int, at: float, v: float) -> Crossing:
    """The marks where the outline's segments pass through the line ``point[w] = at``,
    and the segments lying along it."""
    marks: set[float] = set()
    along: list[tuple[Point, Point]] = []
    for ring, _closed in shape.lines:
        for p, q in pairwise(ring):
            if abs(p[w] - at) <= HALF_PIXEL and abs(q[w] - at) <= HALF_PIXEL:
                along.append(((p[u], v), (q[u], v)))  # within the plane's pixel, as a probe
            elif min(p[w], q[w]) <= at <= max(p[w], q[w]):
                t = (at - p[w]) / (q[w] - p[w])
                marks.add(round(p[u] + t * (q[u] - p[u]), 6))  # a vertex on it: once
    return Crossing(segments=tuple(along), points=tuple((m, v) for m in sorted(marks)))


def _chords(ring: Sequence[Point], w: int, u: int, at: float) -> list[tuple[float, float]]:
    """The stretches of the line ``point[w] = at`` inside the closed ``ring`` (even-odd:
    each edge counted once, half-open at its ends so a vertex on the line counts once)."""
    cuts: list[float] = []
    for p, q in zip(ring, (*ring[1:], ring[0]), strict=True):
        if (p[w] <= at < q[w]) or (q[w] <= at < p[w]):
            t = (at - p[w]) / (q[w] - p[w])
            cuts.append(p[u] + t * (q[u] - p[u]))
    cuts.sort()
    return [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2) if cuts[i + 1] > cuts[i]]
