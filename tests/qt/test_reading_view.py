"""The reading view: gestures change the open series (the session's), the viewport
follows its events, and every corner says whose images these are."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from pydicom.uid import generate_uid
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from tests.unit.test_session_model import SLICES, ct_slice
from viewer.cache.store import CacheStore
from viewer.config import CacheConfig, Config, UiConfig
from viewer.dicomweb.qido import StudyQuery
from viewer.imaging.voi_lut import Window
from viewer.session.model import ReadingSession
from viewer.session.reading import OpenSeries
from viewer.sources.folder import FolderSource
from widgets.app import create_application

pytestmark = pytest.mark.qt


@pytest.fixture
def series(tmp_path: Path) -> Iterator[OpenSeries]:
    folder = tmp_path / "cd"
    folder.mkdir()
    study_uid, series_uid = generate_uid(), generate_uid()
    for k in range(SLICES):
        ct_slice(folder, study_uid, series_uid, k)
    config = Config(CacheConfig(tmp_path / "cache", 1 << 30), (), UiConfig(None))
    store = CacheStore(config.cache.dir, config.cache.max_size)
    session = ReadingSession(config, store=store, open_sources=lambda: [FolderSource(folder, "cd")])
    result = session.search(StudyQuery(patient_id="320106198810300596"))
    assert session.downloads is not None
    session.downloads.run(study_uid, session.holder_of(result.histories[0].studies[0]))
    yield session.open_series(study_uid, series_uid)
    session.close()


@pytest.fixture
def view(qtbot: Any, series: OpenSeries):  # type: ignore[no-untyped-def]
    create_application()
    from widgets.reading_view import ReadingView

    made = ReadingView()
    qtbot.addWidget(made)
    made.resize(500, 400)
    made.show()
    corners: dict[str, str] = {}
    original = made.scene.set_corner_text
    made.scene.set_corner_text = lambda corner, text: (  # type: ignore[method-assign]
        corners.__setitem__(corner, text),
        original(corner, text),
    )
    made.corners = corners  # type: ignore[attr-defined]
    drawn: dict[str, Any] = {}
    for name in ("set_edge_letters", "set_scale_bar"):
        method = getattr(made.scene, name)
        setattr(made.scene, name, lambda *a, name=name, method=method: (
            drawn.__setitem__(name, a), method(*a)))  # fmt: skip
    made.drawn = drawn  # type: ignore[attr-defined]
    made.show_series(series)
    return made


def send_mouse(view: Any, kind: QEvent.Type, at: QPointF, button: Qt.MouseButton) -> None:
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
    event = QMouseEvent(kind, at, at, button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport, event)


def wheel(view: Any, steps: int, modifiers: Qt.KeyboardModifier) -> None:
    at = QPointF(100, 100)
    event = QWheelEvent(
        at, at, QPoint(), QPoint(0, 120 * steps), Qt.MouseButton.NoButton, modifiers,
        Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(view.viewport, event)


def key(view: Any, which: Qt.Key) -> None:
    QApplication.sendEvent(
        view.viewport, QKeyEvent(QEvent.Type.KeyPress, which, Qt.KeyboardModifier.NoModifier)
    )


def test_every_corner_says_whose_images_these_are(view: Any) -> None:
    corners = view.corners
    assert "王小东" in corners["top-left"] and "320106198810300596" in corners["top-left"]
    assert "JS-EMPI" in corners["top-left"] and "1988-10-30" in corners["top-left"]
    assert "江苏省人民医院" in corners["top-right"] and "2024-11-05" in corners["top-right"]
    assert f"1 / {SLICES}" in corners["bottom-left"]
    assert "W 400  L 40" in corners["bottom-right"]


def test_a_right_drag_changes_the_series_window_and_the_corner_follows(view: Any) -> None:
    series: OpenSeries = view.series
    start = QPointF(200, 200)
    send_mouse(view, QEvent.Type.MouseButtonPress, start, Qt.MouseButton.RightButton)
    send_mouse(view, QEvent.Type.MouseMove, QPointF(300, 150), Qt.MouseButton.RightButton)
    send_mouse(view, QEvent.Type.MouseButtonRelease, QPointF(300, 150), Qt.MouseButton.RightButton)
    # 400 wide: 2 a pixel; right 100 px widens by 200, up 50 px raises the level by 100.
    assert series.window == Window(140.0, 600.0)
    assert "W 600  L 140" in view.corners["bottom-right"]
    send_mouse(view, QEvent.Type.MouseMove, QPointF(0, 0), Qt.MouseButton.NoButton)
    assert series.window == Window(140.0, 600.0)  # no drag after the release
    key(view, Qt.Key.Key_R)
    assert series.window == Window(40.0, 400.0)


def test_the_wheel_and_the_keys_scroll_within_the_series(view: Any) -> None:
    series: OpenSeries = view.series
    wheel(view, -1, Qt.KeyboardModifier.NoModifier)  # towards you: the next slice
    assert series.slice == 1
    key(view, Qt.Key.Key_End)
    assert series.slice == SLICES - 1 and f"{SLICES} / {SLICES}" in view.corners["bottom-left"]
    key(view, Qt.Key.Key_Down)
    assert series.slice == SLICES - 1
    key(view, Qt.Key.Key_PageUp)
    assert series.slice == 0
    zoom = view.scene.zoom_factor()
    wheel(view, 1, Qt.KeyboardModifier.ControlModifier)
    assert view.scene.zoom_factor() == pytest.approx(zoom * 1.1, rel=1e-3)
    assert series.slice == 0  # Ctrl+wheel zooms, it does not scroll


def test_escape_asks_for_the_history(qtbot: Any, view: Any) -> None:
    with qtbot.waitSignal(view.back_requested, timeout=1000):
        key(view, Qt.Key.Key_Escape)


def test_the_viewport_draws_the_slice(view: Any) -> None:
    from vtkmodules.util.numpy_support import vtk_to_numpy
    from vtkmodules.vtkRenderingCore import vtkWindowToImageFilter

    grab = vtkWindowToImageFilter()
    grab.SetInput(view.viewport.GetRenderWindow())
    grab.Update()
    pixels = vtk_to_numpy(grab.GetOutput().GetPointData().GetScalars())
    assert pixels.max() > 0 and len(np.unique(pixels)) > 10  # an image, not a black square


def test_the_edges_say_the_patient_directions_and_a_bar_gives_the_scale(view: Any) -> None:
    # Axial, rows along +x (patient left), columns along +y (posterior): the screen's
    # left is the patient's right, its top anterior (PS3.3 C.7.6.2.1.1).
    assert view.drawn["set_edge_letters"] == ("R", "L", "A", "P")
    length, label = view.drawn["set_scale_bar"]
    assert label == f"{length:g} mm"
    # About 100 screen pixels long at the current zoom: 0.5 mm is the finer spacing.
    on_screen = length / 0.5 * view.scene.zoom_factor()
    assert 40 <= on_screen <= 250, on_screen


def test_without_pixel_spacing_there_is_no_bar_only_the_word_uncalibrated(
    series: OpenSeries,
) -> None:
    from dataclasses import replace

    from viewer.imaging.geometry import GeometryIssue, GeometryWarning
    from widgets.reading_overlay import scale_bar

    create_application()
    warning = GeometryWarning(GeometryIssue.NO_PIXEL_SPACING, "no PixelSpacing")
    series.volume = replace(series.volume, warnings=(warning,))
    assert scale_bar(series, 1.0) == (None, "uncalibrated")


def test_opening_a_cached_series_from_the_history_reads_it_and_esc_comes_back(
    qtbot: Any, tmp_path: Path
) -> None:
    from widgets.main_window import MainWindow

    folder = tmp_path / "cd"
    folder.mkdir()
    study_uid, series_uid = generate_uid(), generate_uid()
    for k in range(SLICES):
        ct_slice(folder, study_uid, series_uid, k)
    config = Config(CacheConfig(tmp_path / "cache", 1 << 30), (), UiConfig(None))
    create_application()
    window = MainWindow(config, open_sources=lambda: [FolderSource(folder, "cd")])
    qtbot.addWidget(window)
    panel = window.search_panel
    panel.patient_id_edit.setText("320106198810300596")
    with qtbot.waitSignal(window.history_view.shown, timeout=30000):
        qtbot.keyClick(panel.patient_id_edit, Qt.Key.Key_Return)
    (card,) = window.history_view.cards()
    assert window.downloads is not None
    with qtbot.waitSignal(window.downloads.ended, timeout=30000):
        window.studies.download_study(card.study)

    window.studies.open_series(card.study, series_uid)  # a double-click on its tile
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.reading_view, timeout=30000)
    view = window.reading_view
    assert view is not None and view.series is not None
    assert view.series.series_uid == series_uid and "王小东" in view.title.text()
    assert set(window.session.open) == {series_uid}  # held from eviction while read

    key(view, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.history_view
    assert window.session.open == {} and view.series is None
