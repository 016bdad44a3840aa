"""Qt test fixtures: an in-memory keyring for every test, the demo platform, fake sources.

No Qt test reads or writes the machine's keyring: passwords go to a dict for the test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.conftest import platform  # noqa: F401  (the running demo platform)
from tests.support.memory_keyring import MemoryKeyring
from viewer.config import Config, load_config
from viewer.demo.platform import RunningPlatform
from viewer.sources.login import login


@pytest.fixture(autouse=True)
def test_keyring(memory_keyring: MemoryKeyring) -> MemoryKeyring:
    """Every Qt test gets the in-memory keyring."""
    return memory_keyring


@pytest.fixture
def demo_config(platform: RunningPlatform) -> Config:  # noqa: F811
    """The running demo platform's two sources: ``provincial`` and ``gulou``."""
    return load_config(platform.config_path)


def sign_in(config: Config, platform: RunningPlatform, *names: str) -> None:  # noqa: F811
    """Sign in (remembered in the test keyring) as the demo user of each named source."""
    targets = {"provincial": "platform", "gulou": "pacs"}
    for name in names:
        user, password = platform.auth(targets[name])
        login(config.source(name), user, password)


@pytest.fixture
def zh_cn() -> Iterator[None]:
    """The application in Chinese (the compiled zh_CN translation installed) for one test."""
    from PySide6.QtWidgets import QApplication

    from widgets.app import create_application, install_translation

    app = create_application()
    translator = install_translation(app, "zh_CN")
    if translator is None:
        pytest.fail("resources/translations/qingying_zh_CN.qm missing: run make setup")
    yield
    QApplication.removeTranslator(translator)
