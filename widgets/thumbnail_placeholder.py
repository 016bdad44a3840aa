"""What stands in a series' thumbnail square: the image made into a QImage, or, when it
cannot be shown, a placeholder that says why.

A bad image from a source or a patient's CD must leave neither a blank square nor a
closed window: the thumbnail job's InvalidDataError comes to the tile as text, and
:class:`ThumbnailPlaceholder` shows "Cannot show image" and the reason's first clause
over the square (the whole reason goes to the tile's tooltip).
"""

from __future__ import annotations

import html
import re

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QWidget

# The placeholder's look travels with it: the dark square of a thumbnail, reddened, and
# the heading in the app's problem colour (#ff9b8f in style.qss).
STYLE = (
    "#SeriesThumbProblem { background: #2a1f21; border: 1px solid #6b3a3a;"
    " border-radius: 2px; color: #d8dadf; font-size: 8pt; padding: 2px 4px; }"
)
BADGE_ROOM = 22  # pixels kept free at the bottom of the square for the badge
_UID_IN_BRACKETS = re.compile(r"\s*\((?:\d+\.)+\d+\)")


def to_qimage(pixels: npt.NDArray[np.uint8]) -> QImage:
    """An 8-bit grayscale (rows, columns) or RGB (rows, columns, 3) array as a QImage
    that owns its pixels (safe to make on a worker thread)."""
    array = np.ascontiguousarray(pixels, dtype=np.uint8)
    rows, columns = array.shape[:2]
    if array.ndim == 2:
        fmt, stride = QImage.Format.Format_Grayscale8, columns
    else:
        fmt, stride = QImage.Format.Format_RGB888, columns * 3
    return QImage(array.tobytes(), columns, rows, stride, fmt).copy()


def headline(reason: str) -> str:
    """The first clause of a core message, without transfer syntax UIDs: what fits in a
    thumbnail ("cannot decode JPEG Baseline (Process 1)"); the rest is for the tooltip."""
    first = reason.split(": ", 1)[0]
    return _UID_IN_BRACKETS.sub("", first).strip() or reason


class ThumbnailPlaceholder(QLabel):
    """Over a thumbnail square of ``side`` pixels, above the badge's line; hidden until
    :meth:`show_problem`."""

    def __init__(self, square: QWidget, side: int) -> None:
        super().__init__(square)
        self.setObjectName("SeriesThumbProblem")
        self.setStyleSheet(STYLE)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setGeometry(0, 0, side, side - BADGE_ROOM)
        self.hide()

    def show_problem(self, reason: str) -> None:
        """``reason``: the core's message (English, as every core message is)."""
        heading = html.escape(self.tr("Cannot show image"))
        self.setText(f'<b style="color:#ff9b8f">⚠ {heading}</b><br>{html.escape(headline(reason))}')
        self.show()
