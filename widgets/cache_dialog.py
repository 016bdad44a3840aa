"""The offline cache page: where it is, how full, which studies it holds, and its chores.

Every action is one call on the :class:`~viewer.cache.store.CacheStore`; the slow ones
(free space, verify, import, export, remove) run on a :class:`~widgets.workers.Worker`
and say what they did in one line under the table. Verify and import show how far they
got (files of files) and can be cancelled: what they did until then stays done.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.cache.housekeeping import VerifyProgress
from viewer.cache.importer import ImportProgress
from viewer.cache.models import (
    CachedStudy,
    DamagedEntry,
    EvictReport,
    ImportReport,
    VerifyReport,
)
from viewer.cache.store import CacheStore
from viewer.display import MB, display_name, format_date
from viewer.errors import QingyingError
from widgets.labels import restyle
from widgets.workers import ProgressRelay, Worker

GB = 1_000_000_000
UID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def format_size(size: int) -> str:
    """Bytes as people read them, in the units of ``cache.max_size`` (GB = 10^9 bytes)."""
    if size >= GB:
        return f"{size / GB:.1f} GB"
    return f"{size / MB:.1f} MB"


class _SortableItem(QTableWidgetItem):
    """A cell shown as text but sorted by the value stored under SORT_ROLE."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is None or theirs is None:
            return super().__lt__(other)
        return bool(mine < theirs)


