"""Sign in to a source through its OpenID provider: in the system browser, or on another
device with a code (a phone scanning the QR code, a computer typing the link).

The core does the protocol off the UI thread (:mod:`viewer.sources.oidc`); this dialog
only shows where the doctor goes next and what came of it. No token ever reaches it.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.config import SourceConfig
from viewer.errors import QingyingError, SignInRefusedError
from viewer.sources.oidc.device import DeviceCode
from viewer.sources.oidc.endpoints import ProviderMetadata
from viewer.sources.oidc.signins import SIGN_INS, SignIns
from widgets.problem_words import problem_words
from widgets.workers import Worker

OpenUrl = Callable[[str], object]


def provider_name(source: SourceConfig) -> str:
    assert source.oidc is not None
    return urlsplit(source.oidc.issuer).netloc or source.oidc.issuer


class SsoDialog(QDialog):
    """``signed_in(source name)`` once the provider's sign-in is complete and checked."""

    signed_in = Signal(str)

    def __init__(self, source: SourceConfig, parent: QWidget | None = None, **panel: Any) -> None:
        """``panel``: what :class:`SsoPanel` takes (``sign_ins``, ``open_url``)."""
        super().__init__(parent)
        self.source = source
        self.setObjectName("SsoDialog")
        self.setWindowTitle(self.tr("Sign in — %1").replace("%1", source.name))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        title = QLabel(self.tr("Sign in to %1").replace("%1", source.name), self)
        title.setObjectName("DialogTitle")
        where = QLabel(self.tr("through %1").replace("%1", provider_name(source)), self)
        where.setObjectName("DialogSubtitle")
        layout.addWidget(title)
        layout.addWidget(where)
        self.panel = SsoPanel(source, parent=self, **panel)
        self.panel.signed_in.connect(self._done)
        layout.addWidget(self.panel)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # The panel's parts, as the dialog's own (what its tests reach).
        self.browser_button, self.device_button = (
            self.panel.browser_button,
            self.panel.device_button,
        )
        self.status_label, self.code_label = self.panel.status_label, self.panel.code_label
        self.qr_label, self.error_label = self.panel.qr_label, self.panel.error_label

    def _done(self, name: str) -> None:
        self.signed_in.emit(name)
        self.accept()

    def reject(self) -> None:
        self.panel.cancel()
        super().reject()


