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

from tests.qt.test_reading_view import drag, key
from tests.support.colour_files import write_colour
from viewer.cache.store import CacheStore
from viewer.config import CacheConfig, Config, UiConfig
from viewer.dicomweb.qido import StudyQuery
from viewer.imaging.decode import read_dataset
from viewer.session.model import ReadingSession
from viewer.session.reading import OpenSeries
from viewer.sources.folder import FolderSource
from widgets.app import create_application

pytestmark = pytest.mark.qt


@pytest.fixture
def series(tmp_path: Path) -> Iterator[OpenSeries]:
    folder = tmp_path / "cd"
    folder.mkdir()
    ds = read_dataset(write_colour(folder / "us.dcm", "YBR_FULL", frames=3))
    config = Config(CacheConfig(tmp_path / "cache", 1 << 30), (), UiConfig(None))
    store = CacheStore(config.cache.dir, config.cache.max_size)
    session = ReadingSession(config, store=store, open_sources=lambda: [FolderSource(folder, "cd")])
    result = session.search(StudyQuery(patient_id="C1"))
    assert session.downloads is not None
    session.downloads.run(ds.StudyInstanceUID, session.holder_of(result.histories[0].studies[0]))
    yield session.open_series(ds.StudyInstanceUID, ds.SeriesInstanceUID)
    session.close()


@pytest.fixture
def view(qtbot: Any, series: OpenSeries):  # type: ignore[no-untyped-def]
    create_application()
    from widgets.reading_view import ReadingView

    made = ReadingView()
    qtbot.addWidget(made)
    made.resize(400, 300)
    made.show()
    corners: dict[str, str] = {}
    original = made.scene.set_corner_text
    made.scene.set_corner_text = lambda corner, text: (  # type: ignore[method-assign]
        corners.__setitem__(corner, text),
        original(corner, text),
    )
    made.corners = corners  # type: ignore[attr-defined]
    made.show_series(series)
    return made


def rgb_on_screen(view: Any) -> np.ndarray:
    from vtkmodules.util.numpy_support import vtk_to_numpy
    from vtkmodules.vtkRenderingCore import vtkWindowToImageFilter

    view.scene.render()
    grabber = vtkWindowToImageFilter()
    grabber.SetInput(view.viewport.GetRenderWindow())
    grabber.SetInputBufferTypeToRGB()
    grabber.ReadFrontBufferOff()
    grabber.Update()
    image = grabber.GetOutput()
    width, height, _ = image.GetDimensions()
    return vtk_to_numpy(image.GetPointData().GetScalars()).reshape(height, width, 3)[::-1].copy()


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
