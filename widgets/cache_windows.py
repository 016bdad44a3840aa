"""The two windows onto the offline cache that the main window opens from its menus.

:class:`CachePageOpener` opens the cache page (:mod:`widgets.cache_dialog`), one for the
window's life; :class:`PrefetchControl` runs File › Prefetch worklist… in its dialog
(:mod:`widgets.prefetch_dialog`), with a button in the status bar while it runs. Either
one may change what the cache holds: both say so with a ``changed`` signal, and the
window reads its study cards' cache states again. Without an offline cache neither opens
anything (the window has disabled their actions and says why).

The texts were the main window's before these classes existed; they keep the translation
context ``MainWindow`` (``QCoreApplication.translate``) so that no translation is lost.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QPushButton

from viewer.cache.store import CacheStore
from viewer.config import Config
from widgets.cache_dialog import CacheDialog
from widgets.prefetch_dialog import PrefetchDialog, SourcesOpener


class CachePageOpener(QObject):
    changed = Signal()  # studies were removed, imported or evicted from the page
    read_requested = Signal(str)  # study uid double-clicked on the page

    def __init__(self, store: CacheStore | None, window: QMainWindow) -> None:
        super().__init__(window)
        self._store = store
        self._window = window
        self.dialog: CacheDialog | None = None

    def show(self) -> None:
        if self._store is None:
            return
        if self.dialog is None:
            self.dialog = CacheDialog(self._store, self._window)
            self.dialog.changed.connect(self.changed)
            self.dialog.read_requested.connect(self.read_requested)
        self.dialog.refresh()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    def refresh_if_shown(self) -> None:
        """Something else changed the cache: an open page shows it at once."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.refresh()

    def shutdown(self, timeout: float) -> None:
        """The window closes, and the store after it: stop the page's chore, close it."""
        self._store = None  # nothing opens on a closed store
        if self.dialog is not None:
            self.dialog.shutdown(timeout)
            self.dialog.done(QDialog.DialogCode.Rejected)


class PrefetchControl(QObject):
    changed = Signal()  # a prefetch ended: studies arrived in the cache, others were evicted

    def __init__(
        self,
        config: Config,
        store: CacheStore | None,
        open_sources: SourcesOpener,
        window: QMainWindow,
    ) -> None:
        super().__init__(window)
        self._config = config
        self._store = store
        self._open_sources = open_sources
        self._window = window
        self.dialog: PrefetchDialog | None = None
        # Shown in the status bar while a prefetch runs; a click brings its dialog back.
        self.status_button = QPushButton(window)
        self.status_button.setObjectName("PrefetchStatus")
        self.status_button.setFlat(True)
        self.status_button.setToolTip(QCoreApplication.translate("MainWindow", "Show the prefetch"))
        self.status_button.clicked.connect(self.show_dialog)
        self.status_button.hide()

    def ask_for_worklist(self) -> None:
        """Ask for a worklist file and prefetch it; while one runs, show it instead."""
        if self._store is None:
            return
        if self.dialog is not None and self.dialog.running:
            self.show_dialog()
            return
        path, _filter = QFileDialog.getOpenFileName(
            self._window,
            QCoreApplication.translate("MainWindow", "Choose a clinic worklist"),
            "",
            QCoreApplication.translate("MainWindow", "Worklists (*.txt *.csv);;All files (*)"),
        )
        if path:
            self.start(Path(path))

    def start(self, worklist: Path, today: date | None = None) -> PrefetchDialog | None:
        dialog = self.ensure_dialog()
        if dialog is None:
            return None
        dialog.start(worklist, today)
        self.show_dialog()
        return dialog

    def ensure_dialog(self) -> PrefetchDialog | None:
        """The prefetch dialog, made on first use (None without an offline cache)."""
        if self._store is None:
            return None
        if self.dialog is None:
            self.dialog = PrefetchDialog(
                self._config, self._store, self._open_sources, self._window
            )
            self.dialog.changed.connect(self._show_status)
            self.dialog.ended.connect(self._on_ended)
        return self.dialog

    def show_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.show()
            self.dialog.raise_()
            self.dialog.activateWindow()

    def _show_status(self) -> None:
        dialog = self.dialog
        if dialog is None or not dialog.running:
            self.status_button.hide()
            return
        self.status_button.setText(dialog.status_text())
        self.status_button.show()

    def _on_ended(self) -> None:
        self._show_status()
        self.changed.emit()
        if self.dialog is not None and self.dialog.outcome == "finished":
            self._window.statusBar().showMessage(
                QCoreApplication.translate("MainWindow", "Prefetch finished"), 5000
            )

    def shutdown(self, timeout: float) -> None:
        """The window closes, and the store after it: cancel the prefetch and wait."""
        self._store = None  # nothing starts on a closed store
        if self.dialog is not None:
            self.dialog.shutdown(timeout)
            self.dialog.done(QDialog.DialogCode.Rejected)
