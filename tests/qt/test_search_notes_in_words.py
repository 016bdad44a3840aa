"""What a search notes (no source for an issuer, a capped or thinned answer, a study filed
under two patients) is shown as a sentence in the window's language, naming the source,
the issuer and the count the core gave: the notes are data, the words the window's."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QLabel

from viewer.history.result import SearchNote
from viewer.history.service import HistoryResult
from widgets.app import create_application
from widgets.history_view import HistoryView

pytestmark = pytest.mark.qt

NOTES = (
    SearchNote("no-source-for-issuer", issuer="SZ-EMPI"),
    SearchNote("capped", source="provincial"),
    SearchNote("skipped", source="gulou", count=3),
    SearchNote("split-study"),
)
# What each note's sentence must name, in either language.
NAMED = (("SZ-EMPI",), ("provincial",), ("gulou", "3"), ())


def shown_notes(qtbot: Any) -> list[str]:
    create_application()
    view = HistoryView()
    qtbot.addWidget(view)
    result = HistoryResult(
        histories=(), possible_same=(), problems=(), answered=("provincial",), notes=NOTES
    )
    with qtbot.waitSignal(view.shown, timeout=1000):
        view.show_result(result)
    return [label.text() for label in view.findChildren(QLabel, "HistoryNote")]


def test_each_note_is_a_sentence_naming_what_the_core_gave(qtbot) -> None:  # type: ignore[no-untyped-def]
    texts = shown_notes(qtbot)
    assert len(texts) == len(NOTES)
    for text, names in zip(texts, NAMED, strict=True):
        assert text.startswith("ⓘ ") and len(text) > 30, text
        assert "SearchNote" not in text and "%" not in text, text
        for name in names:
            assert name in text, (name, text)
    assert texts[0].startswith("ⓘ No configured source uses patient IDs issued by SZ-EMPI")
    assert texts[2] == "ⓘ gulou: 3 result(s) without a usable study UID were left out."


def test_the_notes_are_chinese_on_a_chinese_screen(qtbot, zh_cn: None) -> None:  # type: ignore[no-untyped-def]
    texts = shown_notes(qtbot)
    for text, names in zip(texts, NAMED, strict=True):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
        assert "search" not in text and "study" not in text, text
        for name in names:
            assert name in text, (name, text)
