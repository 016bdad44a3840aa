"""A series being downloaded shows its thumbnail from its first cached image: drawn once
while it downloads, on a worker thread, not at every image that arrives."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QWidget

from tests.qt.fakes import session_over
from viewer.history.series import SeriesEntry, SeriesListing
from viewer.imaging import thumbnail as thumbnail_module
from viewer.retrieve.fetch import FetchProgress, SeriesProgress
from widgets.app import create_application
from widgets.series_view import SeriesLoader, SeriesPanel

pytestmark = pytest.mark.qt

STUDY, SERIES = "1.2.840.1", "1.2.840.1.1"


def test_a_downloading_series_shows_its_thumbnail_from_its_first_image_drawn_once(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_application()
    drawn: list[tuple[int, bool]] = []  # (images cached when drawn, on the UI thread)

    def thumbnail(paths: list[Path], side: int) -> np.ndarray:
        drawn.append((len(paths), threading.current_thread() is threading.main_thread()))
        return np.full((8, 8), 128, np.uint8)

    monkeypatch.setattr(thumbnail_module, "series_thumbnail", thumbnail)
    cached: list[Path] = []

    class Store:  # what the cache holds of the series so far
        def instance_files(self, study_uid: str, series_uid: str) -> list[Path]:
            return list(cached)

    host = QWidget()
    qtbot.addWidget(host)
    loader = SeriesLoader(session_over(Store()), host)
    panel = SeriesPanel(host)  # wired as the main window wires them
    panel.thumbnail_wanted.connect(lambda uid, at: loader.thumbnail(STUDY, uid, at))
    loader.thumbnail_ready.connect(
        lambda _study, uid, image, at: panel.set_thumbnail(uid, image, at)
    )
    entry = SeriesEntry(SERIES, "MR", 1, "Sag T1 SE", 10, 0)
    panel.show_listing(SeriesListing(STUDY, (entry,), "provincial"))
    tile = panel.tiles[SERIES]
    assert not tile.has_thumbnail
    for count in range(1, 10):  # the series arrives image by image
        cached.append(Path(f"{count}.dcm"))
        panel.show_progress(FetchProgress(series={SERIES: SeriesProgress(10, count, "fetching")}))
        if count == 1:
            qtbot.waitUntil(lambda: tile.has_thumbnail, timeout=10000)
        qtbot.wait(10)  # an answer to a second request would arrive meanwhile
    qtbot.waitUntil(lambda: not loader._workers, timeout=10000)
    assert tile.badge.kind == "downloading"
    assert tile.thumb_at == 1 and not tile.thumb.pixmap().isNull()
    assert drawn == [(1, False)]  # once, from the first image, off the UI thread
