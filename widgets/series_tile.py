"""One series under a study's card: its thumbnail with the cache badge on it, then what it is.

:class:`~widgets.series_view.SeriesPanel` makes the tiles and tells them their badges and
thumbnails; a tile only draws what it is told.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QMouseEvent, QPixmap
from PySide6.QtWidgets import QFrame, QProgressBar, QVBoxLayout, QWidget

from viewer.records import SeriesEntry
from viewer.session.badges import BadgeKind, SeriesBadge
from widgets.labels import plain_label, restyle
from widgets.thumbnail_placeholder import ThumbnailPlaceholder

THUMB_SIDE = 112  # pixels: the thumbnail's longer side, and the square it sits in
TILE_WIDTH = THUMB_SIDE + 16


class SeriesTile(QFrame):
    """One series: its thumbnail with the badge on it, then what it is. A double-click
    opens it: not yet cached, it is fetched before the study's other series."""

    opened = Signal(str)  # series uid

    def __init__(self, entry: SeriesEntry, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("SeriesTile")
        self.setFixedWidth(TILE_WIDTH)
        self.entry = entry
        self.badge = SeriesBadge("none", 0, None)
        self.thumb_at = -1  # cached instances when the thumbnail shown was made (-1: none)
        self.thumb_pending = False
        self.thumb_problem = ""
        self.problem = ""  # why its download failed
        self._badge_shown: tuple[SeriesBadge, str] | None = None  # what the badge says now
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(3)
        self.thumb = plain_label("", "SeriesThumb", self)
        self.thumb.setFixedSize(THUMB_SIDE, THUMB_SIDE)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge_label = plain_label("", "SeriesBadge", self.thumb)
        self.placeholder = ThumbnailPlaceholder(self.thumb, THUMB_SIDE)  # for a bad image
        self.bar = QProgressBar(self)
        self.bar.setObjectName("SeriesBar")
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(THUMB_SIDE)
        self.title = plain_label("", "SeriesTitle", self)
        self.description = plain_label("", "SeriesDescription", self)
        self.count = plain_label("", "SeriesCount", self)
        layout.addWidget(self.thumb)
        layout.addWidget(self.bar)
        layout.addWidget(self.title)
        layout.addWidget(self.description)
        layout.addWidget(self.count)
        self.set_entry(entry)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self.opened.emit(self.entry.series_uid)
            event.accept()  # this series, not its study: the card must not see it too
            return
        super().mouseDoubleClickEvent(event)

    def set_entry(self, entry: SeriesEntry) -> None:
        self.entry = entry
        modality = entry.modality or "?"
        self.title.setText(
            self.tr("%1 · series %2").replace("%1", modality).replace("%2", str(entry.number))
            if entry.number is not None
            else modality
        )
        text = entry.description or self.tr("(no description)")
        metrics = self.description.fontMetrics()
        self.description.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, THUMB_SIDE))
        self.count.setText(
            self.tr("%1 image(s)").replace("%1", str(entry.expected))
            if entry.expected is not None
            else ""
        )
        if self.thumb_at < 0:
            self.thumb.setText(modality)
        self._update_tooltip()

    def set_badge(self, badge: SeriesBadge, problem: str = "") -> None:
        if self._badge_shown == (badge, problem):
            return  # each progress tick comes here for every tile: most did not change
        self._badge_shown = (badge, problem)
        self.badge, self.problem = badge, problem
        text = self.badge_text(badge)
        room = THUMB_SIDE - 18  # the badge's padding and margins
        metrics = self.badge_label.fontMetrics()
        self.badge_label.setText(metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, room))
        self.badge_label.setProperty("state", badge.kind)
        restyle(self.badge_label)
        self.badge_label.adjustSize()
        self.badge_label.move(4, THUMB_SIDE - self.badge_label.height() - 4)
        moving = badge.kind in ("downloading", "waiting")
        self.bar.setVisible(moving)
        if moving:
            self.bar.setRange(0, max(1, badge.expected or 0))
            self.bar.setValue(badge.cached)
        self._update_tooltip()

    def _texts(self, badge: SeriesBadge) -> tuple[str, str]:
        """What a badge of its kind says, short and in words; ``%1`` is its counts. One
        table, so that no kind has one without the other."""
        texts: dict[BadgeKind, tuple[str, str]] = {
            "cached": (self.tr("cached"), self.tr("In the offline cache")),
            "partial": (self.tr("partial %1"), self.tr("Partly in the offline cache: %1 images")),
            "downloading": (self.tr("↓ %1"), self.tr("Downloading: %1 images cached")),
            "waiting": (self.tr("queued %1"), self.tr("Waiting to download: %1 images cached")),
            "failed": (self.tr("failed %1"), self.tr("Download failed: %1 images cached")),
            "none": (self.tr("not cached"), self.tr("Not in the offline cache")),
        }
        counts = f"{badge.cached}/{'?' if badge.expected is None else badge.expected}"
        short, words = texts[badge.kind]
        return short.replace("%1", counts), words.replace("%1", counts)

    def badge_text(self, badge: SeriesBadge) -> str:
        """What the badge on the thumbnail says: short, it has a thumbnail's width."""
        return self._texts(badge)[0]

    def badge_words(self, badge: SeriesBadge) -> str:
        """The same in words, for the tooltip."""
        return self._texts(badge)[1]

    def set_thumbnail(self, image: QImage, cached_at: int) -> None:
        self.thumb_pending = False
        self.thumb_problem = ""
        self.thumb_at = cached_at
        self.placeholder.hide()
        self.thumb.setPixmap(QPixmap.fromImage(image))
        self.badge_label.raise_()
        self._update_tooltip()

    def set_thumbnail_problem(self, text: str) -> None:
        self.thumb_pending = False
        self.thumb_problem = text
        if not self.has_thumbnail:  # one drawn earlier from fewer images stays
            self.thumb.setText("")
            self.placeholder.show_problem(text)
            self.badge_label.raise_()
        self._update_tooltip()

    @property
    def has_thumbnail(self) -> bool:
        return self.thumb_at >= 0

    def _update_tooltip(self) -> None:
        entry = self.entry
        lines = [entry.description] if entry.description else []
        lines.append(self.badge_words(self.badge))
        if self.problem:
            lines.append(self.problem)
        if self.thumb_problem:
            lines.append(self.tr("No thumbnail: %1").replace("%1", self.thumb_problem))
        if self.badge.kind != "cached":
            lines.append(self.tr("Double-click: fetch this series first"))
        else:
            lines.append(self.tr("Double-click: read this series"))
        lines.append(entry.series_uid)
        self.setToolTip("\n".join(lines))
