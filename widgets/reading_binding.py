"""The window's reading: opening series into the reading view and closing them.

A series is loaded off the UI thread (:meth:`ReadingSession.open_series`) and shown in
the active viewport, or beside it when compare with prior asked for it; a series no
viewport shows any more is closed in the session (its cache lease let go). A series
still arriving is followed on screen through its :class:`ArrivalBridge`. The reading
view is made when the first series opens (VTK is imported then, not at start); while it
is shown the search fields give it their room.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QStackedWidget, QWidget

from viewer.session.arriving import ArrivingSeries
from viewer.session.model import ReadingSession
from viewer.session.reading import OpenSeries
from widgets.arriving_series import ArrivalBridge
from widgets.study_binding import StudyBinding
from widgets.workers import Worker

if TYPE_CHECKING:
    from collections.abc import Callable

    from widgets.compare_prior import PriorComparer
    from widgets.reading_view import ReadingView


class ReadingBinding(QObject):
    def __init__(
        self,
        session: ReadingSession,
        studies: StudyBinding,
        pages: QStackedWidget,
        history: QWidget,
        search: QWidget,
        say: Callable[[str, int], None],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.session, self.studies, self.pages = session, studies, pages
        self.history, self.search, self.say, self.window = history, search, say, window
        self.view: ReadingView | None = None
        self.comparer: PriorComparer | None = None
        self.open_worker: Worker | None = None
        # Series on screen still arriving, by series UID: their events on this thread.
        self.arrivals: dict[str, ArrivalBridge] = {}

    def read_series(self, uid: str, series_uid: str) -> None:
        """Load a cached series off the UI thread, then show it in the reading view."""
        if self.open_worker is not None and self.open_worker.running:
            self.open_worker.cancel()
        session = self.session
        worker = Worker(lambda c, _p: session.open_series(uid, series_uid, cancelled=c), self)
        worker.finished.connect(lambda series: self._show_series(worker, series))
        worker.failed.connect(
            lambda err: self.say(
                QCoreApplication.translate("MainWindow", "The series cannot be opened: %1").replace(
                    "%1", str(err)
                ),
                0,
            )
        )
        self.open_worker = worker
        self.say(QCoreApplication.translate("MainWindow", "Opening the series…"), 0)
        worker.start()

    def reading_view(self) -> ReadingView:
        if self.view is None:
            from widgets.compare_prior import PriorComparer
            from widgets.reading_view import ReadingView

            self.view = ReadingView(self.pages)
            self.view.strip.thumbnail_source = self.session.series_thumbnail
            self.view.back_requested.connect(self.back_to_history)
            self.view.series_released.connect(self._close_series)
            self.view.series_requested.connect(self._strip_asks)
            self.pages.addWidget(self.view)
            self.comparer = PriorComparer(self.session, self.view, self.studies.open_series, self)
        return self.view

    def _show_series(self, worker: Worker, series: object) -> None:
        assert isinstance(series, OpenSeries)
        if worker is not self.open_worker:  # a later open replaced it: not shown, closed
            if self.view is None or not self.view.layout_model.holds(series):
                self._close_series(series)
            return
        view = self.reading_view()
        view.show_series(series)  # the series it replaces is released: _close_series
        if isinstance(series, ArrivingSeries) and series.series_uid not in self.arrivals:
            bridge = ArrivalBridge(series, self)
            bridge.follow_in(view)
            self.arrivals[series.series_uid] = bridge
        self.studies.opened(series.study_uid, series.series_uid)
        if self.comparer is not None and not view.strip.studies():
            study = self.comparer.study_of(series.study_uid)
            if study is not None:
                view.show_study(study.record, self.session.cached_listing(series.study_uid))
        self.search.hide()  # the viewports have the window's height
        self.pages.setCurrentWidget(view)
        self.window.statusBar().clearMessage()  # type: ignore[attr-defined]
        self.window.activateWindow()  # asked from the cache page, a window of its own
        self.window.raise_()

    def _strip_asks(self, study_uid: str, series_uid: str) -> None:
        """A series from the strip: as a tile in the history opens it (fetched first if
        it is not cached); a study the history does not hold opens from the cache."""
        study = self.comparer.study_of(study_uid) if self.comparer is not None else None
        if study is not None:
            self.studies.open_series(study, series_uid)
        elif self.session.series_cached(study_uid, series_uid):
            self.read_series(study_uid, series_uid)
        elif self.view is not None:
            self.view.note.setText(
                QCoreApplication.translate(
                    "MainWindow", "Not in the offline cache: search the history to fetch it"
                )
            )

    def back_to_history(self) -> None:
        if self.view is not None:
            self.view.release()  # every series released: each closed in the session
            self.view.strip.clear()
            self.view.strip.hide()
        for series in list(self.session.open.values()):
            self._close_series(series)  # opened and never shown (an open superseded)
        self.search.show()
        self.pages.setCurrentWidget(self.history)

    def _close_series(self, series: object) -> None:
        assert isinstance(series, OpenSeries)
        bridge = self.arrivals.pop(series.series_uid, None)
        if bridge is not None:
            bridge.release()
            bridge.deleteLater()
        self.session.close_series(series.series_uid)
