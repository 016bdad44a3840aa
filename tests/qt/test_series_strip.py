"""The reading view's series strip: the studies read, a tile per series with its badge and
thumbnail; a double-click or a drop on a viewport asks for that series there."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication

from tests.qt.test_reading_layouts import view  # noqa: F401 (fixture)
from tests.unit.test_recent_similar import study
from viewer.history.series import SeriesListing
from viewer.records import SeriesEntry
from widgets.series_strip import MIME_TYPE, series_mime, series_of_mime

pytestmark = pytest.mark.qt


def listing(study_uid: str) -> SeriesListing:
    return SeriesListing(
        study_uid,
        (
            SeriesEntry("1.2.3.1", "CT", 2, "Chest 5mm", 60, 60),
            SeriesEntry("1.2.3.2", "CT", 3, "Chest 1mm lung", 300, 0),
        ),
        "provincial",
    )


def test_each_study_read_lists_its_series_with_badges_and_thumbnails_and_a_click_asks(
    qtbot: Any,
    view: Any,  # noqa: F811
) -> None:
    asked: list[tuple[str, str, int]] = []

    def thumbnail(study_uid: str, series_uid: str, side: int) -> np.ndarray:
        asked.append((study_uid, series_uid, side))
        return np.full((side, side), 200, dtype=np.uint8)

    view.strip.thumbnail_source = thumbnail
    view.show_study(study("S1", "20250301", "CT", desc="胸部CT"), listing("S1"))
    assert view.strip.isVisible()
    cached, uncached = view.strip.tiles[("S1", "1.2.3.1")], view.strip.tiles[("S1", "1.2.3.2")]
    assert cached.badge.kind == "cached" and uncached.badge.kind == "none"
    qtbot.waitUntil(lambda: cached.has_thumbnail, timeout=3000)
    assert [a[:2] for a in asked] == [("S1", "1.2.3.1")]  # nothing cached: no thumbnail asked
    assert not uncached.has_thumbnail
    view.show_study(study("S0", "20240101", "CT", desc="prior"), listing("S0"))
    assert view.strip.studies() == ["S1", "S0"]
    requested: list[tuple[str, str]] = []  # not ``asked``: the thumbnails' still counts
    view.series_requested.connect(lambda *uids: requested.append(uids))
    at, left, none = QPointF(20, 20), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for kind, held in (
        (QEvent.Type.MouseButtonPress, left),
        (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton),
        (QEvent.Type.MouseButtonDblClick, left),  # a double-click's second click: no more
        (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton),
    ):
        QApplication.sendEvent(uncached, QMouseEvent(kind, at, at, left, held, none))
    assert requested == [("S1", "1.2.3.2")]  # one click, one series asked for


def test_a_tile_dropped_on_a_viewport_asks_for_its_series_there(
    qtbot: Any,
    view: Any,  # noqa: F811
) -> None:
    view.set_layout(1, 2)
    right = view.viewports[1]
    data = series_mime("S1", "1.2.3.2")  # kept: the event does not own it
    drop = QDropEvent(
        QPointF(30, 30), Qt.DropAction.CopyAction, data,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    enter = QDragEnterEvent(
        QPoint(30, 30), Qt.DropAction.CopyAction, data,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    right.dragEnterEvent(enter)  # Qt delivers drops only inside a real drag: called as Qt would
    assert enter.isAccepted()
    with qtbot.waitSignal(view.series_requested) as got:
        right.dropEvent(drop)
    assert got.args == ["S1", "1.2.3.2"] and view.layout_model.active == 1


def test_only_a_well_formed_series_drag_is_taken() -> None:
    assert series_of_mime(series_mime("1.2", "1.2.3")) == ("1.2", "1.2.3")
    for payload in (b"", b"1.2", b"1.2\n", b"a\nb\nc"):
        data = QMimeData()
        data.setData(MIME_TYPE, QByteArray(payload))
        assert series_of_mime(data) is None
    text = QMimeData()
    text.setText("1.2\n1.2.3")
    assert series_of_mime(text) is None
