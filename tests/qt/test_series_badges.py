"""A study card's series: thumbnails from the cache, a badge each that follows the download."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from tests.qt.fakes import history_study, session_over
from viewer.errors import NetworkError
from viewer.history.series import SeriesEntry, SeriesListing
from viewer.imaging import thumbnail as thumbnail_module
from viewer.retrieve.fetch import FetchProgress, SeriesProgress, fetch_into_cache
from viewer.sources.dicomweb import DicomwebSource
from widgets import series_tile
from widgets.app import create_application
from widgets.download import DownloadOutcome
from widgets.series_tile import THUMB_SIDE
from widgets.series_view import SeriesLoader, SeriesPanel

from .conftest import sign_in
from .test_history_screen import MAIN_PATIENT, open_window, search
from .test_offline_cache_screens import (
    DEAD_SOURCE,
    card_for,
    config_with_cache,
    demo_with_cache,
    fill_cache,
)

pytestmark = pytest.mark.qt

A, B = "1.2.840.1.1", "1.2.840.1.2"


def badges(panel: SeriesPanel) -> dict[str, str]:
    return {uid: tile.badge_label.text() for uid, tile in panel.tiles.items()}


@pytest.fixture
def panel(qtbot: Any):  # type: ignore[no-untyped-def]
    create_application()
    host = QWidget()
    qtbot.addWidget(host)
    panel = SeriesPanel(host)
    listing = SeriesListing(
        "1.2.840.1",
        (
            SeriesEntry(A, "MR", 1, "Sag T1 SE", 10, 0),
            SeriesEntry(B, "MR", 2, "Ax T2 TSE", 5, 2),
        ),
        "provincial",
    )
    panel.show_listing(listing)
    yield panel  # the host lives as long as the test


class TestBadgesFollowProgress:
    def test_the_listing_shows_what_the_cache_holds(self, panel: SeriesPanel) -> None:
        assert badges(panel) == {A: "not cached", B: "partial 2/5"}
        tile = panel.tiles[B]
        assert tile.title.text() == "MR · series 2"
        assert tile.count.text() == "5 image(s)"
        assert not tile.bar.isVisibleTo(tile)

    def test_each_series_counts_up_while_the_study_downloads(self, panel: SeriesPanel) -> None:
        progress = FetchProgress(
            instances_total=13,
            series={A: SeriesProgress(10, 3, "fetching"), B: SeriesProgress(5, 2, "waiting")},
        )
        panel.show_progress(progress)
        assert badges(panel) == {A: "↓ 3/10", B: "queued 2/5"}
        bar = panel.tiles[A].bar
        assert bar.isVisibleTo(panel.tiles[A]) and (bar.value(), bar.maximum()) == (3, 10)
        panel.show_progress(
            FetchProgress(
                series={A: SeriesProgress(10, 10, "done"), B: SeriesProgress(5, 4, "fetching")}
            )
        )
        assert badges(panel) == {A: "cached", B: "↓ 4/5"}

    def test_a_failed_download_marks_what_it_did_not_finish(self, panel: SeriesPanel) -> None:
        panel.show_progress(
            FetchProgress(
                series={A: SeriesProgress(10, 10, "done"), B: SeriesProgress(5, 3, "failed")}
            )
        )
        outcome = DownloadOutcome(
            "1.2.840.1", "provincial", "partial", error=NetworkError("connection reset")
        )
        panel.show_outcome(outcome)
        assert badges(panel) == {A: "cached", B: "failed 3/5"}
        assert "the link failed: connection reset" in panel.tiles[B].toolTip()
        # The cache's counts afterwards: still incomplete, still failed; complete, cached.
        panel.apply_counts({A: (10, 10), B: (3, 5)})
        assert badges(panel)[B] == "failed 3/5"
        panel.apply_counts({A: (10, 10), B: (5, 5)})
        assert badges(panel)[B] == "cached"

    def test_a_cancelled_download_leaves_partial_not_failed(self, panel: SeriesPanel) -> None:
        panel.show_progress(FetchProgress(series={A: SeriesProgress(10, 6, "done")}))
        panel.show_outcome(DownloadOutcome("1.2.840.1", "provincial", "partial", cancelled=True))
        assert badges(panel)[A] == "partial 6/10"

    def test_a_progress_tick_redraws_only_the_badges_that_changed(
        self, panel: SeriesPanel, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        restyled: list[str] = []
        monkeypatch.setattr(series_tile, "restyle", lambda w: restyled.append(w.text()))
        panel.show_progress(
            FetchProgress(
                series={A: SeriesProgress(10, 3, "fetching"), B: SeriesProgress(5, 2, "waiting")}
            )
        )
        assert sorted(restyled) == ["queued 2/5", "↓ 3/10"]
        restyled.clear()
        panel.show_progress(
            FetchProgress(
                series={A: SeriesProgress(10, 4, "fetching"), B: SeriesProgress(5, 2, "waiting")}
            )
        )
        assert restyled == ["↓ 4/10"]
        assert badges(panel) == {A: "↓ 4/10", B: "queued 2/5"}

    def test_a_thumbnail_is_asked_for_at_the_first_image_and_again_when_complete(
        self, panel: SeriesPanel, qtbot: Any
    ) -> None:
        asked: list[tuple[str, int]] = []
        panel.thumbnail_wanted.connect(lambda uid, at: asked.append((uid, at)))
        panel.show_progress(FetchProgress(series={A: SeriesProgress(10, 1, "fetching")}))
        assert asked == [(A, 1)]
        panel.show_progress(FetchProgress(series={A: SeriesProgress(10, 5, "fetching")}))
        assert asked == [(A, 1)]  # one pending already
        image = QImage(8, 8, QImage.Format.Format_Grayscale8)
        panel.set_thumbnail(A, image, 1)
        panel.show_progress(FetchProgress(series={A: SeriesProgress(10, 10, "done")}))
        assert asked == [(A, 1), (A, 10)]  # the complete series' middle image


C, D = "1.2.840.1.3", "1.2.840.1.4"


def laid_out(panel: SeriesPanel) -> list[str]:
    """The series of the tiles in the panel's layout, in the order they are drawn."""
    items = (panel.flow.itemAt(i) for i in range(panel.flow.count()))
    return [item.widget().entry.series_uid for item in items if item is not None]


