"""The offline cache page's table: one row a cached study, sortable, with its Pinned box,
which pins or unpins the study in the store at once.

Its texts keep the translation context ``CacheDialog``: they were the dialog's own, and
translators find them with the rest of the page.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from viewer.cache.models import CachedStudy
from viewer.cache.store import CacheStore
from viewer.display import MB, display_name, format_date
from viewer.errors import QingyingError

UID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("date", "patient", "patient_id", "modalities", "state", "size", "pinned", "access")
PIN_COLUMN = COLUMNS.index("pinned")


class _SortableItem(QTableWidgetItem):
    """A cell shown as text but sorted by the value stored under SORT_ROLE."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is None or theirs is None:
            return super().__lt__(other)
        return bool(mine < theirs)


class CacheTable(QTableWidget):
    """The studies, each row knowing its study's UID."""

    pin_failed = Signal(str)  # the store's reason a Pinned box's change was not made
    read_requested = Signal(str)  # study uid: a row was double-clicked

    def __init__(self, store: CacheStore, parent: QWidget) -> None:
        headers = (
            QCoreApplication.translate("CacheDialog", "Study date"),
            QCoreApplication.translate("CacheDialog", "Patient"),
            QCoreApplication.translate("CacheDialog", "Patient ID"),
            QCoreApplication.translate("CacheDialog", "Modalities"),
            QCoreApplication.translate("CacheDialog", "State"),
            QCoreApplication.translate("CacheDialog", "Size"),
            QCoreApplication.translate("CacheDialog", "Pinned"),
            QCoreApplication.translate("CacheDialog", "Last used"),
        )
        super().__init__(0, len(headers), parent)
        self.store = store
        self._filling = False  # rows are being written: no change of a Pinned box is the user's
        self.setObjectName("CacheTable")
        self.setHorizontalHeaderLabels(list(headers))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.setAlternatingRowColors(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.itemChanged.connect(self._on_item_changed)
        self.cellDoubleClicked.connect(self._on_double_click)
        self.setToolTip(QCoreApplication.translate("CacheDialog", "Double-click: read this study"))

    def fill(self, studies: Sequence[CachedStudy]) -> None:
        self._filling = True
        self.setSortingEnabled(False)
        self.setRowCount(len(studies))
        for row, study in enumerate(studies):
            cells: Sequence[tuple[str, Any]] = (
                (format_date(study.study_date), study.study_date),
                (display_name(study.patient_name), None),
                (
                    f"{study.patient_id} ({study.issuer})" if study.issuer else study.patient_id,
                    None,
                ),
                ("/".join(study.modalities), None),
                (_state_text(study), None),
                (f"{study.size / MB:.1f} MB", study.size),
                ("", int(study.pinned)),
                (_when(study.last_access), study.last_access),
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
                if column == PIN_COLUMN:
                    item.setFlags(
                        Qt.ItemFlag.ItemIsUserCheckable
                        | Qt.ItemFlag.ItemIsEnabled
                        | Qt.ItemFlag.ItemIsSelectable
                    )
                    item.setCheckState(
                        Qt.CheckState.Checked if study.pinned else Qt.CheckState.Unchecked
                    )
                    item.setToolTip(
                        QCoreApplication.translate(
                            "CacheDialog", "Pinned studies are never removed to free space"
                        )
                    )
                self.setItem(row, column, item)
        self.setSortingEnabled(True)
        self._filling = False

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != PIN_COLUMN:
            return
        uid = str(item.data(UID_ROLE))
        pinned = item.checkState() == Qt.CheckState.Checked
        try:
            if pinned:
                self.store.pin(uid)
            else:
                self.store.unpin(uid)
        except QingyingError as err:
            self.pin_failed.emit(str(err))
            return
        self._filling = True
        item.setData(SORT_ROLE, int(pinned))
        self._filling = False

    def _on_double_click(self, row: int, column: int) -> None:
        item = self.item(row, 0)
        if column != PIN_COLUMN and item is not None:  # the Pinned box takes its own clicks
            self.read_requested.emit(str(item.data(UID_ROLE)))

    def row_of(self, study_uid: str) -> int:
        for row in range(self.rowCount()):
            item = self.item(row, 0)
            if item is not None and item.data(UID_ROLE) == study_uid:
                return row
        return -1

    def pin_item(self, study_uid: str) -> QTableWidgetItem | None:
        row = self.row_of(study_uid)
        return self.item(row, PIN_COLUMN) if row >= 0 else None

    def selected_uids(self) -> list[str]:
        rows = sorted({index.row() for index in self.selectionModel().selectedRows()})
        items = [self.item(row, 0) for row in rows]
        return [str(item.data(UID_ROLE)) for item in items if item is not None]


def _state_text(study: CachedStudy) -> str:
    if study.state == "complete":
        return QCoreApplication.translate("CacheDialog", "complete")
    if study.state == "partial":
        expected = study.expected_instance_count
        return (
            QCoreApplication.translate("CacheDialog", "partial (%1 of %2 images)")
            .replace("%1", str(study.instance_count))
            .replace("%2", str(expected))
            if expected
            else QCoreApplication.translate("CacheDialog", "partial")
        )
    return QCoreApplication.translate("CacheDialog", "empty")


def _when(timestamp: float) -> str:
    if not timestamp:
        return ""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))
