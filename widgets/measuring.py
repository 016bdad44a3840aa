"""Drawing and editing measurements in one viewport, with the mouse.

With a tool chosen (the palette, or its key: :data:`TOOL_KEYS`), each left press puts a
point where the doctor pressed, and a press dragged puts another where it is let go:
a distance is one drag or two clicks, an angle a drag and a click or three clicks, a
Cobb angle two drags, a rectangle or an ellipse one drag (corner to corner), a probe or
a note one click; a polyline ends with a double click, a freehand outline when the
button is let go. The measurement being drawn follows the mouse, its value live. Esc
drops it.

Without a tool — or with one, before a new measurement starts — a press on a point of
a measurement (within :data:`HANDLE_PX` on screen) takes that point: dragged, the value
follows live, and letting go is one step (undone as one). A click on a point selects
its measurement; Delete removes it. Ctrl+Z and Ctrl+Y undo and redo (the reading
view's keys). Everything is in image coordinates, on the series' own plane, for the
image shown: the core keeps it (:mod:`viewer.session.annotations`) and computes every
value (:func:`viewer.measure.tools.measure`). An MPR reformat shows no image to measure
on; it shows where the series' measurements meet it (:mod:`widgets.measure_crossings`).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QInputDialog

from viewer.measure.calibration import ImageCalibration
from viewer.measure.shapes import Point
from viewer.measure.tools import POINTS, Tool, measure
from viewer.render.annotation_layer import AnnotationLayer
from viewer.session.annotations import Annotation, StudyAnnotations
from viewer.session.mpr import STACK_AXIS
from widgets.measure_drawing import draw

if TYPE_CHECKING:
    from widgets.reading_viewport import Viewport

HANDLE_PX = 7  # a press this close to a point takes it
DRAG_PX = 4  # a press moved this far before it is let go is a drag


class Measuring:
    def __init__(self, viewport: Viewport) -> None:
        self.viewport = viewport
        self.layer = AnnotationLayer(viewport.scene.renderer)
        self.points: list[Point] = []  # the measurement being drawn
        self.hover: Point | None = None
        self.selected: str | None = None
        self._press: QPointF | None = None
        self._editing: tuple[Annotation, int] | None = None  # as it was, which point
        self._moving_label: tuple[Annotation, Point] | None = None  # as it was, pressed at
        self._study: StudyAnnotations | None = None
        # Labels by (measurement, volume, calibration): measure_drawing.draw's memory.
        self.words: dict[tuple[object, ...], str] = {}

    # -- what is measured here ----------------------------------------------------------
    @property
    def tool(self) -> Tool | None:
        return self.viewport.reading.tool

    def follow(self, study: StudyAnnotations | None) -> None:
        """Draw (and add to) ``study``'s measurements: the series shown is of it."""
        if self._study is not None:
            self._study.changed.disconnect(self._on_changed)
        self._study = study
        self.points, self.hover, self.selected, self._editing = [], None, None, None
        self._moving_label = None
        if study is not None:
            study.changed.connect(self._on_changed)

    def _on_changed(self, _before: object, _after: object) -> None:
        self.viewport.redraw()

    def _here(self) -> bool:
        return (
            self._study is not None
            and self.viewport.series is not None
            and self.viewport.axis == STACK_AXIS
        )

    def image_key(self) -> tuple[str, str, int]:
        series = self.viewport.series
        assert series is not None
        sop, frame = series.image_key()
        return series.series_uid, sop, frame

    def on_image(self) -> list[Annotation]:
        if not self._here():
            return []
        assert self._study is not None
        _series, sop, frame = self.image_key()
        return self._study.on_image(sop, frame)

    # -- mouse and keys -------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        """True when the event was a measurement's (the other gestures do not see it)."""
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._key(event)
        if not isinstance(event, QMouseEvent) or not self._here():
            return False
        if kind == QEvent.Type.MouseButtonPress:
            return self._pressed(event)
        if kind == QEvent.Type.MouseMove:
            return self._moved(event)
        if kind == QEvent.Type.MouseButtonRelease:
            return self._released(event)
        if kind == QEvent.Type.MouseButtonDblClick:
            return self._double_clicked()
        return False

    def _at(self, event: QMouseEvent) -> Point:
        return self._image_point(event.position())

    def _pressed(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or event.modifiers():
            return False
        self._press = event.position()
        label = self._label_at(event.position()) if not self.points else None
        if label is not None:
            self._moving_label = (label, self._at(event))
            self.selected = label.uid
            self.viewport.redraw()
            return True
        hit = self._handle_at(event.position()) if not self.points else None
        if hit is not None:
            annotation, index = hit
            self._editing = (annotation, index)
            self.selected = annotation.uid
            self.viewport.redraw()
            return True
        tool = self.tool
        if tool is None:
            if self.selected is not None:
                self.selected = None
                self.viewport.redraw()
            return False
        series = self.viewport.series
        if series is None or series.image_at() is None:
            return True  # an image not here (arriving, or unreadable): nothing to measure on
        self.points.append(self._at(event))
        self.hover = None
        self._finish_if_done(tool)
        self.viewport.redraw()
        return True

    def _moved(self, event: QMouseEvent) -> bool:
        if not event.buttons() & Qt.MouseButton.LeftButton:
            # A release that never came (the view left mid-drag): the drag is over.
            self._editing = self._moving_label = None
        if self._moving_label is not None and self._study is not None:
            before, start = self._moving_label
            at = self._at(event)
            offset = (
                before.label_offset[0] + at[0] - start[0],
                before.label_offset[1] + at[1] - start[1],
            )
            if self._study.get(before.uid) is not None:
                self._study.change(before.with_label_offset(offset), record=False)
            return True
        if self._editing is not None and self._study is not None:
            before, index = self._editing
            current = self._study.get(before.uid)
            if current is not None:
                self._study.change(current.with_point(index, self._at(event)), record=False)
            return True
        if not self.points:
            return False
        point = self._at(event)
        if self.tool is Tool.FREEHAND and self._press is not None:
            last = self.points[-1]
            if math.dist(last, point) >= 1.0:  # one point an image pixel along the outline
                self.points.append(point)
        else:
            self.hover = point
        self.viewport.redraw()
        return True

    def _released(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        press, self._press = self._press, None
        if self._moving_label is not None and self._study is not None:
            before, _start = self._moving_label
            self._moving_label = None
            current = self._study.get(before.uid)
            if current is not None and current != before:
                self._study.change(current, before=before)  # one step, however far
            return True
        if self._editing is not None and self._study is not None:
            before, _index = self._editing
            self._editing = None
            current = self._study.get(before.uid)
            if current is not None and current != before:
                self._study.change(current, before=before)
            return True
        tool = self.tool
        if tool is None or not self.points:
            return False
        dragged = press is not None and (event.position() - press).manhattanLength() > DRAG_PX
        if tool is Tool.FREEHAND:
            self._finish(tool) if len(self.points) >= 3 else self.cancel()
        elif dragged:
            self.points.append(self._at(event))
            self._finish_if_done(tool)
        self.viewport.redraw()
        return True

    def _double_clicked(self) -> bool:
        if self.tool is Tool.POLYLINE and len(self.points) >= 2:
            # The double click's own press put one point more, where the last one is.
            if len(self.points) > 2 and math.dist(self.points[-1], self.points[-2]) < 1.0:
                self.points.pop()
            self._finish(Tool.POLYLINE)
            self.viewport.redraw()
            return True
        return False

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Escape and (self.points or self.tool is not None):
            if self.points:
                self.cancel()
            else:
                self.viewport.reading.choose_tool(None)
            return True
        if key == Qt.Key.Key_Delete and self.selected is not None:
            # Only one the doctor sees: Backspace stays the view's reset, and a
            # measurement selected on another image is never removed unseen.
            if self._study is not None and any(a.uid == self.selected for a in self.on_image()):
                self._study.remove(self.selected)
            self.selected = None
            return True
        return False

    def calibration(self) -> ImageCalibration | None:
        """The manual calibration the doctor drew on the image shown, as its
        measurements take it; None where there is none (the image's own then)."""
        series = self.viewport.series
        if series is None or self._study is None:
            return None
        if not any(a.tool is Tool.CALIBRATE for a in self.on_image()):
            return None  # no slice rescaled at each redraw for nothing
        image = series.image_at()
        if image is None:
            return None
        return self._study.calibrated(image, series.series_uid).calibration

    def is_key_image(self) -> bool:
        return any(a.tool is Tool.KEY for a in self.on_image())

    def toggle_key_image(self) -> None:
        """The image shown marked a key image, or no longer (one undoable step)."""
        series = self.viewport.series
        if not self._here() or self._study is None or series is None:
            return
        if series.image_at() is None:
            return  # an image not here is no key image
        marks = [a for a in self.on_image() if a.tool is Tool.KEY]
        if marks:
            self._study.remove(marks[0].uid)
        else:
            self._study.add(Annotation.key_image(self.image_key()))

    def cancel(self) -> None:
        self.points, self.hover = [], None
        self.viewport.redraw()

    # -- inside ---------------------------------------------------------------------------
    def _finish_if_done(self, tool: Tool) -> None:
        wanted = POINTS[tool]
        if wanted is not None and len(self.points) >= wanted:
            self._finish(tool)

    def _finish(self, tool: Tool) -> None:
        points, self.points, self.hover = self.points, [], None
        if self._study is None:
            return
        series = self.viewport.series
        image = series.image_at() if series is not None else None
        try:
            if image is not None:
                measure(image, tool, points)  # an angle's ray of no length, and the like
            if tool is Tool.CALIBRATE and math.dist(*points) < 1.0:
                raise ValueError("a calibration line shorter than a pixel")
        except ValueError:
            return  # nothing a value can be given for: not kept
        text, known = "", None
        if tool is Tool.CALIBRATE:
            known = self._ask_known_length(points)
            if known is None:
                return
        if tool is Tool.TEXT:
            text, ok = QInputDialog.getText(
                self.viewport,
                QCoreApplication.translate("Measure", "Note"),
                QCoreApplication.translate("Measure", "Text shown on the image:"),
            )
            if not ok or not text.strip():
                return
        annotation = Annotation.new(
            tool, points, self.image_key(), text=text.strip(), known_mm=known
        )
        before = [a for a in self.on_image() if a.tool is Tool.CALIBRATE]
        if tool is Tool.CALIBRATE and before:  # one calibration an image: this one now
            annotation = replace(annotation, uid=before[0].uid)
            self._study.change(annotation, before=before[0])
        else:
            self._study.add(annotation)
        self.selected = annotation.uid

    def _ask_known_length(self, points: list[Point]) -> float | None:
        """The true length of the line drawn, as the doctor knows it (a calibration
        ball, a ruler on the film); None when they cancel."""
        series = self.viewport.series
        image = series.image_at() if series is not None else None
        shown = measure(image, Tool.LINE, points).value if image is not None else None
        # Offered: what it measures now where that is in mm; else nothing (0), so that an
        # Enter pressed by mistake calibrates nothing.
        value, ok = QInputDialog.getDouble(
            self.viewport,
            QCoreApplication.translate("Measure", "Calibrate"),
            QCoreApplication.translate("Measure", "True length of the line drawn (mm):"),
            shown.value if shown is not None and shown.unit == "mm" else 0.0,
            0.0,
            100000.0,
            2,
        )
        return float(value) if ok and value > 0 else None

    def _handle_at(self, position: QPointF) -> tuple[Annotation, int] | None:
        scene = self.viewport.scene
        px_per_image_px = scene.zoom_factor()
        at = self._image_point(position)
        best: tuple[float, Annotation, int] | None = None
        for annotation in self.on_image():
            for index, point in enumerate(annotation.points):
                distance = math.dist(point, at) * px_per_image_px
                if distance <= HANDLE_PX and (best is None or distance < best[0]):
                    best = (distance, annotation, index)
        return (best[1], best[2]) if best is not None else None

    def _label_at(self, position: QPointF) -> Annotation | None:
        _width, height = self.viewport.scene.renderer.GetSize()
        uid = self.layer.label_at(position.x(), height - 1 - position.y())
        return self._study.get(uid) if uid is not None and self._study is not None else None

    def _image_point(self, position: QPointF) -> Point:
        x, y, _ = self.viewport.scene.index_at(position.x(), position.y())
        return (x, y)

    def draw(self) -> None:
        """The image's measurements (and the one being drawn) over it."""
        draw(self)
