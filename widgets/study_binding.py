"""The study cards of a search result, bound to the session: downloads, series lists,
thumbnails and cache states.

The session decides (which source holds a study, whether a series is cached, what a
download does to the cache); this binding asks it, runs its slow calls on workers
(:class:`~widgets.series_view.SeriesLoader`), and shows each answer on every card of the
study (a study may be shown twice: under two patients that may be one). Status lines go
through ``say``, in the window's words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QImage

from viewer.display import MB
from viewer.errors import QingyingError
from viewer.history.result import HistoryStudy
from viewer.history.series import SeriesListing, first_to_read, whole
from viewer.session.model import ReadingSession
from widgets.download import DownloadController, DownloadOutcome
from widgets.history_view import HistoryView
from widgets.series_view import SeriesLoader
from widgets.workers import Worker

Say = Callable[[str, int], None]  # a status line, shown for so many milliseconds (0: kept)


class StudyBinding(QObject):
    read_requested = Signal(str, str)  # study uid, series uid: cached, to be read
    # Its texts were the window's: their translations stay under the window's context
    # (QCoreApplication.translate with a literal, which lupdate finds).

    def __init__(
        self, session: ReadingSession, view: HistoryView, say: Say, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.view = view
        self.say = say
        self.downloads: DownloadController | None = None
        # Series the doctor asked to read before they were cached, by study UID: read
        # as soon as the download has brought them whole.
        self._to_read: dict[str, tuple[HistoryStudy, str]] = {}
        # Of those, the studies whose series the window was asked to read while arriving.
        self._asked_early: set[str] = set()
        # Studies the doctor asked to read whose series are being listed, by study UID.
        self._studies_to_read: dict[str, HistoryStudy] = {}
        if session.downloads is not None:
            self.downloads = DownloadController(session.downloads, self)
            self.downloads.changed.connect(self._on_download_changed)
            self.downloads.ended.connect(self._on_download_ended)
        self.series_loader = SeriesLoader(session, self)
        self.series_loader.listed.connect(self._on_series_listed)
        self.series_loader.list_failed.connect(self._on_series_list_failed)
        self.series_loader.counted.connect(self._on_series_counted)
        self.series_loader.thumbnail_ready.connect(self._on_thumbnail_ready)
        self.series_loader.thumbnail_failed.connect(self._on_thumbnail_failed)
        view.download_requested.connect(self.download_study)
        view.cancel_download_requested.connect(self.cancel_download)
        view.series_open_requested.connect(self.open_series)
        view.study_open_requested.connect(self.open_study)
        view.series_requested.connect(self.series_loader.list_series)
        view.series_recount_requested.connect(self.series_loader.recount)
        view.thumbnail_requested.connect(self.series_loader.thumbnail)

    # -- downloads ------------------------------------------------------------------------
    def open_series(self, study: HistoryStudy, series_uid: str) -> None:
        """The doctor opened a series (double-click on its tile): cached, it is read;
        otherwise it is fetched before the study's other series, its first image before
        the rest, and read from that first image on, its slices appearing as they arrive
        (:mod:`viewer.session.arriving`; a colour or cine series instance by instance)."""
        if self.session.series_cached(study.study_uid, series_uid):
            self._to_read.pop(study.study_uid, None)
            self._asked_early.discard(study.study_uid)
            self.read_requested.emit(study.study_uid, series_uid)
            return
        # Noted before the download starts: it may end on its thread before start returns.
        self._to_read[study.study_uid] = (study, series_uid)
        self._asked_early.discard(study.study_uid)
        if not self.download_study(study, first_series=series_uid):
            del self._to_read[study.study_uid]
        elif study.study_uid in self._to_read:  # not ended already (a fetch failing at once)
            self.say(
                QCoreApplication.translate(
                    "MainWindow", "Fetching this series first: it opens once it is here."
                ),
                0,
            )
            self._read_if_arriving(study.study_uid)  # some of it may be cached already

    def opened(self, study_uid: str, series_uid: str) -> None:
        """The window shows the series: it is no longer waited for."""
        pending = self._to_read.get(study_uid)
        if pending is not None and pending[1] == series_uid:
            del self._to_read[study_uid]
            self._asked_early.discard(study_uid)

    def open_study(self, study: HistoryStudy) -> None:
        """The doctor double-clicked a study: its series are listed, then the one it opens
        on (:func:`viewer.history.series.first_to_read`) is opened as a tile would be."""
        self._studies_to_read[study.study_uid] = study
        self.series_loader.list_series(study)

    def read_cached_study(self, study_uid: str, *, quiet: bool = False) -> None:
        """A study double-clicked on the cache page: the series it opens on among those
        the cache holds whole (no source is asked: the page works offline). ``quiet``
        (a launch from the HIS naming it): nothing said when none is whole."""
        session = self.session
        worker = Worker(lambda _c, _p: session.cached_listing(study_uid), self)

        def listed(listing: object) -> None:
            assert isinstance(listing, SeriesListing)
            cached = replace(listing, series=tuple(e for e in listing.series if whole(e)))
            first = first_to_read(cached)
            if first is None and quiet:
                return  # the history shows the study unfolded, its download a click away
            if first is None:
                self.say(
                    QCoreApplication.translate(
                        "MainWindow",
                        "No series of this study is whole in the offline cache: search for "
                        "the patient to fetch the rest.",
                    ),
                    8000,
                )
            else:
                self.read_requested.emit(study_uid, first)

        worker.finished.connect(listed)
        worker.failed.connect(lambda err: self.say(str(err), 8000))
        worker.start()

    def _read_if_arriving(self, study_uid: str) -> None:
        """Read the series waited for once its first image is cached, if it can be read
        while it arrives (the session says); it stays waited for until it is shown."""
        pending = self._to_read.get(study_uid)
        if pending is None or study_uid in self._asked_early:
            return  # asked once: the window is opening it
        if self.session.opens_while_arriving(study_uid, pending[1]):
            self._asked_early.add(study_uid)
            self.read_requested.emit(study_uid, pending[1])

    def _read_if_whole(self, study_uid: str) -> None:
        pending = self._to_read.get(study_uid)
        if pending is not None and self.session.series_cached(study_uid, pending[1]):
            del self._to_read[study_uid]
            self._asked_early.discard(study_uid)
            self.read_requested.emit(study_uid, pending[1])

    def download_study(self, study: HistoryStudy, first_series: str | None = None) -> bool:
        """Fetch ``study`` from the live source holding it; False when none can."""
        if self.downloads is None:
            problem = self.session.store_problem
            self.say(
                QCoreApplication.translate(
                    "MainWindow", "The offline cache cannot be used: %1"
                ).replace("%1", problem),
                0,
            )
            return False
        source = self.session.holder_of(study)
        if source is None:
            self.say(
                QCoreApplication.translate(
                    "MainWindow", "No source that holds this study can be asked now: search again."
                ),
                8000,
            )
            return False
        self.downloads.start(study.study_uid, source, first_series=first_series)
        for card in self.view.cards(study.study_uid):
            card.set_series_expanded(True)  # the doctor sees each series arrive
        return True

    def cancel_download(self, study_uid: str) -> None:
        if self.downloads is not None:
            self.downloads.cancel(study_uid)

    def _on_download_changed(self, study_uid: str) -> None:
        download = self.downloads.active(study_uid) if self.downloads is not None else None
        if download is None:
            return
        for card in self.view.cards(study_uid):
            card.show_download(download.progress if download.started else None)
        pending = self._to_read.get(study_uid)
        if pending is not None:
            series = download.progress.series.get(pending[1])
            if series is not None and series.expected and series.complete:
                self._read_if_whole(study_uid)
            elif series is not None and series.cached > 0:
                self._read_if_arriving(study_uid)

    def show_running_downloads(self) -> None:
        """A new search shows studies still downloading: their cards say so."""
        for download in self.downloads.running() if self.downloads is not None else []:
            self._on_download_changed(download.study_uid)

    def _on_download_ended(self, outcome: DownloadOutcome) -> None:
        for card in self.view.cards(outcome.study_uid):
            card.show_outcome(outcome)
        if self.view.expanded_panels(outcome.study_uid):
            self.series_loader.recount(outcome.study_uid)
        self.refresh_cache_states(except_uid=outcome.study_uid)
        self._read_if_whole(outcome.study_uid)
        if outcome.study_uid in self._asked_early:  # opening as it arrived: it says how far
            self._asked_early.discard(outcome.study_uid)
            self._to_read.pop(outcome.study_uid, None)
        if self._to_read.pop(outcome.study_uid, None) is not None:
            self.say(
                QCoreApplication.translate(
                    "MainWindow", "The series did not arrive whole: it cannot be read yet."
                ),
                8000,
            )
        if outcome.state == "complete" and outcome.error is None:
            self.say(
                QCoreApplication.translate("MainWindow", "Study downloaded to the offline cache"),
                5000,
            )

    def download_summary(self) -> str:
        """What every running download adds up to; empty when none runs."""
        if self.downloads is None or not self.downloads.summary().count:
            return ""
        summary = self.downloads.summary()
        return (
            QCoreApplication.translate("MainWindow", "%1 download(s): %2/%3 images, %4 MB")
            .replace("%1", str(summary.count))
            .replace("%2", str(summary.instances_done))
            .replace("%3", str(summary.instances_total))
            .replace("%4", str(round(summary.bytes_done / MB)))
        )

    def refresh_cache_states(self, except_uid: str = "") -> None:
        """Eviction or the cache page may have changed other studies: read them again."""
        store = self.session.store
        if store is None:
            return
        downloading = {d.study_uid for d in self.downloads.running()} if self.downloads else set()
        recount: set[str] = set()  # a study may have several cards: its series counted once
        for card in self.view.cards():
            uid = card.study.study_uid
            if uid == except_uid or uid in downloading:
                continue
            try:
                card.set_cache_state(store.study_state(uid, card.study.record.instance_count))
            except QingyingError:
                continue
            if card.series_panel is not None and card.series_expanded:
                recount.add(uid)
        for uid in recount:
            self.series_loader.recount(uid)

    # -- series of a study -----------------------------------------------------------------
    def _on_series_listed(self, study_uid: str, listing: object) -> None:
        assert isinstance(listing, SeriesListing)
        self.view.show_series(study_uid, listing)
        study = self._studies_to_read.pop(study_uid, None)
        if study is not None:
            first = first_to_read(listing)
            if first is None:
                self.say(
                    QCoreApplication.translate("MainWindow", "This study has no images to read."),
                    8000,
                )
            else:
                self.open_series(study, first)
        download = self.downloads.active(study_uid) if self.downloads is not None else None
        if download is not None and download.started:
            for panel in self.view.expanded_panels(study_uid):
                panel.show_progress(download.progress)

    def _on_series_list_failed(self, study_uid: str, message: str) -> None:
        text = QCoreApplication.translate(
            "MainWindow", "The series could not be listed: %1"
        ).replace("%1", message)
        for panel in self.view.panels(study_uid):
            panel.show_error(text)
        if self._studies_to_read.pop(study_uid, None) is not None:
            self.say(text, 8000)

    def _on_series_counted(self, study_uid: str, counts: object) -> None:
        assert isinstance(counts, dict)
        for panel in self.view.expanded_panels(study_uid):
            panel.apply_counts(counts)

    def _on_thumbnail_ready(
        self, study_uid: str, series_uid: str, image: object, cached_at: int
    ) -> None:
        assert isinstance(image, QImage)
        for panel in self.view.panels(study_uid):
            panel.set_thumbnail(series_uid, image, cached_at)

    def _on_thumbnail_failed(self, study_uid: str, series_uid: str, message: str) -> None:
        for panel in self.view.panels(study_uid):
            panel.set_thumbnail_problem(series_uid, message)

    def shutdown(self, timeout: float) -> None:
        """Stop the downloads and the workers: the cache closes next."""
        if self.downloads is not None:
            self.downloads.shutdown(timeout)
        self.series_loader.shutdown(timeout / 2)
