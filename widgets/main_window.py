"""The main window: sources on the left, search and history in the middle, status below.

It binds the session (:class:`~viewer.session.model.ReadingSession`, which decides) to
the screen. The search runs on a :class:`~widgets.workers.Worker`; Esc cancels it; its
progress comes as the session's events. The study cards' downloads, series and
thumbnails are :mod:`widgets.study_binding`; the sources dock and sign-in
:mod:`widgets.sources_dock`, the cache page and the worklist prefetch
:mod:`widgets.cache_windows`, the menus and the status bar :mod:`widgets.window_menus`.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from viewer.audit.events import AuditEvent, Outcome
from viewer.cache.store import CacheStore
from viewer.config import Config, SourceConfig
from viewer.dicomweb.qido import StudyQuery
from viewer.errors import QingyingError
from viewer.history.result import HistoryResult, SearchProgress
from viewer.records import PatientRef
from viewer.session.model import ReadingSession, SourcesOpener
from viewer.session.unlock import UnlockAttempts, lock_holder, unlock, unlock_by_provider
from viewer.sources.credentials import sign_in_state
from viewer.sources.login import logout_all_but
from widgets import window_menus
from widgets.arriving_series import ArrivalBridge
from widgets.audit_warning import AuditWarning
from widgets.cache_windows import CachePageOpener, PrefetchControl
from widgets.download import DownloadController
from widgets.history_view import HistoryView, problem_reason
from widgets.idle_lock import IdleLock
from widgets.reading_binding import ReadingBinding
from widgets.search_panel import SearchPanel
from widgets.sources_dock import SourcesDock
from widgets.study_binding import StudyBinding
from widgets.workers import Worker

if TYPE_CHECKING:
    from widgets.reading_view import ReadingView


class MainWindow(QMainWindow):
    _search_progress = Signal(object)  # SearchProgress, from the search's threads

    def __init__(self, config: Config, *, open_sources: SourcesOpener | None = None) -> None:
        super().__init__()
        self._config = config
        self.session = ReadingSession.start(config, open_sources=open_sources)
        self.search_worker: Worker | None = None
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("Qingying — imaging history"))
        self.resize(1280, 800)
        self.setCentralWidget(self._build_work_area())
        self.studies = StudyBinding(self.session, self.history_view, self._say, self)
        self.reading = ReadingBinding(
            self.session,
            self.studies,
            self.pages,
            self.history_view,
            self.search_panel,
            self._say,
            self,
        )
        self.studies.read_requested.connect(self.read_series)
        if self.downloads is not None:
            self.downloads.summary_changed.connect(self._show_download_summary)
        # The session's events come on the search's threads: carried to this one.
        self._search_progress.connect(self._show_search_progress)
        self.session.search_progress.connect(self._relay_search_progress)
        # Made after the work area: the search fields come first in the focus chain.
        self.sources_dock = SourcesDock(config, self.session.credentials, self)
        self.sources_dock.signed_in.connect(self._on_signed_in)
        self.sources_dock.sign_in_refused.connect(self._on_sign_in_refused)
        self.history_view.sign_in_requested.connect(self.sources_dock.sign_in)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.sources_dock)
        self.cache_page = CachePageOpener(self.store, self)
        self.cache_page.changed.connect(self.studies.refresh_cache_states)
        self.cache_page.read_requested.connect(self.studies.read_cached_study)
        self.sources_dock.cache_button.clicked.connect(self.cache_page.show)
        self.prefetch = PrefetchControl(config, self.store, self.session.open_sources, self)
        self.prefetch.changed.connect(self.studies.refresh_cache_states)
        self.prefetch.changed.connect(self.cache_page.refresh_if_shown)
        if self.downloads is not None:
            self.downloads.ended.connect(self.cache_page.refresh_if_shown)
        self.cache_action, self.prefetch_action = window_menus.build_menus(
            self,
            find=self.search_panel.focus_search,
            show_cache_page=self.cache_page.show,
            prefetch=self.prefetch.ask_for_worklist,
        )
        window_menus.build_shortcuts(self, self.cancel_search)
        self.download_summary = window_menus.build_status_bar(self, self.prefetch.status_button)
        self.audit_warning = AuditWarning(self, self.session)
        if self.store is None:
            needs_cache = (self.sources_dock.cache_button, self.cache_action, self.prefetch_action)
            window_menus.disable_without_cache(self.session.store_problem, *needs_cache)
        window_menus.show_configuration(self, config)
        if self.store is not None and self.store.emptied_for_lost_key:
            window_menus.say_cache_emptied(self)  # over the configuration's line
        credentials, audit = self.session.credentials, self.session.audit
        attempts = UnlockAttempts()  # wrong passwords in a row slow the next try
        # Who the trail names: the lock's holder (also after another doctor unlocked).
        self._audit_user = lambda: lock_holder(config, credentials).user or None
        audit.set_user(self._audit_user)
        self.idle_lock = IdleLock(
            self,
            config.privacy.idle_lock_minutes,
            holder=lambda: lock_holder(config, credentials),
            unlock=lambda holder, password: unlock(
                holder, password, credentials, attempts=attempts, audit=audit
            ),
            close_session=self.close_session,
            sso_unlock=lambda holder: unlock_by_provider(holder, audit=audit),
        )

    @property
    def store(self) -> CacheStore | None:
        return self.session.store

    @property
    def downloads(self) -> DownloadController | None:
        return self.studies.downloads

    def _say(self, text: str, ms: int) -> None:
        self.statusBar().showMessage(text, ms)

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
        self.pages.addWidget(self.history_view)
        layout.addWidget(self.pages, 1)
        return area

    # -- sources and sign-in --------------------------------------------------------------
    def _on_signed_in(self, name: str) -> None:
        self._say(self.tr("Signed in to %1").replace("%1", name), 5000)
        user = sign_in_state(self._config.source(name), self.session.credentials).user
        self.session.audit.record(AuditEvent("signed_in", source=name, platform_user=user))
        self.session.audit.set_user(lambda: user or None)
        if self.session.query is not None:
            self._run_search(self.session.query)

    def _on_sign_in_refused(self, name: str, user: str) -> None:
        refused = AuditEvent(
            "signed_in", source=name, platform_user=user or None, outcome=Outcome.MINOR_FAILURE
        )
        self.session.audit.record(refused)

    # -- search ---------------------------------------------------------------------------
    def _on_search_requested(self, query: StudyQuery) -> None:
        self._run_search(query)

    def _on_confirm_requested(self, a: PatientRef, b: PatientRef) -> None:
        query = self.session.confirm_same(a, b)
        if query is not None:
            self._run_search(query)

    def _run_search(self, query: StudyQuery) -> None:
        self.cancel_search()
        session = self.session
        worker = Worker(lambda cancelled, _p: session.search(query, cancelled=cancelled), self)
        worker.finished.connect(lambda result: self._on_search_finished(worker, query, result))
        worker.failed.connect(lambda err: self._on_search_failed(worker, err))
        worker.cancelled.connect(lambda: self._on_search_cancelled(worker))
        self.search_worker = worker
        self.search_panel.set_busy(True)
        worker.start()

    def _relay_search_progress(self, progress: SearchProgress) -> None:
        with contextlib.suppress(RuntimeError):  # the window closed meanwhile
            self._search_progress.emit(progress)

    def _show_search_progress(self, progress: SearchProgress) -> None:
        if self.search_worker is not None and self.search_worker.running:
            source = self.tr("offline cache") if progress.local_cache else progress.source
            self.search_panel.show_progress(
                self.tr("%1: %2 studies").replace("%1", source).replace("%2", str(progress.studies))
            )

    def cancel_search(self) -> None:
        if self.search_worker is not None and self.search_worker.running:
            self.search_worker.cancel()
            self.search_panel.show_status(self.tr("Cancelling…"))

    def _on_search_finished(self, worker: Worker, query: StudyQuery, result: object) -> None:
        if worker is not self.search_worker:
            return  # a search replaced by a newer one
        assert isinstance(result, HistoryResult)
        self.search_panel.set_busy(False)
        order = [s.issuer for s in self._config.sources if s.issuer]
        self.history_view.show_result(result, query, order)
        self.studies.show_running_downloads()
        self.pages.setCurrentWidget(self.history_view)
        studies = sum(len(h.studies) for h in result.histories)
        summary = (
            self.tr("%1 patient(s), %2 studies · %3 of %4 sources answered")
            .replace("%1", str(len(result.histories)))
            .replace("%2", str(studies))
            .replace("%3", str(len(result.answered_live)))
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

    # -- reading (widgets.reading_binding) ----------------------------------------------------
    @property
    def reading_view(self) -> ReadingView | None:
        return self.reading.view

    @property
    def open_worker(self) -> Worker | None:
        return self.reading.open_worker

    @property
    def arrivals(self) -> dict[str, ArrivalBridge]:
        return self.reading.arrivals

    def read_series(self, uid: str, series_uid: str) -> None:
        self.reading.read_series(uid, series_uid)

    def back_to_history(self) -> None:
        self.reading.back_to_history()

    def _show_download_summary(self) -> None:
        text = self.studies.download_summary()
        self.download_summary.setText(text)
        self.download_summary.setVisible(bool(text))

    def close_session(self, signed_in_again: SourceConfig | None = None) -> None:
        """The idle lock lifted for another user: nothing of the last one stays (what
        was open, the search and its answer, the passwords kept for this run). The
        provider's sign-in at ``signed_in_again`` is the next doctor's own: it stays."""
        self.cancel_search()
        self.search_worker = None
        self.reading.close_all()
        self.session.forget_user(logout_all_but(signed_in_again))
        if signed_in_again is not None:
            self.session.audit.set_user(self._audit_user)
        self.history_view.clear()
        self.history_view.expanded.clear()
        self.search_panel.clear()
        self.search_panel.set_busy(False)
        self.statusBar().clearMessage()
        self.sources_dock.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.idle_lock.stop()
        if self.search_worker is not None and self.search_worker.running:
            self.search_worker.cancel()
            self.search_worker.wait(5.0)
        self.studies.shutdown(10.0)
        self.prefetch.shutdown(10.0)
        self.cache_page.shutdown(10.0)
        self.session.close()
        super().closeEvent(event)
