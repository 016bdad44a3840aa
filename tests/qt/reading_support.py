"""What the reading-view tests share: a folder of files read into a real cache through a
session and opened, and a ReadingView that records what it writes in its corners."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.support.app_cache import app_store
from viewer.config import CacheConfig, Config, UiConfig
from viewer.dicomweb.qido import StudyQuery
from viewer.session.model import ReadingSession
from viewer.session.reading import OpenSeries
from viewer.sources.folder import FolderSource


def opened_series(
    tmp_path: Path, folder: Path, patient_id: str, study_uid: str, series_uid: str
) -> Iterator[OpenSeries]:
    """The series of ``folder`` (a CD to the session) searched, fetched into a cache in
    ``tmp_path`` and opened; the session closed afterwards (a fixture's generator)."""
    config = Config(CacheConfig(tmp_path / "cache", 1 << 30), (), UiConfig(None))
    store = app_store(config.cache.dir, config.cache.max_size)
    session = ReadingSession(config, store=store, open_sources=lambda: [FolderSource(folder, "cd")])
    result = session.search(StudyQuery(patient_id=patient_id))
    assert session.downloads is not None
    session.downloads.run(study_uid, session.holder_of(result.histories[0].studies[0]))
    yield session.open_series(study_uid, series_uid)
    session.close()


def recording_view(qtbot: Any, series: OpenSeries, size: tuple[int, int]) -> Any:
    """A ReadingView showing ``series``; ``.corners`` holds each corner's last text and
    ``.drawn`` the last edge letters and scale bar it was asked to draw."""
    from widgets.app import create_application
    from widgets.reading_view import ReadingView

    create_application()
    made = ReadingView()
    qtbot.addWidget(made)
    made.resize(*size)
    made.show()
    corners: dict[str, str] = {}
    original = made.scene.set_corner_text
    made.scene.set_corner_text = lambda corner, text: (  # type: ignore[method-assign]
        corners.__setitem__(corner, text),
        original(corner, text),
    )
    made.corners = corners  # type: ignore[attr-defined]
    drawn: dict[str, Any] = {}
    for name in ("set_edge_letters", "set_scale_bar"):
        method = getattr(made.scene, name)
        setattr(made.scene, name, lambda *a, name=name, method=method: (
            drawn.__setitem__(name, a), method(*a)))  # fmt: skip
    made.drawn = drawn  # type: ignore[attr-defined]
    made.show_series(series)
    return made


def window_searched(
    qtbot: Any, folder: Path, tmp_path: Path, patient_id: str, source: Any = None
) -> Any:
    """A MainWindow over ``folder`` (a CD to the session; or ``source``, a source of the
    test's own over it) with a cache in ``tmp_path``, shown, after a search for
    ``patient_id`` typed and entered as a doctor would."""
    from PySide6.QtCore import Qt

    from widgets.app import create_application
    from widgets.main_window import MainWindow

    config = Config(CacheConfig(tmp_path / "cache", 1 << 30), (), UiConfig(None))
    create_application()
    used = source if source is not None else FolderSource(folder, "cd")
    window = MainWindow(config, open_sources=lambda: [used])
    qtbot.addWidget(window)
    window.show()
    panel = window.search_panel
    panel.patient_id_edit.setText(patient_id)
    with qtbot.waitSignal(window.history_view.shown, timeout=30000):
        qtbot.keyClick(panel.patient_id_edit, Qt.Key.Key_Return)
    return window


def opened_arriving(qtbot: Any, folder: Path, tmp_path: Path, source: Any, series_uid: str) -> Any:
    """The window over ``source`` (a gated folder: nothing arrives until let), the series
    double-clicked and only its first instance let through: the reading view showing it
    as it opened. Returns the window."""
    from tests.unit.test_session_model import PATIENT

    window = window_searched(qtbot, folder, tmp_path, PATIENT.patient_id, source)
    (card,) = window.history_view.cards()
    window.studies.open_series(card.study, series_uid)  # a double-click on its tile
    source.let()  # the first instance, alone
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.reading_view, timeout=30000)
    assert window.reading_view is not None
    return window
