"""Small helpers every screen uses for its labels and its styled states."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def plain_label(text: str, name: str, parent: QWidget, *, wrap: bool = False) -> QLabel:
    """A label showing ``text`` as plain text (never as rich text: patient names and
    server messages go into labels), named ``name`` for the stylesheet."""
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    return label


def restyle(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property used by a selector changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)
