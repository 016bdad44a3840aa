"""While the prefetch opens its sources (signing in), the dialog and the status bar say so:
no patient, no "worklist line 0"."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QApplication, QWidget

from tests.unit.test_prefetch_job import RECORDS, TODAY, Platform
from viewer.retrieve.fetch import FetchReport
from viewer.session.prefetch_job import PrefetchProgress
from widgets.app import create_application, install_translation
from widgets.prefetch_dialog import PrefetchDialog

from .test_offline_cache_screens import DEAD_SOURCE, config_with_cache

pytestmark = pytest.mark.qt


class Store:
    def study_state(self, study_uid: str, source_count: int | None = None) -> str:
        return "none"

    def evict(self) -> None:
        pass


def quick(client: Any, store: Any, study_uid: str, **kw: Any) -> FetchReport:
    return FetchReport(study_uid, fetched=1, bytes=100, missing_after=0)


@contextmanager
def held_while_opening(qtbot: Any, tmp_path: Path) -> Iterator[PrefetchDialog]:
    """A dialog whose prefetch is held while it opens its sources."""
    release = threading.Event()

    def slow_sources() -> list[Any]:
        release.wait(30)
        return [Platform(RECORDS)]

    host = QWidget()
    qtbot.addWidget(host)
    config = config_with_cache(tmp_path, DEAD_SOURCE)
    dialog = PrefetchDialog(config, Store(), slow_sources, host)  # type: ignore[arg-type]
    dialog.fetch = quick
    path = tmp_path / "clinic.txt"
    path.write_text("P1\nP2\n", encoding="utf-8")
    dialog.start(path, TODAY)
    worker = dialog.worker
    assert worker is not None
    try:
        qtbot.waitUntil(lambda: dialog.progress is not None, timeout=30000)
        yield dialog
    finally:  # the dialog may be gone already (pytest-qt closes widgets first)
        release.set()
        assert worker.wait(30)


@pytest.fixture
def opening(qtbot: Any, tmp_path: Path) -> Iterator[PrefetchDialog]:
    create_application()
    with held_while_opening(qtbot, tmp_path) as dialog:
        yield dialog


def test_while_the_sources_open_the_dialog_says_so_and_names_no_line(  # type: ignore[no-untyped-def]
    qtbot, opening: PrefetchDialog
) -> None:
    dialog = opening
    assert dialog.progress == PrefetchProgress(0, 2, opening_sources=True)
    assert dialog.patients_label.text() == "Opening sources…"
    assert dialog.status_text() == "Prefetch: opening sources…"
    assert dialog.patients_bar.maximum() == 0  # busy: no patient counted yet
    assert dialog.study_label.text() == ""
    assert not dialog.study_bar.isVisible()


def test_in_chinese_it_says_the_sources_are_being_opened(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = create_application()
    translator = install_translation(app, "zh_CN")
    if translator is None:
        pytest.fail("resources/translations/qingying_zh_CN.qm missing: run make setup")
    try:
        with held_while_opening(qtbot, tmp_path) as dialog:
            assert dialog.patients_label.text() == "正在连接数据源…"
            assert dialog.status_text() == "预取：正在连接数据源…"
    finally:
        QApplication.removeTranslator(translator)
