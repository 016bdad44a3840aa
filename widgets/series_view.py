"""A study's series under its card: a thumbnail and a badge each, live while it downloads.

The list comes from the session (:meth:`~viewer.session.model.ReadingSession.list_series`:
a source's QIDO answer with the cache's counts, or the cache alone offline), the badge
from :func:`viewer.session.badges.badge_of` over the counts and the running fetch's
per-series progress, the thumbnail from the session too (the middle image through the
display chain). :class:`SeriesLoader` runs the listing and the
thumbnails on worker threads; this module only turns their results into widgets, one
:class:`~widgets.series_tile.SeriesTile` a series.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from viewer.errors import QingyingError
from viewer.history.result import HistoryStudy
from viewer.history.series import SeriesListing, with_cache_counts
from viewer.records import SeriesEntry
from viewer.retrieve.progress import FetchProgress
from viewer.session.badges import SeriesBadge, badge_of
from viewer.session.model import ReadingSession
from widgets.download import DownloadOutcome, failure_text
from widgets.flow_layout import FlowLayout
from widgets.labels import plain_label, restyle
from widgets.series_tile import THUMB_SIDE, SeriesTile
from widgets.thumbnail_placeholder import to_qimage
from widgets.workers import Worker

log = logging.getLogger(__name__)

MAX_THUMBNAILS = 400  # kept in memory across searches (about 40 KB each at most)


class SeriesPanel(QFrame):
    """The series of one study, each a :class:`SeriesTile`; badges follow the counts
    from the cache and, while the study downloads, the fetch's progress."""

    thumbnail_wanted = Signal(str, int)  # series uid, cached instances to render from
    series_opened = Signal(str)  # series uid: the doctor double-clicked its tile

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("SeriesPanel")
        self.listing: SeriesListing | None = None
        self.loading = False
        self.entries: dict[str, SeriesEntry] = {}
        self.tiles: dict[str, SeriesTile] = {}
        self.progress: FetchProgress | None = None
        self.failed: set[str] = set()
        self.failure = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        self.status_label = plain_label("", "SeriesStatus", self)
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        layout.addWidget(self.status_label)
        self.tile_area = QWidget(self)
        self.tile_area.setObjectName("SeriesTiles")
        self.flow = FlowLayout(self.tile_area, spacing=8)
        layout.addWidget(self.tile_area)

    # -- what the panel is told -------------------------------------------------------------
    def show_loading(self) -> None:
        self.loading = True
        if self.listing is None:
            self._set_status(self.tr("Asking for the series…"), "running")

    def show_error(self, text: str) -> None:
        self.loading = False
        self._set_status(text, "problem")

    def show_listing(self, listing: SeriesListing) -> None:
        self.loading = False
        self.listing = listing
        entries = {e.series_uid: e for e in listing.series}
        for uid, entry in self.entries.items():
            if uid not in entries and self._in_progress(uid):
                entries[uid] = entry  # only the running download knows it: it stays, last
        self.entries = entries
        self.failed &= entries.keys()
        for uid in list(self.tiles):
            if uid not in entries:
                tile = self.tiles.pop(uid)
                self.flow.removeWidget(tile)
                tile.deleteLater()
        for entry in listing.series:
            self._tile(entry).set_entry(entry)
        self._place_in_order()  # tiles the download made first follow the listing's order
        self._show_listing_status()
        self._refresh()

    def show_progress(self, progress: FetchProgress) -> None:
        """A download of the study runs: badges from its per-series progress."""
        self.progress = progress
        self.failed.clear()
        self.failure = ""
        for uid, series in progress.series.items():
            if uid not in self.entries:  # listed by the fetch but not (yet) by the panel
                self.entries[uid] = SeriesEntry(uid, "", None, "", series.expected, 0)
                self._tile(self.entries[uid])
        self._refresh()

    def show_outcome(self, outcome: DownloadOutcome) -> None:
        """The download ended: its last counts stay, a failure marks what is incomplete."""
        progress, self.progress = self.progress, None
        if progress is not None:
            for uid, series in progress.series.items():
                entry = self.entries.get(uid)
                if entry is not None:
                    self.entries[uid] = dataclasses.replace(
                        entry, cached=max(entry.cached, series.cached), expected=series.expected
                    )
        if outcome.error is not None and not outcome.cancelled:
            self.failure = failure_text(outcome.error)
            self.failed = {uid for uid, e in self.entries.items() if not self._complete(e)}
        self._refresh()

    def apply_counts(self, counts: dict[str, tuple[int, int]]) -> None:
        """The cache's counts (series → cached, known): exact once a download is over."""
        merged = with_cache_counts(self.entries.values(), counts)
        self.entries = {e.series_uid: e for e in merged}
        self.failed = {uid for uid in self.failed if not self._complete(self.entries[uid])}
        self._refresh()

    def set_thumbnail(self, series_uid: str, image: QImage, cached_at: int) -> None:
        tile = self.tiles.get(series_uid)
        if tile is not None:
            tile.set_thumbnail(image, cached_at)
            self._ask_thumbnail(series_uid, tile)  # it may have grown meanwhile: once more

    def set_thumbnail_problem(self, series_uid: str, text: str) -> None:
        tile = self.tiles.get(series_uid)
        if tile is not None:
            tile.set_thumbnail_problem(text)

    def badge(self, series_uid: str) -> SeriesBadge:
        return self.tiles[series_uid].badge

    # -- inside -----------------------------------------------------------------------------
    def _tile(self, entry: SeriesEntry) -> SeriesTile:
        tile = self.tiles.get(entry.series_uid)
        if tile is None:
            tile = SeriesTile(entry, self.tile_area)
            tile.opened.connect(self.series_opened)
            self.tiles[entry.series_uid] = tile
            self._place_in_order()
        return tile

    def _place_in_order(self) -> None:
        """Tiles in the listing's order (series number), those only the fetch knows last."""
        order = [uid for uid in self.entries if uid in self.tiles]
        for tile in self.tiles.values():
            self.flow.removeWidget(tile)
        for uid in order:
            self.flow.addWidget(self.tiles[uid])

    def _in_progress(self, uid: str) -> bool:
        return self.progress is not None and uid in self.progress.series

    @staticmethod
    def _complete(entry: SeriesEntry) -> bool:
        return badge_of(entry.cached, entry.expected).kind == "cached"

    def _refresh(self) -> None:
        series = self.progress.series if self.progress is not None else {}
        for uid, entry in self.entries.items():
            tile = self._tile(entry)
            badge = badge_of(
                entry.cached, entry.expected, series.get(uid), failed=uid in self.failed
            )
            tile.set_badge(badge, self.failure if badge.kind == "failed" else "")
            self._ask_thumbnail(uid, tile)

    def _ask_thumbnail(self, uid: str, tile: SeriesTile) -> None:
        """One as soon as an image is cached, and again once the series is complete (its
        middle image is then the one that stays). The answer may come before the signal
        returns (a thumbnail kept in memory): the tile is marked pending first."""
        badge = tile.badge
        if tile.thumb_pending or tile.thumb_problem or badge.cached == 0:
            return
        if not tile.has_thumbnail or (badge.kind == "cached" and tile.thumb_at < badge.cached):
            tile.thumb_pending = True
            self.thumbnail_wanted.emit(uid, badge.cached)

    def _show_listing_status(self) -> None:
        listing = self.listing
        assert listing is not None
        notes = []
        if not listing.series:
            notes.append(
                self.tr(
                    "No series known: no source could be asked, and the offline cache "
                    "holds none of this study."
                )
                if listing.offline
                else self.tr("The source lists no series for this study.")
            )
        elif listing.offline:
            notes.append(self.tr("From the offline cache: no source could be asked."))
        if listing.unlisted_missing:
            notes.append(
                self.tr("%1 more image(s) in series the cache holds nothing of yet.").replace(
                    "%1", str(listing.unlisted_missing)
                )
            )
        if notes:
            self._set_status(" ".join(notes), "note")
        else:
            self.status_label.hide()

    def _set_status(self, text: str, kind: str) -> None:
        self.status_label.setText(text)
        self.status_label.setProperty("state", kind)
        restyle(self.status_label)
        self.status_label.show()


