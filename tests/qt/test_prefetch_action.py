"""File › Prefetch worklist…: the clinic prefetch from the window, with progress and Cancel."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from tests.unit.test_prefetch_job import RECORDS, TODAY, Platform
from viewer.config import Config
from viewer.demo.platform import RunningPlatform
from viewer.retrieve.fetch import FetchProgress, FetchReport, fetch_into_cache
from viewer.session.prefetch_job import PrefetchProgress
from widgets.app import create_application
from widgets.main_window import MainWindow
from widgets.prefetch_dialog import PrefetchDialog

from .conftest import sign_in
from .test_history_screen import MAIN_PATIENT, open_window
from .test_offline_cache_screens import DEAD_SOURCE, config_with_cache
from .test_prefetch_dialog_opening import Store

pytestmark = pytest.mark.qt


def prefetch_config(tmp_path: Path, platform: RunningPlatform, prefetch: str) -> Config:
    sources = platform.config_path.read_text(encoding="utf-8")
    return config_with_cache(tmp_path, f"[prefetch]\n{prefetch}\n\n{sources}")


def worklist(tmp_path: Path) -> Path:
    path = tmp_path / "clinic.txt"
    path.write_text(f"{MAIN_PATIENT} JS-EMPI\n", encoding="utf-8")
    return path


def test_the_menu_action_asks_for_a_worklist_and_fetches_its_patients(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, platform: RunningPlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The two newest studies of any age: a DX the platform and the PACS hold, and a US
    # only the PACS holds (found through the linked hospital ID).
    config = prefetch_config(tmp_path, platform, "last_studies = 2\nmax_age_days = 36500")
    sign_in(config, platform, "provincial", "gulou")
    window = open_window(qtbot, config)
    path = worklist(tmp_path)
    asked: list[Any] = []

    def choose(*args: Any, **kw: Any) -> tuple[str, str]:
        asked.append(args)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    window.prefetch_action.trigger()
    assert asked, "a worklist file was asked for"
    dialog = window.prefetch.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.file_label.text() == f"Worklist: {path}"
    with qtbot.waitSignal(dialog.ended, timeout=60000):
        pass
    assert dialog.outcome == "finished"
    summary = dialog.summary
    assert summary is not None
    assert (summary.patients, summary.studies, summary.fetched) == (1, 2, 2), summary
    assert dialog.summary_label.text().startswith(
        "Prefetch finished: 1 patient(s), 2 stud(ies) selected: 0 already cached, 2 fetched"
    )
    assert not dialog.cancel_button.isVisible()
    assert not window.prefetch.status_button.isVisible()
    store = window.store
    assert store is not None
    assert [s.state for s in store.studies()] == ["complete", "complete"]
    # Again: everything is cached already, nothing is fetched.
    window.prefetch_action.trigger()
    with qtbot.waitSignal(dialog.ended, timeout=60000):
        pass
    assert dialog.summary is not None and dialog.summary.already_cached == 2


def test_cancel_stops_the_prefetch_and_keeps_what_arrived(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, platform: RunningPlatform
) -> None:
    config = prefetch_config(
        tmp_path, platform, 'last_studies = 1\nmodalities = ["CT"]\nmax_age_days = 36500'
    )
    sign_in(config, platform, "provincial", "gulou")
    window: MainWindow = open_window(qtbot, config)
    arrived = threading.Event()

    def held(*args: Any, on_progress: Any, cancelled: Any, **kw: Any):  # type: ignore[no-untyped-def]
        def progress(p: FetchProgress) -> None:
            on_progress(p)
            if p.instances_done >= 1:
                arrived.set()
                for _ in range(1000):
                    if cancelled():
                        return
                    threading.Event().wait(0.01)

        return fetch_into_cache(*args, on_progress=progress, cancelled=cancelled, **kw)

    dialog = window.prefetch.ensure_dialog()
    assert dialog is not None
    dialog.fetch = held
    window.prefetch.start(worklist(tmp_path), today=date(2024, 7, 1))
    qtbot.waitUntil(arrived.is_set, timeout=30000)
    qtbot.waitUntil(lambda: "Study of 2023-11-02: " in dialog.study_label.text(), timeout=10000)
    assert dialog.patients_label.text() == "Patient 1 of 1 (worklist line 1)"
    assert window.prefetch.status_button.isVisible()
    assert window.prefetch.status_button.text() == "Prefetch: patient 1 of 1"
    with qtbot.waitSignal(dialog.ended, timeout=30000):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome == "cancelled"
    assert dialog.summary_label.text().startswith("Prefetch cancelled after 0 of 1 patient(s).")
    store = window.store
    assert store is not None
    [study] = store.studies()
    assert study.state == "partial" and study.instance_count >= 1  # what arrived stays
    assert not window.prefetch.status_button.isVisible()


def test_an_unreadable_worklist_says_why(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, config_with_cache(tmp_path, DEAD_SOURCE))
    dialog = window.prefetch.start(tmp_path / "missing.csv")
    assert dialog is not None
    with qtbot.waitSignal(dialog.ended, timeout=30000):
        pass
    assert dialog.outcome == "failed"
    text = dialog.summary_label.text()
    assert text.startswith("Prefetch failed: ") and "no such worklist file" in text


def test_a_late_progress_of_the_last_run_is_not_shown_in_the_next(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path
) -> None:
    """The relay holds back a value that comes too soon after the last: it may arrive
    after its run ended, when the next one runs."""
    create_application()

    def quick(client: Any, store: Any, study_uid: str, **kw: Any) -> FetchReport:
        kw["on_progress"](FetchProgress(instances_done=1, instances_total=2))
        time.sleep(0.03)  # the first is shown; the rest is held back
        kw["on_progress"](FetchProgress(instances_done=2, instances_total=2))
        return FetchReport(study_uid, fetched=2, bytes=100, missing_after=0)

    release = threading.Event()

    def slow_sources() -> list[Any]:
        release.wait(30)
        return [Platform(RECORDS)]

    config = config_with_cache(tmp_path, DEAD_SOURCE)
    host = QWidget()
    qtbot.addWidget(host)
    dialog = PrefetchDialog(config, Store(), lambda: [Platform(RECORDS)], host)  # type: ignore[arg-type]
    dialog.fetch = quick
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text("P2\n", encoding="utf-8")
    two.write_text("P1\nP2\n", encoding="utf-8")

    def next_run() -> None:  # at once, from the first run's end
        if dialog.open_sources is not slow_sources:
            dialog.open_sources = slow_sources
            dialog.start(two, TODAY)

    dialog.ended.connect(next_run)
    try:
        with qtbot.waitSignal(dialog.ended, timeout=30000):
            dialog.start(one, TODAY)
        assert dialog.running
        qtbot.wait(300)
        # The second run's (opening its sources), not the first's.
        assert dialog.progress == PrefetchProgress(0, 2, opening_sources=True)
    finally:
        dialog.cancel()
        release.set()
        qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    assert dialog.outcome == "cancelled"
