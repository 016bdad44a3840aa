"""A series still arriving, brought to the UI thread.

The core's :class:`~viewer.session.arrival_loop.ArrivalLoop` (a grayscale stack's
:class:`~viewer.session.arriving.ArrivingSeries`, a colour or multi-frame series'
:class:`~viewer.session.arriving_frames.ArrivingFrames`: the same events) says what
lands on its loader thread; a viewport may only draw on the UI thread.
:class:`ArrivalBridge` re-emits those events here as Qt signals, in the order they
came, ``arrived`` at most every ``ARRIVAL_INTERVAL_S`` (the newest counts always
delivered: a CT on a fast link lands hundreds of slices a second, and a redraw for each
would lag behind it).

:meth:`ArrivalBridge.follow_in` makes every viewport of the reading view that shows the
series follow them: its pixels redrawn and a progress line as slices land, the series
shown anew when its volume is replaced, the line gone once whole (or saying the download
stopped).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from viewer.session.arrival_loop import ArrivalLoop
from widgets.workers import ProgressRelay

if TYPE_CHECKING:
    from widgets.reading_view import ReadingView
    from widgets.reading_viewport import Viewport

ARRIVAL_INTERVAL_S = 0.1


class ArrivalBridge(QObject):
    """The events of one arriving series, on the UI thread (see the core's docstring for
    what each means): ``arrived(ready, expected)``, ``slice_failed(k, reason)``,
    ``replaced()``, ``finished(ready, count)``."""

    arrived = Signal(int, int)
    slice_failed = Signal(int, str)
    replaced = Signal()
    finished = Signal(int, int)
    # Emitted on the loader thread: Qt queues them to this object's (the UI) thread.
    _failed_there = Signal(int, str)
    _replaced_there = Signal()
    _finished_there = Signal(int, int)

    def __init__(self, series: ArrivalLoop, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.series = series
        self._over = False
        self._relay = ProgressRelay(ARRIVAL_INTERVAL_S, self)
        self._relay.changed.connect(self._deliver_arrived)
        self._failed_there.connect(self.slice_failed)
        self._replaced_there.connect(self._deliver_replaced)
        self._finished_there.connect(self._deliver_finished)
        series.arrived.connect(self._on_arrived)
        series.slice_failed.connect(self._on_failed)
        series.replaced.connect(self._on_replaced)
        series.finished.connect(self._on_finished)
        if series.done.is_set():  # it ended before this bridge listened
            self._on_finished(series.ready_count, series.expected)

    def release(self) -> None:
        """Stop following the series (it is being closed)."""
        self._over = True
        for signal, slot in (
            (self.series.arrived, self._on_arrived),
            (self.series.slice_failed, self._on_failed),
            (self.series.replaced, self._on_replaced),
            (self.series.finished, self._on_finished),
        ):
            signal.disconnect(slot)

    # -- on the loader thread ---------------------------------------------------------------
    def _on_arrived(self, ready: int, expected: int) -> None:
        self._relay((ready, expected))

    def _on_failed(self, k: int, reason: str) -> None:
        with contextlib.suppress(RuntimeError):  # the window closed meanwhile
            self._failed_there.emit(k, reason)

    def _on_replaced(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._replaced_there.emit()

    def _on_finished(self, ready: int, count: int) -> None:
        with contextlib.suppress(RuntimeError):
            self._finished_there.emit(ready, count)

    # -- on the UI thread ---------------------------------------------------------------------
    def _deliver_arrived(self, counts: object) -> None:
        if self._over:
            return  # a late delivery: ``finished`` said the last word
        assert isinstance(counts, tuple)
        self.arrived.emit(*counts)

    def _deliver_replaced(self) -> None:
        if not self._over:
            self.replaced.emit()

    def _deliver_finished(self, ready: int, count: int) -> None:
        if not self._over:
            self._over = True
            self.finished.emit(ready, count)

    # -- on screen ------------------------------------------------------------------------------
    def follow_in(self, view: ReadingView) -> None:
        """Every viewport of ``view`` showing the series follows it as it arrives: its
        pixels redrawn, a progress line until it is whole (or says the download stopped),
        shown anew once the volume is replaced (the same image kept on screen)."""
        series = self.series

        def showing() -> list[Viewport]:
            return [v for v in view.viewports if v.series is series]

        def arrived(ready: int, expected: int) -> None:
            for viewport in showing():
                viewport.scene.refresh_pixels()
                viewport.scene.set_progress(
                    ready / max(1, expected), self.progress_text(ready, expected)
                )
                viewport.redraw()

        def replaced() -> None:
            for viewport in showing():
                if viewport.scene.volume_shown is not series.volume:
                    viewport.follow_new_volume()

        def finished(ready: int, count: int) -> None:
            for viewport in showing():
                viewport.scene.refresh_pixels()
                if ready >= count:
                    viewport.scene.set_progress(None, "")
                else:
                    viewport.scene.set_progress(
                        ready / max(1, count), self.stopped_text(ready, count)
                    )
                viewport.redraw()

        self.arrived.connect(arrived)
        self.replaced.connect(replaced)
        self.finished.connect(finished)
        arrived(series.ready_count, series.expected)
        replaced()  # a volume replaced before this bridge listened is shown now

    def progress_text(self, ready: int, expected: int) -> str:
        return (
            self.tr("%1 of %2 images received")
            .replace("%1", str(ready))
            .replace("%2", str(expected))
        )

    def stopped_text(self, ready: int, count: int) -> str:
        return (
            self.tr("%1 of %2 images received: the download stopped")
            .replace("%1", str(ready))
            .replace("%2", str(count))
        )
