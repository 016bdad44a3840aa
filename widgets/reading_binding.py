"""The window's reading: opening series into the reading view and closing them.

A series is loaded off the UI thread (:meth:`ReadingSession.open_series`) and shown in
the active viewport, or beside it when compare with prior asked for it; a series no
viewport shows any more is closed in the session (its cache lease let go). A series
still arriving is followed on screen through its :class:`ArrivalBridge`. The reading
view is made when the first series opens (VTK is imported then, not at start); while it
is shown the search fields give it their room.

Going back to the history (Esc, ← History) keeps the images open where they were: the
status bar's "Back to reading" button (F2) returns to them. A series of another
patient opened from the history starts the layout afresh (the core's
:meth:`ReadingLayout.open_for`), so the last patient's images never stay beside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QPushButton, QStackedWidget, QWidget

from viewer.audit.events import Outcome
from viewer.display import display_name
from viewer.session.arrival_loop import ArrivalLoop
from viewer.session.model import ReadingSession
from viewer.session.reading import OpenSeries
from widgets.arriving_series import ArrivalBridge
from widgets.study_binding import StudyBinding
from widgets.workers import Worker

if TYPE_CHECKING:
    from collections.abc import Callable

    from viewer.session.study_reports import Sent
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
        window: QMainWindow,
    ) -> None:
        super().__init__(window)
        self.session, self.studies, self.pages = session, studies, pages
        self.history, self.search, self.say, self.window = history, search, say, window
        self.view: ReadingView | None = None
        self.comparer: PriorComparer | None = None
        self.open_worker: Worker | None = None
        # Series on screen still arriving, by series UID: their events on this thread.
        self.arrivals: dict[str, ArrivalBridge] = {}
        # Back to the images left open when the doctor went to the history.
        self.return_button = QPushButton(window)
        self.return_button.setObjectName("ReturnToReading")
        self.return_button.setToolTip(
            QCoreApplication.translate("MainWindow", "Back to the images left open (F2)")
        )
        self.return_button.clicked.connect(self.return_to_reading)
        self.return_button.hide()
        window.statusBar().addPermanentWidget(self.return_button)
        back = QShortcut(QKeySequence(Qt.Key.Key_F2), window)
        back.setContext(Qt.ShortcutContext.WindowShortcut)
        back.activated.connect(self.return_to_reading)

    def read_series(self, uid: str, series_uid: str) -> None:
        """Load a cached series off the UI thread, then show it in the reading view. A
        report or a key image selection holds no image: said, not opened."""
        listed = self.session.cached_listing(uid).series if self.session.store else ()
        kind = next((s.modality for s in listed if s.series_uid == series_uid), "")
        if kind.upper() in ("SR", "KO"):
            self.say(
                QCoreApplication.translate(
                    "MainWindow",
                    "A report, not images: its measurements and key images show on the "
                    "images of the study",
                ),
                0,
            )
            return
        if self.open_worker is not None and self.open_worker.running:
            self.open_worker.cancel()
        session = self.session

        def open_it(cancelled: Callable[[], bool], _progress: object) -> OpenSeries:
            series = session.open_series(uid, series_uid, cancelled=cancelled)
            # Its study's measurements read here too (reports cached with it among them:
            # highdicom, their headers), not on the UI thread when the viewport shows it.
            session.annotations(uid)
            return series

        worker = Worker(open_it, self)
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
            self.view.kin = self.session.one_patient  # a history's linked IDs: one patient
            self.view.annotations_of = self.session.annotations  # kept in the cache
            self.view.strip.thumbnail_source = self.session.series_thumbnail
            self.view.back_requested.connect(self.back_to_history)
            self.view.series_released.connect(self._close_series)
            self.view.series_requested.connect(self._strip_asks)
            self.view.send_requested.connect(self.send_measurements)
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
        if isinstance(series, ArrivalLoop) and series.series_uid not in self.arrivals:
            bridge = ArrivalBridge(series, self)
            bridge.follow_in(view)
            self.arrivals[series.series_uid] = bridge
        self.studies.opened(series.study_uid, series.series_uid)
        if self.comparer is not None and series.study_uid not in view.strip.studies():
            study = self.comparer.study_of(series.study_uid)
            if study is not None:
                view.show_study(study.record, self.session.cached_listing(series.study_uid))
        self._to_reading(view)
        self.window.activateWindow()  # asked from the cache page, a window of its own
        self.window.raise_()

    def return_to_reading(self) -> None:
        """Back to the images left open (the button, F2); nothing when none are."""
        view = self.view
        if view is not None and view.layout_model.open_series():
            self._to_reading(view)

    def _to_reading(self, view: ReadingView) -> None:
        self.search.hide()  # the viewports have the window's height
        self.return_button.hide()
        self.pages.setCurrentWidget(view)
        self.window.statusBar().clearMessage()
        view.active.vtk.setFocus()

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

    def send_measurements(self, study_uid: str) -> None:
        """The study's report and key images to the platform, off the UI thread; the
        bar says what was sent, or why not."""
        from viewer.session.study_reports import send_to_first_that_takes

        session, view = self.session, self.view
        if session.store is None or view is None:
            return
        store = session.store
        worker = Worker(
            lambda _c, _p: send_to_first_that_takes(
                store, session.open_sources(), session.annotations(study_uid)
            ),
            self,
        )
        view.note.setText(QCoreApplication.translate("MainWindow", "Sending the measurements…"))

        def sent(out: object) -> None:
            session.audit_study("exported", study_uid, form="measurements sent")
            view.note.setText(_sent_words(out))

        def not_sent(err: object) -> None:
            session.audit_study(
                "exported", study_uid, outcome=Outcome.SERIOUS_FAILURE, form="measurements sent"
            )
            view.note.setText(
                QCoreApplication.translate("MainWindow", "Not sent: %1").replace("%1", str(err))
            )

        worker.finished.connect(sent)
        worker.failed.connect(not_sent)
        self._sending = worker  # kept until it ends
        worker.start()

    def back_to_history(self) -> None:
        """The history, the images left as they are (held open, the cache leases kept):
        the status bar offers them back, naming whose they are."""
        shown = self.view.layout_model.open_series() if self.view is not None else []
        for series in list(self.session.open.values()):
            if not any(series is s for s in shown):
                self._close_series(series)  # opened and never shown (an open superseded)
        self.search.show()
        self.pages.setCurrentWidget(self.history)
        if self.view is not None and shown:
            who = self.view.series or shown[0]
            self.return_button.setText(
                QCoreApplication.translate("MainWindow", "Back to reading: %1 ▸").replace(
                    "%1", display_name(who.identity.patient_name) or who.identity.patient_id
                )
            )
            self.return_button.show()

    def close_all(self) -> None:
        """Every series closed and the reading view gone (the session closed for another
        user): the history page shows, and nothing offers the images back."""
        self.open_worker = None  # an open still running is not shown
        if self.view is not None:
            for series in self.view.layout_model.open_series():
                self._close_series(series)
            self.pages.removeWidget(self.view)
            self.view.deleteLater()
            if self.comparer is not None:
                self.comparer.deleteLater()
            self.view, self.comparer = None, None
        self.return_button.hide()
        self.search.show()
        self.pages.setCurrentIndex(0)  # the page shown before the first search

    def _close_series(self, series: object) -> None:
        assert isinstance(series, OpenSeries)
        bridge = self.arrivals.pop(series.series_uid, None)
        if bridge is not None:
            bridge.release()
            bridge.deleteLater()
        self.session.close_series(series.series_uid)
        if self.view is not None and not self.view.layout_model.open_series():
            self.return_button.hide()  # nothing left to return to


def _sent_words(sent: Sent) -> str:
    return (
        QCoreApplication.translate("MainWindow", "Sent %1 measurement(s) and %2 key image(s) to %3")
        .replace("%1", str(sent.out.measurements))
        .replace("%2", str(sent.out.keys))
        .replace("%3", sent.source)
    )
