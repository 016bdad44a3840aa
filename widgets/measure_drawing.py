"""Drawing a viewport's measurements: the image's own over it, and the one being drawn,
each with its label (values and calibration, or why there is none)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from viewer.measure.outline import outline
from viewer.measure.shapes import Point
from viewer.measure.tools import POINTS, Tool, measure, stated_otherwise
from viewer.render.annotation_layer import Drawn
from viewer.session.annotations import Annotation
from viewer.session.mpr import STACK_AXIS
from widgets.measure_crossings import draw_crossings
from widgets.measure_words import calibration_line_words, label

if TYPE_CHECKING:
    from widgets.measuring import Measuring

MARKER_PX = 5  # half a probe's cross, on screen
# The tools a label gives values for (a note, an arrow, a key mark and a calibration line
# say what they are).
VALUED = tuple(t for t in Tool if t not in (Tool.TEXT, Tool.ARROW, Tool.KEY, Tool.CALIBRATE))
WORDS_KEPT = 512  # labels remembered before the memory starts again


def draw(m: Measuring) -> None:
    """The image's measurements (and the one being drawn) over it; on an MPR reformat,
    where the series' measurements meet it (:mod:`widgets.measure_crossings`)."""
    series = m.viewport.series
    cursor = m.viewport.cursor
    if series is not None and cursor is not None and m.viewport.axis != STACK_AXIS:
        draw_crossings(m, series, m.viewport.axis, cursor.position(m.viewport.axis))
        return
    if not m._here() or series is None:
        m.layer.clear()
        return
    scene = m.viewport.scene
    marker = MARKER_PX / max(scene.zoom_factor(), 1e-6)
    here = m.on_image()
    calibration = tuple(a for a in here if a.tool is Tool.CALIBRATE)
    tool = m.tool
    live = bool(m.points) and tool is not None
    # A value is computed once for a measurement, its volume and its calibration: a
    # scroll or a W/L drag redraws without rescaling the slice or redoing a region.
    keys = {a.uid: (a, id(series.volume), calibration) for a in here if a.tool in VALUED}
    image = None
    if live or any(k not in m.words for k in keys.values()):
        image = series.image_at()
        if image is not None and m._study is not None:  # a manual calibration, if drawn
            image = m._study.calibrated(image, series.series_uid)
    if len(m.words) > WORDS_KEPT:
        m.words.clear()
    drawn: list[Drawn] = []
    for annotation in here:
        if annotation.tool is Tool.KEY:
            continue  # said in the corner (Viewport.redraw), nothing to draw
        words = _label(m, annotation, keys.get(annotation.uid), image)
        state = "selected" if annotation.uid == m.selected else "normal"
        shape = outline(annotation.tool, annotation.points, marker)
        drawn.append(Drawn(shape, words, state, annotation.uid, annotation.label_offset))
    if live and tool is not None:
        shown = m.points + ([m.hover] if m.hover is not None else [])
        words = _live_words(image, tool, shown)
        drawn.append(Drawn(outline(tool, shown, marker), words, "drawing"))
    sx, sy, sz = scene.spacing
    toward = scene.plane.toward
    depth = series.slice * sz - toward[2] * 0.25 * sz  # a hair toward the camera
    mm_per_px = scene.fine_spacing() / max(scene.zoom_factor(), 1e-6)
    m.layer.show(drawn, (sx, sy, sz), depth, scene.plane.right, mm_per_px, up=scene.plane.up)


def label_of(m: Measuring, annotation: Annotation, k: int) -> str:
    """The brief label (:func:`measure_words.label`) of ``annotation``, drawn on slice
    ``k`` of the series shown, remembered as :func:`draw` remembers its labels."""
    series = m.viewport.series
    study = m._study
    if series is None or study is None:
        return annotation.text
    key = None
    if annotation.tool in VALUED:
        sop, frame = annotation.sop_instance_uid, annotation.frame
        calibration = tuple(a for a in study.on_image(sop, frame) if a.tool is Tool.CALIBRATE)
        key = (annotation, id(series.volume), calibration, "brief")
    image = None
    if key is not None and key not in m.words:
        image = series.image_at(k)
        if image is not None:
            image = study.calibrated(image, series.series_uid)
    return _label(m, annotation, key, image)


def _label(m: Measuring, annotation: Annotation, key: Any, image: Any) -> str:
    """Its label: remembered for ``key``, else made from ``image``."""
    if annotation.tool is Tool.CALIBRATE and annotation.known_mm is not None:
        return calibration_line_words(annotation.known_mm)
    if key is None:
        return annotation.text
    if key not in m.words and image is not None:
        m.words[key] = measured_words(image, annotation, brief="brief" in key)
    return m.words.get(key, annotation.text)


def _live_words(image: Any, tool: Tool, points: list[Point]) -> str:
    """The value of a measurement being drawn, once it has the points it needs."""
    wanted = POINTS[tool]
    enough = len(points) == wanted if wanted is not None else len(points) >= 2
    if image is None or not enough or tool in (Tool.TEXT, Tool.ARROW):
        return ""
    try:
        return label(measure(image, tool, points))
    except ValueError:  # an angle's ray of no length yet
        return ""


def measured_words(image: Any, annotation: Annotation, *, brief: bool = False) -> str:
    """Its label; a shape no value can be given for (a point dragged onto an angle's
    vertex) says so instead of a number."""
    try:
        measured = measure(image, annotation.tool, annotation.points)
    except ValueError:
        return QCoreApplication.translate("Measure", "no value: points on one another")
    words = label(measured, annotation.text, brief=brief)
    stated = stated_otherwise(measured, annotation.reported)
    if stated is not None and measured.value is not None:
        # Another workstation measured it otherwise (another calibration): said, so that
        # neither number passes for the other.
        words += "\n" + QCoreApplication.translate(
            "Measure", "⚠ the report read back says %1"
        ).replace("%1", f"{stated:.1f} {measured.value.unit}")
    return words
