"""Compare with prior: P puts the nearest earlier study of the same kind, from another
hospital, beside the series read — its matching series fetched, opened beside, both
studies listed in the strip. Driven through the window over a folder source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from pydicom import dcmread
from pydicom.uid import generate_uid
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from tests.qt.reading_support import window_searched
from tests.unit.test_session_model import PATIENT, SLICES, ct_slice
from viewer.session.layout import GRIDS

pytestmark = pytest.mark.qt


def study(folder: Path, date: str, institution: str, series_description: str) -> tuple[str, str]:
    """A CT study of the patient (ct_slice's), dated and placed as given."""
    study_uid, series_uid = generate_uid(), generate_uid()
    for k in range(SLICES):
        ct_slice(folder, study_uid, series_uid, k)
        path = folder / f"{k:03}.dcm"
        ds = dcmread(path)
        ds.StudyDate, ds.InstitutionName = date, institution
        ds.SeriesDescription = series_description
        ds.FrameOfReferenceUID = study_uid + ".1"
        ds.save_as(folder / f"{study_uid[-8:]}-{k:03}.dcm", enforce_file_format=True)
        path.unlink()
    return study_uid, series_uid


def test_p_puts_the_prior_from_another_hospital_beside_the_series_read(
    qtbot: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "cd"
    folder.mkdir()
    now_study, now_series = study(folder, "20241105", "江苏省人民医院", "Lung 1.0")
    old_study, old_series = study(folder, "20230210", "南京鼓楼医院", "Lung 1.0")
    study(folder, "20210101", "南京鼓楼医院", "Lung 1.0")  # older still: not the nearest
    window = window_searched(qtbot, folder, tmp_path, PATIENT.patient_id)
    window.resize(1200, 800)
    window.show()
    current = next(c for c in window.history_view.cards() if c.study.study_uid == now_study)
    window.studies.open_series(current.study, now_series)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.reading_view, timeout=30000)
    view = window.reading_view
    assert view is not None and not window.search_panel.isVisible()  # the room is the images'

    press_p = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_P, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport, press_p)
    qtbot.waitUntil(
        lambda: len(view.viewports) > 1 and view.viewports[1].series is not None, timeout=30000
    )
    assert view.layout_model.grid == GRIDS["1x2"]
    left, right = view.viewports[0].series, view.viewports[1].series
    assert (left.study_uid, right.study_uid) == (now_study, old_study)
    assert right.series_uid == old_series and right.identity.institution == "南京鼓楼医院"
    assert "2023-02-10" in view.note.text() and "南京鼓楼医院" in view.note.text()
    assert view.strip.studies() == [now_study, old_study]
    assert view.patients_warning.isHidden()  # one patient: no red line

    window.back_to_history()
    assert set(window.session.open) == {now_series, old_series}  # both left open
    assert window.search_panel.isVisible()


def test_without_an_earlier_study_of_that_kind_p_says_so(qtbot: Any, tmp_path: Path) -> None:
    folder = tmp_path / "cd"
    folder.mkdir()
    _, now_series = study(folder, "20241105", "江苏省人民医院", "Lung 1.0")
    window = window_searched(qtbot, folder, tmp_path, PATIENT.patient_id)
    (card,) = window.history_view.cards()
    window.studies.open_series(card.study, now_series)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.reading_view, timeout=30000)
    view = window.reading_view
    assert view is not None
    view.prior_button.click()
    assert view.note.text() == "No earlier study of this kind in this patient's history"
    assert view.layout_model.grid == GRIDS["1x1"]
