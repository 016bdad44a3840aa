"""The sources dock: each configured source, whether it is signed in, and "Sign in…".

The dock holds this session's passwords (:class:`SessionCredentials`): a doctor who
signs in without "Remember" has them kept here, in memory, for this run only; the window
opens its sources with them. After a sign-in the dock emits :attr:`SourcesDock.signed_in`
and the window searches again. The "Offline cache…" button at the foot of the dock is the
window's to connect: the cache page is not the dock's.

The texts were the main window's before the dock had a class of its own; they keep the
translation context ``MainWindow`` (``QCoreApplication.translate``) so that no
translation is lost.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.config import Config, SourceConfig
from viewer.sources.credentials import (
    SessionCredentials,
    SignInState,
    sign_in_state,
    stored_username,
)
from widgets.labels import restyle
from widgets.login_dialog import LoginDialog
from widgets.workers import Worker

if TYPE_CHECKING:
    from viewer.sources.oidc.signins import SignedOut


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
        self.sign_in_button.setEnabled(source.auth != "none")
        # A single sign-on is revoked at the provider: the doctor signs out on purpose.
        self.sign_out_button = QPushButton(self.tr("Sign out"), self)
        self.sign_out_button.setObjectName("SignOutButton")
        self.sign_out_button.hide()
        layout.addWidget(self.name_label)
        layout.addWidget(self.state_label)
        row = QHBoxLayout()
        row.addWidget(self.sign_in_button)
        row.addWidget(self.sign_out_button)
        row.addStretch(1)
        layout.addLayout(row)

    def set_state(self, state: str, text: str) -> None:
        self.state = state
        self.sign_out_button.setVisible(self.source.auth == "oidc" and state == "ok")
        self.state_label.setText(text)
        self.state_label.setProperty("state", state)
        restyle(self.state_label)


class SourcesDock(QDockWidget):
    signed_in = Signal(str)  # source name: its server accepted a password just now
    sign_in_refused = Signal(str, str)  # source name, username: a wrong password

    def __init__(self, config: Config, credentials: SessionCredentials, parent: QWidget) -> None:
        super().__init__(QCoreApplication.translate("MainWindow", "Sources"), parent)
        self._config = config
        self.credentials = credentials  # the session's: a search reads what is typed here
        self.login_dialog: QDialog | None = None
        self.open_url: Callable[[str], object] = webbrowser.open  # the system browser
        self._sign_out_worker: Worker | None = None
        self.setObjectName("SourcesDock")
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        panel = QWidget(self)
        panel.setObjectName("SourcesPanel")
        panel.setMinimumWidth(220)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        self.source_rows: list[SourceRow] = []
        for source in config.sources:
            row = SourceRow(source, panel)
            row.setToolTip(self._describe_source(source))
            row.sign_in_button.clicked.connect(lambda _=False, n=source.name: self.sign_in(n))
            row.sign_out_button.clicked.connect(lambda _=False, n=source.name: self.sign_out(n))
            self.source_rows.append(row)
            layout.addWidget(row)
        if not config.sources:
            empty = QLabel(QCoreApplication.translate("MainWindow", "No source configured"), panel)
            empty.setObjectName("EmptyStateHint")
            layout.addWidget(empty)
        layout.addStretch(1)
        self.cache_button = QPushButton(
            QCoreApplication.translate("MainWindow", "Offline cache…"), panel
        )
        self.cache_button.setObjectName("CacheButton")
        layout.addWidget(self.cache_button)
        self.setWidget(panel)
        self.refresh()

    def _describe_source(self, source: SourceConfig) -> str:
        lines = [
            source.url,
            QCoreApplication.translate("MainWindow", "Authentication: %1").replace(
                "%1", source.auth
            ),
        ]
        if source.username:
            lines.append(
                QCoreApplication.translate("MainWindow", "User: %1").replace("%1", source.username)
            )
        if source.issuer:
            lines.append(
                QCoreApplication.translate("MainWindow", "Patient ID issuer: %1").replace(
                    "%1", source.issuer
                )
            )
        return "\n".join(lines)

    def source_names(self) -> list[str]:
        return [row.source.name for row in self.source_rows]

    def refresh(self) -> None:
        """Each row's sign-in state read again (a search or a sign-in may change it)."""
        for row in self.source_rows:
            row.set_state(*self._sign_in_state(row.source))

    def _sign_in_state(self, source: SourceConfig) -> tuple[str, str]:
        state = sign_in_state(source, self.credentials)
        if state.kind == "provider":
            return "ok", provider_text(state)
        texts = {
            "no-sign-in": ("ok", QCoreApplication.translate("MainWindow", "no sign-in needed")),
            "session": (
                "ok",
                QCoreApplication.translate("MainWindow", "signed in as %1 (this session)"),
            ),
            "remembered": (
                "ok",
                QCoreApplication.translate("MainWindow", "signed in as %1 (remembered)"),
            ),
            "no-keyring": (
                "problem",
                QCoreApplication.translate("MainWindow", "not signed in (no system keyring)"),
            ),
            "signed-out": ("signed-out", QCoreApplication.translate("MainWindow", "not signed in")),
        }
        kind, text = texts[state.kind]
        return kind, text.replace("%1", state.user)

    def mark_problem(self, source_name: str, message: str) -> None:
        """The last search could not ask this source: its row says why."""
        for row in self.source_rows:
            if row.source.name == source_name:
                row.set_state("problem", "⚠ " + message)

    def sign_in(self, source_name: str) -> None:
        source = self._config.source(source_name)
        if self.login_dialog is not None:
            self.login_dialog.reject()
        if source.auth == "oidc":
            self._sso_sign_in(source)
            return
        session_user = self.credentials.username(source.url)
        dialog = LoginDialog(
            source,
            username=session_user or stored_username(source),
            # Kept for this session last time: the doctor chose not to remember it.
            remember=session_user is None,
            parent=self.parentWidget(),
        )
        dialog.signed_in.connect(self._on_signed_in)
        dialog.refused.connect(self.sign_in_refused)
        dialog.finished.connect(lambda _code: self._forget_dialog(dialog))
        self.login_dialog = dialog
        dialog.open()

    def _sso_sign_in(self, source: SourceConfig) -> None:
        from widgets.sso_dialog import SsoDialog

        dialog = SsoDialog(source, open_url=self.open_url, parent=self.parentWidget())
        dialog.signed_in.connect(self._on_sso_signed_in)
        dialog.finished.connect(lambda _code: self._forget_dialog(dialog))
        self.login_dialog = dialog
        dialog.open()

    def _on_sso_signed_in(self, name: str) -> None:
        self.refresh()
        self.signed_in.emit(name)

    def sign_out(self, source_name: str) -> None:
        """Revoke the single sign-on at its provider (off the UI thread), then end the
        provider's own session in the browser where it offers that."""
        from viewer.sources.oidc.signins import SIGN_INS

        source = self._config.source(source_name)  # revoked off the UI thread
        worker = Worker(lambda _c, _p: SIGN_INS.sign_out(source), self)
        worker.finished.connect(self._on_signed_out)
        worker.failed.connect(lambda err: self.mark_problem(source_name, str(err)))
        self._sign_out_worker = worker
        worker.start()

    def _on_signed_out(self, out: SignedOut) -> None:
        self.refresh()
        if out.end_session:
            self.open_url(out.end_session)

    def _forget_dialog(self, dialog: QDialog) -> None:
        if self.login_dialog is dialog:
            self.login_dialog = None
        dialog.deleteLater()

    def _on_signed_in(self, name: str, username: str, password: str, remembered: bool) -> None:
        if not remembered:
            # Remembered passwords are in the keyring already (the dialog put them there).
            self.credentials.put(self._config.source(name).url, username, password)
        self.refresh()
        self.signed_in.emit(name)


def provider_text(state: SignInState) -> str:
    """Who is signed in through which provider, and until when the token holds."""
    who = f"{state.name} ({state.user})" if state.name and state.name != state.user else state.user
    host = urlsplit(state.provider).netloc or state.provider
    if not state.until:
        text = QCoreApplication.translate("MainWindow", "signed in as %1 through %2")
    else:
        text = QCoreApplication.translate(
            "MainWindow", "signed in as %1 through %2; the token renews itself (now until %3)"
        )
        until = datetime.fromtimestamp(state.until).strftime("%H:%M")
        text = text.replace("%3", until)
    # %1 last: a name could hold "%2".
    return text.replace("%2", host).replace("%1", who)