class SeriesLoader(QObject):
    """Series lists and thumbnails, each on a worker; thumbnails kept in memory."""

    listed = Signal(str, object)  # study uid, SeriesListing
    list_failed = Signal(str, str)  # study uid, message
    counted = Signal(str, object)  # study uid, {series uid: (cached, known)}
    thumbnail_ready = Signal(str, str, object, int)  # study, series, QImage, cached_at
    thumbnail_failed = Signal(str, str, str)  # study, series, message

    def __init__(self, session: ReadingSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.list_pool = QThreadPool(self)
        self.list_pool.setMaxThreadCount(3)  # network: a few studies at once
        self.thumb_pool = QThreadPool(self)
        self.thumb_pool.setMaxThreadCount(2)  # decoding: leave the UI a core
        self._workers: set[Worker] = set()
        self._thumbs: collections.OrderedDict[str, tuple[int, QImage]] = collections.OrderedDict()
        self._closed = False

    def list_series(self, study: HistoryStudy) -> None:
        session, uid = self.session, study.study_uid
        self._run(
            lambda _c, _p: session.list_series(study),
            self.list_pool,
            lambda listing: self.listed.emit(uid, listing),
            lambda err: self.list_failed.emit(uid, str(err)),
        )

    def recount(self, study_uid: str) -> None:
        session = self.session
        if session.store is None:
            return
        self._run(
            lambda _c, _p: session.series_counts(study_uid),
            self.list_pool,
            lambda counts: self.counted.emit(study_uid, counts),
            lambda err: log.warning("cache counts of %s: %s", study_uid, err),
        )

    def thumbnail(self, study_uid: str, series_uid: str, cached_at: int) -> None:
        kept = self._thumbs.get(series_uid)
        if kept is not None and kept[0] >= cached_at:
            self._thumbs.move_to_end(series_uid)
            self.thumbnail_ready.emit(study_uid, series_uid, kept[1], kept[0])
            return
        session = self.session

        def job(_c: Callable[[], bool], _p: Callable[[str], None]) -> QImage:
            return to_qimage(session.series_thumbnail(study_uid, series_uid, THUMB_SIDE))

        def done(image: Any) -> None:
            self._thumbs[series_uid] = (cached_at, image)
            self._thumbs.move_to_end(series_uid)
            while len(self._thumbs) > MAX_THUMBNAILS:
                self._thumbs.popitem(last=False)
            self.thumbnail_ready.emit(study_uid, series_uid, image, cached_at)

        self._run(
            job,
            self.thumb_pool,
            done,
            lambda err: self.thumbnail_failed.emit(study_uid, series_uid, str(err)),
        )

    def shutdown(self, timeout: float) -> bool:
        """Drop what has not started, wait for what runs, report nothing more (the store
        closes next). False when something did not end in time."""
        self._closed = True
        for worker in list(self._workers):
            worker.cancel()
        self.list_pool.clear()
        self.thumb_pool.clear()
        ms = int(timeout * 1000)
        # Both, even when the first is late: a thumbnail still running reads the store.
        listed = self.list_pool.waitForDone(ms)
        drawn = self.thumb_pool.waitForDone(ms)
        return listed and drawn

    def _run(
        self,
        job: Callable[..., object],
        pool: QThreadPool,
        done: Callable[[Any], None],
        failed: Callable[[QingyingError], None],
    ) -> None:
        if self._closed:
            return
        worker = Worker(job, self)
        self._workers.add(worker)

        def finish(callback: Callable[[Any], None] | None, value: Any) -> None:
            self._workers.discard(worker)
            worker.deleteLater()
            if callback is not None and not self._closed:
                callback(value)

        worker.finished.connect(lambda result: finish(done, result))
        worker.failed.connect(lambda err: finish(failed, err))
        worker.cancelled.connect(lambda: finish(None, None))
        worker.start(pool)
