"""A launch from the HIS reaches the one window of the user's session: handed over a
local socket, read as untrusted bytes (anything but a launch line is dropped), and shown
as that patient's history with the named study unfolded — searched as a doctor's search
is, nothing fetched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from tests.qt.reading_support import window_searched
from tests.qt.test_compare_with_prior import study
from tests.unit.test_session_model import PATIENT
from viewer.launch import LaunchRequest
from widgets.app import create_application
from widgets.launch_binding import show_launch
from widgets.launch_server import LaunchServer, hand_over

pytestmark = pytest.mark.qt


@pytest.fixture
def server(tmp_path: Path, qtbot: Any) -> Any:
    create_application()
    listening = LaunchServer(name=str(tmp_path / "launch.sock"))
    assert listening.listen()
    yield listening
    listening.close()


def a_cd(tmp_path: Path) -> tuple[Path, str, str]:
    """A patient's CD holding one CT study: (folder, study UID, series UID)."""
    folder = tmp_path / "cd"
    folder.mkdir()
    named, series = study(folder, "20241105", "江苏省人民医院", "Lung 1.0")
    return folder, named, series


def heard(qtbot: Any, server: Any, send: Any) -> list[Any]:
    got: list[Any] = []
    server.requested.connect(got.append)
    send()
    qtbot.wait(200)  # what arrives is read on the event loop
    return got


def test_a_second_launch_hands_its_request_to_the_running_window(qtbot: Any, server: Any) -> None:
    request = LaunchRequest(PATIENT.patient_id, PATIENT.issuer, "1.2.3.4", "A12")
    got = heard(qtbot, server, lambda: hand_over(request, server.name))
    assert got == [request]
    assert heard(qtbot, server, lambda: hand_over(None, server.name)) == [None]  # forward only


def test_no_running_window_means_no_hand_over(tmp_path: Path) -> None:
    create_application()
    assert not hand_over(LaunchRequest("1", "X"), str(tmp_path / "nobody.sock"))


@pytest.mark.parametrize(
    "line",
    [
        b"qingying://open?patient=1&issuer=X&delete=all\n",  # an unknown parameter
        b"\xff\xfe not utf-8\n",
        b"https://evil.example/\n",
        b"qingying://open?patient=" + b"9" * 5000 + b"&issuer=X\n",  # past the line limit
        b"no newline, then the writer leaves",
    ],
)
def test_anything_but_a_launch_line_is_dropped(qtbot: Any, server: Any, line: bytes) -> None:
    from PySide6.QtNetwork import QLocalSocket

    def send() -> None:
        socket = QLocalSocket()
        socket.connectToServer(server.name)
        assert socket.waitForConnected(1000)
        socket.write(line)
        socket.waitForBytesWritten(1000)
        socket.disconnectFromServer()

    assert heard(qtbot, server, send) == []


def test_the_running_window_server_socket_is_the_users_alone(server: Any) -> None:
    mode = Path(server.name).stat().st_mode & 0o777
    assert mode & 0o077 == 0, oct(mode)


def test_a_launch_shows_the_patients_history_with_the_named_study_unfolded(
    qtbot: Any, tmp_path: Path
) -> None:
    folder, named, _series = a_cd(tmp_path)
    study(folder, "20230210", "南京鼓楼医院", "Lung 1.0")
    window = window_searched(qtbot, folder, tmp_path, "nobody")  # another search before
    with qtbot.waitSignal(window.history_view.shown, timeout=30000):
        show_launch(window, LaunchRequest(PATIENT.patient_id, PATIENT.issuer, named))
    qtbot.waitUntil(lambda: len(window.history_view.cards()) == 2, timeout=10000)
    panel = window.search_panel
    assert panel.patient_id_edit.text() == PATIENT.patient_id
    assert panel.issuer_combo.currentData() == PATIENT.issuer
    (card,) = window.history_view.cards(named)
    assert card.series_expanded
    others = [c for c in window.history_view.cards() if c is not card]
    assert not any(c.series_expanded for c in others)
    assert window.store is None or not window.store.cached_sop_uids(named)  # nothing fetched
    qtbot.wait(300)  # the cache asked whether it holds the study: it does not
    assert window.pages.currentWidget() is window.history_view
    assert "whole" not in window.statusBar().currentMessage()  # the history says it all


def test_a_launch_naming_a_cached_study_opens_it_in_the_reading_view(
    qtbot: Any, tmp_path: Path
) -> None:
    folder, named, series = a_cd(tmp_path)
    window = window_searched(qtbot, folder, tmp_path, "nobody")
    assert window.store is not None
    window.store.import_path(folder)  # a patient's CD read in before: the study is cached
    show_launch(window, LaunchRequest(PATIENT.patient_id, PATIENT.issuer, named))
    qtbot.waitUntil(
        lambda: window.reading_view is not None and window.reading_view.series is not None,
        timeout=30000,
    )
    assert window.pages.currentWidget() is window.reading_view
    assert window.reading_view.series.series_uid == series


def test_a_launch_whose_search_was_replaced_takes_no_other_history_for_its_answer(
    qtbot: Any, tmp_path: Path
) -> None:
    """The doctor searches again before the launch's answer came (or it failed): the
    history then shown answers another query, and the launch's study is neither unfolded
    nor opened from it."""
    folder, named, _series = a_cd(tmp_path)
    window = window_searched(qtbot, folder, tmp_path, "nobody")
    assert window.store is not None
    window.store.import_path(folder)  # cached whole: a launch answered would open it
    show_launch(window, LaunchRequest(PATIENT.patient_id, PATIENT.issuer, named))
    panel = window.search_panel
    panel.issuer_combo.setCurrentIndex(0)  # any registry: another query, the same patient
    panel.submit()
    qtbot.waitUntil(lambda: bool(window.history_view.cards(named)), timeout=30000)
    qtbot.wait(300)  # what a launch answered would do, done by now
    (card,) = window.history_view.cards(named)
    assert not card.series_expanded
    assert window.pages.currentWidget() is window.history_view


def test_a_second_server_never_takes_a_live_windows_socket(qtbot: Any, server: Any) -> None:
    """Two starts at once: the later one finds the socket taken by a live window and
    hands over instead of removing it (which would leave two windows)."""
    second = LaunchServer(name=server.name)
    assert not second.listen()
    request = LaunchRequest("1", "X")
    assert heard(qtbot, server, lambda: hand_over(request, server.name)) == [request]
    second.close()


def test_a_dead_windows_socket_is_taken_over(tmp_path: Path) -> None:
    create_application()
    leftover = tmp_path / "launch.sock"
    import socket

    dead = socket.socket(socket.AF_UNIX)
    dead.bind(str(leftover))  # bound, never listening: what a crashed window leaves
    dead.close()
    taking = LaunchServer(name=str(leftover))
    assert taking.listen()
    taking.close()


def test_a_link_macos_hands_over_as_a_file_open_event_is_read_by_the_same_rules(
    qtbot: Any,
) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QFileOpenEvent
    from PySide6.QtWidgets import QApplication

    from widgets.launch_server import OpenedUrls

    app = create_application()
    links = OpenedUrls()
    app.installEventFilter(links)
    got: list[Any] = []
    links.requested.connect(got.append)
    try:
        for url in (
            "qingying://open?patient=P1&issuer=JS-EMPI",
            "qingying://open?patient=P1&issuer=JS-EMPI&drop=1",  # refused
        ):
            QApplication.sendEvent(app, QFileOpenEvent(QUrl(url)))
    finally:
        app.removeEventFilter(links)
    assert got == [LaunchRequest("P1", "JS-EMPI")]
