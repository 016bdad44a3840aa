"""A cache whose key the keyring lost is begun anew as the window opens, and the window
says what was lost with the key (the doctor would otherwise think it deleted)."""

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


def test_the_window_says_what_was_lost_with_the_caches_key(
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
    assert window.store is not None and window.store.emptied_for_lost_key
    assert window.store.studies() == []  # sealed under the lost key: fetched again
    assert "cannot be read and was removed" in window.statusBar().currentMessage()
