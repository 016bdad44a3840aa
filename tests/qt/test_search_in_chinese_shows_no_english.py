"""A search on a Chinese screen: every progress and status line under the search fields
is Chinese. The core reports progress as data (viewer.history.result.SearchProgress);
only the window puts it into words, so no English sentence can reach this screen."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt

from viewer.config import load_config
from viewer.dicomweb.qido import StudyQuery
from viewer.records import PatientRef
from viewer.sources.protocol import Capabilities, SourceAnswer
from widgets.main_window import MainWindow

from .fakes import FakeSource, study

pytestmark = pytest.mark.qt

PATIENT = PatientRef("320102196503140372", "JS-EMPI")
SOURCES = ("provincial", "gulou-pacs")
CONFIG = """
[[sources]]
name = "provincial"
url = "http://127.0.0.1:9/dicom-web"
auth = "none"
issuer = "JS-EMPI"

[[sources]]
name = "gulou-pacs"
url = "http://127.0.0.1:9/dicom-web"
auth = "none"
issuer = "NJGL"
"""


class SlowFakeSource(FakeSource):
    """Answers after a while, so that the progress of the other source is on screen."""

    def __init__(self, *args: Any, gate: threading.Event) -> None:
        super().__init__(*args)
        self.gate = gate

    def search_studies(self, query: StudyQuery, cancelled: Callable[[], bool]) -> SourceAnswer:
        self.gate.wait(10)
        return super().search_studies(query, cancelled)


class CacheFake(FakeSource):
    """The offline cache: its name is no word a doctor chose, and must not be shown."""

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(any_issuer=True, local_cache=True)


def english_words(text: str) -> list[str]:
    """Latin words left once the source names (data, not words) are taken out."""
    for name in SOURCES:
        text = text.replace(name, "")
    return re.findall(r"[A-Za-z]{2,}", text)


def test_a_search_on_a_chinese_screen_shows_no_english_progress_text(
    qtbot: Any, tmp_path: Path, zh_cn: None
) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(CONFIG, encoding="utf-8")
    gate = threading.Event()
    records = [study("1.2.3", PATIENT, source="provincial")]
    cache = CacheFake("cache", "", [])
    sources = [
        FakeSource("provincial", "JS-EMPI", records),
        SlowFakeSource("gulou-pacs", "NJGL", [], gate=gate),
        cache,
    ]
    window = MainWindow(load_config(path), open_sources=lambda: list(sources))
    qtbot.addWidget(window)
    panel = window.search_panel
    shown: list[str] = []
    for name in ("show_progress", "show_status", "show_error"):
        original = getattr(panel, name)
        setattr(panel, name, lambda text, original=original: (shown.append(text), original(text)))

    panel.patient_id_edit.setText(PATIENT.patient_id)
    with qtbot.waitSignal(window.history_view.shown, timeout=30000):
        qtbot.keyClick(panel.patient_id_edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: any("provincial" in text for text in shown), timeout=10000)
        gate.set()

    progress = [text for text in shown if "provincial" in text]
    assert progress, shown  # the first source's answer was on screen while the other ran
    assert any("离线缓存" in text for text in shown), shown  # the cache's, in words
    assert shown[-1] != progress[-1]  # then the summary
    for text in shown:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
        assert english_words(text) == [], text
