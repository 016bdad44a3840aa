"""The session's downloads, without Qt: asserted through the events they emit."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from viewer.errors import AuthError, CancelledError, DiskFullError, NetworkError
from viewer.retrieve.progress import FetchProgress, FetchReport
from viewer.session.downloads import DownloadOutcome, Downloads
from viewer.sources.protocol import Capabilities

STUDY = "1.2.3"
SERIES = "1.2.3.4"


class Source:
    name = "provincial"
    capabilities = Capabilities(can_retrieve=True)


class Store:
    def __init__(self, *, evict_fails: bool = False) -> None:
        self.state = "none"
        self.evictions = 0
        self.evict_fails = evict_fails

    def study_state(self, study_uid: str, source_count: int | None = None) -> str:
        return self.state

    def evict(self) -> object:
        self.evictions += 1
        if self.evict_fails:
            raise DiskFullError("disk full")
        return None


def fetch_that(
    store: Store, *, fails: Exception | None = None, gate: threading.Event | None = None
):  # type: ignore[no-untyped-def]
    def fetch(
        source: Any,
        _store: Any,
        study_uid: str,
        *_a: Any,
        on_progress: Any,
        cancelled: Any,
        control: Any = None,
        **_kw: Any,
    ) -> FetchReport:
        on_progress(FetchProgress(instances_done=1, instances_total=2, bytes_done=10))
        if gate is not None:
            while not gate.wait(0.01):
                if cancelled():
                    raise CancelledError("stopped")
        if fails is not None:
            raise fails
        store.state = "complete"
        return FetchReport(study_uid, fetched=2, bytes=20, missing_after=0)

    return fetch


def ended_of(downloads: Downloads) -> list[DownloadOutcome]:
    outcomes: list[DownloadOutcome] = []
    downloads.ended.connect(outcomes.append)
    return outcomes


def test_a_download_reports_progress_then_its_end_and_keeps_the_budget() -> None:
    store = Store()
    downloads = Downloads(store)
    downloads.fetch = fetch_that(store)
    changed: list[str] = []
    downloads.changed.connect(changed.append)
    outcomes = ended_of(downloads)
    downloads.start(STUDY, Source())
    assert downloads.wait(10)
    assert changed and set(changed) == {STUDY}
    [outcome] = outcomes
    assert outcome.state == "complete" and outcome.report is not None and outcome.error is None
    assert store.evictions == 1, "evicted once after the fetch"
    assert downloads.active(STUDY) is None


def test_a_failed_eviction_after_a_download_does_not_fail_the_download() -> None:
    store = Store(evict_fails=True)
    downloads = Downloads(store)
    downloads.fetch = fetch_that(store)
    outcomes = ended_of(downloads)
    downloads.start(STUDY, Source())
    assert downloads.wait(10)
    assert outcomes[0].error is None and outcomes[0].state == "complete"


def test_the_command_line_run_says_a_failed_eviction() -> None:
    store = Store(evict_fails=True)
    downloads = Downloads(store)
    downloads.fetch = fetch_that(store)
    with pytest.raises(DiskFullError):
        downloads.run(STUDY, Source())


def test_an_error_ends_the_download_with_it_and_a_refusal_asks_to_sign_in() -> None:
    for err, sign_in in ((NetworkError("link down"), False), (AuthError("refused"), True)):
        store = Store()
        downloads = Downloads(store)
        downloads.fetch = fetch_that(store, fails=err)
        outcomes = ended_of(downloads)
        downloads.start(STUDY, Source())
        assert downloads.wait(10)
        [outcome] = outcomes
        assert outcome.error is err and outcome.needs_sign_in is sign_in
        assert outcome.state == "none"


def test_cancel_ends_a_running_download_as_cancelled() -> None:
    store = Store()
    gate = threading.Event()
    downloads = Downloads(store)
    downloads.fetch = fetch_that(store, gate=gate)
    outcomes = ended_of(downloads)
    download = downloads.start(STUDY, Source())
    while not download.started:
        threading.Event().wait(0.01)
    downloads.cancel(STUDY)
    assert downloads.wait(10)
    [outcome] = outcomes
    assert outcome.cancelled and outcome.error is None


def test_asking_again_for_a_running_study_moves_the_opened_series_ahead_in_the_same_job() -> None:
    store = Store()
    gate = threading.Event()
    downloads = Downloads(store)
    calls: list[str] = []
    inner = fetch_that(store, gate=gate)

    def counting(*args: Any, **kw: Any) -> FetchReport:
        calls.append(args[2])
        return inner(*args, **kw)

    downloads.fetch = counting
    outcomes = ended_of(downloads)
    first = downloads.start(STUDY, Source())
    again = downloads.start(STUDY, Source(), first_series=SERIES)
    assert again is first
    assert first.control._wanted == SERIES
    assert downloads.summary().count == 1
    gate.set()
    assert downloads.wait(10)
    assert calls == [STUDY] and len(outcomes) == 1


def test_shutdown_cancels_and_reports_nothing_after() -> None:
    store = Store()
    gate = threading.Event()
    downloads = Downloads(store)
    downloads.fetch = fetch_that(store, gate=gate)
    outcomes = ended_of(downloads)
    downloads.start(STUDY, Source())
    assert downloads.shutdown(10)
    assert outcomes == [] or outcomes[0].cancelled
    with pytest.raises(RuntimeError):
        downloads.start(STUDY, Source())
