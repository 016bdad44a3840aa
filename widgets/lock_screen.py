"""The lock screen: what a locked window shows instead of any patient's images or names.

It names the account that can unlock it (the platform user, and the OS user the app runs
as), asks that account's password (checked off the UI thread by
:func:`viewer.session.unlock.unlock`) and offers to close the session for another user.
As a *curtain* (the window minimised) it shows only the app's name and asks nothing.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from typing import Literal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.errors import AuthError, CertificateError, NetworkError, QingyingError
from viewer.session.unlock import LockHolder, Unlocked, UnlockTooSoonError, unlock_by_provider
from widgets.sso_dialog import SsoPanel, provider_name
from widgets.workers import Worker

UnlockFn = Callable[[LockHolder, str], Unlocked]
SsoUnlockFn = Callable[[LockHolder], Literal["same", "other"]]


class LockScreen(QWidget):
    """``unlocked`` once the password is accepted; ``close_session`` when the doctor (or
    the next one) chooses to close the session instead."""

    unlocked = Signal()
    close_session = Signal()
    # Another doctor signed in at the provider to unlock: the last one's session closes,
    # the new one's sign-in (at the source named) stays.
    switch_user = Signal(object)  # the SourceConfig signed in again

    def __init__(
        self, unlock: UnlockFn, parent: QWidget, sso_unlock: SsoUnlockFn | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("LockScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._unlock = unlock
        self._sso_unlock = sso_unlock or unlock_by_provider
        self._holder: LockHolder | None = None
        self._worker: Worker | None = None
        self.sso_panel: SsoPanel | None = None
        self.open_url: Callable[[str], object] = webbrowser.open  # the provider's page
        self._build()
        self.hide()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.card = QFrame(self)
        self.card.setObjectName("LockCard")
        self.card.setFixedWidth(440)
        card = QVBoxLayout(self.card)
        card.setContentsMargins(28, 24, 28, 24)
        card.setSpacing(10)
        self.title = QLabel(self.card)
        self.title.setObjectName("DialogTitle")
        self.why = QLabel(self.card)
        self.why.setObjectName("DialogSubtitle")
        self.why.setWordWrap(True)
        self.who = QLabel(self.card)
        self.who.setObjectName("LockUser")
        self.who.setWordWrap(True)
        self.password = QLineEdit(self.card)
        self.password.setObjectName("LockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.returnPressed.connect(self.try_unlock)
        self.error = QLabel(self.card)
        self.error.setObjectName("LoginError")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QHBoxLayout()
        self.close_button = QPushButton(self.tr("Close the session for another user"), self.card)
        self.close_button.setObjectName("LockCloseSession")
        self.close_button.clicked.connect(self.close_session)
        self.unlock_button = QPushButton(self.tr("Unlock"), self.card)
        self.unlock_button.setObjectName("LockUnlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        for widget in (self.title, self.why, self.who, self.password, self.error):
            card.addWidget(widget)
        self._card_layout = card
        card.addLayout(buttons)
        row.addWidget(self.card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    # -- showing --------------------------------------------------------------------------
    def show_locked(self, holder: LockHolder, minutes: int | None) -> None:
        """Locked: for ``minutes`` without input, or (None) at the doctor's request."""
        self._holder = holder
        self.card.show()
        self.title.setText(self.tr("Qingying is locked"))
        if minutes is None:
            self.why.setText(
                self.tr("Locked at the user's request. Nothing of a patient is shown.")
            )
        else:
            self.why.setText(
                self.tr(
                    "Locked after %1 minutes without use. Nothing of a patient is shown."
                ).replace("%1", str(minutes))
            )
        self._show_sso(holder)
        if holder.can_unlock and holder.by_provider:
            assert holder.source is not None and holder.source.oidc is not None
            self.who.setText(
                self.tr(
                    "Signed in as %1 through %2 (computer account %3). Sign in again "
                    "there to unlock: another doctor signing in closes this session."
                )
                .replace("%1", holder.user)
                .replace("%2", provider_name(holder.source))
                .replace("%3", holder.os_user or "?")
            )
        elif holder.can_unlock:
            assert holder.source is not None
            self.who.setText(
                self.tr("Signed in as %1 at %2 (computer account %3). Enter %1's password.")
                .replace("%1", holder.user)
                .replace("%2", holder.source.name)
                .replace("%3", holder.os_user or "?")
            )
        else:
            self.who.setText(
                self.tr("Nobody is signed in to the platform: close the session to go on.")
            )
        by_password = holder.can_unlock and not holder.by_provider
        self.password.setVisible(by_password)
        self.unlock_button.setVisible(by_password)
        self.password.clear()
        self.error.hide()
        self._set_busy(False)
        self._cover()
        if by_password:
            self.password.setFocus()
        elif self.sso_panel is not None:
            self.sso_panel.browser_button.setFocus()
        else:
            self.close_button.setFocus()

    def _show_sso(self, holder: LockHolder) -> None:
        """Signing in again at the provider, for a holder signed in there."""
        if self.sso_panel is not None:
            self.sso_panel.cancel()
            self.sso_panel.deleteLater()
            self.sso_panel = None
        if not (holder.can_unlock and holder.by_provider):
            return
        assert holder.source is not None
        panel = SsoPanel(
            holder.source,
            open_url=lambda url: self.open_url(url),
            unlocking=True,
            parent=self.card,
        )
        panel.signed_in.connect(lambda _name: self._signed_in_again(holder))
        self._card_layout.insertWidget(self._card_layout.indexOf(self.error), panel)
        self.sso_panel = panel

    def _signed_in_again(self, holder: LockHolder) -> None:
        try:
            outcome = self._sso_unlock(holder)
        except QingyingError as err:
            self.error.setText(self._words(err))
            self.error.show()
            return
        if outcome == "same":
            self.unlocked.emit()
        else:
            self.switch_user.emit(holder.source)

    def show_curtain(self) -> None:
        """The window minimised: its name only, for whatever preview the desktop keeps."""
        self.card.hide()
        self._cover()

    def _cover(self) -> None:
        parent = self.parentWidget()
        assert parent is not None
        self.setGeometry(parent.rect())
        self.show()
        self.raise_()

    # -- unlocking ------------------------------------------------------------------------
    def try_unlock(self) -> None:
        holder = self._holder
        if holder is None or not holder.can_unlock or self._worker is not None:
            return
        password = self.password.text()
        worker = Worker(lambda _c, _p: self._unlock(holder, password), self)
        worker.finished.connect(lambda _how: self._done(worker, None))
        worker.failed.connect(lambda err: self._done(worker, err))
        self._worker = worker
        self._set_busy(True)
        worker.start()

    def _done(self, worker: Worker, err: QingyingError | None) -> None:
        if worker is not self._worker:
            return
        self._worker = None
        self._set_busy(False)
        if err is None:
            self.password.clear()
            self.unlocked.emit()
            return
        self.password.selectAll()
        self.password.setFocus()
        self.error.setText(self._words(err))
        self.error.show()

    def _words(self, err: QingyingError) -> str:
        if isinstance(err, CertificateError):
            return self.tr(
                "The server's certificate is refused, so the password was not sent. "
                "Close the session, or call IT."
            )
        if isinstance(err, UnlockTooSoonError):
            return self.tr("Too many wrong passwords: try again in %1 s.").replace(
                "%1", str(max(1, round(err.seconds)))
            )
        if isinstance(err, AuthError):
            return self.tr("Wrong password.")
        if isinstance(err, NetworkError):
            return self.tr(
                "The server cannot be reached to check the password, and this session "
                "holds none to compare with. Close the session to go on."
            )
        return self.tr("The password cannot be checked: %1").replace("%1", str(err))

    def _set_busy(self, busy: bool) -> None:
        self.unlock_button.setEnabled(not busy)
        self.password.setEnabled(not busy)
        self.unlock_button.setText(self.tr("Checking…") if busy else self.tr("Unlock"))
