"""Search and history: off the UI thread, every source named, patients never mixed."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt

from viewer.config import Config, load_config
from viewer.demo.platform import RunningPlatform
from viewer.records import PatientRef
from viewer.sources.protocol import ImagingSource
from widgets.app import create_application
from widgets.main_window import MainWindow
from widgets.study_card import StudyCard

from .conftest import sign_in
from .fakes import BlockingSource, FakeSource, study

pytestmark = pytest.mark.qt

MAIN_PATIENT = "320102196503140372"  # Wang^XiaoDong=王^小东=, born 1965, issuer JS-EMPI
FAKE_CONFIG = """
[[sources]]
name = "fake"
url = "http://127.0.0.1:9/dicom-web"
auth = "none"
"""


def open_window(qtbot: Any, config: Config, sources: Sequence[ImagingSource] | None = None):  # type: ignore[no-untyped-def]
    create_application()
    window = MainWindow(config, open_sources=(lambda: sources) if sources is not None else None)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()  # shortcuts (Ctrl+F, Esc) go to the active window only
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window


def search(qtbot: Any, window: MainWindow, *, patient_id: str = "", name: str = "") -> None:
    panel = window.search_panel
    panel.patient_id_edit.setText(patient_id)
    panel.name_edit.setText(name)
    with qtbot.waitSignal(window.history_view.shown, timeout=30000):
        qtbot.keyClick(panel.patient_id_edit, Qt.Key.Key_Return)


def fake_config(tmp_path: Any) -> Config:
    path = tmp_path / "fake.toml"
    path.write_text(FAKE_CONFIG, encoding="utf-8")
    return load_config(path)


def cards(window: MainWindow, section: int = 0) -> list[StudyCard]:
    return window.history_view.sections[section].cards


def test_search_runs_off_the_ui_thread_and_can_be_cancelled(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    slow = BlockingSource()
    window = open_window(qtbot, fake_config(tmp_path), [slow])
    window.search_panel.name_edit.setText("Wang")
    qtbot.keyClick(window.search_panel.name_edit, Qt.Key.Key_Return)
    assert slow.entered.wait(10)
    assert slow.thread is not threading.main_thread()
    assert window.search_panel.cancel_button.isEnabled()  # the UI answers meanwhile
    worker = window.search_worker
    assert worker is not None
    with qtbot.waitSignal(worker.cancelled, timeout=10000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.search_panel.cancel_button.isEnabled()
    assert window.search_panel.status_label.text() == "Search cancelled"


def test_history_shows_every_source_holding_a_study(  # type: ignore[no-untyped-def]
    qtbot, demo_config: Config, platform: RunningPlatform
) -> None:
    sign_in(demo_config, platform, "provincial", "gulou")
    window = open_window(qtbot, demo_config)
    search(qtbot, window, patient_id=MAIN_PATIENT)
    shared = [c for c in cards(window) if len(c.study.sources) > 1]
    assert shared, "the demo has a study held by the platform and the hospital PACS"
    for card in cards(window):
        assert [chip.text() for chip in card.source_labels] == list(card.study.sources)
        assert card.cache_label.isVisible()
    assert [chip.text() for chip in shared[0].source_labels] == ["provincial", "gulou"]
    assert any(c.study.sources == ("gulou",) for c in cards(window))  # PACS only


def test_recent_similar_flag_is_visible(  # type: ignore[no-untyped-def]
    qtbot, demo_config: Config, platform: RunningPlatform
) -> None:
    sign_in(demo_config, platform, "provincial", "gulou")
    window = open_window(qtbot, demo_config)
    search(qtbot, window, patient_id=MAIN_PATIENT)
    flagged = [c for c in cards(window) if c.study.recent_similar]
    assert len(flagged) == 2  # the DX chest and its repeat 18 days later
    for card in flagged:
        assert card.flag_label is not None and card.flag_label.isVisible()
        assert "18 days apart" in card.flag_label.text()
        assert card.property("recentSimilar") is True
    assert all(c.flag_label is None for c in cards(window) if not c.study.recent_similar)


def test_patient_identity_shows_both_name_groups_id_issuer_birth_date_and_sex(  # type: ignore[no-untyped-def]
    qtbot, demo_config: Config, platform: RunningPlatform
) -> None:
    sign_in(demo_config, platform, "provincial", "gulou")
    window = open_window(qtbot, demo_config)
    search(qtbot, window, patient_id=MAIN_PATIENT)
    section = window.history_view.sections[0]
    assert section.name_label.text() == "Wang XiaoDong 王小东"
    identity = section.id_label.text()
    for part in (MAIN_PATIENT, "JS-EMPI", "1965-03-14", "male"):
        assert part in identity


def test_two_patients_are_never_shown_as_one(  # type: ignore[no-untyped-def]
    qtbot, demo_config: Config, platform: RunningPlatform
) -> None:
    sign_in(demo_config, platform, "provincial", "gulou")
    window = open_window(qtbot, demo_config)
    search(qtbot, window, name="Wang")
    sections = window.history_view.sections
    assert len(sections) == 2
    assert {s.name_label.text() for s in sections} == {"Wang XiaoDong 王小东"}
    assert sections[0].id_label.text() != sections[1].id_label.text()
    uids = [{c.study.study_uid for c in s.cards} for s in sections]
    for section, shown in zip(sections, uids, strict=True):
        assert shown == {st.study_uid for st in section.history.studies}
    assert not uids[0] & uids[1]


def test_source_problem_is_shown_with_results_of_others(  # type: ignore[no-untyped-def]
    qtbot, demo_config: Config, platform: RunningPlatform
) -> None:
    sign_in(demo_config, platform, "provincial")  # gulou: not signed in
    window = open_window(qtbot, demo_config)
    search(qtbot, window, patient_id=MAIN_PATIENT)
    (problem,) = window.history_view.problem_rows
    assert problem.isVisible()
    assert "gulou" in problem.name_label.text()
    assert "not signed in" in problem.reason_label.text()
    assert window.history_view.sections[0].cards  # the platform's studies are there
    gulou_row = window.sources_dock.source_rows[window.sources_dock.source_names().index("gulou")]
    assert gulou_row.state == "problem"


def test_possible_same_patient_is_apart_until_confirmed(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    platform_id = PatientRef("320102196503140372", "JS-EMPI")
    unlinked = PatientRef("GL20081136", "NJGL")  # same name and birth date, no link
    source = FakeSource(
        "fake",
        "JS-EMPI",
        [
            study("1.2.3.1", platform_id, study_date="20240304"),
            study("1.2.3.2", unlinked, study_date="20200101", modality="MR", body_part="HEAD"),
        ],
    )
    window = open_window(qtbot, fake_config(tmp_path), [source])
    window.search_panel.issuer_combo.setCurrentIndex(0)
    search(qtbot, window, patient_id=platform_id.patient_id)
    view = window.history_view
    assert len(view.sections) == 2
    (pair,) = view.pair_boxes
    assert pair.isVisible()
    with qtbot.waitSignal(view.shown, timeout=10000):
        qtbot.mouseClick(pair.confirm_button, Qt.MouseButton.LeftButton)
    assert len(view.sections) == 1
    assert view.sections[0].history.patients == {platform_id, unlinked}
    assert not view.pair_boxes


def test_a_query_the_core_refuses_is_explained_inline(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, fake_config(tmp_path), [])
    window.search_panel.name_edit.setText("Wang")
    window.search_panel.birth_edit.setText("1965-3-14")
    qtbot.keyClick(window.search_panel.name_edit, Qt.Key.Key_Return)
    assert window.search_panel.error_label.isVisible()
    assert "YYYYMMDD" in window.search_panel.error_label.text()
    assert window.search_worker is None


def test_ctrl_f_puts_the_cursor_in_the_search(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, fake_config(tmp_path), [])
    window.history_view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_panel.patient_id_edit.hasFocus()


def test_signing_in_from_the_sources_dock_updates_its_state(  # type: ignore[no-untyped-def]
    qtbot, demo_config: Config, platform: RunningPlatform
) -> None:
    window = open_window(qtbot, demo_config)
    row = window.sources_dock.source_rows[window.sources_dock.source_names().index("provincial")]
    assert row.state == "signed-out"
    qtbot.mouseClick(row.sign_in_button, Qt.MouseButton.LeftButton)
    dialog = window.sources_dock.login_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.password_edit.setText(platform.auth("platform")[1])
    dialog.remember_box.setChecked(False)
    with qtbot.waitSignal(dialog.signed_in, timeout=20000):
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert row.state == "ok"
    assert "this session" in row.state_label.text()
