"""One viewport of the reading view: a series in a VTK area, driven by mouse and keyboard.

The scene (:class:`viewer.render.slice_scene.SliceScene`, no Qt) draws the series through
the core's display table; the series (:class:`viewer.session.reading.OpenSeries`) holds
the window and the slice. This widget only turns gestures into the series' own changes
and redraws on its events, so what the screen shows is always what the session says.
Each viewport has its own VTK window: scrolling one redraws that one alone.

The gestures and keys are :mod:`widgets.reading_gestures`' (listed by the help panel);
the cine is a QTimer here stepping the series.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget
from vtkmodules.vtkInteractionStyle import vtkInteractorStyleUser

from viewer.render.slice_scene import SliceScene
from viewer.render.view_plane import ViewPlane, plane_kind, reformat
from viewer.render.view_turns import ViewTurns
from viewer.session.mpr import STACK_AXIS, AxisStepper, MprCursor
from viewer.session.reading import OpenSeries
from widgets.measure_words import key_image_words
from widgets.measuring import Measuring
from widgets.reading_gestures import Gestures
from widgets.reading_overlay import (
    corner_texts,
    orientation_letters,
    reformat_line,
    scale_bar,
    series_banner,
    slice_placeholder,
    stack_directions,
)
from widgets.series_strip import series_of_mime
from widgets.vtk_qt import QVTKRenderWindowInteractor

if TYPE_CHECKING:
    from widgets.reading_view import ReadingView

CLICK_SLOP_PX = 3  # a press and release this close is a click, not a drag
FPS_STEPS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60)  # + / - walk these
DEFAULT_FPS = 10


class Cine(QObject):
    """Plays the series' slices in a loop at ``fps`` frames a second: a QTimer whose every
    tick is the series' own slice change (the viewport follows its event)."""

    changed = Signal()  # started, stopped or a new speed: the corner says so

    def __init__(self, parent: Viewport) -> None:
        super().__init__(parent)
        self.view = parent
        self.fps = DEFAULT_FPS
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._next)

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def toggle(self) -> None:
        if self.playing:
            self.stop()
        elif self.view.slices is not None and self.view.slices.slice_count > 1:
            self.timer.start(round(1000 / self.fps))
            self.changed.emit()

    def stop(self) -> None:
        if self.playing:
            self.timer.stop()
            self.changed.emit()

    def faster(self) -> None:
        self._set_fps(next((f for f in FPS_STEPS if f > self.fps), FPS_STEPS[-1]))

    def slower(self) -> None:
        self._set_fps(next((f for f in reversed(FPS_STEPS) if f < self.fps), FPS_STEPS[0]))

    def _set_fps(self, fps: int) -> None:
        self.fps = fps
        self.timer.setInterval(round(1000 / fps))
        self.changed.emit()

    def _next(self) -> None:
        slices = self.view.slices
        if slices is None:
            self.stop()
            return
        slices.set_slice((slices.slice + 1) % slices.slice_count)  # the last loops to the first


