"""What every series opened while it arrives shares: its events, its one loader thread
and how a new volume is swapped in under the viewport.

:class:`~viewer.session.arriving.ArrivingSeries` (grayscale slices placed in the
patient) and :class:`~viewer.session.arriving_frames.ArrivingFrames` (colour and
multi-frame instances) differ in where an arrived instance goes; the screen follows both
alike through these events (psygnal, on the loader thread, never the UI's):
``arrived(ready, expected)``, ``slice_failed(k, reason)``, ``replaced()`` (``volume`` is
a new Volume: re-read it and ``slice``), ``finished(ready, count)``.

One loader thread per series reads the cache, woken by the download's progress and
every ``POLL_S`` in case a wake was missed, so the fetch never waits on decoding. Closing
stops it and waits for it before the cache's lease on the study is let go: nothing is
being read once :meth:`close` returns.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from psygnal import Signal

from viewer.errors import InvalidDataError, QingyingError
from viewer.imaging.pixel_layout import PixelLayout
from viewer.imaging.volume import Volume
from viewer.instance_file import InstanceFile
from viewer.measure.image import MeasuredImage
from viewer.session.reading import OpenSeries

log = logging.getLogger(__name__)

POLL_S = 0.5  # a look at the cache even without a wake


class ArrivalStore(Protocol):
    def series_files(
        self, study_uid: str, series_uid: str
    ) -> tuple[list[InstanceFile], list[PixelLayout | None]]: ...


class ArrivalLoop(OpenSeries):
    """The shared half; a subclass says what arrived (:meth:`_take_new`), when all is
    here (:meth:`_all_here`) and puts the final order in place (:meth:`_settle`)."""

    arrived = Signal(int, int)  # ready, expected
    slice_failed = Signal(int, str)  # slice index, why it will not show
    replaced = Signal()  # ``volume`` is a new Volume: re-read it (and ``slice``)
    finished = Signal(int, int)  # nothing more will arrive: ready, count

    def _start_loop(self, store: ArrivalStore, name: str) -> None:
        """Called by the subclass once its first volume is in place."""
        self._store = store
        self._swap_lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._ended = threading.Event()  # the download is over: what is cached is all
        self.done = threading.Event()  # the loader has ended
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    # -- what the subclass says ---------------------------------------------------------
    @property
    def ready_count(self) -> int:
        raise NotImplementedError

    @property
    def expected(self) -> int:
        raise NotImplementedError

    def _take_new(self) -> None:
        raise NotImplementedError

    def _all_here(self) -> bool:
        raise NotImplementedError

    def _settle(self) -> None:
        raise NotImplementedError

    # -- what the viewport reads --------------------------------------------------------
    def auto_window(self) -> None:
        """Nothing on an image not yet arrived (its zeros are no tissue)."""
        if bool(self.volume.ready[self.slice]):
            super().auto_window()

    def set_slice(self, k: int) -> None:
        """As :meth:`OpenSeries.set_slice`, never half-way through a swap of the volume
        (which moves the shown slice's index with it); the event after the lock is let
        go, so a slot that scrolls this series again cannot wait on itself."""
        with self._swap_lock:
            k = min(max(0, int(k)), self.slice_count - 1)
            changed = k != self.slice
            self.slice = k
        if changed:
            self.slice_changed.emit(k)

    def image_at(self, k: int | None = None) -> MeasuredImage | None:
        """As :meth:`OpenSeries.image_at`, the volume and the slice read together: a swap
        on the loader thread never pairs one volume's slice with another's header."""
        with self._swap_lock:
            return super().image_at(k)

    def image_key(self, k: int | None = None) -> tuple[str, int]:
        with self._swap_lock:
            return super().image_key(k)

    # -- driven by the session -----------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def nudge(self) -> None:
        """Something arrived for the study: look at the cache (any thread)."""
        self._wake.set()

    def download_ended(self) -> None:
        """The download is over: what the cache holds now is all that comes."""
        self._ended.set()
        self._wake.set()

    def close(self) -> None:
        """Stop the loader, wait for it, then let the cache evict the study again."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()
        super().close()

    # -- the loader thread -----------------------------------------------------------------
    def _files_now(self) -> tuple[list[InstanceFile], list[PixelLayout | None]] | None:
        """The series' files in the cache now; None (and the loader stops) when the
        cache closed under it."""
        try:
            return self._store.series_files(self.study_uid, self.series_uid)
        except (QingyingError, RuntimeError):
            self._stop.set()
            return None

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                ended = self._ended.is_set()  # before the look: it then sees everything
                self._take_new()
                if self._stop.is_set():
                    return
                settled = self._all_here()
                if settled or ended:
                    if settled:
                        self._settle()
                    break
                self._wake.wait(POLL_S)
                self._wake.clear()
            else:
                return  # closed: nothing more is said
        except Exception:  # a bug: logged, the images so far stay as they are
            log.exception("a series stopped arriving")
        finally:
            self.done.set()
        self.finished.emit(self.ready_count, self.expected)

    def _swap(self, volume: Volume, shown: Callable[[int], int]) -> None:
        """``volume`` in place of the current one; ``shown`` gives the new index of the
        slice shown at the moment of the swap."""
        # No slice_changed for the moved index: it would come on this thread to slots
        # that draw (the viewport's); ``replaced`` says to re-read ``slice`` too.
        with self._swap_lock:
            self.volume = volume
            self.slice = min(max(0, shown(self.slice)), self.slice_count - 1)
        self.replaced.emit()


def reason(err: InvalidDataError, path: InstanceFile) -> str:
    """Why, without where in the cache the file is (a placeholder's words)."""
    return str(err).replace(f"{path}: ", "").replace(f"{path.path}: ", "")
