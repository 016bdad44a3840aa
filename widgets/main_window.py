"""The main window: sources on the left, search and history in the middle, status below.

The search runs in a :class:`~widgets.workers.Worker`; Esc cancels it. Passwords come
from the keyring (remembered) or from this window (signed in for this session only) and
never leave memory otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from viewer import __version__, secrets
from viewer.config import Config, SourceConfig
from viewer.dicomweb.qido import StudyQuery
from viewer.errors import QingyingError
from viewer.history.login import stored_username
from viewer.history.records import PatientRef
from viewer.history.service import HistoryResult, HistorySearch
from viewer.history.sources import ImagingSource, open_configured_sources
from widgets.history_view import HistoryView, problem_reason
from widgets.login_dialog import LoginDialog
from widgets.search_panel import SearchPanel
from widgets.workers import Worker

SourcesOpener = Callable[[], Sequence[ImagingSource]]


class SessionCredentials:
    """Passwords of sources signed in without "Remember": memory only, this run only."""

    def __init__(self) -> None:
        self._passwords: dict[tuple[str, str], str] = {}

    def put(self, url: str, username: str, password: str) -> None:
        self._passwords[(url, username)] = password

    def password(self, url: str, username: str) -> str | None:
        return self._passwords.get((url, username))

    def username(self, url: str) -> str | None:
        return next((user for u, user in self._passwords if u == url), None)


class SourceRow(QFrame):
    """One source in the dock: its name, whether it is signed in, and "Sign in…"."""

    def __init__(self, source: SourceConfig, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("SourceRow")
        self.source = source
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(3)
        self.name_label = QLabel(source.name, self)
        self.name_label.setObjectName("SourceName")
        self.state_label = QLabel(self)
        self.state_label.setObjectName("SourceState")
        self.state_label.setWordWrap(True)
        self.sign_in_button = QPushButton(self.tr("Sign in…"), self)
        self.sign_in_button.setObjectName("SignInButton")
        self.sign_in_button.setEnabled(source.auth == "basic")
        layout.addWidget(self.name_label)
        layout.addWidget(self.state_label)
        row = QHBoxLayout()
        row.addWidget(self.sign_in_button)
        row.addStretch(1)
        layout.addLayout(row)

    def set_state(self, state: str, text: str) -> None:
        self.state = state
        self.state_label.setText(text)
        self.state_label.setProperty("state", state)
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)


class MainWindow(QMainWindow):
    def __init__(self, config: Config, *, open_sources: SourcesOpener | None = None) -> None:
        super().__init__()
        self._config = config
        self._open_sources = open_sources or self._open_configured_sources
        self.credentials = SessionCredentials()
        self.login_dialog: LoginDialog | None = None
        self.search_worker: Worker | None = None
        self._last_query: StudyQuery | None = None
        self._confirmed: list[tuple[PatientRef, PatientRef]] = []
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("Qingying — imaging history"))
        self.resize(1280, 800)
        self.setCentralWidget(self._build_work_area())
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self._build_sources_dock())
        self._build_menus()
        self._build_shortcuts()
        self.refresh_sources()
        self._show_status()

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
        self.pages.addWidget(self._build_empty_state())
        self.history_view = HistoryView(self.pages)
        self.history_view.confirm_requested.connect(self._on_confirm_requested)
        self.history_view.sign_in_requested.connect(self.sign_in)
        self.pages.addWidget(self.history_view)
        layout.addWidget(self.pages, 1)
        return area

    def _build_empty_state(self) -> QWidget:
        empty = QWidget(self)
        layout = QVBoxLayout(empty)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("轻影 Qingying", empty)
        title.setObjectName("EmptyStateTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel(
            self.tr("Search for a patient to see their imaging history from every hospital."),
            empty,
        )
        hint.setObjectName("EmptyStateHint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        keys = QLabel(self.tr("Ctrl+F search · Enter run · Esc cancel"), empty)
        keys.setObjectName("EmptyStateKeys")
        keys.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addWidget(keys)
        return empty

    def _build_sources_dock(self) -> QDockWidget:
        dock = QDockWidget(self.tr("Sources"), self)
        dock.setObjectName("SourcesDock")
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        panel = QWidget(dock)
        panel.setObjectName("SourcesPanel")
        panel.setMinimumWidth(220)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        self.source_rows: list[SourceRow] = []
        for source in self._config.sources:
            row = SourceRow(source, panel)
            row.setToolTip(self._describe_source(source))
            row.sign_in_button.clicked.connect(lambda _=False, n=source.name: self.sign_in(n))
            self.source_rows.append(row)
            layout.addWidget(row)
        if not self._config.sources:
            empty = QLabel(self.tr("No source configured"), panel)
            empty.setObjectName("EmptyStateHint")
            layout.addWidget(empty)
        layout.addStretch(1)
        dock.setWidget(panel)
        return dock

    def _describe_source(self, source: SourceConfig) -> str:
        lines = [source.url, self.tr("Authentication: %1").replace("%1", source.auth)]
        if source.username:
            lines.append(self.tr("User: %1").replace("%1", source.username))
        if source.issuer:
            lines.append(self.tr("Patient ID issuer: %1").replace("%1", source.issuer))
        return "\n".join(lines)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        find_action = QAction(self.tr("&Find patient"), self)
        find_action.setShortcut(QKeySequence.StandardKey.Find)
        find_action.triggered.connect(self.search_panel.focus_search)
        file_menu.addAction(find_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about_action = QAction(self.tr("&About Qingying"), self)
        about_action.triggered.connect(self._show_about)
        help_menu.addAction(about_action)

    def _build_shortcuts(self) -> None:
        cancel = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        cancel.setContext(Qt.ShortcutContext.WindowShortcut)
        cancel.activated.connect(self.cancel_search)

    def _show_status(self) -> None:
        count = len(self._config.sources)
        files = ", ".join(str(p) for p in self._config.files) or self.tr("built-in defaults")
        self.statusBar().showMessage(
            self.tr("%1 source(s) configured · configuration: %2")
            .replace("%1", str(count))
            .replace("%2", files)
        )

    # -- sources and sign-in --------------------------------------------------------------
    def source_names(self) -> list[str]:
        return [row.source.name for row in self.source_rows]

    def refresh_sources(self) -> None:
        for row in self.source_rows:
            row.set_state(*self._sign_in_state(row.source))

    def _sign_in_state(self, source: SourceConfig) -> tuple[str, str]:
        if source.auth == "none":
            return "ok", self.tr("no sign-in needed")
        if source.auth == "oidc":
            return "problem", self.tr("OIDC sign-in is not supported yet")
        user = self.credentials.username(source.url)
        if user and self.credentials.password(source.url, user) is not None:
            return "ok", self.tr("signed in as %1 (this session)").replace("%1", user)
        try:
            user = stored_username(source)
            if user and secrets.get_password(source.url, user) is not None:
                return "ok", self.tr("signed in as %1 (remembered)").replace("%1", user)
        except QingyingError:
            return "problem", self.tr("not signed in (no system keyring)")
        return "signed-out", self.tr("not signed in")

    def sign_in(self, source_name: str) -> None:
        source = self._config.source(source_name)
        if self.login_dialog is not None:
            self.login_dialog.reject()
        session_user = self.credentials.username(source.url)
        dialog = LoginDialog(
            source,
            username=session_user or stored_username(source),
            # Kept for this session last time: the doctor chose not to remember it.
            remember=session_user is None,
            parent=self,
        )
        dialog.signed_in.connect(self._on_signed_in)
        dialog.finished.connect(lambda _code: self._forget_dialog(dialog))
        self.login_dialog = dialog
        dialog.open()

    def _forget_dialog(self, dialog: LoginDialog) -> None:
        if self.login_dialog is dialog:
            self.login_dialog = None
        dialog.deleteLater()

    def _on_signed_in(self, name: str, username: str, password: str, remembered: bool) -> None:
        source = self._config.source(name)
        if not remembered:
            self.credentials.put(source.url, username, password)
        self.refresh_sources()
        self.statusBar().showMessage(self.tr("Signed in to %1").replace("%1", name), 5000)
        if self._last_query is not None:
            self._run_search(self._last_query)

    def _open_configured_sources(self) -> list[ImagingSource]:
        """Every configured source with this session's or the keyring's password.

        Runs on the search worker: the keyring may be slow to answer.
        """

        def password_for(url: str, user: str) -> str | None:
            return self.credentials.password(url, user) or secrets.get_password(url, user)

        def username_for(url: str) -> str | None:
            return self.credentials.username(url) or secrets.find_username(url)

        return open_configured_sources(self._config.sources, password_for, username_for)

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

        def job(cancelled: Callable[[], bool], progress: Callable[[str], None]) -> HistoryResult:
            search = HistorySearch(opener(), cancelled=cancelled, progress=progress)
            return search.run(query, confirmed=confirmed)

        worker = Worker(job, self)
        worker.progress.connect(self.search_panel.show_progress)
        worker.finished.connect(lambda result: self._on_search_finished(worker, query, result))
        worker.failed.connect(lambda err: self._on_search_failed(worker, err))
        worker.cancelled.connect(lambda: self._on_search_cancelled(worker))
        self.search_worker = worker
        self.search_panel.set_busy(True)
        worker.start()

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
        self.pages.setCurrentWidget(self.history_view)
        studies = sum(len(h.studies) for h in result.histories)
        summary = (
            self.tr("%1 patient(s), %2 studies · %3 of %4 sources answered")
            .replace("%1", str(len(result.histories)))
            .replace("%2", str(studies))
            .replace("%3", str(len(result.answered)))
            .replace("%4", str(len(self._config.sources)))
        )
        self.search_panel.show_status(summary)
        self.refresh_sources()
        for problem in result.problems:
            self._mark_problem(problem.source, problem_reason(problem))

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

    def _mark_problem(self, source_name: str, message: str) -> None:
        for row in self.source_rows:
            if row.source.name == source_name:
                row.set_state("problem", "⚠ " + message)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.search_worker is not None and self.search_worker.running:
            self.search_worker.cancel()
            self.search_worker.wait(5.0)
        super().closeEvent(event)

    def _show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Qingying"),
            self.tr(
                "<b>轻影 Qingying</b> %1<br>"
                "A viewer for a regional imaging platform: one patient's studies from every "
                "hospital, so that films are no longer carried and exams not repeated."
            ).replace("%1", __version__),
        )
