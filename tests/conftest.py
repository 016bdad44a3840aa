"""Fixtures shared by every test layer.

Rendering and Qt run headless: Qt on the ``offscreen`` platform, VTK through OSMesa.
These must be set before PySide6 or VTK is imported anywhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkOSOpenGLRenderWindow")
os.environ.setdefault("MESA_SHADER_CACHE_DISABLE", "true")

REPO_ROOT = Path(__file__).resolve().parent.parent
# Generated once per checkout and reused: the generator is deterministic and the
# folder carries a stamp of the generator version (see viewer.demo).
DEMO_DATA_DIR = Path(os.environ.get("QINGYING_DEMO_DATA", REPO_ROOT / ".demo" / "data"))


@pytest.fixture(scope="session")
def demo_data():  # type: ignore[no-untyped-def]
    """The demo data set on disk, generated on first use; returns its manifest."""
    from viewer.demo import ensure_demo_data

    return ensure_demo_data(DEMO_DATA_DIR)


@pytest.fixture(autouse=True)
def no_machine_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Tests never read this machine's site or user config or cache; a test makes its own."""
    empty = tmp_path_factory.mktemp("no-config")
    monkeypatch.setenv("QINGYING_SITE_CONFIG", str(empty / "site.toml"))
    monkeypatch.setenv("QINGYING_USER_CONFIG", str(empty / "user.toml"))
    # The default cache lives under XDG_CACHE_HOME: never the machine's real cache.
    monkeypatch.setenv("XDG_CACHE_HOME", str(empty / "cache"))
    # The default audit trail lives under XDG_DATA_HOME: never the machine's real one.
    monkeypatch.setenv("XDG_DATA_HOME", str(empty / "data"))
    # A window a test opens never hands over to (or takes launches of) another's.
    monkeypatch.setenv("QINGYING_LAUNCH_NAME", str(empty / "launch.sock"))


@pytest.fixture
def memory_keyring():  # type: ignore[no-untyped-def]
    """The process's keyring replaced by an in-memory one for the test."""
    import keyring
    import keyring.core

    from tests.support.memory_keyring import MemoryKeyring

    # The raw choice, None if nothing was chosen yet: restoring keyring.get_keyring()'s
    # answer instead would fix keyring's own choice for the rest of the run, where the
    # app (viewer.secrets, and every command run as a process) chooses otherwise.
    previous = keyring.core._keyring_backend
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.core._keyring_backend = previous
