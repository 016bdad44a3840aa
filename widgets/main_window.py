"""The main window: sources on the left, search and history in the middle, status below.

The search runs in a :class:`~widgets.workers.Worker`; Esc cancels it. The offline cache
is opened once for the window's life: it is searched like a source (the window still
answers with no network), each study card shows its cache state, and downloads into it
run on their own workers (:mod:`widgets.download`); a card's series are listed and drawn
on workers too (:mod:`widgets.series_view`). The sources dock and sign-in are
:mod:`widgets.sources_dock`, the cache page and the worklist prefetch
:mod:`widgets.cache_windows`, the menus and the status bar :mod:`widgets.window_menus`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QImage
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from viewer.cache.store import CacheStore
from viewer.config import Config
from viewer.dicomweb.qido import StudyQuery
from viewer.display import MB
from viewer.errors import QingyingError
from viewer.history.result import SearchProgress
from viewer.history.series import SeriesListing
from viewer.history.service import HistoryResult, HistorySearch, HistoryStudy
from viewer.records import PatientRef
from viewer.sources.cache import CACHE_SOURCE_NAME, CacheSource
from viewer.sources.opening import open_configured_sources
from viewer.sources.protocol import ImagingSource
from viewer.workspace import open_store
from widgets import window_menus
from widgets.cache_windows import CachePageOpener, PrefetchControl
from widgets.download import DownloadController, DownloadOutcome
from widgets.history_view import HistoryView, problem_reason
from widgets.prefetch_dialog import SourcesOpener
from widgets.search_panel import SearchPanel
from widgets.series_view import SeriesLoader
from widgets.sources_dock import SourcesDock
from widgets.workers import Worker


class MainWindow(QMainWindow):
    def __init__(self, config: Config, *, open_sources: SourcesOpener | None = None) -> None:
        super().__init__()
        self._config = config
        self._open_sources = open_sources or self._open_configured_sources
        self.search_worker: Worker | None = None
        self._last_query: StudyQuery | None = None
        self._confirmed: list[tuple[PatientRef, PatientRef]] = []
        # The sources the last search opened, by name: downloads reuse their clients.
        self._live_sources: dict[str, ImagingSource] = {}
        self.store_problem = ""
        self.store = self._open_store()
        self.downloads: DownloadController | None = None
        if self.store is not None:
            self.downloads = DownloadController(self.store, self)
            self.downloads.changed.connect(self._on_download_changed)
            self.downloads.ended.connect(self._on_download_ended)
            self.downloads.summary_changed.connect(self._show_download_summary)
        self.series_loader = SeriesLoader(self.store, self)
        self.series_loader.listed.connect(self._on_series_listed)
        self.series_loader.list_failed.connect(self._on_series_list_failed)
        self.series_loader.counted.connect(self._on_series_counted)
        self.series_loader.thumbnail_ready.connect(self._on_thumbnail_ready)
        self.series_loader.thumbnail_failed.connect(self._on_thumbnail_failed)
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("Qingying — imaging history"))
        self.resize(1280, 800)
        self.setCentralWidget(self._build_work_area())
        # Made after the work area: the search fields come first in the focus chain.
        self.sources_dock = SourcesDock(config, self)
        self.sources_dock.signed_in.connect(self._on_signed_in)
        self.history_view.sign_in_requested.connect(self.sources_dock.sign_in)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.sources_dock)
        self.cache_page = CachePageOpener(self.store, self)
        self.cache_page.changed.connect(self._refresh_cache_states)
        self.sources_dock.cache_button.clicked.connect(self.cache_page.show)
        self.prefetch = PrefetchControl(config, self.store, self._open_sources, self)
        self.prefetch.changed.connect(self._refresh_cache_states)
        self.prefetch.changed.connect(self.cache_page.refresh_if_shown)
        self.cache_action, self.prefetch_action = window_menus.build_menus(
            self,
            find=self.search_panel.focus_search,
            show_cache_page=self.cache_page.show,
            prefetch=self.prefetch.ask_for_worklist,
        )
        window_menus.build_shortcuts(self, self.cancel_search)
        self.download_summary = window_menus.build_status_bar(self, self.prefetch.status_button)
        if self.store is None:
            needs_cache = (self.sources_dock.cache_button, self.cache_action, self.prefetch_action)
            window_menus.disable_without_cache(self.store_problem, *needs_cache)
        window_menus.show_configuration(self, config)

    def _open_store(self) -> CacheStore | None:
        """The offline cache for this window's life; without it the window still searches."""
        try:
            return open_store(self._config)
        except (QingyingError, OSError) as err:
            self.store_problem = str(err)
            return None

    # -- layout ---------------------------------------------------------------------------
    def _build_work_area(self) -> QWidget:
        area = QWidget(self)
        area.setObjectName("WorkArea")
        layout = QVBoxLayout(area)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        issuers = [s.issuer for s in self._config.sources if s.issuer]
        self.search_panel = SearchPanel(issuers, area)
        self.search_panel.search_requested.connect(self._on_search_requested)
        self.search_panel.cancel_requested.connect(self.cancel_search)
        layout.addWidget(self.search_panel)
        self.pages = QStackedWidget(area)
        self.pages.addWidget(window_menus.build_empty_state(self))
        self.history_view = HistoryView(self.pages)
        self.history_view.confirm_requested.connect(self._on_confirm_requested)
        self.history_view.download_requested.connect(self.download_study)
        self.history_view.cancel_download_requested.connect(self.cancel_download)
        self.history_view.series_open_requested.connect(self.open_series)
        self.history_view.series_requested.connect(self.load_series)
        self.history_view.series_recount_requested.connect(self.series_loader.recount)
        self.history_view.thumbnail_requested.connect(self._on_thumbnail_requested)
        self.pages.addWidget(self.history_view)
        layout.addWidget(self.pages, 1)
        return area

    # -- sources and sign-in --------------------------------------------------------------
    def _on_signed_in(self, name: str) -> None:
        self.statusBar().showMessage(self.tr("Signed in to %1").replace("%1", name), 5000)
        if self._last_query is not None:
            self._run_search(self._last_query)

    def _open_configured_sources(self) -> list[ImagingSource]:
        """Every configured source with this session's or the keyring's password.

        Runs on the search worker: the keyring may be slow to answer.
        """

        sources = open_configured_sources(self._config.sources, self.sources_dock.credentials)
        if self.store is not None:
            sources.append(CacheSource(self.store))
        return sources

    # -- search ---------------------------------------------------------------------------
    def _on_search_requested(self, query: StudyQuery) -> None:
        if query != self._last_query:
            self._confirmed = []  # a confirmation answers one search's question
        self._run_search(query)

    def _on_confirm_requested(self, a: PatientRef, b: PatientRef) -> None:
        if self._last_query is None:
            return
        self._confirmed.append((a, b))
        self._run_search(self._last_query)

    def _run_search(self, query: StudyQuery) -> None:
        self.cancel_search()
        self._last_query = query
        confirmed = list(self._confirmed)
        opener = self._open_sources
        store = self.store
        opened: list[ImagingSource] = []  # read on the UI thread once the job has returned

        def job(cancelled: Callable[[], bool], progress: Callable[[str], None]) -> HistoryResult:
            opened.extend(opener())
            search = HistorySearch(
                opened,
                cache_state=store.study_state if store is not None else lambda _uid, _count: "none",
                cancelled=cancelled,
                progress=lambda p: progress(self._search_progress_text(p)),
            )
            return search.run(query, confirmed=confirmed)

        worker = Worker(job, self)
        worker.progress.connect(self.search_panel.show_progress)
        worker.finished.connect(
            lambda result: self._on_search_finished(worker, query, result, opened)
        )
        worker.failed.connect(lambda err: self._on_search_failed(worker, err))
        worker.cancelled.connect(lambda: self._on_search_cancelled(worker))
        self.search_worker = worker
        self.search_panel.set_busy(True)
        worker.start()

    def _search_progress_text(self, progress: SearchProgress) -> str:
        return (
            self.tr("%1: %2 studies")
            .replace("%1", progress.source)
            .replace("%2", str(progress.studies))
        )

    def cancel_search(self) -> None:
        if self.search_worker is not None and self.search_worker.running:
            self.search_worker.cancel()
            self.search_panel.show_status(self.tr("Cancelling…"))

    def _on_search_finished(
        self,
        worker: Worker,
        query: StudyQuery,
        result: object,
        opened: Sequence[ImagingSource] = (),
    ) -> None:
        if worker is not self.search_worker:
            return  # a search replaced by a newer one
        assert isinstance(result, HistoryResult)
        self._live_sources = {s.name: s for s in opened if s.capabilities.remote}
        self.search_panel.set_busy(False)
        order = [s.issuer for s in self._config.sources if s.issuer]
        self.history_view.show_result(result, query, order)
        self._show_running_downloads()
        self.pages.setCurrentWidget(self.history_view)
        studies = sum(len(h.studies) for h in result.histories)
        live = [name for name in result.answered if name != CACHE_SOURCE_NAME]
        summary = (
            self.tr("%1 patient(s), %2 studies · %3 of %4 sources answered")
            .replace("%1", str(len(result.histories)))
            .replace("%2", str(studies))
            .replace("%3", str(len(live)))
            .replace("%4", str(len(self._config.sources)))
        )
        if result.offline:
            summary += " · " + self.tr("offline: from the cache")
        self.search_panel.show_status(summary)
        self.sources_dock.refresh()
        for problem in result.problems:
            self.sources_dock.mark_problem(problem.source, problem_reason(problem))

    def _on_search_failed(self, worker: Worker, err: QingyingError) -> None:
        if worker is not self.search_worker:
            return
        self.search_panel.set_busy(False)
        self.search_panel.show_status("")
        self.search_panel.show_error(str(err))

    def _on_search_cancelled(self, worker: Worker) -> None:
        if worker is not self.search_worker:
            return
        self.search_panel.set_busy(False)
        self.search_panel.show_status(self.tr("Search cancelled"))

    # -- downloads into the offline cache --------------------------------------------------
    def open_series(self, study: HistoryStudy, series_uid: str) -> None:
        """The doctor opened a series (double-click on its tile): not yet cached, it is
        fetched before the study's other series, its first image before the rest."""
        cached = any(
            card.series_panel is not None
            and series_uid in card.series_panel.tiles
            and card.series_panel.badge(series_uid).kind == "cached"
            for card in self.history_view.cards(study.study_uid)
        )
        if cached:
            self.statusBar().showMessage(self.tr("This series is in the offline cache."), 5000)
            return
        self.download_study(study, first_series=series_uid)
        if self.downloads is not None and self.downloads.active(study.study_uid) is not None:
            self.statusBar().showMessage(self.tr("Fetching this series first."), 5000)

    def download_study(self, study: HistoryStudy, first_series: str | None = None) -> None:
        """Fetch a study into the cache from the first live source (configuration order)
        that holds it; ``first_series`` before its other series."""
        if self.downloads is None:
            self.statusBar().showMessage(
                self.tr("The offline cache cannot be used: %1").replace("%1", self.store_problem)
            )
            return
        source = next(
            (self._live_sources[n] for n in study.sources if n in self._live_sources), None
        )
        if source is None:
            self.statusBar().showMessage(
                self.tr("No source that holds this study can be asked now: search again."), 8000
            )
            return
        self.downloads.start(study.study_uid, source, first_series=first_series)
        for card in self.history_view.cards(study.study_uid):
            card.set_series_expanded(True)  # the doctor sees each series arrive

    def cancel_download(self, study_uid: str) -> None:
        if self.downloads is not None:
            self.downloads.cancel(study_uid)

    def _on_download_changed(self, study_uid: str) -> None:
        assert self.downloads is not None
        download = self.downloads.active(study_uid)
        if download is None:
            return
        for card in self.history_view.cards(study_uid):
            card.show_download(download.progress if download.started else None)

    def _show_running_downloads(self) -> None:
        """A new search shows studies still downloading: their cards say so."""
        if self.downloads is None:
            return
        for download in self.downloads.running():
            self._on_download_changed(download.study_uid)

    def _on_download_ended(self, outcome: DownloadOutcome) -> None:
        for card in self.history_view.cards(outcome.study_uid):
            card.show_outcome(outcome)
        if self.history_view.expanded_panels(outcome.study_uid):
            self.series_loader.recount(outcome.study_uid)
        self._refresh_cache_states(except_uid=outcome.study_uid)
        if outcome.state == "complete" and outcome.error is None:
            self.statusBar().showMessage(self.tr("Study downloaded to the offline cache"), 5000)
        self.cache_page.refresh_if_shown()

    def _refresh_cache_states(self, except_uid: str = "") -> None:
        """Eviction or the cache page may have changed other studies: read them again."""
        if self.store is None:
            return
        downloading = {d.study_uid for d in self.downloads.running()} if self.downloads else set()
        recount: set[str] = set()  # a study may have several cards: its series counted once
        for card in self.history_view.cards():
            uid = card.study.study_uid
            if uid == except_uid or uid in downloading:
                continue
            try:
                card.set_cache_state(self.store.study_state(uid, card.study.record.instance_count))
            except QingyingError:
                continue
            if card.series_panel is not None and card.series_expanded:
                recount.add(uid)
        for uid in recount:
            self.series_loader.recount(uid)

    def _show_download_summary(self) -> None:
        assert self.downloads is not None
        summary = self.downloads.summary()
        if not summary.count:
            self.download_summary.hide()
            return
        self.download_summary.setText(
            self.tr("%1 download(s): %2/%3 images, %4 MB")
            .replace("%1", str(summary.count))
            .replace("%2", str(summary.instances_done))
            .replace("%3", str(summary.instances_total))
            .replace("%4", str(round(summary.bytes_done / MB)))
        )
        self.download_summary.show()

    # -- series of a study -----------------------------------------------------------------
    def load_series(self, study: HistoryStudy) -> None:
        """List a study's series: from the live sources that hold it, else the cache."""
        holders = [self._live_sources[n] for n in study.sources if n in self._live_sources]
        self.series_loader.list_series(study.study_uid, holders)

    def _on_series_listed(self, study_uid: str, listing: object) -> None:
        assert isinstance(listing, SeriesListing)
        self.history_view.show_series(study_uid, listing)
        download = self.downloads.active(study_uid) if self.downloads is not None else None
        if download is not None and download.started:
            for panel in self.history_view.expanded_panels(study_uid):
                panel.show_progress(download.progress)

    def _on_series_list_failed(self, study_uid: str, message: str) -> None:
        for card in self.history_view.cards(study_uid):
            if card.series_panel is not None:
                card.series_panel.show_error(
                    self.tr("The series could not be listed: %1").replace("%1", message)
                )

    def _on_series_counted(self, study_uid: str, counts: object) -> None:
        assert isinstance(counts, dict)
        for panel in self.history_view.expanded_panels(study_uid):
            panel.apply_counts(counts)

    def _on_thumbnail_requested(self, study_uid: str, series_uid: str, cached_at: int) -> None:
        self.series_loader.thumbnail(study_uid, series_uid, cached_at)

    def _on_thumbnail_ready(
        self, study_uid: str, series_uid: str, image: object, cached_at: int
    ) -> None:
        assert isinstance(image, QImage)
        for card in self.history_view.cards(study_uid):
            if card.series_panel is not None:
                card.series_panel.set_thumbnail(series_uid, image, cached_at)

    def _on_thumbnail_failed(self, study_uid: str, series_uid: str, message: str) -> None:
        for card in self.history_view.cards(study_uid):
            if card.series_panel is not None:
                card.series_panel.set_thumbnail_problem(series_uid, message)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.search_worker is not None and self.search_worker.running:
            self.search_worker.cancel()
            self.search_worker.wait(5.0)
        if self.downloads is not None:
            self.downloads.shutdown(10.0)
        self.prefetch.shutdown(10.0)
        self.series_loader.shutdown(5.0)
        self.cache_page.shutdown(10.0)
        if self.store is not None:
            self.store.close()
            self.store = None
        super().closeEvent(event)
