"""Downloads into the offline cache from the window: one worker per study, progress summed.

The core's :func:`viewer.retrieve.fetch.fetch_into_cache` reports a
:class:`~viewer.retrieve.fetch.FetchProgress` (totals and each series) through a plain
callback on its own threads; this controller turns it into Qt signals on the UI thread (at
most a few per second per study, the newest always shown), runs several studies at once on
its own thread pool and says how each one ended.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal

from viewer import secrets
from viewer.cache.store import CacheStore
from viewer.errors import (
    AuthError,
    CertificateError,
    DiskFullError,
    NetworkError,
    NotSignedInError,
    QingyingError,
    ServerError,
)
from viewer.retrieve.fetch import FetchControl, FetchProgress, FetchReport, fetch_into_cache
from viewer.sources.protocol import ImagingSource
from widgets.workers import ProgressRelay, Worker

log = logging.getLogger(__name__)

MAX_PARALLEL = 3  # studies at once; each fetch runs a few requests of its own
PROGRESS_INTERVAL_S = 0.15  # at most this often a study's progress reaches the UI

FetchFunction = Callable[..., FetchReport]


@dataclass
class Download:
    """One study being fetched: from which source, and how far it got."""

    study_uid: str
    source_name: str
    worker: Worker
    progress: FetchProgress = dataclasses.field(default_factory=FetchProgress)
    started: bool = False  # the first progress arrived: the inventory is done
    relay: ProgressRelay | None = None  # brings its progress to the UI thread
    control: FetchControl = dataclasses.field(default_factory=FetchControl)


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
        return isinstance(self.error, AuthError) and not isinstance(
            self.error, secrets.KeyringUnavailableError
        )


@dataclass(frozen=True)
class DownloadSummary:
    count: int
    instances_done: int
    instances_total: int
    bytes_done: int


def failure_text(error: QingyingError) -> str:
    """Why a download stopped, in the doctor's words, then the core's own message."""
    if isinstance(error, secrets.KeyringUnavailableError):
        return QCoreApplication.translate("Download", "no system keyring to read the password from")
    if isinstance(error, NotSignedInError):
        return QCoreApplication.translate("Download", "not signed in")
    if isinstance(error, AuthError):
        return QCoreApplication.translate("Download", "sign-in refused")
    if isinstance(error, DiskFullError):
        kind = QCoreApplication.translate("Download", "the disk is full")
    elif isinstance(error, CertificateError):
        kind = QCoreApplication.translate("Download", "certificate not trusted")
    elif isinstance(error, ServerError):
        kind = QCoreApplication.translate("Download", "server error")
    elif isinstance(error, NetworkError):
        kind = QCoreApplication.translate("Download", "the link failed")
    else:
        kind = QCoreApplication.translate("Download", "download failed")
    return f"{kind}: {error}"


class DownloadController(QObject):
    changed = Signal(str)  # study uid: its progress changed
    ended = Signal(object)  # DownloadOutcome
    summary_changed = Signal()

    def __init__(
        self, store: CacheStore, parent: QObject | None = None, *, max_parallel: int = MAX_PARALLEL
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.fetch: FetchFunction = fetch_into_cache  # tests slow it down
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_parallel)
        self._downloads: dict[str, Download] = {}
        self._closed = False

    # -- asking -----------------------------------------------------------------------------
    def start(
        self, study_uid: str, source: ImagingSource, *, first_series: str | None = None
    ) -> Download:
        """Fetch what the cache lacks of a study, ``first_series`` (the one the doctor
        opened) first; a study already downloading is left be, but that series moves
        ahead in it."""
        if self._closed:
            raise RuntimeError("the download controller was shut down")
        running = self._downloads.get(study_uid)
        if running is not None:
            if first_series is not None:
                running.control.open_series(first_series)
            return running
        relay = ProgressRelay(PROGRESS_INTERVAL_S, self)
        control = FetchControl()
        if first_series is not None:
            control.open_series(first_series)
        worker = Worker(self._job(study_uid, source, relay, control), self)
        download = Download(study_uid, source.name, worker, relay=relay, control=control)
        relay.changed.connect(lambda progress: self._on_progress(download, progress))
        self._downloads[study_uid] = download
        worker.finished.connect(lambda report: self._on_end(download, report=report))
        worker.failed.connect(lambda err: self._on_end(download, error=err))
        worker.cancelled.connect(lambda: self._on_end(download, cancelled=True))
        worker.start(self.pool)
        self.changed.emit(study_uid)
        self.summary_changed.emit()
        return download

    def cancel(self, study_uid: str) -> None:
        download = self._downloads.get(study_uid)
        if download is not None:
            download.worker.cancel()

    def cancel_all(self) -> None:
        for download in list(self._downloads.values()):
            download.worker.cancel()

    def shutdown(self, timeout: float) -> bool:
        """Cancel every download and wait for them; nothing is reported afterwards (the
        store may be closed next). False when one did not stop in time."""
        self.cancel_all()
        stopped = self.wait(timeout)
        self._closed = True
        return stopped

    def wait(self, timeout: float) -> bool:
        """Block until every download has returned (shutdown, tests); False on timeout."""
        deadline = time.monotonic() + timeout
        for download in list(self._downloads.values()):
            if not download.worker.wait(max(0.0, deadline - time.monotonic())):
                return False
        return True

    # -- reading ----------------------------------------------------------------------------
    def active(self, study_uid: str) -> Download | None:
        return self._downloads.get(study_uid)

    def running(self) -> list[Download]:
        return list(self._downloads.values())

    def summary(self) -> DownloadSummary:
        downloads = list(self._downloads.values())
        return DownloadSummary(
            count=len(downloads),
            instances_done=sum(d.progress.instances_done for d in downloads),
            instances_total=sum(d.progress.instances_total for d in downloads),
            bytes_done=sum(d.progress.bytes_done for d in downloads),
        )

    # -- the work ---------------------------------------------------------------------------
    def _job(  # type: ignore[no-untyped-def]
        self, study_uid: str, source: ImagingSource, relay: ProgressRelay, control: FetchControl
    ):
        store = self.store

        def on_progress(progress: FetchProgress) -> None:
            relay(progress.snapshot())  # a copy: the fetch goes on changing its own

        def job(cancelled: Callable[[], bool], _progress: Callable[[str], None]) -> FetchReport:
            report = self.fetch(
                source,
                store,
                study_uid,
                on_progress=on_progress,
                cancelled=cancelled,
                control=control,
            )
            try:
                store.evict()  # keep the budget; open and pinned studies are spared
            except QingyingError as err:
                log.warning("eviction after a download failed: %s", err)
            return report

        return job

    def _on_progress(self, download: Download, progress: FetchProgress) -> None:
        if self._closed or self._downloads.get(download.study_uid) is not download:
            return  # ended meanwhile (a late delivery)
        if download.worker.is_cancelled():
            return
        download.progress = progress
        download.started = True
        self.changed.emit(download.study_uid)
        self.summary_changed.emit()

    def _on_end(
        self,
        download: Download,
        *,
        report: object = None,
        error: QingyingError | None = None,
        cancelled: bool = False,
    ) -> None:
        if self._downloads.get(download.study_uid) is download:
            del self._downloads[download.study_uid]
        download.worker.deleteLater()
        if download.relay is not None:
            download.relay.deleteLater()
        if self._closed:
            return
        try:
            state = self.store.study_state(download.study_uid)
        except QingyingError:
            state = "none"
        outcome = DownloadOutcome(
            download.study_uid,
            download.source_name,
            state,
            report if isinstance(report, FetchReport) else None,
            error,
            cancelled,
        )
        self.ended.emit(outcome)
        self.summary_changed.emit()
