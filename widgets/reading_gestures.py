"""Mouse and keyboard of the reading view, as changes of the series and the scene.

Every gesture ends in the open series (window, slice, preset, inversion: the session's
state) or in the slice scene's camera (zoom, pan, turns); VTK's own interactor style is
never used, so nothing moves behind the session's back. The help panel
(:mod:`widgets.reading_help`) lists all of these; keep the two together. The keys of the
whole view (layouts, next viewport, link, help, back) are :mod:`widgets.reading_view`'s.

Mouse: right-drag window (left/right width, up/down level); left-drag scroll; middle-drag
or Shift+left-drag pan; Ctrl+left-drag zoom (up closer); wheel scroll, Ctrl+wheel zoom.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent

if TYPE_CHECKING:
    from widgets.reading_viewport import Viewport

# How far the window moves per screen pixel dragged, as a share of the current width:
# a 400 HU window moves 2 HU a pixel, a 4000 one 20.
WINDOW_PER_PIXEL = 1 / 200
ZOOM_PER_WHEEL_STEP = 1.1
ZOOM_PER_PIXEL = 1.01  # Ctrl+left-drag: 70 px up doubles the size
SCROLL_PIXELS = 6  # left-drag: one slice per this many pixels up or down
PAGE = 10  # slices per PgUp / PgDn

STEP_KEYS = {
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_Left: -1,
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_Right: 1,
    Qt.Key.Key_PageUp: -PAGE,
    Qt.Key.Key_PageDown: PAGE,
}
PRESET_KEYS = {getattr(Qt.Key, f"Key_{n}"): n - 1 for n in range(1, 10)}
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


class Drag(Enum):
    WINDOW = "window"
    PAN = "pan"
    ZOOM = "zoom"
    SCROLL = "scroll"


def drag_for(button: Qt.MouseButton, modifiers: Qt.KeyboardModifier) -> Drag | None:
    """What a drag started with ``button`` (and ``modifiers`` held) does."""
    if button == Qt.MouseButton.RightButton:
        return Drag.WINDOW
    if button == Qt.MouseButton.MiddleButton:
        return Drag.PAN
    if button == Qt.MouseButton.LeftButton:
        if modifiers & SHIFT:
            return Drag.PAN
        return Drag.ZOOM if modifiers & CTRL else Drag.SCROLL
    return None


class Gestures:
    """The mouse drag in progress and what each event does to ``view``'s series and scene."""

    def __init__(self, view: Viewport) -> None:
        self.view = view
        self.drag: Drag | None = None
        self._start = QPointF()
        self._last = QPointF()
        self._window = (0.0, 1.0)  # center, width when a window drag began
        self._slice = 0  # the slice when a scroll drag began

    def press(self, event: Any) -> bool:
        assert isinstance(event, QMouseEvent)
        series = self.view.series
        assert series is not None
        self.drag = drag_for(event.button(), event.modifiers())
        self._start = self._last = event.position()
        if self.drag is Drag.WINDOW:
            window = series.window
            if window is None:  # the file's VOI LUT table: no centre and width to drag
                self.drag = None
            else:
                self._window = (window.center, window.width)
        slices = self.view.slices
        self._slice = slices.slice if slices is not None else 0
        return True

    def move(self, event: Any) -> bool:
        assert isinstance(event, QMouseEvent)
        series, scene = self.view.series, self.view.scene
        assert series is not None
        at = event.position()
        step, self._last = at - self._last, at
        if self.drag is Drag.WINDOW:
            center, width = self._window
            delta = at - self._start
            per = max(width, 1.0) * WINDOW_PER_PIXEL
            series.set_window(center - delta.y() * per, width + delta.x() * per)
        elif self.drag is Drag.SCROLL:
            slices = self.view.slices
            if slices is not None:
                slices.set_slice(self._slice + int((at - self._start).y() / SCROLL_PIXELS))
        elif self.drag is Drag.PAN:
            scene.pan(step.x(), step.y())
            self.view.redraw()
        elif self.drag is Drag.ZOOM:
            scene.zoom(ZOOM_PER_PIXEL ** (-step.y()))  # up: closer
            self.view.redraw()
        return True

    def release(self, _event: Any) -> bool:
        self.drag = None
        return True

    def wheel(self, event: Any) -> bool:
        assert isinstance(event, QWheelEvent) and self.view.series is not None
        steps = event.angleDelta().y() / 120
        if not steps:
            return True
        if event.modifiers() & CTRL:
            self.view.scene.zoom(ZOOM_PER_WHEEL_STEP**steps)
            self.view.redraw()
        else:
            slices = self.view.slices
            if slices is not None:
                slices.step(-1 if steps > 0 else 1)  # away from you: the slice before
        return True

    def key(self, event: Any) -> bool:
        assert isinstance(event, QKeyEvent)
        modifiers = event.modifiers()
        action = self._key_actions(bool(modifiers & CTRL), bool(modifiers & SHIFT)).get(event.key())
        if action is None:
            return False
        action()
        return True

    def _key_actions(self, ctrl: bool, shift: bool) -> dict[Any, Callable[[], object]]:
        view, scene, series, slices = self.view, self.view.scene, self.view.series, self.view.slices
        assert series is not None and slices is not None
        Key = Qt.Key  # noqa: N806 (Qt's enum, shortened)
        actions: dict[Any, Callable[[], object]] = {
            key: (lambda d=d: slices.step(d)) for key, d in STEP_KEYS.items()
        }
        if not ctrl:  # Ctrl+digits choose the layout (widgets.reading_view)
            actions |= {
                key: (lambda i=i: series.choose_preset(i)) for key, i in PRESET_KEYS.items()
            }
        actions |= {
            Key.Key_Home: lambda: slices.set_slice(0),
            Key.Key_End: lambda: slices.set_slice(slices.slice_count - 1),
            Key.Key_R: series.reset_window,
            Key.Key_H: lambda: view.turn(scene.turns.flipped_horizontally()),
            Key.Key_V: lambda: view.turn(scene.turns.flipped_vertically()),
            Key.Key_I: series.invert,
            Key.Key_A: series.auto_window,
            Key.Key_Space: view.cine.toggle,
            Key.Key_Plus: view.cine.faster,
            Key.Key_Equal: view.cine.faster,  # + without Shift
            Key.Key_Minus: view.cine.slower,
            Key.Key_F: lambda: (scene.fit(), view.redraw()),
            Key.Key_Backspace: view.reset_view,
            Key.Key_0: lambda: (scene.one_to_one(), view.redraw()),
        }
        if ctrl:  # Ctrl+R turns clockwise, Ctrl+Shift+R anticlockwise
            actions[Key.Key_R] = lambda: view.turn(scene.turns.rotated(clockwise=not shift))
        return actions
