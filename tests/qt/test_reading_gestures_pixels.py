"""Mouse gestures change the pixels drawn as they should: read back from the viewport's
VTK window after real mouse events (W/L drag, scroll drag and wheel, Ctrl-drag zoom,
middle-drag pan), each compared with what the core says the screen must show."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from tests.qt.test_reading_layouts import view, wheel_down  # noqa: F401 (fixture)
from tests.support.screen import screen_rgb
from tests.support.stacks import open_stack
from viewer.imaging.display import to_display

pytestmark = pytest.mark.qt

NONE = Qt.KeyboardModifier.NoModifier


def drag(
    target: Any,
    start: tuple[int, int],
    end: tuple[int, int],
    button: Qt.MouseButton,
    modifiers: Qt.KeyboardModifier = NONE,
) -> None:
    a, b = QPointF(*start), QPointF(*end)
    for kind, at, held in (
        (QEvent.Type.MouseButtonPress, a, button),
        (QEvent.Type.MouseMove, b, button),
        (QEvent.Type.MouseButtonRelease, b, Qt.MouseButton.NoButton),
    ):
        QApplication.sendEvent(target, QMouseEvent(kind, at, at, button, held, modifiers))


def grey(viewport: Any) -> np.ndarray:
    """The viewport as drawn, grey levels, the overlay off (the image alone)."""
    viewport.scene.set_overlays_visible(False)
    viewport.scene.render()
    shown = screen_rgb(viewport.scene.window)[:, :, 0].astype(int)
    viewport.scene.set_overlays_visible(True)
    return shown


def box(shown: np.ndarray) -> tuple[int, int, int, int]:
    """(top, left, bottom, right) of what is not black."""
    rows, columns = np.flatnonzero(shown.any(axis=1)), np.flatnonzero(shown.any(axis=0))
    return int(rows[0]), int(columns[0]), int(rows[-1]), int(columns[-1])


def test_gestures_change_the_drawn_pixels_as_the_core_says(view: Any, tmp_path: Path) -> None:  # noqa: F811
    series = open_stack(tmp_path / "ct", count=6, size=(40, 40))  # slice k: k * 100 stored
    series.set_slice(3)
    series.set_window(-500.0, 1000.0)
    view.show_series(series)
    viewport = view.viewports[0]
    vtk = viewport.vtk
    centre = (vtk.width() // 2, vtk.height() // 2)

    def middle() -> int:
        shown = grey(viewport)
        return int(shown[shown.shape[0] // 2, shown.shape[1] // 2])

    def expected() -> int:
        stored = np.array([[series.slice * 100]], dtype=np.int16)
        return int(to_display(stored, series.chain)[0, 0])

    assert middle() == expected()
    # Right-drag: 60 px right widens the window, 40 px up raises the level.
    drag(vtk, centre, (centre[0] + 60, centre[1] - 40), Qt.MouseButton.RightButton)
    assert series.window is not None and series.window.width > 1000
    assert middle() == expected() and middle() != 0
    # Left-drag down two slices on, then the wheel one on: the next slices' grey.
    before = middle()
    drag(vtk, centre, (centre[0], centre[1] + 13), Qt.MouseButton.LeftButton)
    assert series.slice == 5 and middle() == expected() != before
    wheel_down(vtk)  # the last slice: stays
    assert series.slice == 5
    # Ctrl+left-drag down 70 px: about half as large on screen (about its centre).
    top, left, bottom, right = box(grey(viewport))
    drag(vtk, centre, (centre[0], centre[1] + 70), Qt.MouseButton.LeftButton,
         Qt.KeyboardModifier.ControlModifier)  # fmt: skip
    top2, left2, bottom2, right2 = box(grey(viewport))
    assert (right2 - left2) == pytest.approx(0.498 * (right - left), abs=2)
    assert (bottom2 - top2) == pytest.approx(0.498 * (bottom - top), abs=2)
    # Middle-drag 30 px right and 20 down: the image follows the hand, pixel for pixel.
    drag(vtk, centre, (centre[0] + 30, centre[1] + 20), Qt.MouseButton.MiddleButton)
    top3, left3, bottom3, right3 = box(grey(viewport))
    assert (left3 - left2, top3 - top2, right3 - right2, bottom3 - bottom2) == (30, 20, 30, 20)
