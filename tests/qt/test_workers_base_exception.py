"""A job that raises anything reports back: also what is no Exception (a native codec's
panic, pyo3's PanicException), so the window never waits for an answer that never comes
(issue 12, finding 4). Python's stops are reported and still raised."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("PySide6")

from widgets.app import create_application
from widgets.workers import Worker

pytestmark = pytest.mark.qt


class Panic(BaseException):
    """What pyo3 raises when Rust code panics: a BaseException, not an Exception."""


def test_a_job_that_panics_fails_with_one_line(qtbot: Any) -> None:
    create_application()

    def job(cancelled: Any, progress: Any) -> None:
        raise Panic("index out of bounds: the len is 512 but the index is 512")

    worker = Worker(job)
    with qtbot.waitSignal(worker.failed, timeout=5000) as failed:
        worker.start()
    assert str(failed.args[0]) == "unexpected error (Panic)"
    assert worker.wait(5)


def test_a_keyboard_interrupt_in_a_job_is_reported_and_raised_again(qtbot: Any) -> None:
    create_application()

    def job(cancelled: Any, progress: Any) -> None:
        raise KeyboardInterrupt

    worker = Worker(job)
    reported: list[str] = []
    worker.failed.connect(lambda err: reported.append(str(err)))
    with pytest.raises(KeyboardInterrupt):
        worker._run()  # on this thread, where the raise can be seen
    assert reported == ["unexpected error (KeyboardInterrupt)"]
