"""The measuring tools on keys and in the reading bar's Measure menu.

Keys (the same key again, or Esc, goes back to reading): D distance, Shift+D polyline,
G angle, C Cobb angle, Shift+C calibrate (a line of known length, for the series), B
long and short axis, Q rectangle, E ellipse, W freehand, X probe, K arrow, T text. The
reading keys (window, presets, scroll, zoom) stay on the others; with a tool chosen the
left button draws instead of scrolling.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from viewer.measure.tools import DRAWN_TOOLS, Tool
from viewer.session.annotations import StudyAnnotations
from widgets.measure_words import tool_name

if TYPE_CHECKING:
    from viewer.session.reading import OpenSeries
    from widgets.reading_viewport import Viewport

TOOL_KEYS: dict[tuple[Qt.Key, bool], Tool] = {  # (key, Shift held) → tool
    (Qt.Key.Key_D, False): Tool.LINE,
    (Qt.Key.Key_D, True): Tool.POLYLINE,
    (Qt.Key.Key_G, False): Tool.ANGLE,
    (Qt.Key.Key_C, False): Tool.COBB,
    (Qt.Key.Key_C, True): Tool.CALIBRATE,
    (Qt.Key.Key_B, False): Tool.BIDIRECTIONAL,
    (Qt.Key.Key_Q, False): Tool.RECTANGLE,
    (Qt.Key.Key_E, False): Tool.ELLIPSE,
    (Qt.Key.Key_W, False): Tool.FREEHAND,
    (Qt.Key.Key_X, False): Tool.PROBE,
    (Qt.Key.Key_K, False): Tool.ARROW,
    (Qt.Key.Key_T, False): Tool.TEXT,
}


def tool_for_key(key: int, shift: bool) -> Tool | None:
    try:
        return TOOL_KEYS.get((Qt.Key(key), shift))
    except ValueError:  # a key Qt has no name for
        return None


def key_text(tool: Tool) -> str:
    key, shift = next(k for k, t in TOOL_KEYS.items() if t is tool)
    letter = key.name.removeprefix("Key_")
    return f"Shift+{letter}" if shift else letter


class ToolsButton(QToolButton):
    """ "Measure ▾": the tools with their keys; it shows the tool chosen, lit."""

    chosen = Signal(object)  # Tool | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ToolsButton")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setCheckable(True)
        menu = QMenu(self)
        self.actions_by_tool: dict[Tool, QAction] = {}
        for tool in DRAWN_TOOLS:
            action = menu.addAction(f"{tool_name(tool)}\t{key_text(tool)}")
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, t=tool: self.chosen.emit(t))
            self.actions_by_tool[tool] = action
        menu.addSeparator()
        self.key_action = menu.addAction(
            QCoreApplication.translate("Measure", "Mark key image") + "\t*"
        )
        menu.addSeparator()
        self.send_action = menu.addAction(
            QCoreApplication.translate(
                "Measure", "Send measurements and key images to the platform"
            )
        )
        menu.addSeparator()
        menu.addAction(
            QCoreApplication.translate("Measure", "Reading (no tool)") + "\tEsc"
        ).triggered.connect(lambda _=False: self.chosen.emit(None))
        self.setMenu(menu)
        self.show_tool(None)

    def show_tool(self, tool: Tool | None) -> None:
        self.setText(
            QCoreApplication.translate("Measure", "Measure") if tool is None else tool_name(tool)
        )
        self.setChecked(tool is not None)
        for each, action in self.actions_by_tool.items():
            action.setChecked(each is tool)


class MeasureKeys:
    """The reading view's measuring: the tool chosen for every viewport, the keys, undo
    and redo (mixed into :class:`widgets.reading_view.ReadingView`, whose viewports,
    active series and Measure button these use)."""

    tool: Tool | None
    viewports: list[Viewport]
    tools_button: ToolsButton
    annotations_of: Callable[[str], StudyAnnotations]
    _annotations: dict[str, StudyAnnotations]

    @property
    def series(self) -> OpenSeries | None: ...

    @property
    def active(self) -> Viewport: ...

    def choose_tool(self, tool: Tool | None) -> None:
        """Measure with ``tool`` in every viewport (None: back to reading gestures)."""
        self.tool = tool
        for viewport in self.viewports:
            if viewport.measuring.points:
                viewport.measuring.cancel()
        self.tools_button.show_tool(tool)

    def undo(self, redo: bool = False) -> None:
        """Undo (or redo) the last change of the active series' study's measurements."""
        series = self.series
        if series is not None:
            study = self.annotations_of(series.study_uid)
            study.redo() if redo else study.undo()

    def _own_annotations(self, study_uid: str) -> StudyAnnotations:
        return self._annotations.setdefault(study_uid, StudyAnnotations(study_uid))

    def _measure_key(self, key: int, ctrl: bool, shift: bool) -> bool:
        """A tool's key (again: back to reading), * key image, Ctrl+Z undo, Ctrl+Y or
        Ctrl+Shift+Z redo."""
        tool = tool_for_key(key, shift) if not ctrl else None
        if tool is not None:
            self.choose_tool(None if tool == self.tool else tool)
        elif key == Qt.Key.Key_Asterisk:
            self.active.measuring.toggle_key_image()
        elif ctrl and key in (Qt.Key.Key_Z, Qt.Key.Key_Y):
            self.undo(redo=shift or key == Qt.Key.Key_Y)
        else:
            return False
        return True
