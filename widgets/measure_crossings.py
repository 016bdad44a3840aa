"""Measurements on an MPR reformat: where those drawn on the series' slices meet it.

A reformat shows no image of the series, so nothing is measured on it; but a doctor
scrolling the coronal plane through a lesion measured on an axial slice should see it
there. Each measurement of the series the reformat's plane passes through is drawn
where it does (:func:`viewer.measure.crossing.crossing`): a region's chord with a tick
at each end, a mark where a line passes, each with the measurement's own label (value
and calibration, as on its slice) and the image it was measured on.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from viewer.measure.crossing import LINES, REGIONS, Crossing, crossing
from viewer.measure.outline import Outline, outline
from viewer.measure.shapes import Point
from viewer.measure.tools import Tool
from viewer.render.annotation_layer import Drawn

if TYPE_CHECKING:
    from viewer.session.reading import OpenSeries
    from widgets.measuring import Measuring

MARK_PX = 5  # half a crossing's mark, on screen
LINE_PX = 17  # a label's line of text, on screen (the layer's 14-point font)
BELOW_MARKS = 0.5  # the first label's top, in lines below the marks (clear of their ticks)
SHOWN = (*REGIONS, *LINES, Tool.PROBE)


def draw_crossings(m: Measuring, series: OpenSeries, axis: int, at: int) -> None:
    """The series' measurements that the reformat holding ``axis`` at index ``at`` passes
    through, drawn on it."""
    from widgets.measure_drawing import label_of  # one labelling for both (a cycle at import)

    study = m._study
    scene = m.viewport.scene
    spacing = scene.spacing
    mm_per_px = scene.fine_spacing() / max(scene.zoom_factor(), 1e-6)
    u_mm = spacing[1 - axis]  # along the slice's other axis (a column's or a row's step)
    mark = (MARK_PX * mm_per_px / u_mm, MARK_PX * mm_per_px / spacing[2])
    drawn: list[Drawn] = []
    for annotation in study.items if study is not None else []:
        if annotation.tool not in SHOWN or annotation.series_uid != series.series_uid:
            continue
        k = series.slice_of(annotation.sop_instance_uid, annotation.frame)
        if k is None:
            continue
        shape = outline(annotation.tool, annotation.points)
        met = crossing(annotation.tool, shape, annotation.points, axis, at, k)
        if not met:
            continue
        words = label_of(m, annotation, k)
        where = QCoreApplication.translate("Measure", "measured on image %1").replace(
            "%1", str(k + 1)
        )
        state = "selected" if annotation.uid == m.selected else "normal"
        text = f"{words}\n{where}" if words else where
        drawn.append(Drawn(marks(met, mark), text, state, annotation.uid))
    down = -1.0 if scene.plane.up[2] > 0 else 1.0  # the screen's down, along v (slices)
    drawn = stacked(drawn, down * LINE_PX * mm_per_px / spacing[2])
    toward = scene.plane.toward
    depth = at * spacing[axis] - toward[axis] * 0.25 * spacing[axis]  # a hair toward the camera
    m.layer.show(drawn, spacing, depth, scene.plane.right, mm_per_px, axis=axis, up=scene.plane.up)


def marks(met: Crossing, mark: tuple[float, float]) -> Outline:
    """The lines that show a crossing: each segment with a tick across each end, each
    point an ×; ``mark`` is half a mark's size along (u, v)."""
    du, dv = mark
    lines: list[tuple[tuple[Point, ...], bool]] = []
    for (u0, v), (u1, _v) in met.segments:
        lines.append((((u0, v), (u1, v)), False))
        lines.extend((((u, v - dv), (u, v + dv)), False) for u in (u0, u1))
    for u, v in met.points:
        lines.append((((u - du, v - dv), (u + du, v + dv)), False))
        lines.append((((u - du, v + dv), (u + du, v - dv)), False))
    ends = [p for segment in met.segments for p in segment] + list(met.points)
    right = max(ends, key=lambda p: p[0])
    return Outline(tuple(lines), (right[0] + du, right[1]))


def stacked(drawn: list[Drawn], line: float) -> list[Drawn]:
    """The labels set below the line of their marks, each moved down past any label
    placed before it (left to right, top to bottom): none written over another, nor
    over a mark of its own height — measurements of one slice meet a reformat side by
    side on one line, those of neighbouring slices a pixel or two apart. ``line`` is a
    line of text along v, its sign the screen's down; the layer centres a label on its
    anchor's height plus its offset."""
    step, sign = abs(line), (1.0 if line >= 0 else -1.0)
    taken: list[tuple[float, float]] = []  # screen rows (down-going) labels hold
    placed: list[Drawn] = []
    for item in sorted(drawn, key=lambda d: (d.outline.anchor[1] * sign, d.outline.anchor[0])):
        y = item.outline.anchor[1] * sign
        height = (item.label.count("\n") + 1) * step
        top = y + BELOW_MARKS * step
        moved = True
        while moved:
            moved = False
            for above, below in taken:
                if top < below and top + height > above:
                    top, moved = below, True
        taken.append((top, top + height))
        placed.append(replace(item, offset=(0.0, (top + height / 2 - y) * sign)))
    return placed
