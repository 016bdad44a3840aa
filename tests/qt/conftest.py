"""Qt test fixtures: an in-memory keyring for every test, the demo platform, fake sources.

No Qt test reads or writes the machine's keyring: passwords go to a dict for the test.
"""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.credentials import SimpleCredential
from keyring.errors import PasswordDeleteError

from tests.integration.conftest import platform  # noqa: F401  (the running demo platform)
from viewer.config import Config, load_config
from viewer.demo.platform import RunningPlatform
from viewer.history.login import login


class DictKeyring(KeyringBackend):
    """Secrets in a dict, for one test."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError("no such password")

    def get_credential(self, service: str, username: str | None) -> SimpleCredential | None:
        for (held_service, user), password in self.secrets.items():
            if held_service == service and username in (None, user):
                return SimpleCredential(user, password)
        return None


@pytest.fixture(autouse=True)
def test_keyring() -> Iterator[DictKeyring]:
    previous = keyring.get_keyring()
    backend = DictKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


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
