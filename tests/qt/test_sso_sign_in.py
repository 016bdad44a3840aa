"""The Sources panel signs in through the OpenID provider (browser or device), says who
is signed in, where and until when, and signs out by revoking."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.conftest import DEMO_DATA_DIR
from tests.qt.test_history_screen import open_window
from tests.support.memory_keyring import MemoryKeyring
from tests.support.oidc_browser import approve_device, sign_in
from tests.support.sso_stack import (
    OTHER_DOCTOR,
    OTHER_PASSWORD,
    SsoStack,
    browser_sign_in,
    started_stack,
)
from viewer.config import Config, load_config
from viewer.demo import Manifest
from viewer.demo.oidc import DEMO_DOCTOR, DEMO_DOCTOR_PASSWORD
from viewer.sources.oidc.signins import SIGN_INS
from widgets.sso_dialog import SsoDialog

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def sso(demo_data: Manifest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SsoStack]:
    yield from started_stack(tmp_path_factory.mktemp("sso-qt"), DEMO_DATA_DIR, demo_data)


@pytest.fixture
def sso_config(sso: SsoStack, tmp_path: Path, test_keyring: MemoryKeyring) -> Iterator[Config]:
    path = tmp_path / "config.toml"
    path.write_text(sso.config_toml(tmp_path / "cache"), encoding="utf-8")
    yield load_config(path)
    SIGN_INS.forget_all()  # the process's sign-ins: none carried to the next test


def browser_of(login: str, password: str, *, allow: bool = True) -> Any:
    """A browser that signs ``login`` in at the page it is opened on (on a thread)."""

    def open_url(url: str) -> None:
        threading.Thread(
            target=sign_in, args=(url, login, password), kwargs={"allow": allow}, daemon=True
        ).start()

    return open_url


doctor_in_browser = browser_of(DEMO_DOCTOR, DEMO_DOCTOR_PASSWORD)


def window_with_its_source(qtbot: Any, config: Config) -> tuple[Any, Any]:
    window = open_window(qtbot, config)
    [row] = window.sources_dock.source_rows
    return window, row


def test_signing_in_through_the_browser_names_the_doctor_the_provider_and_the_time(
    qtbot: Any, sso: SsoStack, sso_config: Config
) -> None:
    window, row = window_with_its_source(qtbot, sso_config)
    dock = window.sources_dock
    assert row.state == "signed-out" and not row.sign_out_button.isVisible()
    opened: list[str] = []
    dock.open_url = lambda url: opened.append(url) or doctor_in_browser(url)
    qtbot.mouseClick(row.sign_in_button, Qt.MouseButton.LeftButton)
    dialog = dock.login_dialog
    assert isinstance(dialog, SsoDialog) and dialog.isVisible()
    with qtbot.waitSignal(dialog.signed_in, timeout=30000):
        qtbot.mouseClick(dialog.browser_button, Qt.MouseButton.LeftButton)
    assert row.state == "ok"
    text = row.state_label.text()
    assert "张伟 (zhang.wei)" in text and sso.provider.issuer.split("//")[1] in text
    assert "until" in text and "renews itself" in text and row.sign_out_button.isVisible()
    assert opened and opened[0].startswith(f"{sso.provider.issuer}/auth?")

    opened.clear()
    dock.open_url = opened.append
    qtbot.mouseClick(row.sign_out_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.state == "signed-out", timeout=20000)
    assert opened and opened[0].startswith(f"{sso.provider.issuer}/session/end")


def test_signing_in_on_another_device_shows_the_code_and_its_qr_code(
    qtbot: Any, sso: SsoStack, sso_config: Config
) -> None:
    window, row = window_with_its_source(qtbot, sso_config)
    qtbot.mouseClick(row.sign_in_button, Qt.MouseButton.LeftButton)
    dialog = window.sources_dock.login_dialog
    assert isinstance(dialog, SsoDialog)
    qtbot.mouseClick(dialog.device_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.code_label.isVisible, timeout=20000)
    code = dialog.code_label.text()
    assert dialog.qr_label.isVisible() and not dialog.qr_label.pixmap().isNull()
    assert f"{sso.provider.issuer}/device" in dialog.status_label.text()
    with qtbot.waitSignal(dialog.signed_in, timeout=30000):
        threading.Thread(
            target=approve_device,
            args=(dialog.qr_label.toolTip(), code, DEMO_DOCTOR, DEMO_DOCTOR_PASSWORD),
            daemon=True,
        ).start()
    assert row.state == "ok"


def test_a_denied_sign_in_is_said_and_the_source_stays_signed_out(
    qtbot: Any, sso: SsoStack, sso_config: Config
) -> None:
    window, row = window_with_its_source(qtbot, sso_config)
    dock = window.sources_dock
    dock.open_url = browser_of(DEMO_DOCTOR, DEMO_DOCTOR_PASSWORD, allow=False)
    qtbot.mouseClick(row.sign_in_button, Qt.MouseButton.LeftButton)
    dialog = dock.login_dialog
    assert isinstance(dialog, SsoDialog)
    qtbot.mouseClick(dialog.browser_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=30000)
    assert "denied" in dialog.error_label.text()
    assert dialog.browser_button.isEnabled() and row.state == "signed-out"


def lock_signed_in(qtbot: Any, sso: SsoStack, config: Config) -> Any:
    """A window whose doctor signed in through the provider, then locked it."""
    browser_sign_in(SIGN_INS, sso.source())
    window = open_window(qtbot, config)
    window.search_panel.name_edit.setText("Wang*")
    window.idle_lock.lock(minutes=None)
    screen = window.idle_lock.screen
    assert screen.sso_panel is not None and screen.sso_panel.isVisible()
    assert not screen.password.isVisible() and "zhang.wei" in screen.who.text()
    return window


def test_the_doctor_signing_in_again_at_the_provider_unlocks_the_window(
    qtbot: Any, sso: SsoStack, sso_config: Config
) -> None:
    window = lock_signed_in(qtbot, sso, sso_config)
    screen = window.idle_lock.screen
    asked: list[str] = []
    screen.open_url = lambda url: asked.append(url) or doctor_in_browser(url)
    qtbot.mouseClick(screen.sso_panel.browser_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.idle_lock.state == "open", timeout=30000)
    # The provider was asked for the password anew, not for the browser's session.
    assert "prompt=login" in asked[0] and "max_age=0" in asked[0]
    assert window.search_panel.name_edit.text() == "Wang*"  # the same doctor's session


def test_another_doctor_signing_in_at_the_lock_closes_the_last_ones_session(
    qtbot: Any, sso: SsoStack, sso_config: Config, test_keyring: MemoryKeyring
) -> None:
    window = lock_signed_in(qtbot, sso, sso_config)
    screen = window.idle_lock.screen

    screen.open_url = browser_of(OTHER_DOCTOR, OTHER_PASSWORD)
    qtbot.mouseClick(screen.sso_panel.browser_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.idle_lock.state == "open", timeout=30000)
    assert window.search_panel.name_edit.text() == ""  # the last doctor's search is gone
    info = SIGN_INS.info(sso.source())
    assert info is not None and info.user.login == OTHER_DOCTOR  # and the new one is in
    [entry] = [v for (svc, _), v in test_keyring.entries.items() if "oidc" in svc]
    assert OTHER_DOCTOR in entry and DEMO_DOCTOR not in entry
