"""The series strip of the reading view: the series of each study being read, a tile each.

A column beside the viewports, one block per study (its date, hospital and description
above its tiles), each tile the history's own :class:`~widgets.series_tile.SeriesTile`
(thumbnail, cache badge, what it is). A click opens the series in the active viewport;
dragging a tile onto a viewport opens it there (the drag carries the study and
series UIDs, :data:`MIME_TYPE`). Whether a series is cached, and fetching it when not, is
the window's and the session's: the strip only says which series the doctor wants.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QByteArray, QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import QDrag, QImage, QMouseEvent
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from viewer.display import format_date
from viewer.history.series import SeriesListing
from viewer.records import StudyRecord
from viewer.session.badges import badge_of
from widgets.series_tile import THUMB_SIDE, TILE_WIDTH, SeriesTile
from widgets.thumbnail_placeholder import to_qimage
from widgets.workers import Worker

# (study uid, series uid, side) → the thumbnail's display pixels: the session's
# ReadingSession.series_thumbnail, run off the UI thread.
ThumbnailSource = Callable[[str, str, int], npt.NDArray[np.uint8]]

MIME_TYPE = "application/x-qingying-series"  # "study uid\nseries uid", UTF-8


def series_mime(study_uid: str, series_uid: str) -> QMimeData:
    data = QMimeData()
    data.setData(MIME_TYPE, QByteArray(f"{study_uid}\n{series_uid}".encode()))
    return data


def series_of_mime(data: QMimeData) -> tuple[str, str] | None:
    """(study uid, series uid) of a drag from the strip, else None."""
    if not data.hasFormat(MIME_TYPE):
        return None
    parts = bytes(data.data(MIME_TYPE).data()).decode("utf-8", "replace").split("\n")
    return (parts[0], parts[1]) if len(parts) == 2 and all(parts) else None


class StripTile(SeriesTile):
    """A series tile that opens its series in the active viewport on a click, or in the
    viewport it is dragged onto."""

    def __init__(self, study_uid: str, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.study_uid = study_uid
        self._press: QPoint | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        # A click (the press not turned into a drag): open it where the doctor reads.
        if self._press is not None and event.button() == Qt.MouseButton.LeftButton:
            self._press = None
            self.opened.emit(self.entry.series_uid)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        event.accept()  # its first click opened it already

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        start = self._press
        if start is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        if (event.position().toPoint() - start).manhattanLength() < (
            QApplication.startDragDistance()
        ):
            return
        self._press = None
        drag = QDrag(self)
        drag.setMimeData(series_mime(self.study_uid, self.entry.series_uid))
        pixmap = self.thumb.pixmap()
        if not pixmap.isNull():
            drag.setPixmap(pixmap.scaledToWidth(64))
        drag.exec(Qt.DropAction.CopyAction)


class SeriesStrip(QScrollArea):
    """The series of the studies read, each block headed by its study."""

    series_requested = Signal(str, str)  # study uid, series uid: clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SeriesStrip")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedWidth(TILE_WIDTH + 24)
        self.tiles: dict[tuple[str, str], StripTile] = {}
        self._body = QWidget(self)
        self._column = QVBoxLayout(self._body)
        self._column.setContentsMargins(4, 4, 4, 4)
        self._column.setSpacing(4)
        self._column.addStretch(1)
        self.setWidget(self._body)
        self._studies: list[str] = []
        self.thumbnail_source: ThumbnailSource | None = None
        self._workers: list[Worker] = []

    def show_study(self, study: StudyRecord, listing: SeriesListing) -> None:
        """Add the study's block (or renew it): its header, then a tile per series."""
        uid = study.study_uid
        if uid in self._studies:
            self._drop_block(uid)
        block = QFrame(self._body)
        block.setObjectName("StripStudy")
        block.setProperty("study", uid)
        column = QVBoxLayout(block)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        header = QLabel(
            "\n".join(
                x
                for x in (
                    format_date(study.study_date),
                    study.institution,
                    study.description,
                )
                if x
            ),
            block,
        )
        header.setObjectName("StripStudyHeader")
        header.setWordWrap(True)
        column.addWidget(header)
        for entry in listing.series:
            tile = StripTile(uid, entry, block)
            tile.set_badge(badge_of(entry.cached, entry.expected))
            tile.opened.connect(
                lambda series_uid, uid=uid: self.series_requested.emit(uid, series_uid)
            )
            column.addWidget(tile)
            self.tiles[(uid, entry.series_uid)] = tile
        self._column.insertWidget(self._column.count() - 1, block)
        self._studies.append(uid)
        self._draw_thumbnails()

    def studies(self) -> list[str]:
        return list(self._studies)

    def set_thumbnail(self, study_uid: str, series_uid: str, image: QImage, cached: int) -> None:
        tile = self.tiles.get((study_uid, series_uid))
        if tile is not None:
            tile.set_thumbnail(image, cached)

    def wanting_thumbnails(self) -> Sequence[tuple[str, str, int]]:
        """(study, series, cached images) of each tile with something cached to draw
        its thumbnail from and none drawn yet."""
        return [
            (study, series, tile.entry.cached)
            for (study, series), tile in self.tiles.items()
            if tile.entry.cached > 0 and not tile.has_thumbnail and not tile.thumb_pending
        ]

    def _draw_thumbnails(self) -> None:
        """Each tile with cached images and no thumbnail yet gets one, made on a worker."""
        source = self.thumbnail_source
        if source is None:
            return
        for study, series, cached in self.wanting_thumbnails():
            tile = self.tiles[(study, series)]
            tile.thumb_pending = True
            worker = Worker(
                lambda _c, _p, st=study, se=series: to_qimage(source(st, se, THUMB_SIDE)), self
            )
            worker.finished.connect(
                lambda image, st=study, se=series, n=cached: self.set_thumbnail(st, se, image, n)
            )
            worker.failed.connect(
                lambda err, st=study, se=series: self._thumbnail_failed(st, se, str(err))
            )
            self._workers = [w for w in self._workers if w.running] + [worker]
            worker.start()

    def _thumbnail_failed(self, study_uid: str, series_uid: str, text: str) -> None:
        tile = self.tiles.get((study_uid, series_uid))
        if tile is not None:
            tile.set_thumbnail_problem(text)

    def clear(self) -> None:
        for uid in list(self._studies):
            self._drop_block(uid)

    def _drop_block(self, uid: str) -> None:
        for index in range(self._column.count()):
            widget = self._column.itemAt(index).widget()
            if widget is not None and widget.property("study") == uid:
                self._column.takeAt(index)
                widget.deleteLater()
                break
        self.tiles = {key: tile for key, tile in self.tiles.items() if key[0] != uid}
        self._studies.remove(uid)
