"""A colour series in the reading view: opened through the session (frame by frame),
shown as its export, with no window to drag or key in: the corner says 'Colour'."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from PySide6.QtCore import QPointF, Qt

from tests.qt.reading_support import opened_series, recording_view
from tests.qt.test_reading_view import drag, key
from tests.support.colour_files import write_colour
from tests.support.screen import screen_rgb
from viewer.imaging.decode import read_dataset
from viewer.session.reading import OpenSeries

pytestmark = pytest.mark.qt


@pytest.fixture
def series(tmp_path: Path) -> Iterator[OpenSeries]:
    folder = tmp_path / "cd"
    folder.mkdir()
    ds = read_dataset(write_colour(folder / "us.dcm", "YBR_FULL", frames=3))
    yield from opened_series(tmp_path, folder, "C1", ds.StudyInstanceUID, ds.SeriesInstanceUID)


@pytest.fixture
def view(qtbot: Any, series: OpenSeries):  # type: ignore[no-untyped-def]
    return recording_view(qtbot, series, (400, 300))


def rgb_on_screen(view: Any) -> np.ndarray:
    view.scene.render()
    return screen_rgb(view.viewport.GetRenderWindow())


def test_a_colour_series_opens_frame_by_frame_and_its_corner_says_colour(view: Any) -> None:
    series: OpenSeries = view.series
    assert series.colour and series.slice_count == 3
    assert view.corners["bottom-right"].startswith("Colour\n")
    assert "W " not in view.corners["bottom-right"]
    shown = rgb_on_screen(view)
    assert (shown[..., 0] != shown[..., 1]).any()  # colour drawn, not grey


def test_a_right_drag_on_colour_changes_nothing(view: Any) -> None:
    before, corners = rgb_on_screen(view), dict(view.corners)
    drag(view, QPointF(150, 150), QPointF(250, 100), Qt.MouseButton.RightButton)
    assert np.array_equal(rgb_on_screen(view), before)
    assert view.corners == corners and view.series.window is None


def test_keys_1_to_9_invert_auto_and_reset_do_nothing_to_colour(view: Any) -> None:
    before, corners = rgb_on_screen(view), dict(view.corners)
    digits = [getattr(Qt.Key, f"Key_{n}") for n in range(1, 10)]
    for which in [*digits, Qt.Key.Key_I, Qt.Key.Key_A, Qt.Key.Key_R]:
        key(view, which)
    assert np.array_equal(rgb_on_screen(view), before)
    assert view.corners == corners
    assert view.series.preset is None and not view.series.inverted


def test_scrolling_a_colour_cine_moves_to_the_next_frame(view: Any) -> None:
    before = rgb_on_screen(view)
    key(view, Qt.Key.Key_End)
    assert view.series.slice == 2 and "3 / 3" in view.corners["bottom-left"]
    assert not np.array_equal(rgb_on_screen(view), before)
