"""Downloads into the offline cache: one job per study on the session's own threads.

The window starts them (:meth:`Downloads.start`) and listens to ``changed`` and
``ended``; the CLI runs one to its end (:meth:`Downloads.run`). Either way the fetch is
:func:`viewer.retrieve.fetch.fetch_into_cache` and the cache's budget is kept afterwards
(:func:`viewer.session.budget.keep_budget`). Events come
on the fetching threads; whoever shows them brings them to its own thread.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

from psygnal import Signal

from viewer.cache.models import StudyState
from viewer.errors import CancelledError, QingyingError, problem_kind
from viewer.retrieve.fetch import CacheStoreLike, FetchControl, FetchReport, fetch_into_cache
from viewer.retrieve.progress import FetchProgress
from viewer.session.budget import EvictingStore, keep_budget
from viewer.sources.protocol import ImagingSource

log = logging.getLogger(__name__)

MAX_PARALLEL = 3  # studies at once; each fetch runs a few requests of its own
FetchFunction = Callable[..., FetchReport]


class DownloadStore(CacheStoreLike, EvictingStore, Protocol):
    def study_state(self, study_uid: str, source_count: int | None = None) -> StudyState: ...


@dataclass
class Download:
    """One study being fetched: from which source, and how far it got."""

    study_uid: str
    source_name: str
    control: FetchControl = field(default_factory=FetchControl)
    progress: FetchProgress = field(default_factory=FetchProgress)
    started: bool = False  # the first progress arrived: the inventory is done
    cancel_event: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    future: Future[FetchReport] | None = None


@dataclass(frozen=True)
class DownloadOutcome:
    """How a download ended. ``state`` is the study's cache state afterwards."""

    study_uid: str
    source_name: str
    state: str  # none | partial | complete
    report: FetchReport | None = None
    error: QingyingError | None = None
    cancelled: bool = False

    @property
    def needs_sign_in(self) -> bool:
        return self.error is not None and problem_kind(self.error) in (
            "not-signed-in",
            "sign-in-refused",
        )


@dataclass(frozen=True)
class DownloadSummary:
    count: int
    instances_done: int
    instances_total: int
    bytes_done: int


class Downloads:
    changed = Signal(str)  # study uid: its progress changed (read it with active())
    ended = Signal(object)  # DownloadOutcome

    def __init__(self, store: DownloadStore, *, max_parallel: int = MAX_PARALLEL) -> None:
        self.store = store
        self.fetch: FetchFunction = fetch_into_cache  # tests slow it down
        self._pool = ThreadPoolExecutor(max_workers=max_parallel, thread_name_prefix="download")
        self._downloads: dict[str, Download] = {}
        self._lock = threading.Lock()
        self._closed = False

    # -- asking -----------------------------------------------------------------------------
    def start(
        self, study_uid: str, source: ImagingSource, *, first_series: str | None = None
    ) -> Download:
        """Fetch what the cache lacks of a study, ``first_series`` (the one the doctor
        opened) first; a study already downloading is left be, but that series moves
        ahead in it."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the downloads were shut down")
            running = self._downloads.get(study_uid)
            if running is None:
                running = Download(study_uid, source.name)
                self._downloads[study_uid] = running
                fresh = True
            else:
                fresh = False
        if first_series is not None:
            running.control.open_series(first_series)
        if fresh:
            future = self._pool.submit(self._job, running, source)
            running.future = future
            future.add_done_callback(functools.partial(self._settle, running))
            self.changed.emit(study_uid)
        return running

    def run(
        self,
        study_uid: str,
        source: ImagingSource,
        series_uid: str | None = None,
        *,
        on_progress: Callable[[FetchProgress], None] = lambda _p: None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> FetchReport:
        """Fetch on this thread (the CLI); the budget is kept after, and an eviction
        failure is raised. Errors of the fetch are raised as they are; a fetch that
        returned is said (``ended``) as a download in the background is."""
        report = self.fetch(
            source, self.store, study_uid, series_uid, on_progress=on_progress, cancelled=cancelled
        )
        state = self.store.study_state(study_uid)
        self.ended.emit(DownloadOutcome(study_uid, source.name, state, report))
        keep_budget(self.store, strict=True)
        return report

    def cancel(self, study_uid: str) -> None:
        download = self._downloads.get(study_uid)
        if download is not None:
            self._cancel(download)

    def cancel_all(self) -> None:
        for download in self.running():
            self._cancel(download)

    @staticmethod
    def _cancel(download: Download) -> None:
        """A running fetch stops at its next read; one still waiting for a thread never
        runs, and says so at once (it would otherwise wait for another study to end)."""
        download.cancel_event.set()
        if download.future is not None:
            download.future.cancel()

    def shutdown(self, timeout: float) -> bool:
        """Cancel every download and wait for them; nothing is reported afterwards (the
        store may be closed next). False when one did not stop in time."""
        self.cancel_all()
        stopped = self.wait(timeout)
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
        return stopped

    def wait(self, timeout: float) -> bool:
        """Block until every download has ended (shutdown, tests); False on timeout."""
        deadline = time.monotonic() + timeout
        for download in self.running():
            if not download.done.wait(max(0.0, deadline - time.monotonic())):
                return False
        return True

    # -- reading ----------------------------------------------------------------------------
    def active(self, study_uid: str) -> Download | None:
        return self._downloads.get(study_uid)

    def running(self) -> list[Download]:
        with self._lock:
            return list(self._downloads.values())

    def summary(self) -> DownloadSummary:
        downloads = self.running()
        return DownloadSummary(
            count=len(downloads),
            instances_done=sum(d.progress.instances_done for d in downloads),
            instances_total=sum(d.progress.instances_total for d in downloads),
            bytes_done=sum(d.progress.bytes_done for d in downloads),
        )

    # -- the work ---------------------------------------------------------------------------
    def _job(self, download: Download, source: ImagingSource) -> FetchReport:
        if download.cancel_event.is_set():
            raise CancelledError("download cancelled")

        def on_progress(progress: FetchProgress) -> None:
            if download.cancel_event.is_set():
                return
            download.progress = progress.snapshot()  # the fetch goes on changing its own
            download.started = True
            self.changed.emit(download.study_uid)

        report = self.fetch(
            source,
            self.store,
            download.study_uid,
            on_progress=on_progress,
            cancelled=download.cancel_event.is_set,
            control=download.control,
        )
        keep_budget(self.store)
        return report

    def _settle(self, download: Download, future: Future[FetchReport]) -> None:
        """The job ended: say how, exactly once (a job cancelled before it ran, too)."""
        report: FetchReport | None = None
        error: QingyingError | None = None
        cancelled = future.cancelled() or download.cancel_event.is_set()
        if not future.cancelled():
            err = future.exception()
            if isinstance(err, CancelledError):
                cancelled = True
            elif isinstance(err, QingyingError):
                error = err
            elif err is not None:
                # A bug, not a user error: the log gets the traceback, the user one line.
                log.error("download failed", exc_info=err)
                error = QingyingError(f"unexpected error ({type(err).__name__})")
            else:
                report = future.result()
        with self._lock:
            if self._downloads.get(download.study_uid) is download:
                del self._downloads[download.study_uid]
            closed = self._closed
        try:
            if not closed:
                try:
                    state = self.store.study_state(download.study_uid)
                except QingyingError:
                    state = "none"
                outcome = DownloadOutcome(
                    download.study_uid, download.source_name, state, report, error, cancelled
                )
                self.ended.emit(outcome)
        finally:
            download.done.set()
