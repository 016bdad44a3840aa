"""IT may give a shared clinic machine one cache key, in a file (issue 18 point 1): the
cache is sealed with it and the user's keyring holds nothing; a file anyone could read or
change is refused, the cache left closed and whole; a key file replaced is a lost key."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from tests.support.memory_keyring import MemoryKeyring
from tests.unit.test_cache_store import Study, commit
from viewer.cache.cache_key import read_key_name
from viewer.cache.machine_key import KEPT_BY
from viewer.config import CacheConfig, Config, UiConfig, load_config
from viewer.errors import CacheKeyUnavailableError, ConfigError
from viewer.workspace import open_store

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX modes and owners")


def key_file(tmp_path: Path, mode: int = 0o640, data: bytes | None = None) -> Path:
    path = tmp_path / "machine" / "cache.key"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(os.urandom(32) if data is None else data)
    path.chmod(mode)
    return path


def config_with(tmp_path: Path, key: Path) -> Config:
    return Config(CacheConfig(tmp_path / "cache", 1 << 30, key), (), UiConfig(None))


def test_the_machines_key_seals_the_cache_and_the_keyring_keeps_nothing(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    config = config_with(tmp_path, key_file(tmp_path))
    with open_store(config) as store:
        uid = Study().uid
        study = Study()
        commit(store, study.instance()[1])
        assert store.key is not None and store.instance_key is not None
    named = read_key_name(config.cache.dir)
    assert named is not None and named.kept_by == KEPT_BY
    assert memory_keyring.entries == {}  # the key is the machine's, not the user's
    with open_store(config) as store:  # another doctor's session, the same machine key
        assert not store.emptied_for_lost_key
        assert store.study(study.uid) is not None and store.study(uid) is None


def test_a_key_in_base64_is_read_as_its_bytes(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    raw = os.urandom(32)
    config = config_with(tmp_path, key_file(tmp_path, data=base64.b64encode(raw) + b"\n"))
    with open_store(config) as store:
        assert store.key == raw


@posix_only
@pytest.mark.parametrize(
    ("mode", "why"),
    [(0o644, "open to every user"), (0o660, "writable by others"), (0o604, "open to every")],
)
def test_a_key_file_others_could_read_or_change_is_refused_and_the_cache_left_whole(
    tmp_path: Path, memory_keyring: MemoryKeyring, mode: int, why: str
) -> None:
    path = key_file(tmp_path)
    config = config_with(tmp_path, path)
    with open_store(config) as store:
        commit(store, Study().instance()[1])
    before = sorted(p.relative_to(tmp_path) for p in config.cache.dir.rglob("*"))
    path.chmod(mode)
    with pytest.raises(CacheKeyUnavailableError, match=why) as raised:
        open_store(config)
    assert str(path) in str(raised.value)
    assert sorted(p.relative_to(tmp_path) for p in config.cache.dir.rglob("*")) == before


@pytest.mark.parametrize("data", [b"short", os.urandom(33), b"not base64 at all!!" * 3])
def test_a_file_that_holds_no_32_byte_key_is_refused(
    tmp_path: Path, memory_keyring: MemoryKeyring, data: bytes
) -> None:
    config = config_with(tmp_path, key_file(tmp_path, data=data))
    with pytest.raises(CacheKeyUnavailableError, match="not a key of 32 bytes"):
        open_store(config)


def test_a_missing_key_file_or_a_folder_is_refused(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    with pytest.raises(CacheKeyUnavailableError, match="cannot be used"):
        open_store(config_with(tmp_path, tmp_path / "nowhere.key"))
    folder = tmp_path / "a-folder"
    folder.mkdir(mode=0o750)
    with pytest.raises(CacheKeyUnavailableError, match=r"not a regular file|cannot be used"):
        open_store(config_with(tmp_path, folder))


def test_a_key_file_replaced_by_another_key_is_a_lost_key(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    path = key_file(tmp_path)
    config = config_with(tmp_path, path)
    study = Study()
    with open_store(config) as store:
        commit(store, study.instance()[1])
    key_file(tmp_path)  # IT provisioned a new key
    with open_store(config) as store:
        assert store.emptied_for_lost_key and store.study(study.uid) is None
    with open_store(config) as store:
        assert not store.emptied_for_lost_key


def test_a_cache_sealed_from_the_keyring_starts_anew_under_the_machines_key(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    study = Study()
    in_keyring = Config(CacheConfig(tmp_path / "cache", 1 << 30), (), UiConfig(None))
    with open_store(in_keyring) as store:
        commit(store, study.instance()[1])
    with open_store(config_with(tmp_path, key_file(tmp_path))) as store:
        assert store.emptied_for_lost_key and store.study(study.uid) is None


def test_the_config_names_the_key_file_relative_to_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[cache]\nmachine_key_file = "keys/cache.key"\n', encoding="utf-8")
    monkeypatch.setenv("QINGYING_SITE_CONFIG", str(site))
    assert load_config().cache.machine_key_file == tmp_path / "keys" / "cache.key"
    site.write_text("[cache]\nmachine_key_file = 5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="machine_key_file"):
        load_config()