@pytest.fixture
def empty_panel(qtbot: Any):  # type: ignore[no-untyped-def]
    create_application()
    host = QWidget()
    qtbot.addWidget(host)
    yield SeriesPanel(host)


LISTING = SeriesListing(
    "1.2.840.1",
    (SeriesEntry(A, "MR", 1, "Sag T1 SE", 10, 0), SeriesEntry(B, "MR", 2, "Ax T2 TSE", 5, 0)),
    "provincial",
)


class TestProgressBeforeTheListing:
    """A download opens the series and reports before the source has listed them."""

    def test_the_listing_puts_the_tiles_in_series_order(self, empty_panel: SeriesPanel) -> None:
        panel = empty_panel
        panel.show_progress(
            FetchProgress(
                series={
                    C: SeriesProgress(4, 1, "fetching"),
                    B: SeriesProgress(5, 0, "waiting"),
                    A: SeriesProgress(10, 2, "fetching"),
                }
            )
        )
        assert laid_out(panel) == [C, B, A]  # the download's order until the listing
        panel.show_listing(LISTING)
        assert laid_out(panel) == [A, B, C]  # the listing's, what only the download knows last
        assert list(panel.entries) == [A, B, C]
        assert badges(panel) == {A: "↓ 2/10", B: "queued 0/5", C: "↓ 1/4"}

    def test_a_series_only_the_download_knows_keeps_its_place_when_another_comes(
        self, empty_panel: SeriesPanel
    ) -> None:
        panel = empty_panel
        panel.show_progress(
            FetchProgress(
                series={C: SeriesProgress(4, 1, "fetching"), A: SeriesProgress(10, 0, "waiting")}
            )
        )
        panel.show_listing(LISTING)
        panel.show_progress(
            FetchProgress(
                series={
                    D: SeriesProgress(3, 0, "waiting"),
                    C: SeriesProgress(4, 2, "fetching"),
                    A: SeriesProgress(10, 0, "waiting"),
                }
            )
        )
        assert laid_out(panel) == [A, B, C, D]
        assert set(panel.tiles) == {A, B, C, D}

    def test_a_failed_series_the_new_listing_drops_is_forgotten(
        self, empty_panel: SeriesPanel
    ) -> None:
        panel = empty_panel
        panel.show_progress(
            FetchProgress(
                series={A: SeriesProgress(10, 3, "failed"), C: SeriesProgress(4, 1, "failed")}
            )
        )
        panel.show_outcome(
            DownloadOutcome(
                "1.2.840.1", "provincial", "partial", error=NetworkError("connection reset")
            )
        )
        assert panel.failed == {A, C}
        panel.show_listing(LISTING)  # the download is over: C is no series of the listing
        assert set(panel.tiles) == {A, B} and laid_out(panel) == [A, B]
        panel.apply_counts({A: (3, 10)})  # the cache's counts afterwards: C is not asked for
        assert panel.failed == {A}
        assert badges(panel) == {A: "failed 3/10", B: "not cached"}