class Viewport(QFrame):
    """A framed VTK area showing one series (or none); the active one has a lit frame."""

    pressed = Signal(object)  # this viewport, on any mouse press: it becomes the active one
    slice_moved = Signal(object)  # this viewport, after its series showed another slice
    dropped = Signal(object, str, str)  # this viewport, study uid, series uid (a strip tile)

    def __init__(self, reading: ReadingView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Viewport")
        self.setProperty("active", False)
        self.setAcceptDrops(True)  # a series tile dragged from the strip opens here
        self.reading = reading
        self.series: OpenSeries | None = None
        self.axis = STACK_AXIS  # the plane shown: the stack's, or an MPR reformat
        self.cursor: MprCursor | None = None  # the MPR point, while this shows MPR
        self._pressed_at: QPointF | None = None
        self.gestures = Gestures(self)
        self.cine = Cine(self)
        self.cine.changed.connect(self.redraw)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)  # room for the active frame
        self.vtk = QVTKRenderWindowInteractor(self)
        # Gestures are handled here, on the series: VTK's own camera style would move the
        # camera behind the session's back.
        self.vtk.SetInteractorStyle(vtkInteractorStyleUser())
        self.vtk.installEventFilter(self)
        self.vtk.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout.addWidget(self.vtk)
        self.scene = SliceScene(self.vtk.GetRenderWindow())
        self.measuring = Measuring(self)  # the measurements drawn here, and drawing one

    def set_active(self, active: bool) -> None:
        if self.property("active") != active:
            self.setProperty("active", active)
            self.style().unpolish(self)  # the style sheet's [active="true"] frame
            self.style().polish(self)

    @property
    def slices(self) -> OpenSeries | AxisStepper | None:
        """What scrolling moves: the series' slice, or a reformat's place along its axis."""
        if self.cursor is not None and self.axis != STACK_AXIS:
            return self.cursor.stepper(self.axis)
        return self.series

    # -- showing ----------------------------------------------------------------------------
    def show_series(
        self,
        series: OpenSeries | None,
        axis: int = STACK_AXIS,
        cursor: MprCursor | None = None,
    ) -> None:
        """Show ``series`` (None: nothing) upright, fitted, at its own slice and window;
        with an MPR ``cursor``, the plane holding index ``axis`` fixed through its point."""
        if series is self.series and axis == self.axis and cursor is self.cursor:
            return
        self.release()
        if series is None:
            self.scene.clear()
            self.scene.render()
            return
        self.series, self.axis, self.cursor = series, axis, cursor
        self.measuring.follow(self.reading.annotations_of(series.study_uid))
        self.scene.set_progress(None, "")  # another series' arrival is not this one's
        series.window_changed.connect(self._on_window_changed)
        series.slice_changed.connect(self._on_slice_changed)
        series.inverted_changed.connect(self._on_window_changed)
        if cursor is not None:
            cursor.moved.connect(self._on_cursor_moved)
        self.scene.turn(ViewTurns())  # a new series lies as stored
        if axis != STACK_AXIS:
            self.scene.set_plane(reformat(stack_directions(series), axis))
        elif self.scene.plane.axis != STACK_AXIS:
            self.scene.set_plane(ViewPlane.stack(ViewTurns()))
        self.scene.show(series)
        if cursor is not None:
            self.scene.refresh_slice(cursor.position(axis))
        self.scene.set_banner(series_banner(series))
        self.scene.set_edge_letters(*orientation_letters(series, self.scene.plane))
        self._place_crosshair()
        self.redraw()

    def follow_new_volume(self) -> None:
        """The series' volume was replaced (a series arriving, or now whole): shown anew
        at its slice, window and plane, the doctor's zoom and pan kept where the image
        is of the same size (SliceScene.show)."""
        series = self.series
        if series is None:
            return
        self.scene.show(series, keep_view=True)
        if self.cursor is not None and self.axis != STACK_AXIS:
            self.scene.refresh_slice(self.cursor.position(self.axis))
        self.scene.set_banner(series_banner(series))
        self.scene.set_edge_letters(*orientation_letters(series, self.scene.plane))
        self.redraw()

    def release(self) -> None:
        """Stop following the series shown (it is being closed or replaced)."""
        self.cine.stop()
        self.measuring.follow(None)
        self.measuring.layer.clear()
        if self.cursor is not None:
            self.cursor.moved.disconnect(self._on_cursor_moved)
            self.cursor = None
            self.scene.show_crosshair(None, {})
        self.axis = STACK_AXIS
        if self.series is not None:
            self.series.window_changed.disconnect(self._on_window_changed)
            self.series.slice_changed.disconnect(self._on_slice_changed)
            self.series.inverted_changed.disconnect(self._on_window_changed)
            self.series = None

    def turn(self, turns: ViewTurns) -> None:
        """Rotate or flip the image on screen; the edge letters follow."""
        if self.series is None:
            return
        self.scene.turn(turns)  # nothing on a reformat: it lies as its kind is read
        self.scene.set_edge_letters(*orientation_letters(self.series, self.scene.plane))
        self.redraw()

    def reset_view(self) -> None:
        """Everything the doctor changed of how the image is shown, back as it opened:
        upright, fitted, the file's window (inversion included); the slice stays."""
        if self.series is None:
            return
        self.scene.turn(ViewTurns())
        self.scene.set_edge_letters(*orientation_letters(self.series, self.scene.plane))
        self.scene.fit()
        self.series.reset_window()  # a colour series has none: nothing changes
        if self.series.inverted:
            self.series.invert()
        self.redraw()

    def _on_window_changed(self, _window: object) -> None:
        self.scene.refresh_window()
        self.redraw()

    def _on_slice_changed(self, _k: int) -> None:
        if self.series is not None and self.scene.volume_shown is not self.series.volume:
            # The volume was replaced on its loader thread and the news is still on its
            # way: the new index must not be drawn from the old memory.
            self.follow_new_volume()
            self.slice_moved.emit(self)
            return
        if self.axis == STACK_AXIS:
            self.scene.refresh_slice()
            self.redraw()
            self.slice_moved.emit(self)
        # An MPR reformat follows the point instead (_on_cursor_moved).

    def _on_cursor_moved(self, axis: int) -> None:
        if self.cursor is None:
            return
        if axis == self.axis and axis != STACK_AXIS:
            self.scene.refresh_slice(self.cursor.position(axis))
        self._place_crosshair()
        self.redraw()

    def _place_crosshair(self) -> None:
        if self.cursor is None or self.series is None:
            self.scene.show_crosshair(None, {})
            return
        directions = stack_directions(self.series)
        point = (self.cursor.position(0), self.cursor.position(1), self.cursor.position(2))
        kinds = {axis: plane_kind(directions, axis) for axis in range(3)}
        self.scene.show_crosshair(point, kinds)

    def redraw(self) -> None:
        if self.series is None:
            return
        self.scene.follow_viewport()  # the zoom the corner says is the one drawn
        zoom = self.scene.zoom_factor()
        fps = self.cine.fps if self.cine.playing else None
        plane = ""
        slices = self.slices
        if self.axis != STACK_AXIS and slices is not None:
            plane = reformat_line(self.series, self.axis, slices.slice, slices.slice_count)
        texts = corner_texts(self.series, zoom, fps, plane)
        if self.axis == STACK_AXIS and self.measuring.is_key_image():
            texts["bottom-left"] = key_image_words() + "\n" + texts.get("bottom-left", "")
        for corner, text in texts.items():
            self.scene.set_corner_text(corner, text)
        self.scene.set_placeholder(
            slice_placeholder(self.series) if self.axis == STACK_AXIS else ""
        )
        shown = self.measuring.calibration() if self.axis == STACK_AXIS else None
        self.scene.set_scale_bar(*scale_bar(self.series, zoom, self.scene.fine_spacing(), shown))
        self.measuring.draw()
        self.scene.render()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if series_of_mime(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        found = series_of_mime(event.mimeData())
        if found is not None:
            event.acceptProposedAction()
            self.dropped.emit(self, *found)

    # -- gestures ---------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is not self.vtk:
            return False
        kind = event.type()
        if (
            kind == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            # The window's Esc (stop a search) would take it first: here Esc is the
            # reading view's (drop a measurement half drawn, the tool, back).
            event.accept()
            return True
        if kind == QEvent.Type.MouseButtonPress:
            self.pressed.emit(self)
            assert isinstance(event, QMouseEvent)
            self._pressed_at = event.position()
        if self.series is not None and self.measuring.event(event):
            return True  # drawing or editing a measurement (Esc drops one being drawn)
        if kind == QEvent.Type.MouseButtonRelease and self._clicked(event):
            return True  # the MPR point moved where the doctor clicked
        if kind == QEvent.Type.KeyPress and self.reading.gestures_key(event):
            return True  # the reading view's keys (layouts, next viewport, help, back)
        if self.series is None:
            return kind in (QEvent.Type.MouseButtonPress, QEvent.Type.Wheel)
        if kind == QEvent.Type.Resize:
            # After the viewport has taken its new size: a fitted image is fitted anew, and
            # the zoom and the scale bar say what the new size shows.
            QTimer.singleShot(0, self.redraw)
            return False
        gestures = self.gestures
        handler = {
            QEvent.Type.MouseButtonPress: gestures.press,
            QEvent.Type.MouseMove: gestures.move,
            QEvent.Type.MouseButtonRelease: gestures.release,
            QEvent.Type.Wheel: gestures.wheel,
            QEvent.Type.KeyPress: gestures.key,
        }.get(kind)
        return handler(event) if handler is not None else False

    def _clicked(self, event: QEvent) -> bool:
        """A left click (no drag) on an MPR plane moves the point there: the other two
        planes go through the voxel clicked."""
        assert isinstance(event, QMouseEvent)
        start, self._pressed_at = self._pressed_at, None
        if self.cursor is None or start is None or event.button() != Qt.MouseButton.LeftButton:
            return False
        if (event.position() - start).manhattanLength() > CLICK_SLOP_PX:
            return False
        self.gestures.release(event)  # the scroll drag that began ends here, unmoved
        index = self.scene.index_at(event.position().x(), event.position().y())
        for axis in range(3):
            if axis != self.axis:
                self.cursor.set(axis, round(index[axis]))
        return True
