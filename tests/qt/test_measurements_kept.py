"""A measurement drawn in the window is kept with the study in the offline cache: closed
and opened again (a restart: a new window, a new session, the same cache), the series
shows it on its image with the same value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from PySide6.QtCore import Qt

from tests.qt.reading_support import window_searched
from tests.qt.test_compare_with_prior import study
from tests.qt.test_measuring_tools import drag, key
from tests.unit.test_session_model import PATIENT

pytestmark = pytest.mark.qt


def opened(qtbot: Any, folder: Path, tmp_path: Path, study_uid: str, series_uid: str) -> Any:
    window = window_searched(qtbot, folder, tmp_path, PATIENT.patient_id)
    window.resize(900, 700)
    window.show()
    card = next(c for c in window.history_view.cards() if c.study.study_uid == study_uid)
    window.studies.open_series(card.study, series_uid)
    qtbot.waitUntil(
        lambda: window.reading_view is not None and window.reading_view.series is not None,
        timeout=30000,
    )

    def whole_and_shown() -> bool:
        # A click lands on a slice only once it has arrived and the viewport shows the
        # volume holding it (a series opens as it arrives, slice by slice).
        series = window.reading_view.series
        shown = window.reading_view.active.scene.volume_shown
        return bool(series.volume.ready.all()) and shown is series.volume

    qtbot.waitUntil(whole_and_shown, timeout=30000)
    return window


def test_a_measurement_drawn_is_there_again_after_a_restart(qtbot: Any, tmp_path: Path) -> None:
    folder = tmp_path / "cd"
    folder.mkdir()
    study_uid, series_uid = study(folder, "20241105", "江苏省人民医院", "Lung 1.0")
    window = opened(qtbot, folder, tmp_path, study_uid, series_uid)
    view = window.reading_view
    view.series.set_slice(2)
    key(view, Qt.Key.Key_D)
    drag(view, (1, 1), (6, 1))  # 5 columns of 0.7 mm
    (drawn,) = window.session.annotations(study_uid).items
    label = view.active.measuring.layer.shown[0].label
    assert label.startswith("3.5 mm")
    window.close()  # the session ends; the cache keeps the study and its measurement

    again = opened(qtbot, folder, tmp_path, study_uid, series_uid)
    view = again.reading_view
    assert again.session.annotations(study_uid).items == [drawn]
    view.series.set_slice(view.series.slice_of(drawn.sop_instance_uid, drawn.frame))
    assert [d.label for d in view.active.measuring.layer.shown] == [label]


def test_esc_typed_in_the_window_drops_the_measurement_then_the_tool_then_goes_back(
    qtbot: Any, tmp_path: Path
) -> None:
    """Typed as a doctor types it (through the window's shortcuts, where the history's
    Esc stops a search), not sent to the viewport behind Qt's back."""
    folder = tmp_path / "cd"
    folder.mkdir()
    study_uid, series_uid = study(folder, "20241105", "江苏省人民医院", "Lung 1.0")
    window = opened(qtbot, folder, tmp_path, study_uid, series_uid)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    view = window.reading_view
    # The series may still be arriving: a press on an image not here yet draws nothing.
    qtbot.waitUntil(lambda: view.series.image_at() is not None, timeout=30000)
    vtk = view.active.vtk
    vtk.setFocus()
    qtbot.keyClick(vtk, Qt.Key.Key_D)
    assert view.tool is not None
    from tests.qt.test_measuring_tools import click

    # Activating the window may have resized the viewport: the next click is placed by
    # the renderer's geometry, so let it draw at its final size first.
    qtbot.wait(50)
    view.active.scene.render()
    click(view, 3, 3)  # one point of two, well inside the image
    assert view.active.measuring.points
    qtbot.keyClick(vtk, Qt.Key.Key_Escape)
    assert not view.active.measuring.points and view.tool is not None
    qtbot.keyClick(vtk, Qt.Key.Key_Escape)
    assert view.tool is None and window.pages.currentWidget() is view
    qtbot.keyClick(vtk, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.history_view
