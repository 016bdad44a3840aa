"""Sign in to one source: the password is checked with the server off the UI thread.

A wrong password, an unreachable server and an untrusted certificate each get their own
message, since each asks the doctor for a different action (retype, call IT about the
network, call IT about the certificate). With "Remember" the core keeps the password in
the system keyring; without it the main window keeps it for this session only.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from viewer import secrets
from viewer.config import SourceConfig
from viewer.errors import (
    AuthError,
    CancelledError,
    CertificateError,
    NetworkError,
    QingyingError,
    ServerError,
)
from viewer.sources import login as core_login
from widgets.workers import Worker

LoginFn = Callable[..., None]
ForgetFn = Callable[[SourceConfig, str | None], bool]


class LoginDialog(QDialog):
    """``signed_in(source name, username, password, remembered)`` after the server agreed."""

    signed_in = Signal(str, str, str, bool)
    refused = Signal(str, str)  # source name, username: the server said the password is wrong

    def __init__(
        self,
        source: SourceConfig,
        *,
        username: str | None = None,
        remember: bool = False,
        login: LoginFn = core_login.login,
        forget: ForgetFn = core_login.logout,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self._login = login
        self._forget = forget
        self._worker: Worker | None = None
        # wrong_password | unreachable | certificate | server | keyring | other
        self.error_kind = ""
        self.setObjectName("LoginDialog")
        self.setWindowTitle(self.tr("Sign in — %1").replace("%1", source.name))
        self.setMinimumWidth(460)
        self._build(username or source.username or "", remember)

    # -- layout ---------------------------------------------------------------------------
    def _build(self, username: str, remember: bool) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        title = QLabel(self.tr("Sign in to %1").replace("%1", self.source.name), self)
        title.setObjectName("DialogTitle")
        where = QLabel(self.source.url, self)
        where.setObjectName("DialogSubtitle")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(title)
        layout.addWidget(where)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.username_edit = QLineEdit(username, self)
        self.username_edit.setObjectName("LoginUsername")
        # A configured username is the account the source is opened with: changing it
        # here would store a password nobody reads.
        self.username_edit.setReadOnly(bool(self.source.username))
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("LoginPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_box = QCheckBox(self.tr("Remember the password in the system keyring"), self)
        self.remember_box.setChecked(remember)
        form.addRow(self.tr("Username"), self.username_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        form.addRow("", self.remember_box)
        layout.addLayout(form)

        self.busy = QWidget(self)
        busy_row = QHBoxLayout(self.busy)
        busy_row.setContentsMargins(0, 0, 0, 0)
        bar = QProgressBar(self.busy)
        bar.setRange(0, 0)
        bar.setMaximumWidth(80)
        bar.setTextVisible(False)
        self.busy_label = QLabel(
            self.tr("Checking the password with %1…").replace("%1", self.source.name), self.busy
        )
        busy_row.addWidget(bar)
        busy_row.addWidget(self.busy_label, 1)
        self.busy.hide()
        layout.addWidget(self.busy)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("LoginError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.RichText)
        self.error_label.hide()
        layout.addWidget(self.error_label)

        self.buttons = QDialogButtonBox(self)
        self.sign_in_button = self.buttons.addButton(
            self.tr("Sign in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_in_button.setDefault(True)
        # Our own text: Qt's standard "Cancel" would need Qt's translations shipped too.
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.start_sign_in)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.password_edit if username else self.username_edit).setFocus()

    # -- sign in --------------------------------------------------------------------------
    def start_sign_in(self) -> None:
        if self._worker is not None and self._worker.running:
            return
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if not username:
            self._show_error("other", self.tr("Enter a username."), "")
            return
        remember = self.remember_box.isChecked()
        source, login, forget = self.source, self._login, self._forget

        def job(cancelled: Callable[[], bool], progress: Callable[[str], None]) -> None:
            def store(url: str, user: str, secret: str) -> None:
                # Cancelled while the server was answering: keep nothing.
                if cancelled():
                    raise CancelledError("sign-in cancelled")
                if remember:
                    secrets.store_password(url, user, secret)

            login(source, username, password, store=store)
            if not remember:
                # "Don't remember" also means: forget what was remembered. Without a
                # keyring nothing was kept there anyway.
                with contextlib.suppress(QingyingError):
                    forget(source, username)

        self.error_label.hide()
        self._set_busy(True)
        self._worker = Worker(job, self)
        self._worker.finished.connect(
            lambda _result: self._on_signed_in(username, password, remember)
        )
        self._worker.failed.connect(self._on_failed)
        self._worker.cancelled.connect(lambda: self._set_busy(False))
        self._worker.start()

    def reject(self) -> None:
        if self._worker is not None and self._worker.running:
            self._worker.cancel()
        super().reject()

    def _on_signed_in(self, username: str, password: str, remembered: bool) -> None:
        self._set_busy(False)
        self.signed_in.emit(self.source.name, username, password, remembered)
        self.accept()

    def _on_failed(self, err: QingyingError) -> None:
        self._set_busy(False)
        kind, headline, detail = self._describe(err)
        self._show_error(kind, headline, detail)
        if kind == "wrong_password":
            self.refused.emit(self.source.name, self.username_edit.text().strip())
            self.password_edit.selectAll()
            self.password_edit.setFocus()

    def _describe(self, err: QingyingError) -> tuple[str, str, str]:
        name = self.source.name
        detail = str(err)
        if isinstance(err, secrets.KeyringUnavailableError):
            return (
                "keyring",
                self.tr(
                    "The server accepted the password, but it cannot be remembered: "
                    "no system keyring is available. Untick “Remember” to sign in for "
                    "this session only."
                ),
                detail,
            )
        if isinstance(err, AuthError):
            return "wrong_password", self.tr("Wrong username or password."), detail
        if isinstance(err, CertificateError):
            return "certificate", self._certificate_words(err).replace("%1", name), detail
        if isinstance(err, ServerError):
            return (
                "server",
                self.tr("%1 answered with an error. Try again later or call IT.").replace(
                    "%1", name
                ),
                detail,
            )
        if isinstance(err, NetworkError):
            return (
                "unreachable",
                self.tr(
                    "Cannot reach %1. Check the network connection; the server may be down."
                ).replace("%1", name),
                detail,
            )
        return "other", self.tr("Sign-in failed."), detail

    def _certificate_words(self, err: CertificateError) -> str:
        """What is wrong with the server's certificate and who can mend it; in every
        case the password was not sent."""
        if err.problem == "expired":
            return self.tr(
                "The certificate of %1 has expired, so the password was not sent. "
                "The server's administrators must renew it."
            )
        if err.problem == "self_signed":
            return self.tr(
                "The certificate of %1 is self-signed, so the password was not sent. "
                "The server's administrators must install one from a certificate "
                "authority the hospital trusts."
            )
        if err.problem == "name_mismatch":
            return self.tr(
                "The certificate of %1 is for another server than the address configured, "
                "so the password was not sent. Ask IT to check the source's address."
            )
        return self.tr(
            "The certificate of %1 is not trusted, so the password was not sent. "
            "Ask IT for the site's CA bundle (ca_bundle in the configuration)."
        )

    def _show_error(self, kind: str, headline: str, detail: str) -> None:
        self.error_kind = kind
        text = f"<b>{_escape(headline)}</b>"
        if detail:
            text += f"<br><span style='color:#b7a9a0'>{_escape(detail)}</span>"
        self.error_label.setText(text)
        self.error_label.show()

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.sign_in_button.setEnabled(not busy)
        self.password_edit.setEnabled(not busy)
        self.remember_box.setEnabled(not busy)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
