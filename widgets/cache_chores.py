"""The offline cache page's chores run one at a time on a worker, showing how far they got.

:class:`~widgets.cache_dialog.CacheDialog` says what each chore does and what its result
means; :class:`ChoreRunner` runs it, shows its progress and its Cancel button (widgets of
the page's action row), and hands the end back: a result to the chore's own callback, a
failure's message to the page, then the page refreshes. Its texts keep the translation
context ``CacheDialog``: they were the dialog's own.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QWidget

from viewer.errors import QingyingError
from widgets.workers import ProgressRelay, Worker


class ChoreRunner(QObject):
    def __init__(
        self,
        page: QWidget,
        *,
        started: Callable[[], None],
        failed: Callable[[QingyingError], None],
        ended: Callable[[], None],
    ) -> None:
        """``started`` runs as a chore starts (it is busy then), ``failed`` with its error,
        ``ended`` after any chore's end was told (none once :meth:`shutdown` ran)."""
        super().__init__(page)
        self._started, self._failed, self._ended = started, failed, ended
        self.worker: Worker | None = None
        self._relays: dict[Worker, ProgressRelay] = {}  # of the chores that report progress
        self._closed = False
        self.busy_bar = QProgressBar(page)
        self.busy_bar.setObjectName("CacheBusyBar")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedWidth(160)
        self.busy_bar.hide()
        self.progress_label = QLabel(page)
        self.progress_label.setObjectName("CacheProgress")
        self.progress_label.hide()
        self.cancel_button = QPushButton(QCoreApplication.translate("CacheDialog", "Cancel"), page)
        self.cancel_button.setObjectName("CacheCancelButton")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()

    def run(
        self,
        job: Callable[..., object],
        done: Callable[[object], None],
        *,
        on_cancelled: Callable[[], None] | None = None,
        progress: tuple[ProgressRelay, Callable[[object], None]] | None = None,
    ) -> None:
        """Run a chore; with ``on_cancelled`` it can be cancelled, and says what it did;
        with ``progress``, the relay the job reports to and what shows its values."""
        if self.worker is not None and self.worker.running:
            if progress is not None:
                progress[0].deleteLater()
            return
        worker = Worker(job, self.parent())
        if progress is not None:
            relay, show = progress
            self._relays[worker] = relay
            relay.changed.connect(lambda value: self._on_relayed(worker, show, value))
        worker.finished.connect(lambda result: self._on_done(worker, done, result))
        worker.failed.connect(lambda err: self._on_failed(worker, err))
        worker.cancelled.connect(lambda: self._on_cancelled(worker, on_cancelled))
        self.worker = worker
        self.busy_bar.setRange(0, 0)
        self.busy_bar.show()
        self.cancel_button.setVisible(on_cancelled is not None)
        self.cancel_button.setEnabled(True)
        self._started()
        worker.start()

    def cancel(self) -> None:
        """Stop the running chore (verify, import) after the file it is at."""
        if self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(QCoreApplication.translate("CacheDialog", "Cancelling…"))

    def show_progress(self, done: int, total: int, text: str) -> None:
        self.busy_bar.setRange(0, max(1, total))
        self.busy_bar.setValue(done)
        self.progress_label.setText(text)
        self.progress_label.show()

    def shutdown(self, timeout: float) -> bool:
        """Wait for a running chore, then report nothing more (the store closes next)."""
        stopped = self.worker is None or self.worker.wait(timeout)
        self._closed = True
        return stopped

    @property
    def busy(self) -> bool:
        """A chore is running or its result is not shown yet."""
        return self.worker is not None

    def _on_relayed(self, worker: Worker, show: Callable[[object], None], value: object) -> None:
        # A value the relay held back may come after its chore ended, even during the next.
        if self._closed or self.worker is not worker or worker.is_cancelled():
            return
        show(value)

    def _on_done(
        self, worker: Worker, done: Callable[[object], None] | None, result: object
    ) -> None:
        self._finish(worker)
        if self._closed:
            return
        if done is not None:
            done(result)
        self._ended()

    def _on_cancelled(self, worker: Worker, on_cancelled: Callable[[], None] | None) -> None:
        self._finish(worker)
        if self._closed:
            return
        if on_cancelled is not None:
            on_cancelled()
        self._ended()

    def _on_failed(self, worker: Worker, err: QingyingError) -> None:
        self._finish(worker)
        if self._closed:
            return
        self._failed(err)
        self._ended()

    def _finish(self, worker: Worker) -> None:
        if self.worker is worker:
            self.worker = None
        worker.deleteLater()
        relay = self._relays.pop(worker, None)
        if relay is not None:
            relay.deleteLater()  # its last value stays readable (latest) until then
        self.busy_bar.hide()
        self.progress_label.hide()
        self.cancel_button.hide()
