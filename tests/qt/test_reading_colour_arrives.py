"""An uncached ultrasound series of colour stills and cines is read from its first
instance on: the reading view shows it while the rest downloads, a progress line says
how many images are here, and the frames of each later instance appear as it lands
until the series is whole. The platform is the gated folder of
tests/unit/test_arriving_series.py, so "before the rest" is not a race."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from PySide6.QtCore import QCoreApplication, QThread

from tests.qt.reading_support import opened_arriving
from tests.support.colour_files import rgb_ramp
from tests.unit.test_arriving_frames import FRAMES, us_folder
from tests.unit.test_arriving_series import GatedFolder
from viewer.imaging.frames import load_frames
from viewer.session.arriving_frames import ArrivingFrames

pytestmark = pytest.mark.qt


def test_an_uncached_colour_series_opens_on_its_first_instance_and_fills_in_on_screen(
    qtbot: Any, tmp_path: Path
) -> None:
    folder, study_uid, series_uid = us_folder(tmp_path)
    source = GatedFolder(folder, "cd")
    window = opened_arriving(qtbot, folder, tmp_path, source, series_uid)
    view = window.reading_view
    series = view.series
    assert isinstance(series, ArrivingFrames) and series.series_uid == series_uid
    assert series.slice_count == FRAMES[0]  # the first one is here, the rest to come
    assert series.ready_count == 1 and series.expected == len(FRAMES)
    viewport = view.active
    assert viewport.scene.volume_shown is series.volume
    assert np.array_equal(series.display_slice(), rgb_ramp(1)[0])

    bridge = window.arrivals[series_uid]  # the window follows it, as any arriving series
    assert viewport.scene.overlay.progress_label == f"1 of {len(FRAMES)} images received"
    labels: list[str] = []
    shown_set_progress = viewport.scene.set_progress

    def set_progress(share: float | None, label: str) -> None:
        labels.append(label)
        shown_set_progress(share, label)

    viewport.scene.set_progress = set_progress  # type: ignore[method-assign]
    heard: list[tuple[str, bool]] = []

    def hear(name: str) -> Any:
        def record(*_args: object) -> None:
            ui = QThread.currentThread() is QCoreApplication.instance().thread()  # type: ignore[union-attr]
            heard.append((name, ui))

        return record

    bridge.replaced.connect(hear("replaced"))
    bridge.finished.connect(hear("finished"))

    viewport.scene.zoom(2.0)  # the doctor looks closer while the rest comes
    zoom = viewport.scene.zoom_factor()
    source.let(len(FRAMES))  # the series answer: the first instance again, then the rest
    qtbot.waitUntil(lambda: bool(heard) and heard[-1][0] == "finished", timeout=30000)
    assert series.whole and view.series is series
    assert ("replaced", True) in heard and all(ui for _, ui in heard)  # on the UI thread
    assert viewport.scene.volume_shown is series.volume  # the whole volume is the one shown
    assert labels[-1] == ""  # whole: the progress line is gone
    assert viewport.scene.zoom_factor() == pytest.approx(zoom)  # each landing kept it
    assert window.session.store is not None
    files, _layouts = window.session.store.series_files(study_uid, series_uid)
    assert np.array_equal(series.volume.voxels, load_frames(files).voxels)
    series.set_slice(sum(FRAMES) - 1)  # the last frame of the last cine
    assert np.array_equal(series.display_slice(), rgb_ramp(4)[3] + np.uint8(33))
