"""Cancelling a download from the window: it says "cancelled" as soon as it has stopped,
and one that never started says so at once."""

from __future__ import annotations

import threading
from typing import Any

import pytest

pytest.importorskip("PySide6")

from viewer.errors import CancelledError
from viewer.retrieve.fetch import FetchReport
from viewer.session.downloads import Downloads
from viewer.sources.dicomweb import DicomwebSource
from widgets.app import create_application
from widgets.download import DownloadController, DownloadOutcome

pytestmark = pytest.mark.qt

RUNNING, WAITING = "1.2.840.10.1", "1.2.840.10.2"
SOURCE = DicomwebSource("provincial", "", object())  # type: ignore[arg-type]


class Store:
    """What the controller asks of the cache once a download ends."""

    def study_state(self, study_uid: str, source_count: int | None = None) -> str:
        return "partial"

    def evict(self) -> None:
        pass


class SlowFetch:
    """A long download: it stops when cancelled and released (as a read returns)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started: list[str] = []

    def __call__(self, _client: Any, _store: Any, study_uid: str, **kw: Any) -> FetchReport:
        self.started.append(study_uid)
        self.release.wait(30)
        if kw["cancelled"]():
            raise CancelledError("fetch cancelled")
        return FetchReport(study_uid, 0, 0, 0)


@pytest.fixture
def fetch() -> SlowFetch:
    return SlowFetch()


@pytest.fixture
def controller(qtbot: Any, fetch: SlowFetch):  # type: ignore[no-untyped-def]
    create_application()
    downloads = DownloadController(Downloads(Store(), max_parallel=1))  # type: ignore[arg-type]
    downloads.fetch = fetch
    yield downloads
    fetch.release.set()
    assert downloads.wait(10)


def test_a_download_waiting_for_a_thread_ends_cancelled_at_once(
    qtbot: Any, controller: DownloadController, fetch: SlowFetch
) -> None:
    """With every download thread busy, a cancelled one must not wait for a thread to
    say that it was cancelled (and then ask the source for its series first)."""
    controller.start(RUNNING, SOURCE)
    controller.start(WAITING, SOURCE)
    qtbot.waitUntil(lambda: fetch.started == [RUNNING], timeout=5000)
    with qtbot.waitSignal(controller.ended, timeout=2000) as ended:
        controller.cancel(WAITING)
    outcome = ended.args[0]
    assert isinstance(outcome, DownloadOutcome)
    assert (outcome.study_uid, outcome.cancelled, outcome.error) == (WAITING, True, None)
    assert controller.active(WAITING) is None
    assert controller.active(RUNNING) is not None  # the other one goes on
    assert controller.summary().count == 1
    fetch.release.set()
    with qtbot.waitSignal(controller.ended, timeout=5000) as ended:
        pass
    assert ended.args[0].study_uid == RUNNING and not ended.args[0].cancelled
    assert fetch.started == [RUNNING]  # the cancelled one never ran


def test_a_running_download_ends_cancelled_once_it_has_stopped(
    qtbot: Any, controller: DownloadController, fetch: SlowFetch
) -> None:
    controller.start(RUNNING, SOURCE)
    qtbot.waitUntil(lambda: fetch.started == [RUNNING], timeout=5000)
    ended: list[DownloadOutcome] = []
    controller.ended.connect(ended.append)
    controller.cancel(RUNNING)
    qtbot.wait(100)
    assert ended == []  # still stopping: its thread is in the fetch
    with qtbot.waitSignal(controller.ended, timeout=5000):
        fetch.release.set()
    assert [(o.study_uid, o.cancelled) for o in ended] == [(RUNNING, True)]
