"""Signing in: each failure says what went wrong; "Remember" decides where the password goes."""

from __future__ import annotations

import socket
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from tests.support.certificates import make_ca_and_server_cert
from tests.support.http_server import Reply, scripted_server
from tests.support.memory_keyring import MemoryKeyring
from viewer.config import Config, SourceConfig
from viewer.demo.platform import RunningPlatform
from viewer.secrets import get_password, service_name
from widgets.app import create_application
from widgets.login_dialog import LoginDialog

pytestmark = pytest.mark.qt


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/dicom-web"  # nothing listens there any more


def source_at(url: str, name: str = "provincial") -> SourceConfig:
    return SourceConfig(name, url, "basic", "doctor", "JS-EMPI", None, "test")


def open_dialog(qtbot: Any, source: SourceConfig, **kwargs: Any) -> LoginDialog:
    create_application()
    dialog = LoginDialog(source, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def sign_in(qtbot: Any, dialog: LoginDialog, password: str, *, remember: bool) -> None:
    dialog.password_edit.setText(password)
    dialog.remember_box.setChecked(remember)
    dialog.start_sign_in()
    assert dialog.busy.isVisibleTo(dialog)  # the check runs while the dialog stays live
    qtbot.waitUntil(lambda: not dialog.busy.isVisibleTo(dialog), timeout=20000)


def test_wrong_password_shows_wrong_password_message(qtbot, demo_config: Config) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, demo_config.source("provincial"))
    sign_in(qtbot, dialog, "not-the-password", remember=True)
    assert dialog.error_kind == "wrong_password"
    assert dialog.error_label.isVisible()
    assert "Wrong username or password" in dialog.error_label.text()
    assert dialog.result() != dialog.DialogCode.Accepted


def test_unreachable_server_shows_unreachable_message(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, source_at(closed_port_url()))
    sign_in(qtbot, dialog, "whatever", remember=False)
    assert dialog.error_kind == "unreachable"
    assert "Cannot reach provincial" in dialog.error_label.text()
    assert "Traceback" not in dialog.error_label.text()


@pytest.mark.parametrize(
    ("made", "with_site_ca", "words"),
    [
        ({}, False, "certificate of provincial is not trusted"),
        ({"expired": True}, True, "certificate of provincial has expired"),
        ({"self_signed": True}, True, "certificate of provincial is self-signed"),
        ({"server_ip": "10.9.8.7"}, True, "is for another server than the address configured"),
    ],
)
def test_a_refused_certificate_says_what_is_wrong_and_sends_no_password(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, made: dict[str, Any], with_site_ca: bool, words: str
) -> None:
    ca, cert, key = make_ca_and_server_cert(tmp_path, **made)
    with scripted_server(lambda _seen: Reply(200, []), tls=(cert, key)) as server:
        source = source_at(server.url)
        if with_site_ca:
            source = replace(source, ca_bundle=ca)
        dialog = open_dialog(qtbot, source)
        sign_in(qtbot, dialog, "secret", remember=False)
        assert server.seen == []  # the handshake failed: no request, no password
    assert dialog.error_kind == "certificate"
    assert words in dialog.error_label.text()


def test_remember_stores_password_in_keyring(  # type: ignore[no-untyped-def]
    qtbot, demo_config: Config, platform: RunningPlatform
) -> None:
    source = demo_config.source("provincial")
    dialog = open_dialog(qtbot, source)
    with qtbot.waitSignal(dialog.signed_in, timeout=20000) as signal:
        dialog.password_edit.setText(platform.auth("platform")[1])
        dialog.remember_box.setChecked(True)
        dialog.start_sign_in()
    assert signal.args == ["provincial", "doctor", platform.auth("platform")[1], True]
    assert get_password(source.url, "doctor") == platform.auth("platform")[1]


def test_without_remember_the_keyring_keeps_nothing(  # type: ignore[no-untyped-def]
    qtbot, demo_config: Config, platform: RunningPlatform, test_keyring: MemoryKeyring
) -> None:
    source = demo_config.source("provincial")
    test_keyring.set_password(service_name(source.url), "doctor", "an old password")
    dialog = open_dialog(qtbot, source)
    with qtbot.waitSignal(dialog.signed_in, timeout=20000) as signal:
        dialog.password_edit.setText(platform.auth("platform")[1])
        dialog.remember_box.setChecked(False)
        dialog.start_sign_in()
    assert signal.args[3] is False
    assert test_keyring.entries == {}


def test_a_rejected_password_never_replaces_the_remembered_one(  # type: ignore[no-untyped-def]
    qtbot, demo_config: Config, test_keyring: MemoryKeyring
) -> None:
    source = demo_config.source("provincial")
    test_keyring.set_password(service_name(source.url), "doctor", "the working one")
    dialog = open_dialog(qtbot, source)
    sign_in(qtbot, dialog, "a typo", remember=True)
    assert dialog.error_kind == "wrong_password"
    assert get_password(source.url, "doctor") == "the working one"


def test_cancelling_a_sign_in_keeps_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    asking, server_answered = threading.Event(), threading.Event()
    stored: list[str] = []

    def slow_login(source: SourceConfig, user: str, password: str, *, store: Any) -> None:
        asking.set()
        server_answered.wait(10)
        try:
            store(source.url, user, password)
        finally:
            stored.append("asked")

    dialog = open_dialog(qtbot, source_at("http://127.0.0.1:9/dicom-web"), login=slow_login)
    dialog.password_edit.setText("secret")
    dialog.remember_box.setChecked(True)
    dialog.start_sign_in()
    worker = dialog._worker
    assert worker is not None
    # The request is out (a job cancelled before it starts is dropped, never asked).
    assert asking.wait(10)
    dialog.reject()  # Cancel or Esc while the server has not answered yet
    server_answered.set()
    assert worker.wait(10)
    assert stored == ["asked"]
    assert get_password(dialog.source.url, "doctor") is None


def test_a_configured_username_cannot_be_changed_here(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, source_at("http://127.0.0.1:9/dicom-web"))
    assert dialog.username_edit.text() == "doctor"
    assert dialog.username_edit.isReadOnly()


def test_a_wrong_password_is_said_to_the_window_for_the_audit_trail(qtbot) -> None:  # type: ignore[no-untyped-def]
    from viewer.errors import AuthError

    def refused(*_args: Any, **_kwargs: Any) -> None:
        raise AuthError("provincial: wrong username or password")

    dialog = open_dialog(qtbot, source_at("https://platform.example/dicom-web"), login=refused)
    with qtbot.waitSignal(dialog.refused, timeout=20000) as said:
        sign_in(qtbot, dialog, "not-it", remember=False)
    assert said.args == ["provincial", "doctor"]
