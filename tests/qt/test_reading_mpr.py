"""MPR in the reading view: M shows the series' plane and its two reformats sharing one
point; scrolling a reformat or clicking in one moves the point, the crosshairs follow.
Driven with real key, wheel and mouse events; pixels read back from each VTK window."""

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

from tests.qt.test_reading_layouts import key, view, wheel_down  # noqa: F401 (fixture)
from tests.support.screen import screen_rgb
from tests.support.stacks import open_stack
from viewer.session.layout import GRIDS, MPR_GRID

pytestmark = pytest.mark.qt

NONE = Qt.KeyboardModifier.NoModifier


def click_at(target: Any, x: float, y: float) -> None:
    at = QPointF(x, y)
    left = Qt.MouseButton.LeftButton
    QApplication.sendEvent(
        target, QMouseEvent(QEvent.Type.MouseButtonPress, at, at, left, left, NONE)
    )
    QApplication.sendEvent(
        target,
        QMouseEvent(QEvent.Type.MouseButtonRelease, at, at, left, Qt.MouseButton.NoButton, NONE),
    )


def pixels(viewport: Any) -> np.ndarray:
    viewport.scene.render()
    return screen_rgb(viewport.scene.window).astype(int)


@pytest.fixture
def mpr(view: Any, tmp_path: Path) -> Any:  # noqa: F811 (the layouts' view fixture)
    series = open_stack(tmp_path / "ct", count=20, step=2.0, size=(32, 32))
    series.set_window(-424.0, 4000.0)
    view.show_series(series)
    key(view.viewport, Qt.Key.Key_M)
    return view


def test_m_shows_the_plane_and_two_reformats_named_and_lettered(mpr: Any) -> None:
    model = mpr.layout_model
    assert model.grid == MPR_GRID and mpr.mpr_button.isChecked()
    axial, coronal, sagittal = mpr.viewports[:3]
    assert [v.axis for v in (axial, coronal, sagittal)] == [2, 1, 0]
    coronal.redraw()
    assert coronal.scene.overlay._corners["bottom-left"].GetInput().startswith("Coronal 17 / 32")
    letters = [coronal.scene.overlay._edges[e].GetInput() for e in ("left", "right", "top")]
    assert letters == ["R", "L", "H"]  # H: head (the letters of viewer.imaging.orientation)
    letters = [sagittal.scene.overlay._edges[e].GetInput() for e in ("left", "right", "top")]
    assert letters == ["A", "P", "H"]
    key(mpr.viewport, Qt.Key.Key_M)  # and back
    assert model.grid == GRIDS["1x1"] and not mpr.mpr_button.isChecked()
    assert model.cursor is None and mpr.viewports[0].series is not None


def test_scrolling_a_reformat_moves_the_crosshair_in_the_others(mpr: Any) -> None:
    axial, coronal, _ = mpr.viewports[:3]
    cursor = mpr.layout_model.cursor
    before = pixels(axial)
    row = cursor.position(1)
    wheel_down(coronal.vtk, 5)
    assert cursor.position(1) == row + 5
    after = pixels(axial)
    moved = (after != before).any(axis=2)
    assert moved.any() and moved.any(axis=1).sum() <= 12  # the green line moved: two rows


def test_a_click_in_the_sagittal_plane_takes_the_axial_to_that_level(mpr: Any) -> None:
    series = mpr.layout_model.cursor.series
    _, _, sagittal = mpr.viewports[:3]
    sagittal.scene.render()
    width, height = sagittal.scene._viewport_size()
    click_at(sagittal.vtk, width / 2, 2)  # the top: the head end, the last slices
    assert series.slice >= 18
    click_at(sagittal.vtk, width / 2, height - 3)  # the bottom: the feet, the first
    assert series.slice <= 1
