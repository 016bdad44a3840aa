"""The offline cache holds patient data: its folders are the user's alone (0700), its
files too (0600), and a cache made before with open folders is closed when opened
(issue 18 point 2)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.unit.test_cache_store import Study, commit
from viewer.cache.store import CacheStore

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


def modes(root: Path) -> dict[str, int]:
    return {
        str(p.relative_to(root)): stat.S_IMODE(p.stat().st_mode) for p in [root, *root.rglob("*")]
    }


def test_every_folder_and_file_of_the_cache_is_the_users_alone(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    store = CacheStore(root, 1 << 30)
    study = Study()
    for number in (1, 2):
        commit(store, study.instance(number=number)[1])
    store.close()
    found = modes(root)
    assert found["."] == 0o700 and found["index.sqlite3"] == 0o600
    instance_files = [name for name in found if name.endswith(".dcm")]
    assert len(instance_files) == 2
    opened = {name: mode for name, mode in found.items() if mode & 0o077}
    assert opened == {}  # nothing readable or searchable by others


def test_a_cache_made_before_with_open_folders_is_closed_when_opened(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    root.mkdir(mode=0o755)
    root.chmod(0o755)
    index = root / "index.sqlite3"
    index.touch()  # an empty file: SQLite takes it for an empty database
    index.chmod(0o644)
    CacheStore(root, 1 << 30).close()
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert stat.S_IMODE(index.stat().st_mode) == 0o600
