"""A cache whose key the keyring lost is emptied as the window opens, and the window
says why the studies it held are gone (the doctor would otherwise think them deleted)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from tests.support.memory_keyring import MemoryKeyring
from tests.unit.test_cache_store import Study, commit
from viewer.config import CacheConfig, Config, UiConfig
from viewer.workspace import open_store

pytestmark = pytest.mark.qt


def test_the_window_says_the_cache_was_emptied_when_its_key_was_lost(
    qtbot: Any, tmp_path: Path, test_keyring: MemoryKeyring
) -> None:
    from widgets.app import create_application
    from widgets.main_window import MainWindow

    config = Config(CacheConfig(tmp_path / "cache", 1 << 30), (), UiConfig(None))
    with open_store(config) as store:
        commit(store, Study().instance()[1])
    create_application()
    kept = MainWindow(config, open_sources=lambda: [])
    qtbot.addWidget(kept)
    assert "emptied" not in kept.statusBar().currentMessage()
    assert kept.store is not None and len(kept.store.studies()) == 1
    kept.session.close()
    test_keyring.entries.clear()  # the keyring reset
    window = MainWindow(config, open_sources=lambda: [])
    qtbot.addWidget(window)
    assert window.store is not None and window.store.studies() == []
    assert "the cache was emptied" in window.statusBar().currentMessage()