class CacheDialog(QDialog):
    changed = Signal()  # studies were removed, imported or evicted

    COLUMNS = ("date", "patient", "patient_id", "modalities", "state", "size", "pinned", "access")

    def __init__(self, store: CacheStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CacheDialog")
        self.setWindowTitle(self.tr("Offline cache"))
        self.resize(1120, 600)
        self.store = store
        self.studies: list[CachedStudy] = []
        self.worker: Worker | None = None
        self._relays: dict[Worker, ProgressRelay] = {}  # of the chores that report progress
        self._filling = False
        self._closed = False
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

    def _build_table(self) -> QTableWidget:
        headers = (
            self.tr("Study date"),
            self.tr("Patient"),
            self.tr("Patient ID"),
            self.tr("Modalities"),
            self.tr("State"),
            self.tr("Size"),
            self.tr("Pinned"),
            self.tr("Last used"),
        )
        table = QTableWidget(0, len(headers), self)
        table.setObjectName("CacheTable")
        table.setHorizontalHeaderLabels(list(headers))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        table.itemChanged.connect(self._on_item_changed)
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
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setObjectName("CacheBusyBar")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedWidth(160)
        self.busy_bar.hide()
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("CacheProgress")
        self.progress_label.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("CacheCancelButton")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
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
        self.usage_label.setText(
            self.tr("%1 used of %2 · %3 studies")
            .replace("%1", format_size(size))
            .replace("%2", format_size(budget))
            .replace("%3", str(len(self.studies)))
        )
        self.usage_bar.setValue(min(1000, round(1000 * size / budget)) if budget else 1000)
        self.usage_bar.setProperty("over", size > budget)
        restyle(self.usage_bar)
        self._fill_table()
        self._update_buttons()

    def _fill_table(self) -> None:
        table = self.table
        self._filling = True
        table.setSortingEnabled(False)
        table.setRowCount(len(self.studies))
        for row, study in enumerate(self.studies):
            cells: Sequence[tuple[str, Any]] = (
                (format_date(study.study_date), study.study_date),
                (display_name(study.patient_name), None),
                (
                    f"{study.patient_id} ({study.issuer})" if study.issuer else study.patient_id,
                    None,
                ),
                ("/".join(study.modalities), None),
                (self._state_text(study), None),
                (f"{study.size / MB:.1f} MB", study.size),
                ("", int(study.pinned)),
                (self._when(study.last_access), study.last_access),
            )
            for column, (text, key) in enumerate(cells):
                item = _SortableItem(text)
                item.setData(UID_ROLE, study.study_uid)
                if key is not None:
                    item.setData(SORT_ROLE, key)
                if column == 5:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if column == self.COLUMNS.index("pinned"):
                    item.setFlags(
                        Qt.ItemFlag.ItemIsUserCheckable
                        | Qt.ItemFlag.ItemIsEnabled
                        | Qt.ItemFlag.ItemIsSelectable
                    )
                    item.setCheckState(
                        Qt.CheckState.Checked if study.pinned else Qt.CheckState.Unchecked
                    )
                    item.setToolTip(self.tr("Pinned studies are never removed to free space"))
                table.setItem(row, column, item)
        table.setSortingEnabled(True)
        self._filling = False

    def _state_text(self, study: CachedStudy) -> str:
        if study.state == "complete":
            return self.tr("complete")
        if study.state == "partial":
            expected = study.expected_instance_count
            return (
                self.tr("partial (%1 of %2 images)")
                .replace("%1", str(study.instance_count))
                .replace("%2", str(expected))
                if expected
                else self.tr("partial")
            )
        return self.tr("empty")

    @staticmethod
    def _when(timestamp: float) -> str:
        if not timestamp:
            return ""
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))

    def row_of(self, study_uid: str) -> int:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(UID_ROLE) == study_uid:
                return row
        return -1

    def pin_item(self, study_uid: str) -> QTableWidgetItem | None:
        row = self.row_of(study_uid)
        return self.table.item(row, self.COLUMNS.index("pinned")) if row >= 0 else None

    def selected_uids(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        items = [self.table.item(row, 0) for row in rows]
        return [str(item.data(UID_ROLE)) for item in items if item is not None]

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

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != self.COLUMNS.index("pinned"):
            return
        uid = str(item.data(UID_ROLE))
        pinned = item.checkState() == Qt.CheckState.Checked
        try:
            if pinned:
                self.store.pin(uid)
            else:
                self.store.unpin(uid)
        except QingyingError as err:
            self.show_report(str(err), "problem")
            self.refresh()
            return
        self._filling = True
        item.setData(SORT_ROLE, int(pinned))
        self._filling = False

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
            removed = len(uids) - len(problems)
            text = self.tr("Removed %1 stud(ies).").replace("%1", str(removed))
            if problems:
                text += " " + self.tr("Not removed: %1").replace("%1", "; ".join(problems))
            self.show_report(text, "problem" if problems else "ok")
            self.changed.emit()

        self._run(job, done)

    def free_space(self) -> None:
        store = self.store

        def done(report: object) -> None:
            assert isinstance(report, EvictReport)
            self.show_report(self._evict_text(report), "ok" if report.within_budget else "note")
            if report.evicted:
                self.changed.emit()

        self._run(lambda _c, _p: store.evict(), done)

    def _evict_text(self, report: EvictReport) -> str:
        if report.evicted:
            text = (
                self.tr("Freed %1 by removing %2 least recently used stud(ies).")
                .replace("%1", format_size(report.freed))
                .replace("%2", str(len(report.evicted)))
            )
        else:
            text = self.tr("Nothing removed: the cache is within its maximum size (%1).").replace(
                "%1", format_size(report.target)
            )
        kept = []
        if report.kept_pinned:
            kept.append(self.tr("%1 pinned").replace("%1", str(len(report.kept_pinned))))
        if report.kept_open:
            kept.append(self.tr("%1 open").replace("%1", str(len(report.kept_open))))
        if kept:
            text += " " + self.tr("Kept: %1.").replace("%1", ", ".join(kept))
        if not report.within_budget:
            text += " " + self.tr(
                "Still over the maximum size: unpin studies or remove them by hand."
            )
        return text

    def verify(self) -> None:
        store = self.store
        relay = ProgressRelay(parent=self)

        def done(report: object) -> None:
            assert isinstance(report, VerifyReport)
            if report.ok:
                self.show_report(
                    self.tr("Verified %1 file(s): all intact.").replace("%1", str(report.checked))
                )
                return
            lines = [
                self.tr("Verified %1 file(s): %2 damaged, removed so that they are fetched again:")
                .replace("%1", str(report.checked))
                .replace("%2", str(len(report.damaged)))
            ]
            # By instance, not file: a pack holds many instances.
            lines += [
                self.tr("• %1: %2").replace("%1", d.sop_uid).replace("%2", self.problem_text(d))
                for d in report.damaged[:10]
            ]
            if len(report.damaged) > 10:
                lines.append(self.tr("… and %1 more").replace("%1", str(len(report.damaged) - 10)))
            self.show_report("\n".join(lines), "problem")
            self.changed.emit()

        def cancelled() -> None:
            latest = relay.latest
            last = latest if isinstance(latest, VerifyProgress) else VerifyProgress(0, 0, 0)
            text = (
                self.tr("Verify cancelled after %1 of %2 file(s).")
                .replace("%1", str(last.checked))
                .replace("%2", str(last.total))
            )
            if last.damaged:
                text += " " + self.tr(
                    "%1 damaged file(s) found until then were removed so that they are "
                    "fetched again."
                ).replace("%1", str(last.damaged))
                self.changed.emit()
            self.show_report(text, "note")

        self._run(
            lambda c, _p: store.verify(on_progress=relay, cancelled=c),
            done,
            on_cancelled=cancelled,
            progress=(relay, self._show_verify_progress),
        )

    def problem_text(self, entry: DamagedEntry) -> str:
        """What verify found wrong, in the window's language; the core's detail only
        where it says more than the kind (the system's reason a file cannot be read)."""
        texts = {
            "missing": self.tr("file missing"),
            "wrong_size": self.tr("file size wrong"),
            "pack_short": self.tr("its pack file is cut short"),
            "checksum_mismatch": self.tr("checksum mismatch"),
            "unreadable": self.tr("unreadable: %1").replace("%1", entry.detail),
        }
        return texts[entry.kind]

    def _show_verify_progress(self, progress: object) -> None:
        assert isinstance(progress, VerifyProgress)
        self._show_progress(
            progress.checked,
            progress.total,
            self.tr("Verifying: %1 of %2 file(s)")
            .replace("%1", str(progress.checked))
            .replace("%2", str(progress.total)),
        )

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
            text = (
                self.tr("Imported %1 image(s) of %2 stud(ies) from %3.")
                .replace("%1", str(report.imported))
                .replace("%2", str(len(report.studies)))
                .replace("%3", str(report.source))
            )
            if report.skipped:
                text += " " + (
                    self.tr("Skipped %1 file(s): %2 not DICOM, %3 unreadable.")
                    .replace("%1", str(report.skipped))
                    .replace("%2", str(len(report.not_dicom)))
                    .replace("%3", str(len(report.unreadable)))
                )
            self.show_report(text, "ok" if report.imported else "note")
            self.changed.emit()

        def cancelled() -> None:
            latest = relay.latest
            last = latest if isinstance(latest, ImportProgress) else ImportProgress(0, 0, 0, 0)
            self.show_report(
                self.tr(
                    "Import cancelled after %1 of %2 file(s): the %3 image(s) imported until "
                    "then are kept. Import the same folder again to bring the rest."
                )
                .replace("%1", str(last.files_done))
                .replace("%2", str(last.files_total))
                .replace("%3", str(last.imported)),
                "note",
            )
            if last.imported:
                self.changed.emit()

        self._run(
            lambda c, _p: store.import_path(folder, on_progress=relay, cancelled=c),
            done,
            on_cancelled=cancelled,
            progress=(relay, self._show_import_progress),
        )

    def _show_import_progress(self, progress: object) -> None:
        assert isinstance(progress, ImportProgress)
        self._show_progress(
            progress.files_done,
            progress.files_total,
            self.tr("Importing: %1 of %2 file(s), %3 image(s) imported")
            .replace("%1", str(progress.files_done))
            .replace("%2", str(progress.files_total))
            .replace("%3", str(progress.imported)),
        )

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
            self.show_report(
                self.tr("Exported %1 file(s) to %2.")
                .replace("%1", str(len(paths)))
                .replace("%2", str(folder))
            )

        self._run(lambda _c, _p: store.export_study(study_uid, folder), done)

    # -- running chores -------------------------------------------------------------------
    def _run(
        self,
        job: Callable[..., object],
        done: Callable[[object], None],
        *,
        on_cancelled: Callable[[], None] | None = None,
        progress: tuple[ProgressRelay, Callable[[object], None]] | None = None,
    ) -> None:
        """Run a chore; with ``on_cancelled`` it can be cancelled, and says what it did;
        with ``progress``, the relay the job reports to and what shows its values."""
        if self.worker is not None and self.worker.running:
            if progress is not None:
                progress[0].deleteLater()
            return
        worker = Worker(job, self)
        if progress is not None:
            relay, show = progress
            self._relays[worker] = relay
            relay.changed.connect(lambda value: self._on_relayed(worker, show, value))
        worker.finished.connect(lambda result: self._on_done(worker, done, result))
        worker.failed.connect(lambda err: self._on_failed(worker, err))
        worker.cancelled.connect(lambda: self._on_cancelled(worker, on_cancelled))
        self.worker = worker
        self.busy_bar.setRange(0, 0)
        self.busy_bar.show()
        self.cancel_button.setVisible(on_cancelled is not None)
        self.cancel_button.setEnabled(True)
        self.report_label.hide()
        worker.start()
        self._update_buttons()

    def cancel(self) -> None:
        """Stop the running chore (verify, import) after the file it is at."""
        if self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(self.tr("Cancelling…"))

    def _on_relayed(self, worker: Worker, show: Callable[[object], None], value: object) -> None:
        # A value the relay held back may come after its chore ended, even during the next.
        if self._closed or self.worker is not worker or worker.is_cancelled():
            return
        show(value)

    def _show_progress(self, done: int, total: int, text: str) -> None:
        self.busy_bar.setRange(0, max(1, total))
        self.busy_bar.setValue(done)
        self.progress_label.setText(text)
        self.progress_label.show()

    def _on_done(
        self, worker: Worker, done: Callable[[object], None] | None, result: object
    ) -> None:
        self._finish(worker)
        if self._closed:
            return
        if done is not None:
            done(result)
        self.refresh()

    def _on_cancelled(self, worker: Worker, on_cancelled: Callable[[], None] | None) -> None:
        self._finish(worker)
        if self._closed:
            return
        if on_cancelled is not None:
            on_cancelled()
        self.refresh()

    def _on_failed(self, worker: Worker, err: QingyingError) -> None:
        self._finish(worker)
        if self._closed:
            return
        self.show_report(str(err), "problem")
        self.refresh()

    def _finish(self, worker: Worker) -> None:
        if self.worker is worker:
            self.worker = None
        worker.deleteLater()
        relay = self._relays.pop(worker, None)
        if relay is not None:
            relay.deleteLater()  # its last value stays readable (latest) until then
        self.busy_bar.hide()
        self.progress_label.hide()
        self.cancel_button.hide()

    def shutdown(self, timeout: float) -> bool:
        """Wait for a running chore, then report nothing more (the store closes next)."""
        stopped = self.worker is None or self.worker.wait(timeout)
        self._closed = True
        return stopped

    @property
    def busy(self) -> bool:
        """A chore is running or its result is not shown yet."""
        return self.worker is not None
