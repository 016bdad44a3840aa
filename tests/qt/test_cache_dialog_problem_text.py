"""The cache page says what verify found wrong in the window's language, by the problem's
kind; the core's detail is kept only where the kind does not say it (an OS's reason)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")


from tests.support.app_cache import app_store
from tests.unit.test_cache_store import Study, commit
from viewer.cache.models import DamagedEntry, ProblemKind
from viewer.cache.store import CacheStore
from widgets.app import create_application
from widgets.cache_dialog import CacheDialog

pytestmark = pytest.mark.qt

PROBLEMS: dict[ProblemKind, str] = {  # one of each kind, with the detail verify gives it
    "missing": "",
    "wrong_size": "100 instead of 5000",
    "pack_short": "5",
    "checksum_mismatch": "",
    "unreadable": "[Errno 5] Input/output error",
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CacheStore]:
    with app_store(tmp_path / "cache", 10**9) as opened:
        yield opened


def entry(kind: ProblemKind, detail: str) -> DamagedEntry:
    return DamagedEntry("1.2", "1.2.3", "1.2.3.4", Path("x.dcm"), kind, detail)


def damaged_page(qtbot: Any, store: CacheStore) -> tuple[CacheDialog, str]:
    """The page after a verify that found one instance's bytes changed."""
    sop, data = Study().instance()
    path = commit(store, data)
    stored = path.read_bytes()  # sealed, as the app's cache is
    path.write_bytes(stored[:-16] + b"\0" * 16)
    page = page_of(qtbot, store)
    page.refresh()
    page.verify()
    qtbot.waitUntil(lambda: not page.busy, timeout=30000)
    return page, sop


def page_of(qtbot: Any, store: CacheStore) -> CacheDialog:
    page = CacheDialog(store)
    qtbot.addWidget(page)
    return page


def test_each_problem_kind_has_its_own_text_and_only_an_os_reason_is_kept(  # type: ignore[no-untyped-def]
    qtbot, store: CacheStore
) -> None:
    create_application()
    page = page_of(qtbot, store)
    texts = {kind: page.problem_text(entry(kind, d)) for kind, d in PROBLEMS.items()}
    assert texts == {
        "missing": "file missing",
        "wrong_size": "file size wrong",
        "pack_short": "its pack file is cut short",
        "checksum_mismatch": "checksum mismatch",
        "unreadable": "unreadable: [Errno 5] Input/output error",
    }


def test_verify_lists_a_damaged_entry_with_the_text_of_its_kind(qtbot, store: CacheStore) -> None:  # type: ignore[no-untyped-def]
    create_application()
    page, sop = damaged_page(qtbot, store)
    assert f"• {sop}: checksum mismatch" in page.report_label.text()


def test_in_chinese_verify_lists_the_problem_in_chinese(  # type: ignore[no-untyped-def]
    qtbot, store: CacheStore, zh_cn: None
) -> None:
    page, sop = damaged_page(qtbot, store)
    text = page.report_label.text()
    assert f"• {sop}：校验和不符" in text
    assert "checksum" not in text


def test_in_chinese_every_kind_is_chinese_and_an_os_reason_is_kept(  # type: ignore[no-untyped-def]
    qtbot, store: CacheStore, zh_cn: None
) -> None:
    page = page_of(qtbot, store)
    texts = {kind: page.problem_text(entry(kind, d)) for kind, d in PROBLEMS.items()}
    assert texts == {
        "missing": "文件缺失",
        "wrong_size": "文件大小不符",
        "pack_short": "所在的打包文件不完整",
        "checksum_mismatch": "校验和不符",
        "unreadable": "无法读取：[Errno 5] Input/output error",
    }
