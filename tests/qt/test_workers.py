"""A Worker runs the core off the UI thread and reports back in plain user messages."""

from __future__ import annotations

import threading
from typing import Any

import pytest

pytest.importorskip("PySide6")

from viewer.errors import CancelledError, NetworkError
from widgets.app import create_application
from widgets.workers import Worker

pytestmark = pytest.mark.qt


def test_progress_and_result_arrive_on_the_ui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    create_application()
    seen: list[tuple[str, bool]] = []

    def job(cancelled: Any, progress: Any) -> str:
        progress("half way")
        return "done" if threading.current_thread() is not threading.main_thread() else "ui"

    worker = Worker(job)
    worker.progress.connect(
        lambda m: seen.append((m, threading.current_thread() is threading.main_thread()))
    )
    with qtbot.waitSignal(worker.finished, timeout=5000) as finished:
        worker.start()
    assert finished.args == ["done"]
    assert seen == [("half way", True)]


def test_a_core_error_fails_with_its_message(qtbot) -> None:  # type: ignore[no-untyped-def]
    create_application()

    def job(cancelled: Any, progress: Any) -> None:
        raise NetworkError("provincial: cannot reach the server")

    worker = Worker(job)
    with qtbot.waitSignal(worker.failed, timeout=5000) as failed:
        worker.start()
    assert str(failed.args[0]) == "provincial: cannot reach the server"


def test_a_bug_fails_with_one_line_and_no_traceback(qtbot) -> None:  # type: ignore[no-untyped-def]
    create_application()

    def job(cancelled: Any, progress: Any) -> None:
        raise KeyError("internal detail")

    worker = Worker(job)
    with qtbot.waitSignal(worker.failed, timeout=5000) as failed:
        worker.start()
    assert str(failed.args[0]) == "unexpected error (KeyError)"


def test_cancel_sets_the_flag_the_core_reads(qtbot) -> None:  # type: ignore[no-untyped-def]
    create_application()
    started = threading.Event()

    def job(cancelled: Any, progress: Any) -> None:
        started.set()
        while not cancelled():
            threading.Event().wait(0.01)
        raise CancelledError("stopped")

    worker = Worker(job)
    worker.start()
    assert started.wait(5)
    with qtbot.waitSignal(worker.cancelled, timeout=5000):
        worker.cancel()
    assert not worker.running


def test_wait_returns_only_once_the_jobs_thread_is_done_with_the_worker(qtbot) -> None:  # type: ignore[no-untyped-def]
    # Whoever waited may let the worker go (a window closing): a pool thread still
    # emitting on it then would touch a deleted object, which crashed the test process.
    from PySide6.QtCore import Qt

    create_application()
    slot_ended = threading.Event()

    def slow_slot(_result: object) -> None:  # runs in the emitting thread (direct)
        threading.Event().wait(0.3)
        slot_ended.set()

    worker = Worker(lambda cancelled, progress: "done")
    worker.finished.connect(slow_slot, Qt.ConnectionType.DirectConnection)
    worker.start()
    assert worker.wait(5)
    assert slot_ended.is_set(), "wait() returned while the thread was still emitting"
