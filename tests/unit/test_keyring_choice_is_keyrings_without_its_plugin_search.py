"""viewer.secrets uses the backend keyring itself would choose, in keyring's order (one
already set, PYTHON_KEYRING_BACKEND, keyring's config file, the best viable backend),
but skips keyring's search of every backend plugin (~65 ms, most of it the macOS
backend running gcc and ld on Linux) when its answer is plain: on Linux with only
keyring's own backends installed and none but the Secret Service possible. Any doubt
(another plugin, dbus-python or PyGObject importable) leaves the choice to the search."""

from __future__ import annotations

import importlib.metadata
import os
from pathlib import Path

import keyring
import keyring.backend
import keyring.core
import pytest
from keyring.backends import null

from tests.support.memory_keyring import MemoryKeyring
from viewer import secrets


class SearchedError(Exception):
    """keyring's search of its backend plugins ran."""


def _never_search() -> list[keyring.backend.KeyringBackend]:
    raise SearchedError


@pytest.fixture
def nothing_chosen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No backend chosen yet in this process, no environment variable, no config file
    (all restored after the test)."""
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return monkeypatch


@pytest.mark.skipif(
    not os.environ.get("QINGYING_REAL_KEYRING"),
    reason="needs the Secret Service of scripts/run-tests.sh (QINGYING_REAL_KEYRING)",
)
def test_with_the_secret_service_alone_it_is_chosen_without_the_search(
    nothing_chosen: pytest.MonkeyPatch,
) -> None:
    expected = type(keyring.core._detect_backend())  # what keyring's own search picks
    nothing_chosen.setattr(keyring.backend, "get_all_keyring", _never_search)
    chosen = secrets.backend()
    assert type(chosen) is expected
    assert type(chosen).__module__ == "keyring.backends.SecretService"
    assert keyring.get_keyring() is chosen  # set as keyring's, for this process


def test_the_environment_variable_is_keyrings_first_word(
    nothing_chosen: pytest.MonkeyPatch,
) -> None:
    nothing_chosen.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    nothing_chosen.setattr(keyring.backend, "get_all_keyring", _never_search)
    assert isinstance(secrets.backend(), null.Keyring)


def test_keyrings_config_file_is_respected(
    nothing_chosen: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rc = tmp_path / "config" / "python_keyring" / "keyringrc.cfg"
    rc.parent.mkdir(parents=True)
    rc.write_text("[backend]\ndefault-keyring=keyring.backends.null.Keyring\n", encoding="utf-8")
    nothing_chosen.setattr(keyring.backend, "get_all_keyring", _never_search)
    assert isinstance(secrets.backend(), null.Keyring)


def test_a_backend_already_set_is_kept(memory_keyring: MemoryKeyring) -> None:
    assert secrets.backend() is memory_keyring
    secrets.store_password("http://h/dicom-web", "doctor", "pw")
    assert memory_keyring.entries == {("qingying:http://h/dicom-web", "doctor"): "pw"}


def _searched_to(monkeypatch: pytest.MonkeyPatch) -> keyring.backend.KeyringBackend:
    found = null.Keyring()
    monkeypatch.setattr(keyring.backend, "get_all_keyring", lambda: [found])
    return found


def test_another_backend_plugin_leaves_the_choice_to_keyrings_search(
    nothing_chosen: pytest.MonkeyPatch,
) -> None:
    found = _searched_to(nothing_chosen)
    plugins = importlib.metadata.entry_points(group="keyring.backends")
    foreign = importlib.metadata.EntryPoint("vault", "keyrings.vault", "keyring.backends")
    nothing_chosen.setattr(importlib.metadata, "entry_points", lambda group: [*plugins, foreign])
    assert secrets.backend() is found


def test_a_possible_kwallet_or_libsecret_leaves_the_choice_to_keyrings_search(
    nothing_chosen: pytest.MonkeyPatch,
) -> None:
    found = _searched_to(nothing_chosen)
    nothing_chosen.setattr(secrets, "OTHER_LINUX_BACKEND_NEEDS", ("json",))  # importable
    assert secrets.backend() is found


def test_keyrings_own_plugins_are_all_named() -> None:
    own = {
        plugin.value
        for plugin in importlib.metadata.entry_points(group="keyring.backends")
        if plugin.dist is not None and plugin.dist.name == "keyring"
    }
    assert own == secrets.KEYRING_OWN_PLUGINS
