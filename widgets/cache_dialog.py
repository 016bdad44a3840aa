"""The offline cache page: where it is, how full, which studies it holds, and its chores.

Every action is one call on the :class:`~viewer.cache.store.CacheStore`; the slow ones
(free space, verify, import, export, remove) run on a :class:`~widgets.workers.Worker`
and say what they did in one line under the table. Verify and import show how far they
got (files of files) and can be cancelled: what they did until then stays done.
The table is :mod:`widgets.cache_table`, the running of chores :mod:`widgets.cache_chores`,
what they report :mod:`widgets.cache_reports`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.cache.housekeeping import VerifyProgress
from viewer.cache.importer import ImportProgress
from viewer.cache.models import CachedStudy, DamagedEntry, EvictReport, ImportReport, VerifyReport
from viewer.cache.store import CacheStore
from viewer.errors import QingyingError
from widgets import cache_reports as reports
from widgets.cache_chores import ChoreRunner
from widgets.cache_table import CacheTable
from widgets.labels import restyle
from widgets.workers import ProgressRelay


class CacheDialog(QDialog):
    changed = Signal()  # studies were removed, imported or evicted
    read_requested = Signal(str)  # study uid the doctor wants to read

    def __init__(self, store: CacheStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CacheDialog")
        self.setWindowTitle(self.tr("Offline cache"))
        self.resize(1120, 600)
        self.store = store
        self.studies: list[CachedStudy] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        title = QLabel(self.tr("Offline cache"), self)
        title.setObjectName("DialogTitle")
        layout.addWidget(title)
        layout.addLayout(self._build_location())
        layout.addLayout(self._build_usage())
        layout.addWidget(self._build_table(), 1)
        layout.addLayout(self._build_actions())
        self.report_label = QLabel(self)
        self.report_label.setObjectName("CacheReport")
        self.report_label.setWordWrap(True)
        self.report_label.setTextFormat(Qt.TextFormat.PlainText)
        self.report_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report_label.hide()
        layout.addWidget(self.report_label)

    # -- layout ---------------------------------------------------------------------------
    def _build_location(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Location:"), self))
        self.location_label = QLabel(str(self.store.root), self)
        self.location_label.setObjectName("CacheLocation")
        self.location_label.setTextFormat(Qt.TextFormat.PlainText)
        self.location_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.location_label, 1)
        self.open_folder_button = QPushButton(self.tr("Open folder"), self)
        self.open_folder_button.clicked.connect(self.open_folder)
        row.addWidget(self.open_folder_button)
        return row

    def _build_usage(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.usage_bar = QProgressBar(self)
        self.usage_bar.setObjectName("CacheUsageBar")
        self.usage_bar.setTextVisible(False)
        self.usage_bar.setRange(0, 1000)
        self.usage_label = QLabel(self)
        self.usage_label.setObjectName("CacheUsage")
        row.addWidget(self.usage_label)
        row.addWidget(self.usage_bar, 1)
        return row

    def _build_table(self) -> CacheTable:
        table = CacheTable(self.store, self)
        table.pin_failed.connect(self._on_pin_failed)
        table.read_requested.connect(self.read_requested)
        table.itemSelectionChanged.connect(self._update_buttons)
        self.table = table
        return table

    def _build_actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.remove_button = QPushButton(self.tr("Remove selected"), self)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.free_button = QPushButton(self.tr("Free space"), self)
        self.free_button.setToolTip(
            self.tr(
                "Remove the least recently used studies until the cache fits its maximum "
                "size; pinned and open studies are kept"
            )
        )
        self.free_button.clicked.connect(self.free_space)
        self.verify_button = QPushButton(self.tr("Verify"), self)
        self.verify_button.setToolTip(
            self.tr("Check every cached file; damaged ones are removed so they are fetched again")
        )
        self.verify_button.clicked.connect(self.verify)
        self.import_button = QPushButton(self.tr("Import folder or CD…"), self)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.export_button = QPushButton(self.tr("Export study…"), self)
        self.export_button.clicked.connect(self._on_export_clicked)
        # Made here, where they were made before the runner held them: the tab order.
        self.chores = ChoreRunner(
            self,
            started=self._on_chore_started,
            failed=lambda err: self.show_report(str(err), "problem"),
            ended=self.refresh,
        )
        self.busy_bar = self.chores.busy_bar
        self.progress_label = self.chores.progress_label
        self.cancel_button = self.chores.cancel_button
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.reject)
        self.action_buttons = (
            self.remove_button,
            self.free_button,
            self.verify_button,
            self.import_button,
            self.export_button,
        )
        for button in self.action_buttons:
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.progress_label)
        row.addWidget(self.busy_bar)
        row.addWidget(self.cancel_button)
        row.addWidget(close)
        return row

    # -- showing the store ----------------------------------------------------------------
    def refresh(self) -> None:
        self.studies = self.store.studies()
        size, budget = self.store.size(), self.store.max_size
        self.usage_label.setText(reports.usage_text(size, budget, len(self.studies)))
        self.usage_bar.setValue(min(1000, round(1000 * size / budget)) if budget else 1000)
        self.usage_bar.setProperty("over", size > budget)
        restyle(self.usage_bar)
        self.table.fill(self.studies)
        self._update_buttons()

    def row_of(self, study_uid: str) -> int:
        return self.table.row_of(study_uid)

    def pin_item(self, study_uid: str) -> QTableWidgetItem | None:
        return self.table.pin_item(study_uid)

    def selected_uids(self) -> list[str]:
        return self.table.selected_uids()

    def _update_buttons(self) -> None:
        busy = self.busy
        selected = self.selected_uids()
        for button in self.action_buttons:
            button.setEnabled(not busy)
        self.remove_button.setEnabled(not busy and bool(selected))
        self.export_button.setEnabled(not busy and len(selected) == 1)

    def show_report(self, text: str, kind: str = "ok") -> None:
        self.report_label.setText(text)
        self.report_label.setProperty("state", kind)
        restyle(self.report_label)
        self.report_label.show()

    # -- actions --------------------------------------------------------------------------
    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.store.root)))

    def _on_pin_failed(self, message: str) -> None:
        self.show_report(message, "problem")
        self.refresh()

    def _on_remove_clicked(self) -> None:
        uids = self.selected_uids()
        if not uids:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Remove from the offline cache"),
            self.tr(
                "Remove %1 stud(ies) from the offline cache? They can be downloaded again "
                "while a source is reachable."
            ).replace("%1", str(len(uids))),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.remove_studies(uids)

    def remove_studies(self, uids: Sequence[str]) -> None:
        store = self.store

        def job(cancelled: Callable[[], bool], _progress: Callable[[str], None]) -> list[str]:
            problems = []
            for uid in uids:
                if cancelled():
                    break
                try:
                    store.delete_study(uid)
                except QingyingError as err:
                    problems.append(str(err))
            return problems

        def done(problems: object) -> None:
            assert isinstance(problems, list)
            text = reports.removed_text(len(uids) - len(problems), problems)
            self.show_report(text, "problem" if problems else "ok")
            self.changed.emit()

        self.chores.run(job, done)

    def free_space(self) -> None:
        store = self.store

        def done(report: object) -> None:
            assert isinstance(report, EvictReport)
            self.show_report(reports.evict_text(report), "ok" if report.within_budget else "note")
            if report.evicted:
                self.changed.emit()

        self.chores.run(lambda _c, _p: store.evict(), done)

    def verify(self) -> None:
        store = self.store
        relay = ProgressRelay(parent=self)

        def done(report: object) -> None:
            assert isinstance(report, VerifyReport)
            self.show_report(reports.verify_text(report), "ok" if report.ok else "problem")
            if not report.ok:
                self.changed.emit()

        def cancelled() -> None:
            latest = relay.latest
            last = latest if isinstance(latest, VerifyProgress) else VerifyProgress(0, 0, 0)
            text = reports.verify_cancelled_text(last)
            if last.damaged:
                self.changed.emit()
            self.show_report(text, "note")

        self.chores.run(
            lambda c, _p: store.verify(on_progress=relay, cancelled=c),
            done,
            on_cancelled=cancelled,
            progress=(relay, self._show_verify_progress),
        )

    def problem_text(self, entry: DamagedEntry) -> str:
        return reports.problem_text(entry)

    def _show_verify_progress(self, progress: object) -> None:
        assert isinstance(progress, VerifyProgress)
        text = reports.verify_progress_text(progress)
        self.chores.show_progress(progress.checked, progress.total, text)

    def _on_import_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Import a folder or a patient's CD (DICOMDIR)")
        )
        if folder:
            self.import_folder(Path(folder))

    def import_folder(self, folder: Path) -> None:
        store = self.store
        relay = ProgressRelay(parent=self)

        def done(report: object) -> None:
            assert isinstance(report, ImportReport)
            self.show_report(reports.import_text(report), "ok" if report.imported else "note")
            self.changed.emit()

        def cancelled() -> None:
            latest = relay.latest
            last = latest if isinstance(latest, ImportProgress) else ImportProgress(0, 0, 0, 0)
            self.show_report(reports.import_cancelled_text(last), "note")
            if last.imported:
                self.changed.emit()

        self.chores.run(
            lambda c, _p: store.import_path(folder, on_progress=relay, cancelled=c),
            done,
            on_cancelled=cancelled,
            progress=(relay, self._show_import_progress),
        )

    def _show_import_progress(self, progress: object) -> None:
        assert isinstance(progress, ImportProgress)
        text = reports.import_progress_text(progress)
        self.chores.show_progress(progress.files_done, progress.files_total, text)

    def _on_export_clicked(self) -> None:
        uids = self.selected_uids()
        if len(uids) != 1:
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export the study to a folder"))
        if folder:
            self.export_study(uids[0], Path(folder))

    def export_study(self, study_uid: str, folder: Path) -> None:
        store = self.store

        def done(paths: object) -> None:
            assert isinstance(paths, list)
            self.show_report(reports.exported_text(len(paths), folder))

        self.chores.run(lambda _c, _p: store.export_study(study_uid, folder), done)

    # -- running chores (widgets.cache_chores) -------------------------------------------
    def _on_chore_started(self) -> None:
        self.report_label.hide()
        self._update_buttons()

    def cancel(self) -> None:
        """Stop the running chore (verify, import) after the file it is at."""
        self.chores.cancel()

    def shutdown(self, timeout: float) -> bool:
        """Wait for a running chore, then report nothing more (the store closes next)."""
        return self.chores.shutdown(timeout)

    @property
    def busy(self) -> bool:
        """A chore is running or its result is not shown yet."""
        return self.chores.busy