def test_shutdown_waits_for_the_thumbnails_even_when_a_listing_is_late(qtbot: Any) -> None:
    """The store closes after the shutdown: no thumbnail may still be reading it."""
    create_application()
    release, drawing = threading.Event(), threading.Event()
    drawn: list[str] = []

    class SlowStore:
        def study(self, study_uid: str) -> None:
            release.wait(30)  # a listing that outlasts the shutdown's wait

        def missing_instances(self, study_uid: str, series_uid: str | None = None) -> set[str]:
            return set()

        def instance_files(self, study_uid: str, series_uid: str) -> list[Path]:
            drawing.set()
            time.sleep(1.3)  # longer than one wait, shorter than two
            drawn.append(series_uid)
            return []

    host = QWidget()
    qtbot.addWidget(host)
    loader = SeriesLoader(session_over(SlowStore()), host)
    try:
        loader.list_series(history_study("1.2.840.1"))
        loader.thumbnail("1.2.840.1", A, 1)
        assert drawing.wait(10)
        assert not loader.shutdown(1.0)  # the listing did not end in time
        assert drawn == [A]  # but the thumbnail was waited for
    finally:
        release.set()
        qtbot.waitUntil(lambda: not loader._workers, timeout=10000)


def test_a_thumbnail_that_arrives_late_is_asked_again_if_its_series_grew(
    panel: SeriesPanel,
) -> None:
    asked: list[tuple[str, int]] = []
    panel.thumbnail_wanted.connect(lambda uid, at: asked.append((uid, at)))
    panel.show_progress(FetchProgress(series={A: SeriesProgress(10, 1, "fetching")}))
    panel.show_progress(FetchProgress(series={A: SeriesProgress(10, 10, "done")}))
    assert asked == [(A, 1)]  # the first is still being drawn
    image = QImage(8, 8, QImage.Format.Format_Grayscale8)
    panel.set_thumbnail(A, image, 1)
    assert asked == [(A, 1), (A, 10)]
    panel.set_thumbnail(B, image, 2)  # only B is looked at again: it needs no other
    assert asked == [(A, 1), (A, 10)]


