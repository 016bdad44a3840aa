"""From the reading view's Measure menu, the study's measurements and key images go to
the source the site lets take them: a report and a selection arrive there, and the bar
says what was sent — or, with no such source, why nothing was."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from pydicom import dcmread
from PySide6.QtCore import Qt

from tests.qt.reading_support import window_searched
from tests.qt.test_compare_with_prior import study
from tests.qt.test_measuring_tools import drag, key
from tests.unit.test_session_model import PATIENT
from viewer.dicomweb.stow import StoreOutcome
from viewer.sources.folder import FolderSource

pytestmark = pytest.mark.qt


class TakingFolder(FolderSource):
    """A CD that, for this test, takes reports back and keeps what it was sent."""

    def __init__(self, folder: Path, name: str, takes: bool) -> None:
        super().__init__(folder, name)
        self.capabilities = replace(self.capabilities, can_store=takes)
        self.sent: list[bytes] = []

    def store_instances(self, study_uid: str, parts: Sequence[bytes]) -> StoreOutcome:
        self.sent += parts
        return StoreOutcome(tuple(str(i) for i in range(len(parts))), ())


@pytest.mark.parametrize("takes", [True, False])
def test_the_measure_menu_sends_the_report_and_key_images(
    qtbot: Any, tmp_path: Path, takes: bool
) -> None:
    folder = tmp_path / "cd"
    folder.mkdir()
    _study_uid, series_uid = study(folder, "20241105", "江苏省人民医院", "Lung 1.0")
    source = TakingFolder(folder, "platform", takes)
    window = window_searched(qtbot, folder, tmp_path, PATIENT.patient_id, source)
    (card,) = window.history_view.cards()
    window.studies.open_series(card.study, series_uid)
    qtbot.waitUntil(
        lambda: window.reading_view is not None and window.reading_view.series is not None,
        timeout=30000,
    )
    view = window.reading_view
    key(view, Qt.Key.Key_D)
    drag(view, (1, 1), (6, 1))
    key(view, Qt.Key.Key_Asterisk)
    view.tools_button.send_action.trigger()
    qtbot.waitUntil(lambda: not view.note.text().endswith("…"), timeout=30000)
    if not takes:
        assert view.note.text().startswith("Not sent") and "store = true" in view.note.text()
        assert source.sent == []
        return
    assert view.note.text() == "Sent 1 measurement(s) and 1 key image(s) to platform"
    kinds = sorted(dcmread(io.BytesIO(part)).Modality for part in source.sent)
    assert kinds == ["KO", "SR"]


def test_a_report_series_opened_says_it_is_no_images_and_opens_nothing(
    qtbot: Any, tmp_path: Path
) -> None:
    from tests.unit.test_measurement_report import sr_of_folder

    folder = tmp_path / "cd"
    folder.mkdir()
    study_uid, _series_uid = study(folder, "20241105", "江苏省人民医院", "Lung 1.0")
    report_series = sr_of_folder(folder, folder / "report.dcm")
    window = window_searched(qtbot, folder, tmp_path, PATIENT.patient_id)
    (card,) = window.history_view.cards()
    assert window.downloads is not None
    with qtbot.waitSignal(window.downloads.ended, timeout=30000):
        window.studies.download_study(card.study)
    window.read_series(study_uid, report_series)
    assert window.statusBar().currentMessage().startswith("A report, not images")
    assert window.open_worker is None and window.pages.currentWidget() is window.history_view
