"""A series the doctor opens before it is cached: fetched first, then read on its own,
without a second double-click; one that cannot arrive whole says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from pydicom.uid import generate_uid
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from tests.qt.reading_support import window_searched
from tests.unit.test_session_model import PATIENT, SLICES, ct_slice
from viewer.errors import NetworkError
from widgets.main_window import MainWindow

pytestmark = pytest.mark.qt


def searched_window(qtbot: Any, tmp_path: Path) -> tuple[MainWindow, str]:
    folder = tmp_path / "cd"
    folder.mkdir()
    study_uid, series_uid = generate_uid(), generate_uid()
    for k in range(SLICES):
        ct_slice(folder, study_uid, series_uid, k)
    return window_searched(qtbot, folder, tmp_path, PATIENT.patient_id), series_uid


def test_an_uncached_series_opened_is_read_once_it_has_arrived(qtbot: Any, tmp_path: Path) -> None:
    window, series_uid = searched_window(qtbot, tmp_path)
    (card,) = window.history_view.cards()
    assert not window.session.series_cached(card.study.study_uid, series_uid)

    window.studies.open_series(card.study, series_uid)  # a double-click on its tile
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.reading_view, timeout=30000)
    view = window.reading_view
    assert view is not None and view.series is not None
    assert view.series.series_uid == series_uid and view.series.slice_count == SLICES


def test_a_series_that_does_not_arrive_whole_says_so_and_is_not_read(
    qtbot: Any, tmp_path: Path
) -> None:
    window, series_uid = searched_window(qtbot, tmp_path)
    (card,) = window.history_view.cards()
    assert window.downloads is not None

    def broken(*_a: Any, **_kw: Any) -> Any:
        raise NetworkError("the link failed")

    window.downloads.fetch = broken
    with qtbot.waitSignal(window.downloads.ended, timeout=30000):
        window.studies.open_series(card.study, series_uid)
    assert window.pages.currentWidget() is window.history_view
    assert window.statusBar().currentMessage() == (
        "The series did not arrive whole: it cannot be read yet."
    )


def test_double_clicking_a_study_reads_the_series_it_opens_on(qtbot: Any, tmp_path: Path) -> None:
    window, series_uid = searched_window(qtbot, tmp_path)
    window.show()
    (card,) = window.history_view.cards()
    qtbot.mouseDClick(card, Qt.MouseButton.LeftButton, pos=card.rect().topLeft() + QPoint(4, 4))
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.reading_view, timeout=30000)
    view = window.reading_view
    assert view is not None and view.series is not None
    assert view.series.series_uid == series_uid  # the study's one image series, fetched first


def test_double_clicking_a_study_on_the_cache_page_reads_it(qtbot: Any, tmp_path: Path) -> None:
    window, series_uid = searched_window(qtbot, tmp_path)
    (card,) = window.history_view.cards()
    assert window.downloads is not None
    with qtbot.waitSignal(window.downloads.ended, timeout=30000):
        window.studies.download_study(card.study)
    window.cache_page.show()
    dialog = window.cache_page.dialog
    assert dialog is not None
    table = dialog.table
    row = table.row_of(card.study.study_uid)
    assert row >= 0
    table.cellDoubleClicked.emit(row, 1)  # on the patient's name
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.reading_view, timeout=30000)
    assert window.reading_view is not None and window.reading_view.series is not None
    assert window.reading_view.series.series_uid == series_uid


def test_double_clicking_a_series_tile_opens_that_series_not_its_study(
    qtbot: Any, tmp_path: Path
) -> None:
    window, series_uid = searched_window(qtbot, tmp_path)
    (card,) = window.history_view.cards()
    studies: list[object] = []
    window.history_view.study_open_requested.connect(studies.append)
    series: list[str] = []
    card.series_opened.connect(series.append)
    qtbot.mouseClick(card.series_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: card.series_panel is not None and series_uid in card.series_panel.tiles,
        timeout=30000,
    )
    assert card.series_panel is not None
    qtbot.mouseDClick(card.series_panel.tiles[series_uid], Qt.MouseButton.LeftButton)
    assert series == [series_uid] and studies == []


def test_esc_goes_to_the_history_and_f2_back_to_the_images_left_open(
    qtbot: Any, tmp_path: Path
) -> None:
    window, series_uid = searched_window(qtbot, tmp_path)
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

    QApplication.sendEvent(
        view.viewport,
        QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    )
    assert window.pages.currentWidget() is window.history_view
    assert not window.search_panel.isHidden()  # (the window itself is not shown here)
    shown = view.series
    shown.set_slice(2)
    assert set(window.session.open) == {series_uid}  # still open, still leased
    button = window.reading.return_button
    assert not button.isHidden() and "王小东" in button.text()

    window.show()  # a shortcut of the window: it answers in the active window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window.history_view, Qt.Key.Key_F2)
    assert window.pages.currentWidget() is view and window.search_panel.isHidden()
    assert view.series is shown and shown.slice == 2 and button.isHidden()

    QApplication.sendEvent(
        view.viewport,
        QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    )
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the status bar's button
    assert window.pages.currentWidget() is view and view.series is shown