def test_a_thumbnail_kept_in_memory_is_shown_at_once(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new search makes new panels: the thumbnails drawn for the last ones are reused."""
    create_application()
    monkeypatch.setattr(
        thumbnail_module, "series_thumbnail", lambda paths, side: np.zeros((8, 8), np.uint8)
    )

    class Store:
        def instance_files(self, study_uid: str, series_uid: str) -> list[Path]:
            return [Path("image.dcm")]

    host = QWidget()
    qtbot.addWidget(host)
    loader = SeriesLoader(session_over(Store()), host)
    listing = SeriesListing("1.2.840.1", (SeriesEntry(A, "MR", 1, "Sag T1 SE", 10, 10),), "")

    def panel_on(loader: SeriesLoader) -> SeriesPanel:
        panel = SeriesPanel(host)
        panel.thumbnail_wanted.connect(lambda uid, at: loader.thumbnail("1.2.840.1", uid, at))
        loader.thumbnail_ready.connect(
            lambda _study, uid, image, at: panel.set_thumbnail(uid, image, at)
        )
        return panel

    first = panel_on(loader)
    with qtbot.waitSignal(loader.thumbnail_ready, timeout=10000):
        first.show_listing(listing)
    assert first.tiles[A].thumb_at == 10
    again = panel_on(loader)
    again.show_listing(listing)
    assert again.tiles[A].thumb_at == 10 and not again.tiles[A].thumb_pending


def expand(qtbot: Any, card: Any) -> SeriesPanel:
    qtbot.mouseClick(card.series_button, Qt.MouseButton.LeftButton)
    panel = card.series_panel
    assert panel is not None
    qtbot.waitUntil(lambda: panel.listing is not None, timeout=30000)
    return panel


def all_thumbnails(panel: SeriesPanel) -> bool:
    return bool(panel.tiles) and all(t.has_thumbnail for t in panel.tiles.values())


def test_offline_a_cached_study_lists_its_series_with_thumbnails(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, demo_data: Any
) -> None:
    config = config_with_cache(tmp_path, DEAD_SOURCE)
    fill_cache(config).close()
    window = open_window(qtbot, config)
    search(qtbot, window, name="Wang")
    card = next(c for c in window.history_view.cards() if "MR" in c.study.record.modalities)
    panel = expand(qtbot, card)
    assert panel.listing is not None and panel.listing.offline
    assert panel.status_label.text().startswith("From the offline cache")
    assert [t.entry.description for t in panel.tiles.values()] == [
        "Sag T1 SE",
        "Ax T2 TSE",
        "Ax T1 SE",
    ]
    assert set(badges(panel).values()) == {"cached"}
    qtbot.waitUntil(lambda: all_thumbnails(panel), timeout=30000)
    for tile in panel.tiles.values():
        pixmap = tile.thumb.pixmap()
        assert max(pixmap.width(), pixmap.height()) == THUMB_SIDE
    # Collapsing and searching again keeps the choice: the card comes back expanded.
    search(qtbot, window, name="Wang")
    again = next(
        c for c in window.history_view.cards() if c.study.study_uid == card.study.study_uid
    )
    assert again.series_expanded


def test_reopening_the_series_asks_no_second_listing_and_recounts_the_cache(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, demo_data: Any
) -> None:
    config = config_with_cache(tmp_path, DEAD_SOURCE)
    fill_cache(config).close()
    window = open_window(qtbot, config)
    search(qtbot, window, name="Wang")
    card = next(c for c in window.history_view.cards() if "MR" in c.study.record.modalities)
    uid = card.study.study_uid
    asked: list[str] = []
    window.history_view.series_requested.connect(lambda s: asked.append(s.study_uid))
    card.set_series_expanded(True)
    card.set_series_expanded(False)
    card.set_series_expanded(True)  # closed and opened again while the listing loads
    assert asked == [uid]
    panel = card.series_panel
    assert panel is not None
    qtbot.waitUntil(lambda: panel.listing is not None, timeout=30000)
    qtbot.waitUntil(lambda: all_thumbnails(panel), timeout=30000)
    assert set(badges(panel).values()) == {"cached"}
    card.set_series_expanded(False)
    # The cache page removes the study meanwhile: a closed panel is not told.
    assert window.store is not None
    window.store.delete_study(uid)
    window.studies.refresh_cache_states()
    assert set(badges(panel).values()) == {"cached"}
    card.set_series_expanded(True)  # opened again: the cache is asked, the source is not
    qtbot.waitUntil(lambda: set(badges(panel).values()) == {"not cached"}, timeout=30000)
    assert asked == [uid]


def test_download_shows_each_series_arrive_then_cached_with_thumbnails(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, platform: Any
) -> None:
    config = demo_with_cache(tmp_path, platform)
    sign_in(config, platform, "provincial", "gulou")
    window = open_window(qtbot, config)
    search(qtbot, window, patient_id=MAIN_PATIENT)
    card = card_for(window, "MR")
    downloads = window.downloads
    assert downloads is not None
    release, held_once, lock = threading.Event(), threading.Event(), threading.Lock()

    def held(*args: Any, on_progress: Any, cancelled: Any, **kw: Any):  # type: ignore[no-untyped-def]
        def progress(p: FetchProgress) -> None:
            on_progress(p)
            with lock:  # one fetching thread stops a few images in; the other goes on
                first = p.instances_done >= 5 and not held_once.is_set()
                if first:
                    held_once.set()
            if first:
                release.wait(30)

        return fetch_into_cache(*args, on_progress=progress, cancelled=cancelled, **kw)

    downloads.fetch = held
    qtbot.mouseClick(card.download_button, Qt.MouseButton.LeftButton)
    panel = card.series_panel
    assert panel is not None and card.series_expanded  # opened by the download
    qtbot.waitUntil(lambda: panel.listing is not None and len(panel.tiles) == 3, timeout=30000)
    assert panel.listing is not None and panel.listing.listed_by == "provincial"
    # The held series says how far it got; the others arrive meanwhile.
    qtbot.waitUntil(
        lambda: (
            sorted(b.kind for b in (t.badge for t in panel.tiles.values()))
            == ["cached", "cached", "downloading"]
        ),
        timeout=30000,
    )
    stuck = next(t for t in panel.tiles.values() if t.badge.kind == "downloading")
    assert 0 < stuck.badge.cached < (stuck.entry.expected or 0)
    assert stuck.badge_label.text() == f"↓ {stuck.badge.cached}/{stuck.entry.expected}"
    assert f"Downloading: {stuck.badge.cached}/{stuck.entry.expected} images" in stuck.toolTip()
    assert stuck.bar.isVisibleTo(stuck)
    assert card.cache_label.text() == "partly cached"  # what arrived is cached already
    qtbot.waitUntil(lambda: any(t.has_thumbnail for t in panel.tiles.values()), timeout=30000)
    with qtbot.waitSignal(downloads.ended, timeout=60000):
        release.set()
    qtbot.waitUntil(lambda: set(badges(panel).values()) == {"cached"}, timeout=30000)
    qtbot.waitUntil(
        lambda: (
            all_thumbnails(panel)
            and all(t.thumb_at == t.entry.expected for t in panel.tiles.values())
        ),
        timeout=30000,
    )
    assert [t.entry.expected for t in panel.tiles.values()] == [25, 20, 20]


def test_a_failed_download_shows_failed_badges(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, demo_data: Any
) -> None:
    config = config_with_cache(tmp_path, DEAD_SOURCE)
    fill_cache(config).close()
    window = open_window(qtbot, config)
    search(qtbot, window, name="Wang")
    card = next(c for c in window.history_view.cards() if "MR" in c.study.record.modalities)
    panel = expand(qtbot, card)
    first, *_ = panel.tiles

    def broken(_client: Any, _store: Any, study_uid: str, **kw: Any) -> Any:
        kw["on_progress"](FetchProgress(series={first: SeriesProgress(25, 10, "fetching")}))
        raise NetworkError("provincial: connection reset")

    downloads = window.downloads
    assert downloads is not None
    downloads.fetch = broken
    with qtbot.waitSignal(downloads.ended, timeout=30000):
        downloads.start(card.study.study_uid, DicomwebSource("provincial", "", object()))  # type: ignore[arg-type]
    assert badges(panel)[first] == "cached"  # the cache holds it all: the failure changed nothing
    qtbot.waitUntil(lambda: not panel.tiles[first].thumb_pending, timeout=30000)


def test_double_clicking_a_series_fetches_it_before_the_others(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, platform: Any
) -> None:
    config = demo_with_cache(tmp_path, platform)
    sign_in(config, platform, "provincial", "gulou")
    window = open_window(qtbot, config)
    search(qtbot, window, patient_id=MAIN_PATIENT)
    card = card_for(window, "MR")
    panel = expand(qtbot, card)
    downloads = window.downloads
    assert downloads is not None
    order: list[str] = []  # series in the order their first image arrived

    def recording(*args: Any, on_progress: Any, **kw: Any):  # type: ignore[no-untyped-def]
        def progress(p: FetchProgress) -> None:
            for uid, series in p.series.items():
                if series.cached > 0 and uid not in order:
                    order.append(uid)
            on_progress(p)

        return fetch_into_cache(*args, on_progress=progress, **kw)

    downloads.fetch = recording
    # The fetch runs two series at once, in the order the source lists them: without the
    # double-click the one listed last would wait for one of the first two to end.
    source = window.session.holder_of(card.study)
    assert source is not None and source.name == "provincial"
    listed = [entry.series_uid for entry in source.list_series(card.study.study_uid)]
    assert len(listed) == 3 and set(listed) == set(panel.tiles)
    waiting = listed[-1]
    assert "Double-click: fetch this series first" in panel.tiles[waiting].toolTip()
    with qtbot.waitSignal(downloads.ended, timeout=60000):
        qtbot.mouseDClick(panel.tiles[waiting], Qt.MouseButton.LeftButton)
    # It went ahead: now the second one listed had to wait for it.
    assert order.index(waiting) < order.index(listed[1]), order
    qtbot.waitUntil(lambda: set(badges(panel).values()) == {"cached"}, timeout=30000)
    # Cached now: opening it again fetches nothing, and the series is read.
    qtbot.mouseDClick(panel.tiles[waiting], Qt.MouseButton.LeftButton)
    assert downloads.active(card.study.study_uid) is None
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.reading_view, timeout=30000)
    assert window.reading_view is not None and window.reading_view.series is not None
    assert window.reading_view.series.series_uid == waiting
