"""The reading view's help panel (? or F1): every key and gesture, in the doctor's words.

The rows follow :mod:`widgets.reading_gestures`, which does what they say; a key added
there belongs here too (tests/qt/test_reading_view.py looks for each key here).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def help_rows() -> list[tuple[str, str]]:
    """(keys or gesture, what it does), in the window's language."""

    rows = [
        (
            QCoreApplication.translate("ReadingHelp", "Right-drag"),
            QCoreApplication.translate(
                "ReadingHelp", "Window: left/right narrower/wider, up/down level higher/lower"
            ),
        ),
        (
            "1 – 9",
            QCoreApplication.translate(
                "ReadingHelp",
                "Window presets. CT: brain, subdural, stroke, lung, mediastinum, abdomen,"
                " liver, bone. Other modalities: the file's own windows",
            ),
        ),
        (
            "A",
            QCoreApplication.translate(
                "ReadingHelp", "Auto window (1st–99th percentile of this image)"
            ),
        ),
        ("R", QCoreApplication.translate("ReadingHelp", "The file's own window again")),
        ("I", QCoreApplication.translate("ReadingHelp", "Invert the grey scale")),
        (
            QCoreApplication.translate("ReadingHelp", "Wheel, ↑ ↓ ← →, left-drag"),
            QCoreApplication.translate("ReadingHelp", "Previous / next image"),
        ),
        ("PgUp / PgDn", QCoreApplication.translate("ReadingHelp", "10 images back / on")),
        ("Home / End", QCoreApplication.translate("ReadingHelp", "First / last image")),
        (
            QCoreApplication.translate("ReadingHelp", "Space"),
            QCoreApplication.translate("ReadingHelp", "Cine: play / pause, looping"),
        ),
        ("+ / −", QCoreApplication.translate("ReadingHelp", "Cine faster / slower (1–60 fps)")),
        (
            QCoreApplication.translate("ReadingHelp", "Ctrl+wheel, Ctrl+left-drag"),
            QCoreApplication.translate("ReadingHelp", "Zoom (wheel away or drag up: closer)"),
        ),
        (
            QCoreApplication.translate("ReadingHelp", "Middle-drag, Shift+left-drag"),
            QCoreApplication.translate("ReadingHelp", "Pan"),
        ),
        ("F", QCoreApplication.translate("ReadingHelp", "Fit the image to the viewport")),
        ("0", QCoreApplication.translate("ReadingHelp", "1:1, one image pixel per screen pixel")),
        (
            "Ctrl+R / Ctrl+Shift+R",
            QCoreApplication.translate("ReadingHelp", "Rotate 90° clockwise / anticlockwise"),
        ),
        ("H / V", QCoreApplication.translate("ReadingHelp", "Flip left-right / upside down")),
        (
            QCoreApplication.translate("ReadingHelp", "Backspace"),
            QCoreApplication.translate(
                "ReadingHelp", "Reset: upright, fitted, the file's window, not inverted"
            ),
        ),
        (
            "Ctrl+1 / 2 / 3 / 4 / 9",
            QCoreApplication.translate(
                "ReadingHelp", "Layout: 1×1, 1×2 side by side, 2×1 one above the other, 2×2, 3×3"
            ),
        ),
        (
            QCoreApplication.translate("ReadingHelp", "Click, Tab / Shift+Tab"),
            QCoreApplication.translate("ReadingHelp", "Choose the viewport a series opens in"),
        ),
        (
            "L",
            QCoreApplication.translate(
                "ReadingHelp",
                "Link scrolling on / off. Within one study the viewports follow by position; "
                "to link a prior, bring it to the same level first, then L twice",
            ),
        ),
        (
            "M",
            QCoreApplication.translate(
                "ReadingHelp",
                "MPR on / off: the series' own plane and two reformats, one point shared "
                "(click a plane to move it)",
            ),
        ),
        (
            "P",
            QCoreApplication.translate(
                "ReadingHelp",
                "Compare with prior: the nearest earlier study of this kind, from any "
                "hospital, beside this one",
            ),
        ),
        (
            "D / Shift+D",
            QCoreApplication.translate(
                "ReadingHelp", "Measure a distance / a polyline (double-click ends it)"
            ),
        ),
        (
            "G / C / B",
            QCoreApplication.translate("ReadingHelp", "Angle / Cobb angle / long and short axis"),
        ),
        (
            "Shift+C",
            QCoreApplication.translate(
                "ReadingHelp", "Calibrate: draw a line of known length, give its length in mm"
            ),
        ),
        (
            "Q / E / W",
            QCoreApplication.translate(
                "ReadingHelp", "Rectangle / ellipse / freehand region: area, mean, SD, min, max"
            ),
        ),
        (
            "X / K / T",
            QCoreApplication.translate("ReadingHelp", "Probe a value / an arrow / a note"),
        ),
        ("*", QCoreApplication.translate("ReadingHelp", "Mark the image a key image, or not")),
        (
            "Del",
            QCoreApplication.translate(
                "ReadingHelp", "Remove the selected measurement (drag a point to move it)"
            ),
        ),
        (
            "Ctrl+Z / Ctrl+Y",
            QCoreApplication.translate("ReadingHelp", "Undo / redo a measurement's change"),
        ),
        ("? / F1", QCoreApplication.translate("ReadingHelp", "This help")),
        (
            "Esc",
            QCoreApplication.translate(
                "ReadingHelp",
                "Back to the imaging history; the images stay open (F2 returns to them)",
            ),
        ),
    ]
    return rows


class ReadingHelp(QDialog):
    """A small table of :func:`help_rows`; Esc, ? or F1 closes it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReadingHelp")
        self.setWindowTitle(self.tr("Reading view: keys and mouse"))
        layout = QVBoxLayout(self)
        rows = help_rows()
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Key or gesture"), self.tr("Does")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        for row, (keys, does) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(does))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        note = QLabel(self.tr("Esc, ? or F1 closes this panel."), self)
        layout.addWidget(note)
        self.resize(760, 700)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        # Rows fitted to the wrapped text once the columns have their shown widths (fitted
        # before, a long row wraps in a narrow column and stands several lines high).
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def text(self) -> str:
        """Every row as shown, one a line (for tests and for reading aloud)."""
        return "\n".join(
            f"{self.table.item(r, 0).text()}\t{self.table.item(r, 1).text()}"
            for r in range(self.table.rowCount())
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Question, Qt.Key.Key_F1):
            self.close()
        else:
            super().keyPressEvent(event)
