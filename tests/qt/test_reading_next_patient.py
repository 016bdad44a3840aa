"""The reading view across patients: going back to the history keeps the images open,
and a series of another patient opened from the history starts the layout afresh — the
last patient's series closed (leases let go), the strip holding the new patient's study
only, no red "two patients" line because two were never put side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from pydicom import dcmread
from PySide6.QtCore import Qt

from tests.qt.reading_support import window_searched
from tests.qt.test_compare_with_prior import study
from tests.unit.test_session_model import PATIENT
from viewer.session.layout import GRIDS

pytestmark = pytest.mark.qt


def another_patient(folder: Path, study_uid: str, patient_id: str) -> None:
    """The study's files made another patient's: another ID, the same name (a namesake)."""
    for path in folder.glob(f"{study_uid[-8:]}-*.dcm"):
        ds = dcmread(path)
        ds.PatientID = patient_id
        ds.save_as(path, enforce_file_format=True)


def search(qtbot: Any, window: Any, patient_id: str) -> None:
    panel = window.search_panel
    panel.patient_id_edit.setText(patient_id)
    with qtbot.waitSignal(window.history_view.shown, timeout=30000):
        qtbot.keyClick(panel.patient_id_edit, Qt.Key.Key_Return)


def open_card(qtbot: Any, window: Any, study_uid: str, series_uid: str) -> Any:
    card = next(c for c in window.history_view.cards() if c.study.study_uid == study_uid)
    window.studies.open_series(card.study, series_uid)
    qtbot.waitUntil(
        lambda: (
            window.reading_view is not None
            and window.pages.currentWidget() is window.reading_view
            and window.reading_view.series is not None
            and window.reading_view.series.series_uid == series_uid
        ),
        timeout=30000,
    )
    return window.reading_view


def test_another_patients_series_starts_the_layout_afresh(qtbot: Any, tmp_path: Path) -> None:
    folder = tmp_path / "cd"
    folder.mkdir()
    a_study, a_series = study(folder, "20241105", "江苏省人民医院", "Lung 1.0")
    a_prior, a_prior_series = study(folder, "20230210", "南京鼓楼医院", "Lung 1.0")
    b_study, b_series = study(folder, "20240901", "江苏省人民医院", "Lung 1.0")
    another_patient(folder, b_study, "B-2")
    window = window_searched(qtbot, folder, tmp_path, PATIENT.patient_id)
    window.resize(1200, 800)
    window.show()
    view = open_card(qtbot, window, a_study, a_series)
    view.set_grid(GRIDS["1x2"])
    view.layout_model.activate(1)
    window.back_to_history()
    view = open_card(qtbot, window, a_prior, a_prior_series)  # the same patient: kept
    assert set(window.session.open) == {a_series, a_prior_series}
    assert [s.series_uid for s in view.layout_model.shown] == [a_series, a_prior_series]
    assert view.strip.studies() == [a_study, a_prior] and view.patients_warning.isHidden()
    view.set_grid(GRIDS["1x1"])  # the prior hidden: still the last patient's, still held

    window.back_to_history()
    search(qtbot, window, "B-2")  # a namesake: another patient
    assert window.reading.return_button.isVisible()  # A's images still there to go back to
    view = open_card(qtbot, window, b_study, b_series)
    assert set(window.session.open) == {b_series}  # A's closed, leases let go
    assert view.layout_model.grid == GRIDS["1x1"] and view.layout_model.open_series() == [
        window.session.open[b_series]
    ]
    assert view.strip.studies() == [b_study] and view.patients_warning.isHidden()
