"""Run a core callable off the UI thread and turn its plain callbacks into Qt signals.

The core reports progress through ``progress(str)`` and checks ``cancelled()`` between
steps; a :class:`Worker` hands it both, runs it on a thread pool and emits ``progress``,
``finished``, ``failed`` or ``cancelled`` back on the UI thread (queued connections,
since the worker object lives on the UI thread and the job does not).

Core calls that report progress as numbers (a dataclass per call) hand it to a
:class:`ProgressRelay` instead, which carries it to the UI thread at a pace the eye can
follow and remembers the last one.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from viewer.errors import CancelledError, QingyingError

log = logging.getLogger(__name__)

Job = Callable[[Callable[[], bool], Callable[[str], None]], Any]
"""A core call: ``job(cancelled, progress) -> result``."""


class Worker(QObject):
    """One run of a job. Exactly one of finished, failed or cancelled is emitted."""

    progress = Signal(str)
    finished = Signal(object)  # the job's result
    failed = Signal(object)  # a QingyingError: str(err) is the message to show
    cancelled = Signal()

    def __init__(self, job: Job, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job = job
        self._cancel = threading.Event()
        self._done = threading.Event()  # the job has returned (or will never run)
        # ... and its thread has emitted its last signal: only then may the caller of
        # wait() let this object go (a pool thread emitting on a deleted QObject crashes).
        self._settled = threading.Event()
        self._runnable: _Runnable | None = None
        self._pool: QThreadPool | None = None

    @property
    def running(self) -> bool:
        return self._runnable is not None and not self._done.is_set()

    def start(self, pool: QThreadPool | None = None) -> None:
        self._runnable = _Runnable(self)
        self._pool = pool or QThreadPool.globalInstance()
        self._pool.start(self._runnable)

    def cancel(self) -> None:
        """Ask the job to stop; ``cancelled`` follows once it has. A job still waiting
        for a thread of its pool never runs, and says so at once: a pool runs a few
        jobs at a time, and the one cancelled would otherwise wait for another to end."""
        self._cancel.set()
        runnable, pool = self._runnable, self._pool
        if runnable is None or pool is None or self._done.is_set():
            return
        if pool.tryTake(runnable):  # False once a thread has begun it
            self._done.set()
            self._settled.set()  # no thread will touch it
            # Queued like the signals of a job that ran: the caller's code goes on first.
            QTimer.singleShot(0, self, lambda: self._emit("cancelled", None))

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has returned and its thread is done with this object (for
        shutdown and tests); False on timeout."""
        return self._settled.wait(timeout)

    def _run(self) -> None:
        outcome: tuple[str, Any]
        stop: BaseException | None = None
        try:
            result = self._job(self._cancel.is_set, self._emit_progress)
        except CancelledError:
            outcome = ("cancelled", None)
        except QingyingError as err:
            outcome = ("failed", err)
        except BaseException as err:
            # A bug, not a user error: the log gets the traceback, the user one line. Also
            # what is no Exception (a native codec's panic: pyo3's PanicException): the
            # window waits for one of the signals, so a job never ends without one.
            log.error("background job failed", exc_info=err)
            outcome = ("failed", QingyingError(f"unexpected error ({type(err).__name__})"))
            stop = err if isinstance(err, KeyboardInterrupt | SystemExit | GeneratorExit) else None
        else:
            outcome = ("cancelled", None) if self._cancel.is_set() else ("finished", result)
        self._done.set()
        try:
            self._emit(*outcome)
        finally:
            self._settled.set()
        if stop is not None:
            raise stop  # reported, and still how Python stops: never swallowed

    def _emit_progress(self, message: str) -> None:
        if not self._cancel.is_set():
            self._emit("progress", message)

    def _emit(self, name: str, value: Any) -> None:
        try:
            signal = getattr(self, name)
            if name == "cancelled":
                signal.emit()
            else:
                signal.emit(value)
        except RuntimeError:
            pass  # the window that asked was closed meanwhile: nobody is listening


class ProgressRelay(QObject):
    """Call it from any thread with a progress value (one the caller no longer changes):
    ``changed`` delivers it on the UI thread, at most once per ``interval`` seconds. A
    value that comes too soon is not dropped but delayed, and only the newest waiting
    one is delivered, so the screen never lags behind a transfer that stalls. ``latest``
    is always the last value given (read it once the job has returned)."""

    changed = Signal(object)
    _poke = Signal()

    def __init__(self, interval: float = 0.1, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval = interval
        self.latest: Any = None
        self._scheduled = False
        self._delivered_at = -interval
        self._lock = threading.Lock()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._deliver)
        self._poke.connect(self._on_poke)  # queued when called from another thread

    def __call__(self, value: object) -> None:
        with self._lock:
            self.latest = value
            if self._scheduled:
                return
            self._scheduled = True
        with contextlib.suppress(RuntimeError):  # the window closed meanwhile
            self._poke.emit()

    def _on_poke(self) -> None:
        wait = self.interval - (time.monotonic() - self._delivered_at)
        if wait > 0:
            self._timer.start(int(wait * 1000) + 1)
        else:
            self._deliver()

    def _deliver(self) -> None:
        with self._lock:
            value = self.latest
            self._scheduled = False
        self._delivered_at = time.monotonic()
        self.changed.emit(value)


class _Runnable(QRunnable):
    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the Worker keeps it, so Python owns its lifetime
        self._worker = worker

    def run(self) -> None:
        self._worker._run()
