"""What a measurement looks like: the lines that draw each tool, in image coordinates,
and where its label goes. Pure geometry, for the scene to draw and for tests to check.

``points`` may be fewer than the tool takes: a measurement being drawn is outlined as
far as it goes (an angle's first ray, a Cobb angle's first line). Sizes that must stay
the same on screen whatever the zoom (an arrow's head, a probe's cross) are given in
image pixels by the caller (``marker``: about 8 screen pixels at the current zoom).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from viewer.measure.shapes import Point
from viewer.measure.tools import Tool

ELLIPSE_SIDES = 72


@dataclass(frozen=True)
class Outline:
    lines: tuple[tuple[tuple[Point, ...], bool], ...]  # (points, closed)
    anchor: Point  # where the label starts (to its right)


def outline(tool: Tool, points: Sequence[Point], marker: float = 4.0) -> Outline:
    pts = tuple((float(x), float(y)) for x, y in points)
    if not pts:
        return Outline((), (0.0, 0.0))
    if tool in (Tool.RECTANGLE, Tool.ELLIPSE) and len(pts) == 2:
        (x0, y0), (x1, y1) = pts
        box = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
        ring = box if tool is Tool.RECTANGLE else _ellipse(pts[0], pts[1])
        return Outline(((ring, True),), (max(x0, x1), (y0 + y1) / 2))
    if tool is Tool.FREEHAND:
        return Outline(((pts, len(pts) > 2),), _rightmost(pts))
    if tool in (Tool.COBB, Tool.BIDIRECTIONAL):
        lines = tuple((pts[i : i + 2], False) for i in range(0, len(pts), 2))
        return Outline(lines, _rightmost(pts))
    if tool is Tool.PROBE:
        (x, y) = pts[0]
        return Outline(
            (
                (((x - marker, y), (x + marker, y)), False),
                (((x, y - marker), (x, y + marker)), False),
            ),
            (x + marker, y),
        )
    if tool is Tool.ARROW:
        return Outline(_arrow(pts, marker), pts[-1])
    if tool is Tool.TEXT:
        return Outline((), pts[0])
    return Outline(((pts, False),), _rightmost(pts))


def _rightmost(pts: tuple[Point, ...]) -> Point:
    """A label starts right of the shape's rightmost point, so it never lies across it."""
    return max(pts, key=lambda p: p[0])


def _ellipse(corner: Point, opposite: Point) -> tuple[Point, ...]:
    cx, cy = (corner[0] + opposite[0]) / 2, (corner[1] + opposite[1]) / 2
    rx, ry = abs(opposite[0] - corner[0]) / 2, abs(opposite[1] - corner[1]) / 2
    return tuple(
        (cx + rx * math.cos(t), cy + ry * math.sin(t))
        for t in (2 * math.pi * i / ELLIPSE_SIDES for i in range(ELLIPSE_SIDES))
    )


def _arrow(pts: tuple[Point, ...], marker: float) -> tuple[tuple[tuple[Point, ...], bool], ...]:
    """The shaft from the tail (second point) to the tip (first: where the doctor
    pressed, what the arrow shows), and a head of two strokes at the tip."""
    if len(pts) < 2:
        return ()
    (tx, ty), (bx, by) = pts[0], pts[1]
    angle = math.atan2(by - ty, bx - tx)
    size = 2.5 * marker
    head = tuple(
        (tx + size * math.cos(angle + turn), ty + size * math.sin(angle + turn))
        for turn in (-0.45, 0.45)
    )
    return (((pts[1], pts[0]), False), ((head[0], pts[0], head[1]), False))
