"""What each measurement tool computes from its points on one image.

A measurement is a tool and its points (image coordinates, column then row, pixel
centres at integers): the same whether drawn on screen, asked on the command line or
read back from a saved study. :func:`measure` gives its values with the calibration
they are in (:meth:`ImageCalibration.at` over its points: an ultrasound measurement
uses the region holding it). A rectangle and an ellipse are given by two opposite
corners of their box.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from viewer.measure.calibration import Calibration
from viewer.measure.image import MeasuredImage
from viewer.measure.regions import (
    RegionStats,
    ellipse_mask,
    polygon_mask,
    rectangle_mask,
    region_stats,
)
from viewer.measure.shapes import (
    Point,
    Quantity,
    angle,
    cobb,
    ellipse_area,
    length,
    polygon_area,
    rectangle_area,
)


class Tool(StrEnum):
    LINE = "line"
    POLYLINE = "polyline"
    ANGLE = "angle"
    COBB = "cobb"
    BIDIRECTIONAL = "bidirectional"  # long axis (2 points), then short axis (2 points)
    RECTANGLE = "rectangle"
    ELLIPSE = "ellipse"
    FREEHAND = "freehand"
    PROBE = "probe"
    ARROW = "arrow"  # points at something: no value
    TEXT = "text"  # a note at a point: no value
    KEY = "key"  # the image is a key image (Key Object Selection): no point, no value
    CALIBRATE = "calibrate"  # a line of known length: the series' manual calibration


# How many points each tool takes (None: two or more / three or more).
POINTS: dict[Tool, int | None] = {
    Tool.LINE: 2,
    Tool.POLYLINE: None,
    Tool.ANGLE: 3,
    Tool.COBB: 4,
    Tool.BIDIRECTIONAL: 4,
    Tool.RECTANGLE: 2,
    Tool.ELLIPSE: 2,
    Tool.FREEHAND: None,
    Tool.PROBE: 1,
    Tool.ARROW: 2,
    Tool.TEXT: 1,
    Tool.KEY: 0,
    Tool.CALIBRATE: 2,
}
DRAWN_TOOLS = tuple(t for t in Tool if t is not Tool.KEY)  # what the doctor draws
AT_LEAST = {Tool.POLYLINE: 2, Tool.FREEHAND: 3}


@dataclass(frozen=True)
class Measured:
    """A tool's values: ``value`` the one it is for (a length, an angle, an area); for
    a bidirectional ``short`` is the short axis; for a region ``stats`` (None on colour,
    or when no pixel centre is inside) in ``value_unit``; for a probe ``probe`` (its
    value) and ``position_mm`` (patient coordinates, when the image is placed)."""

    tool: Tool
    points: tuple[Point, ...]
    calibration: Calibration
    value: Quantity | None = None
    short: Quantity | None = None
    stats: RegionStats | None = None
    probe: float | None = None
    value_unit: str = ""  # of ``stats`` and ``probe``: "HU", or "" (no unit in the file)
    position_mm: tuple[float, float, float] | None = None


def check_points(tool: Tool, points: Sequence[Point]) -> None:
    wanted = POINTS[tool]
    if wanted is not None and len(points) != wanted:
        raise ValueError(f"a {tool} takes {wanted} point(s), not {len(points)}")
    if wanted is None and len(points) < AT_LEAST[tool]:
        raise ValueError(f"a {tool} takes {AT_LEAST[tool]} points at least")


def measure(image: MeasuredImage, tool: Tool, points: Sequence[Point]) -> Measured:
    """The values of ``tool`` drawn through ``points`` on ``image``."""
    check_points(tool, points)
    pts = tuple((float(x), float(y)) for x, y in points)
    calibration = image.calibration.at(pts)
    done = Measured(tool, pts, calibration, value_unit=image.unit)
    if tool in (Tool.LINE, Tool.POLYLINE, Tool.CALIBRATE):
        return _with(done, value=length(calibration, pts))
    if tool is Tool.ANGLE:
        return _with(done, value=angle(calibration, *pts))
    if tool is Tool.COBB:
        return _with(done, value=cobb(calibration, pts[:2], pts[2:]))
    if tool is Tool.BIDIRECTIONAL:
        return _with(done, value=length(calibration, pts[:2]), short=length(calibration, pts[2:]))
    if tool in (Tool.RECTANGLE, Tool.ELLIPSE, Tool.FREEHAND):
        return _region(image, done)
    if tool is Tool.PROBE:
        return _with(done, probe=image.value_at(pts[0]), position_mm=image.patient_position(pts[0]))
    return done  # an arrow, a text, a key image: where they are is all they hold


def _region(image: MeasuredImage, done: Measured) -> Measured:
    pts, calibration = done.points, done.calibration
    if done.tool is Tool.RECTANGLE:
        area, mask = rectangle_area(calibration, *pts), rectangle_mask(image.shape, *pts)
    elif done.tool is Tool.ELLIPSE:
        area, mask = ellipse_area(calibration, *pts), ellipse_mask(image.shape, *pts)
    else:
        area, mask = polygon_area(calibration, pts), polygon_mask(image.shape, pts)
    stats = region_stats(image.values, mask) if image.values is not None else None
    return _with(done, value=area, stats=stats)


def _with(done: Measured, **values: object) -> Measured:
    return replace(done, **values)  # type: ignore[arg-type]


# What a report names the value a tool is for (PS3.16 codes: SCT Length, Angle, …).
PRIMARY_NAMES = ("Length", "Angle", "Cobb angle", "Long axis", "Area")
AGREE = 0.01  # a stated value within 1% of ours is the same measurement


def stated_otherwise(measured: Measured, reported: Sequence[tuple[str, float]]) -> float | None:
    """The value a report stated for this measurement when it differs from ours by more
    than 1% (another calibration, another reading of the pixels), else None."""
    if measured.value is None:
        return None
    ours = measured.value.value
    for name, value in reported:
        if name in PRIMARY_NAMES:
            if abs(value - ours) > AGREE * max(abs(ours), abs(value), 1e-9):
                return value
            return None
    return None
