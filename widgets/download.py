"""Downloads into the offline cache, brought to the window.

The session's :class:`~viewer.session.downloads.Downloads` runs each study's fetch on its
own threads and keeps the cache's budget after it; this controller only carries its
events to the UI thread: a study's progress at most a few times a second (the newest
always shown), how each one ended, and the sum of them all.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, Signal

from viewer.errors import (
    QingyingError,
)
from viewer.session.downloads import (
    Download,
    DownloadOutcome,
    Downloads,
    DownloadSummary,
    FetchFunction,
)
from viewer.sources.protocol import ImagingSource
from widgets.problem_words import problem_words
from widgets.workers import ProgressRelay

PROGRESS_INTERVAL_S = 0.15  # at most this often a study's progress reaches the UI

__all__ = ["DownloadController", "DownloadOutcome", "failure_text"]


def failure_text(error: QingyingError) -> str:
    """Why a download stopped, in the doctor's words, then the core's own message."""
    return problem_words(error, "download")


class DownloadController(QObject):
    changed = Signal(str)  # study uid: its progress changed (read it with active())
    ended = Signal(object)  # DownloadOutcome
    summary_changed = Signal()
    _ended_elsewhere = Signal(object)  # queued: an outcome from a fetch thread

    def __init__(self, downloads: Downloads, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.downloads = downloads
        self._relays: dict[str, ProgressRelay] = {}
        self._closed = False
        self._ended_elsewhere.connect(self._on_ended)
        downloads.changed.connect(self._on_changed)
        downloads.ended.connect(self._deliver_end)

    @property
    def fetch(self) -> FetchFunction:
        return self.downloads.fetch

    @fetch.setter
    def fetch(self, fetch: FetchFunction) -> None:  # tests slow it down
        self.downloads.fetch = fetch

    # -- asking -----------------------------------------------------------------------------
    def start(
        self, study_uid: str, source: ImagingSource, *, first_series: str | None = None
    ) -> Download:
        """See :meth:`Downloads.start`: a study already downloading is left be, but
        ``first_series`` moves ahead in it."""
        if self._closed:
            raise RuntimeError("the download controller was shut down")
        fresh = self.downloads.active(study_uid) is None
        if fresh:
            relay = ProgressRelay(PROGRESS_INTERVAL_S, self)
            relay.changed.connect(self._on_progress)
            self._relays[study_uid] = relay  # before the fetch can report
        download = self.downloads.start(study_uid, source, first_series=first_series)
        if fresh:  # the card says "waiting" at once, not after the first progress
            self.changed.emit(study_uid)
            self.summary_changed.emit()
        return download

    def cancel(self, study_uid: str) -> None:
        self.downloads.cancel(study_uid)

    def cancel_all(self) -> None:
        self.downloads.cancel_all()

    def shutdown(self, timeout: float) -> bool:
        """Cancel every download and wait for them; nothing is reported afterwards (the
        store may be closed next). False when one did not stop in time."""
        self._closed = True
        return self.downloads.shutdown(timeout)

    def wait(self, timeout: float) -> bool:
        return self.downloads.wait(timeout)

    # -- reading ----------------------------------------------------------------------------
    def active(self, study_uid: str) -> Download | None:
        return self.downloads.active(study_uid)

    def running(self) -> list[Download]:
        return self.downloads.running()

    def summary(self) -> DownloadSummary:
        return self.downloads.summary()

    # -- events, from any thread ----------------------------------------------------------
    def _on_changed(self, study_uid: str) -> None:
        relay = self._relays.get(study_uid)
        if relay is not None:
            relay(study_uid)  # throttled, delivered on the UI thread

    def _deliver_end(self, outcome: DownloadOutcome) -> None:
        with contextlib.suppress(RuntimeError):  # the window closed meanwhile
            self._ended_elsewhere.emit(outcome)

    # -- on the UI thread -------------------------------------------------------------------
    def _on_progress(self, study_uid: object) -> None:
        assert isinstance(study_uid, str)
        if self._closed or self.downloads.active(study_uid) is None:
            return  # ended meanwhile (a late delivery)
        self.changed.emit(study_uid)
        self.summary_changed.emit()

    def _on_ended(self, outcome: DownloadOutcome) -> None:
        relay = self._relays.pop(outcome.study_uid, None)
        if relay is not None:
            relay.deleteLater()
        if self._closed:
            return
        self.ended.emit(outcome)
        self.summary_changed.emit()
