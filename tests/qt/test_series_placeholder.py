"""A series whose image cannot be decoded shows a placeholder with the reason, and the
viewer stays up (issue 12, finding 1).

The bad image is a baseline JPEG with its JFIF revision and sample precision overwritten
(made in :mod:`tests.unit.test_decode_bad_data`): pylibjpeg and Pillow refuse it, and
GDCM, tried next, aborts the process that calls it. The thumbnail is decoded as the
window decodes it: on the loader's worker thread, in this process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QWidget

from tests.qt.fakes import session_over
from tests.unit.test_decode_bad_data import corrupt_jpeg_file, jpeg_that_aborts_gdcm
from viewer.history.series import SeriesEntry, SeriesListing
from widgets.app import create_application
from widgets.series_view import SeriesLoader, SeriesPanel

pytestmark = pytest.mark.qt

STUDY, BAD, GOOD = "1.2.840.1", "1.2.840.1.1", "1.2.840.1.2"


def good_file(path: Path) -> Path:
    """The same secondary capture with its JPEG whole."""
    from pydicom import dcmread
    from pydicom.encaps import encapsulate

    corrupt_jpeg_file(path)
    ds = dcmread(path)
    data = bytearray(jpeg_that_aborts_gdcm())
    data[11] = 1
    data[data.index(b"\xff\xc0") + 4] = 8
    ds.PixelData = encapsulate([bytes(data)])
    ds.save_as(path, enforce_file_format=True)
    return path


def test_a_corrupt_jpeg_shows_a_placeholder_with_the_reason_and_the_app_stays_up(
    qtbot: Any, tmp_path: Path
) -> None:
    create_application()
    files = {
        BAD: [corrupt_jpeg_file(tmp_path / "bad.dcm")],
        GOOD: [good_file(tmp_path / "good.dcm")],
    }

    class Store:  # the cache holds one image of each series
        def instance_files(self, study_uid: str, series_uid: str) -> list[Path]:
            return files[series_uid]

    host = QWidget()
    qtbot.addWidget(host)
    loader = SeriesLoader(session_over(Store()), host)
    panel = SeriesPanel(host)  # wired as the main window wires them
    panel.thumbnail_wanted.connect(lambda uid, at: loader.thumbnail(STUDY, uid, at))
    loader.thumbnail_ready.connect(lambda _s, uid, image, at: panel.set_thumbnail(uid, image, at))
    loader.thumbnail_failed.connect(lambda _s, uid, text: panel.set_thumbnail_problem(uid, text))
    entries = (
        SeriesEntry(BAD, "OT", 1, "Scanned film", 1, 1),
        SeriesEntry(GOOD, "OT", 2, "", 1, 1),
    )
    with qtbot.waitSignal(loader.thumbnail_failed, timeout=60_000) as failed:
        panel.show_listing(SeriesListing(STUDY, entries, "provincial"))
    assert failed.args[1] == BAD
    qtbot.waitUntil(lambda: panel.tiles[GOOD].has_thumbnail, timeout=10_000)  # still up

    tile = panel.tiles[BAD]
    assert not tile.has_thumbnail and not tile.placeholder.isHidden()
    shown = tile.placeholder.text()
    assert "Cannot show image" in shown
    assert "cannot decode JPEG Baseline (Process 1)" in shown
    assert "1.2.840.10008" not in shown and str(tmp_path) not in shown  # no UID, no path
    assert "gdcm crashed (signal SIGABRT)" in tile.toolTip()
    assert str(tmp_path) not in tile.toolTip()
    assert panel.tiles[GOOD].placeholder.isHidden()
    assert loader.shutdown(10)
