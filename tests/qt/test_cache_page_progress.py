"""The cache page's verify and import: how far they got, and Cancel that keeps the cache whole."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt

from tests.conftest import DEMO_DATA_DIR
from viewer.cache.importer import ImportProgress
from viewer.cache.models import ImportReport, VerifyReport
from viewer.cache.store import CacheStore

from .test_history_screen import open_window
from .test_offline_cache_screens import DEAD_SOURCE, config_with_cache, fill_cache

pytestmark = pytest.mark.qt


def open_page(qtbot: Any, tmp_path: Path, filled: bool = True):  # type: ignore[no-untyped-def]
    config = config_with_cache(tmp_path, DEAD_SOURCE)
    if filled:
        fill_cache(config).close()
    window = open_window(qtbot, config)
    window.cache_action.trigger()
    page = window.cache_page.dialog
    assert page is not None and page.isVisible()
    return window, page


def hold_at(
    method: Callable[..., Any], count: Callable[[Any], int], at: int, reached: threading.Event
) -> Callable[..., Any]:
    """``method`` whose progress stops at ``at`` files until the job is cancelled."""

    def held(*args: Any, on_progress: Any, cancelled: Any, **kw: Any) -> Any:
        def progress(p: Any) -> None:
            on_progress(p)
            if count(p) == at:
                reached.set()
                for _ in range(1000):
                    if cancelled():
                        return
                    threading.Event().wait(0.01)

        return method(*args, on_progress=progress, cancelled=cancelled, **kw)

    return held


def test_verify_shows_how_far_it_got_and_cancel_keeps_the_rest(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, demo_data: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, page = open_page(qtbot, tmp_path)
    store: CacheStore = window.store
    total = sum(s.instance_count for s in store.studies())
    reached = threading.Event()
    monkeypatch.setattr(store, "verify", hold_at(store.verify, lambda p: p.checked, 3, reached))
    page.verify()
    assert page.cancel_button.isVisible()
    qtbot.waitUntil(reached.is_set, timeout=30000)
    qtbot.waitUntil(lambda: page.busy_bar.value() == 3, timeout=10000)
    assert page.busy_bar.maximum() == total
    assert page.progress_label.text() == f"Verifying: 3 of {total} file(s)"
    assert not page.verify_button.isEnabled()
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.busy, timeout=30000)
    assert page.report_label.text() == f"Verify cancelled after 3 of {total} file(s)."
    assert not page.cancel_button.isVisible() and not page.busy_bar.isVisible()
    assert sum(s.instance_count for s in store.studies()) == total  # nothing lost
    assert page.verify_button.isEnabled()


@pytest.mark.filterwarnings("ignore:End of file reached")
def test_import_shows_how_far_it_got_and_cancel_keeps_what_was_imported(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, demo_data: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, page = open_page(qtbot, tmp_path, filled=False)
    store: CacheStore = window.store
    reached = threading.Event()
    monkeypatch.setattr(
        store, "import_path", hold_at(store.import_path, lambda p: p.files_done, 2, reached)
    )
    with qtbot.waitSignal(page.changed, timeout=60000):
        page.import_folder(DEMO_DATA_DIR / "pacs")
        qtbot.waitUntil(reached.is_set, timeout=30000)
        qtbot.waitUntil(lambda: page.busy_bar.value() == 2, timeout=10000)
        assert page.progress_label.text().startswith("Importing: 2 of ")
        qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not page.busy, timeout=30000)
    text = page.report_label.text()
    assert text.startswith("Import cancelled after 2 of "), text
    assert "the 2 image(s) imported until then are kept" in text
    assert sum(s.instance_count for s in store.studies()) == 2
    assert page.table.rowCount() == len(store.studies()) >= 1
    assert all(s.state == "partial" for s in store.studies())  # the rest of the CD is unknown
    # Nothing half-written (the cache keeps a few empty temp files made ahead).
    assert not [p for p in (store.root / ".tmp").iterdir() if p.is_file() and p.stat().st_size]


def test_a_late_progress_of_the_last_chore_is_not_shown_in_the_next(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The relay holds back a value that comes too soon after the last: it may arrive
    after its chore ended, when the next one runs."""
    window, page = open_page(qtbot, tmp_path, filled=False)
    store: CacheStore = window.store
    release = threading.Event()

    def quick_import(folder: Path, on_progress: Any, cancelled: Any) -> ImportReport:
        on_progress(ImportProgress(1, 9, 1, 0))
        time.sleep(0.03)  # the first is shown; the next is held back
        on_progress(ImportProgress(2, 9, 2, 0))
        return ImportReport(folder, imported=2)

    def slow_verify(on_progress: Any, cancelled: Any) -> VerifyReport:
        release.wait(30)
        return VerifyReport(checked=0)

    monkeypatch.setattr(store, "import_path", quick_import)
    monkeypatch.setattr(store, "verify", slow_verify)
    started: list[bool] = []

    def verify_next() -> None:  # at once, from the import's end
        if not started:
            started.append(True)
            page.verify()

    page.changed.connect(verify_next)
    try:
        with qtbot.waitSignal(page.changed, timeout=30000):
            page.import_folder(tmp_path)
        assert started and page.busy
        qtbot.wait(300)
        assert not page.progress_label.isVisible(), page.progress_label.text()
    finally:
        release.set()
        qtbot.waitUntil(lambda: not page.busy, timeout=30000)
    assert page.report_label.text() == "Verified 0 file(s): all intact."
