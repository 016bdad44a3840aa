"""An Imaging Measurement Report (TID 1500) read back as measurements: ours, or another
workstation's where its groups say enough (a length's or an angle's polyline, a
region's outline, on one image of the study).

What each group becomes: a Cobb angle or a long/short axis by its measurement's name,
a polyline of two points a distance and of three an angle when named so, else a
polyline; a closed POLYLINE region a freehand outline — or a rectangle, when our own
identifier says so —, an ELLIPSE by its axes' ends a rectangle-boxed ellipse (its axes
along the rows and columns; a tilted one is outlined as a freehand polygon). A group
this cannot place on an image (3-D coordinates, no source image) is counted, not
guessed. The values in the report are not taken: they are computed again from the
image, as for any measurement, and a test compares the two.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, replace
from typing import Any

import highdicom as hd
from pydicom.dataset import Dataset

from viewer.measure.report import PIXEL_ORIGIN, evidence_series
from viewer.measure.shapes import Point
from viewer.measure.tools import Tool
from viewer.uids import is_valid_uid

NAMED = {"285285000": Tool.COBB, "103339001": Tool.BIDIRECTIONAL, "1483009": Tool.ANGLE}
ELLIPSE_SIDES = 36


@dataclass(frozen=True)
class ReadBack:
    uid: str  # the measurement's id: ours again when we wrote it, else a new one
    tool: Tool
    points: tuple[Point, ...]
    sop_instance_uid: str
    frame: int
    text: str
    reported: dict[str, float]  # the report's own values, by concept name
    series_uid: str = ""  # of the image, as the report's evidence lists it ("": not listed)
    known_mm: float | None = None  # a manual calibration line's length (ours only)


def read_report(ds: Dataset) -> tuple[list[ReadBack], int]:
    """(the measurements ``ds`` holds, how many of its groups could not be read)."""
    report: Any = hd.sr.Comprehensive3DSR.from_dataset(ds).content  # a MeasurementReport
    series_of = evidence_series(ds)
    found: list[ReadBack] = []
    skipped = 0
    groups: list[Any] = [
        *report.get_image_measurement_groups(),
        *report.get_planar_roi_measurement_groups(),
    ]
    for group in groups:
        try:
            made = _group(group)
        except (AttributeError, IndexError, KeyError, TypeError, ValueError):
            made = None
        if made is None:
            skipped += 1
        else:
            found.append(replace(made, series_uid=series_of.get(made.sop_instance_uid, "")))
    return found, skipped


def _group(group: Any) -> ReadBack | None:
    measurements = list(group.get_measurements())
    reported = {m.name.meaning: float(m.value) for m in measurements}
    identifier = str(group.tracking_identifier or "")
    ours, _, text = identifier.partition(" ")
    uid = _our_id(str(group.tracking_uid or ""))
    roi = getattr(group, "roi", None)
    placed = _region(roi, ours) if roi is not None else _lines(measurements, ours)
    if placed is None:
        return None
    tool, points, where = placed
    sop, frame = where
    if not is_valid_uid(sop):
        return None
    if ours not in {str(t) for t in Tool}:
        text = identifier  # another's words, kept as its note
    known = reported.get("Length") if tool is Tool.CALIBRATE else None
    return ReadBack(uid, tool, tuple(points), sop, frame, text.strip(), reported, known_mm=known)


def _our_id(tracking_uid: str) -> str:
    """Our measurement id back from the tracking UID we made of it, else a new one."""
    if tracking_uid.startswith("2.25."):
        try:
            number = int(tracking_uid[5:])
            if 0 <= number < 1 << 128:
                return f"{number:032x}"
        except ValueError:
            pass
    return uuid.uuid4().hex


def _image_of(content: Any) -> tuple[str, int]:
    reference = content.ContentSequence[0].ReferencedSOPSequence[0]
    frames = reference.get("ReferencedFrameNumber")
    frame = int(frames[0] if isinstance(frames, list | tuple) else frames) if frames else 1
    return str(reference.ReferencedSOPInstanceUID), frame


def _points(content: Any) -> list[Point]:
    return [(float(x) - PIXEL_ORIGIN, float(y) - PIXEL_ORIGIN) for x, y in content.value]


def _lines(measurements: list[Any], ours: str) -> tuple[Tool, list[Point], tuple[str, int]] | None:
    if not measurements:
        return None
    first = measurements[0]
    coordinates = list(first.referenced_coordinates or [])
    if not coordinates or str(coordinates[0].graphic_type.value) != "POLYLINE":
        return None
    where = _image_of(coordinates[0])
    tool = NAMED.get(first.name.value)
    if tool is Tool.BIDIRECTIONAL and len(measurements) > 1:
        short = list(measurements[1].referenced_coordinates or [])
        points = _points(coordinates[0]) + (_points(short[0]) if short else [])
        return (tool, points, where) if len(points) == 4 else None
    points = [p for c in coordinates for p in _points(c)]
    if tool is Tool.COBB:
        return (tool, points, where) if len(points) == 4 else None
    if tool is Tool.ANGLE:
        return (tool, points, where) if len(points) == 3 else None
    if ours == str(Tool.CALIBRATE) and len(points) == 2:
        return (Tool.CALIBRATE, points, where)
    if ours == str(Tool.POLYLINE) or len(points) > 2:
        return (Tool.POLYLINE, points, where) if len(points) >= 2 else None
    return (Tool.LINE, points, where) if len(points) == 2 else None


def _region(roi: Any, ours: str) -> tuple[Tool, list[Point], tuple[str, int]] | None:
    where = _image_of(roi)
    points = _points(roi)
    kind = str(roi.graphic_type.value)
    if kind == "ELLIPSE" and len(points) == 4:
        (ax, ay), (bx, by), (cx, cy), (dx, dy) = points
        if abs(ay - by) < 1e-6 and abs(cx - dx) < 1e-6:  # axes along the rows and columns
            return Tool.ELLIPSE, [(ax, cy), (bx, dy)], where
        return Tool.FREEHAND, _tilted(points), where
    if kind == "POLYLINE" and len(points) >= 4:
        ring = points[:-1] if points[0] == points[-1] else points
        if ours == str(Tool.RECTANGLE) and len(ring) == 4:
            return Tool.RECTANGLE, [ring[0], ring[2]], where
        return Tool.FREEHAND, ring, where
    return None


def _tilted(ends: list[Point]) -> list[Point]:
    """An ellipse whose axes are not along the image's, as an outline of points."""
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = ends
    ox, oy = (ax + bx) / 2, (ay + by) / 2
    major = ((bx - ax) / 2, (by - ay) / 2)
    minor = ((dx - cx) / 2, (dy - cy) / 2)
    return [
        (
            ox + major[0] * math.cos(t) + minor[0] * math.sin(t),
            oy + major[1] * math.cos(t) + minor[1] * math.sin(t),
        )
        for t in (2 * math.pi * i / ELLIPSE_SIDES for i in range(ELLIPSE_SIDES))
    ]