class SsoPanel(QWidget):
    """The two ways to sign in at the provider, and what each asks of the doctor next.
    ``unlocking``: on the lock screen, only the browser's sign-in, where the provider
    asks for the password again (the device flow cannot show that it did)."""

    signed_in = Signal(str)

    def __init__(
        self,
        source: SourceConfig,
        *,
        sign_ins: SignIns = SIGN_INS,
        open_url: OpenUrl = webbrowser.open,
        unlocking: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self._sign_ins = sign_ins
        self._open_url = open_url
        self._worker: Worker | None = None
        self.provider = provider_name(source)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.browser_button = QPushButton(self.tr("Sign in with the browser"), self)
        self.browser_button.setObjectName("SsoBrowserButton")
        self.browser_button.setDefault(True)
        self.device_button = QPushButton(self.tr("Sign in on another device…"), self)
        self.device_button.setObjectName("SsoDeviceButton")
        # Another device's session at the provider cannot prove the password was asked
        # again here: unlocking takes the browser's sign-in only.
        self.device_button.setVisible(not unlocking)
        layout.addWidget(self.browser_button)
        layout.addWidget(self.device_button)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("SsoStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.hide()
        self.code_label = QLabel(self)
        self.code_label.setObjectName("SsoUserCode")
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        code_font = self.code_label.font()
        code_font.setPointSizeF(code_font.pointSizeF() * 2)
        code_font.setBold(True)
        code_font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 3)
        self.code_label.setFont(code_font)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_label.hide()
        self.qr_label = QLabel(self)
        self.qr_label.setObjectName("SsoQrCode")
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_label.hide()
        self.error_label = QLabel(self)
        self.error_label.setObjectName("LoginError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        for label in (self.status_label, self.code_label, self.qr_label, self.error_label):
            layout.addWidget(label)
        self.browser_button.clicked.connect(self.start_browser)
        self.device_button.clicked.connect(self.start_device)

    # -- the two ways ---------------------------------------------------------------------
    def start_browser(self) -> None:
        source, sign_ins, open_url = self.source, self._sign_ins, self._open_url

        def job(cancelled: Callable[[], bool], progress: Callable[[str], None]) -> None:
            def opened(url: str) -> None:
                progress(url)
                open_url(url)

            sign_ins.sign_in_with_browser(source, opened, cancelled)

        worker = self._run(job, lambda _result: self._done())
        worker.progress.connect(self._show_link)
        self._say(self.tr("Opening the sign-in page of %1 in the browser…"), "")

    def start_device(self) -> None:
        source, sign_ins = self.source, self._sign_ins

        def job(cancelled: Callable[[], bool], _progress: Callable[[str], None]) -> Any:
            return sign_ins.start_device(source)

        self._run(job, self._wait_device)
        self._say(self.tr("Asking %1 for a code…"), "")

    def _wait_device(self, started: tuple[ProviderMetadata, DeviceCode]) -> None:
        metadata, code = started
        self._show_code(code)
        source, sign_ins = self.source, self._sign_ins

        def job(cancelled: Callable[[], bool], _progress: Callable[[str], None]) -> None:
            sign_ins.finish_device(source, metadata, code, cancelled)

        self._run(job, lambda _result: self._done())

    # -- what the doctor sees -------------------------------------------------------------
    def _show_link(self, url: str) -> None:
        self._say(
            self.tr(
                "Finish signing in on the page of %1 in the browser. "
                "If no browser opened, open this link:"
            ),
            url,
        )

    def _show_code(self, code: DeviceCode) -> None:
        self._say(
            self.tr("On a phone or another computer, open %2 and enter this code:").replace(
                "%2", code.verification_uri
            ),
            "",
        )
        self.code_label.setText(code.user_code)
        self.code_label.show()
        if code.verification_uri_complete:
            self.qr_label.setPixmap(qr_pixmap(code.verification_uri_complete))
            self.qr_label.setToolTip(code.verification_uri_complete)
            self.qr_label.show()

    def _say(self, text: str, link: str) -> None:
        said = text.replace("%1", self.provider)
        self.status_label.setText(f"{said}\n{link}" if link else said)
        self.status_label.show()
        self.error_label.hide()

    def _run(self, job: Any, then: Callable[[Any], None]) -> Worker:
        if self._worker is not None and self._worker.running:
            self._worker.cancel()
        self.browser_button.setEnabled(False)
        self.device_button.setEnabled(False)
        worker = Worker(job, self)
        worker.finished.connect(then)
        worker.failed.connect(self._failed)
        self._worker = worker
        worker.start()
        return worker

    def _done(self) -> None:
        self._worker = None
        self.signed_in.emit(self.source.name)

    def _failed(self, err: QingyingError) -> None:
        self.browser_button.setEnabled(True)
        self.device_button.setEnabled(True)
        self.code_label.hide()
        self.qr_label.hide()
        if isinstance(err, SignInRefusedError):
            text = self.tr("The sign-in did not complete: %1").replace("%1", str(err))
        else:
            text = problem_words(err, "search")
        self.error_label.setText(text)
        self.error_label.show()

    def cancel(self) -> None:
        if self._worker is not None and self._worker.running:
            self._worker.cancel()

    def reset(self) -> None:
        """Back to the two buttons (the lock screen shown anew)."""
        self.cancel()
        for part in (self.status_label, self.code_label, self.qr_label, self.error_label):
            part.hide()
        self.browser_button.setEnabled(True)
        self.device_button.setEnabled(True)


def qr_pixmap(text: str, scale: int = 5) -> QPixmap:
    """The QR code of ``text``, dark on light with its quiet zone (as phones read best)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=scale, border=4)
    pixmap = QPixmap()
    pixmap.loadFromData(out.getvalue(), "PNG")
    return pixmap
