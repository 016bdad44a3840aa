"""The reading view: one open series in a VTK viewport, driven by mouse and keyboard.

The scene (:class:`viewer.render.slice_scene.SliceScene`, no Qt) draws the series through
the core's display table; the series (:class:`viewer.session.reading.OpenSeries`) holds
the window and the slice. This widget only turns gestures into the series' own changes
and redraws on its events, so what the screen shows is always what the session says.

Gestures: right-drag window (left/right: width, up/down: level), wheel or arrows or
PgUp/PgDn/Home/End scroll, Ctrl+wheel zoom, F fit, 1:1 with the 0 key, R the file's window
back, Esc back to the history.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from vtkmodules.vtkInteractionStyle import vtkInteractorStyleUser

from viewer.display import display_name
from viewer.render.slice_scene import SliceScene
from viewer.session.reading import OpenSeries
from widgets.reading_overlay import corner_texts, orientation_letters, scale_bar, warning_banner
from widgets.vtk_qt import QVTKRenderWindowInteractor

# How far the window moves per screen pixel dragged, as a share of the current width:
# a 400 HU window moves 2 HU a pixel, a 4000 one 20.
WINDOW_PER_PIXEL = 1 / 200
ZOOM_PER_WHEEL_STEP = 1.1
PAGE = 10  # slices per PgUp / PgDn

STEP_KEYS = {
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_Left: -1,
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_Right: 1,
    Qt.Key.Key_PageUp: -PAGE,
    Qt.Key.Key_PageDown: PAGE,
}


class ReadingView(QWidget):
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReadingView")
        self.series: OpenSeries | None = None
        self._drag: tuple[QPointF, float, float] | None = None  # start, center, width
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 4, 8, 4)
        self.back_button = QPushButton(self.tr("← History"), self)
        self.back_button.setToolTip(self.tr("Back to the imaging history (Esc)"))
        self.back_button.clicked.connect(self.back_requested)
        self.title = QLabel(self)
        self.title.setObjectName("ReadingTitle")
        bar.addWidget(self.back_button)
        bar.addWidget(self.title, 1)
        layout.addLayout(bar)
        self.viewport = QVTKRenderWindowInteractor(self)
        # Gestures are handled here, on the series: VTK's own camera style would move the
        # camera behind the session's back.
        self.viewport.SetInteractorStyle(vtkInteractorStyleUser())
        self.viewport.installEventFilter(self)
        self.viewport.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout.addWidget(self.viewport, 1)
        self.scene = SliceScene(self.viewport.GetRenderWindow())

    # -- showing ----------------------------------------------------------------------------
    def show_series(self, series: OpenSeries) -> None:
        self.release()
        self.series = series
        series.window_changed.connect(self._on_window_changed)
        series.slice_changed.connect(self._on_slice_changed)
        who = series.identity
        self.title.setText(
            " · ".join(
                x
                for x in (display_name(who.patient_name), who.patient_id, who.study_description)
                if x
            )
        )
        self.scene.show(series)
        self.scene.set_banner(warning_banner(series.warnings))
        self.scene.set_edge_letters(*orientation_letters(series))
        self._redraw()
        self.viewport.setFocus()

    def release(self) -> None:
        """Stop following the series shown (it is being closed)."""
        if self.series is not None:
            self.series.window_changed.disconnect(self._on_window_changed)
            self.series.slice_changed.disconnect(self._on_slice_changed)
            self.series = None

    def _on_window_changed(self, _window: object) -> None:
        self.scene.refresh_window()
        self._redraw()

    def _on_slice_changed(self, _k: int) -> None:
        self.scene.refresh_slice()
        self._redraw()

    def _redraw(self) -> None:
        if self.series is None:
            return
        zoom = self.scene.zoom_factor()
        for corner, text in corner_texts(self.series, zoom).items():
            self.scene.set_corner_text(corner, text)
        self.scene.set_scale_bar(*scale_bar(self.series, zoom))
        self.scene.render()

    # -- gestures ---------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is not self.viewport or self.series is None:
            return False
        handler = {
            QEvent.Type.MouseButtonPress: self._press,
            QEvent.Type.MouseMove: self._move,
            QEvent.Type.MouseButtonRelease: self._release,
            QEvent.Type.Wheel: self._wheel,
            QEvent.Type.KeyPress: self._key,
        }.get(event.type())
        return handler(event) if handler is not None else False

    def _press(self, event: Any) -> bool:
        assert isinstance(event, QMouseEvent) and self.series is not None
        if event.button() != Qt.MouseButton.RightButton:
            return True
        window = self.series.window
        if window is not None:
            self._drag = (event.position(), window.center, window.width)
        return True

    def _move(self, event: Any) -> bool:
        assert isinstance(event, QMouseEvent) and self.series is not None
        if self._drag is None:
            return True
        start, center, width = self._drag
        delta = event.position() - start
        step = max(width, 1.0) * WINDOW_PER_PIXEL
        self.series.set_window(center - delta.y() * step, width + delta.x() * step)
        return True

    def _release(self, _event: Any) -> bool:
        self._drag = None
        return True

    def _wheel(self, event: Any) -> bool:
        assert isinstance(event, QWheelEvent) and self.series is not None
        steps = event.angleDelta().y() / 120
        if not steps:
            return True
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.scene.zoom(ZOOM_PER_WHEEL_STEP**steps)
            self._redraw()
        else:
            self.series.step(-1 if steps > 0 else 1)  # wheel away from you: the slice before
        return True

    def _key(self, event: Any) -> bool:
        assert isinstance(event, QKeyEvent) and self.series is not None
        key = event.key()
        if key in STEP_KEYS:
            self.series.step(STEP_KEYS[Qt.Key(key)])
        elif key == Qt.Key.Key_Home:
            self.series.set_slice(0)
        elif key == Qt.Key.Key_End:
            self.series.set_slice(self.series.slice_count - 1)
        elif key == Qt.Key.Key_R:
            self.series.reset_window()
        elif key == Qt.Key.Key_F:
            self.scene.fit()
            self._redraw()
        elif key == Qt.Key.Key_0:
            self.scene.one_to_one()
            self._redraw()
        elif key == Qt.Key.Key_Escape:
            self.back_requested.emit()
        else:
            return False
        return True
