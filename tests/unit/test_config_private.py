"""The user's config (which platforms, which account on each) is the user's alone."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from viewer.config import load_config


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_users_config_folder_and_file_are_made_private_when_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "xdg" / "Qingying"
    folder.mkdir(parents=True, mode=0o755)
    folder.chmod(0o755)
    user = folder / "config.toml"
    user.write_text('[cache]\nmax_size = "1 GB"\n', encoding="utf-8")
    user.chmod(0o644)
    monkeypatch.delenv("QINGYING_USER_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("QINGYING_SITE_CONFIG", str(tmp_path / "no-site.toml"))

    config = load_config()

    assert config.cache.max_size == 10**9  # it was read
    assert mode(folder) == 0o700 and mode(user) == 0o600


def test_a_config_named_elsewhere_leaves_its_folder_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    user = shared / "mine.toml"
    user.write_text("", encoding="utf-8")
    user.chmod(0o644)
    monkeypatch.setenv("QINGYING_USER_CONFIG", str(user))
    load_config()
    assert mode(user) == 0o600
    assert mode(shared) == 0o755  # not the app's folder: not ours to close
