"""The status bar's warning while patient access goes unrecorded in the audit trail.

The session says when recording fails (the keyring locked, the trail's folder not
writable) and when it works again; the doctor can go on reading, and sees that what they
do is not being recorded, with whom to call.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QMainWindow

from viewer.errors import AuditError, AuditKeyUnavailableError
from viewer.session.model import ReadingSession


class AuditWarning(QLabel):
    _relay = Signal(object)  # the session's event, from whichever thread recorded

    def __init__(self, window: QMainWindow, session: ReadingSession) -> None:
        super().__init__(window)
        self.setObjectName("AuditWarning")
        self.setWordWrap(False)
        self.hide()
        window.statusBar().addPermanentWidget(self)
        self._relay.connect(self.show_problem)
        session.audit_problem.connect(self._carry)

    def _carry(self, problem: object) -> None:
        with contextlib.suppress(RuntimeError):  # the window closed meanwhile
            self._relay.emit(problem)

    def show_problem(self, problem: AuditError | None) -> None:
        if problem is None:
            self.hide()
            return
        if isinstance(problem, AuditKeyUnavailableError):
            why = self.tr("the system keyring is locked or missing")
        else:
            why = self.tr("its folder cannot be written")
        self.setText(
            self.tr(
                "⚠ Patient access is not being recorded in the audit trail: %1. Call IT."
            ).replace("%1", why)
        )
        self.setToolTip(str(problem))
        self.show()
