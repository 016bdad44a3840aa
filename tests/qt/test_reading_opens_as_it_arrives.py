"""A series the doctor opens before it is cached is read from its first image on: the
reading view shows it while the rest downloads, and the slices fill in until it is
whole. The platform is a folder whose every instance waits for the test to let it
through (tests/unit/test_arriving_series.py), so "before the rest" is not a race."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from PySide6.QtCore import QCoreApplication, QThread

from tests.qt.reading_support import opened_arriving
from tests.unit.test_arriving_series import SLICES, GatedFolder, study_folder
from viewer.session.arriving import ArrivingSeries

pytestmark = pytest.mark.qt


def test_an_uncached_series_opens_before_it_is_whole_and_ends_whole(
    qtbot: Any, tmp_path: Path
) -> None:
    folder, _study_uid, series_uid = study_folder(tmp_path)
    source = GatedFolder(folder, "cd")
    window = opened_arriving(qtbot, folder, tmp_path, source, series_uid)
    view = window.reading_view
    series = view.series
    assert isinstance(series, ArrivingSeries) and series.series_uid == series_uid
    assert series.ready_count < SLICES and series.slice_count == SLICES
    assert series.volume.ready[series.slice]  # it opens on the image that is there
    assert window.statusBar().currentMessage() == ""
    bridge = window.arrivals[series_uid]
    heard: list[tuple[str, int, int, bool]] = []

    def hear(name: str) -> Any:
        def record(ready: int, count: int) -> None:
            ui = QThread.currentThread() is QCoreApplication.instance().thread()  # type: ignore[union-attr]
            heard.append((name, ready, count, ui))

        return record

    bridge.arrived.connect(hear("arrived"))
    bridge.finished.connect(hear("finished"))

    source.let(SLICES)  # the series answer: the first image again, then the rest
    qtbot.waitUntil(lambda: bool(heard) and heard[-1][0] == "finished", timeout=30000)
    assert series.whole and view.series is series and series.volume.ready.all()
    assert heard[-1] == ("finished", SLICES, SLICES, True)
    assert all(ui for *_, ui in heard)  # brought to the UI thread, where drawing is

    window.back_to_history()  # the images stay open, as they were left
    assert window.session.open == {series_uid: series} and view.series is series


def test_a_series_whole_before_the_window_follows_it_is_shown_from_its_final_volume(
    qtbot: Any, tmp_path: Path
) -> None:
    """A folder answers at once: the series may be whole, its volume replaced, before the
    window starts following it. The viewport must still show that last volume (the one a
    measurement reads), not the one it opened on."""
    from tests.qt.reading_support import window_searched
    from tests.qt.test_compare_with_prior import study
    from tests.unit.test_session_model import PATIENT

    folder = tmp_path / "cd"
    folder.mkdir()
    study_uid, series_uid = study(folder, "20241105", "江苏省人民医院", "Lung 1.0")
    window = window_searched(qtbot, folder, tmp_path, PATIENT.patient_id)
    card = next(c for c in window.history_view.cards() if c.study.study_uid == study_uid)
    window.studies.open_series(card.study, series_uid)
    qtbot.waitUntil(
        lambda: window.reading_view is not None and window.reading_view.series is not None,
        timeout=30000,
    )
    series = window.reading_view.series
    qtbot.waitUntil(lambda: series.done.is_set(), timeout=30000)
    qtbot.wait(50)  # what the loader said has reached the UI thread
    assert series.volume.ready.all()
    assert window.reading_view.active.scene.volume_shown is series.volume
