"""The idle lock: after the minutes without input, nothing of a patient shows (not in a
screenshot of the window, its title, any other window of the app); input reaches only
the lock screen; the right password gives everything back; another user closes the
session first, and finds nothing of the last one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QMainWindow, QWidget

from tests.qt.reading_support import window_searched
from tests.unit.test_session_model import PATIENT, ct_cd
from viewer.config import SourceConfig
from viewer.errors import AuthError
from viewer.session.unlock import LockHolder
from widgets.idle_lock import IdleLock

pytestmark = pytest.mark.qt

NAME_PARTS = ("王", "小东", "Wang", "XiaoDong")
BIRTH = ("1988-10-30", "19881030", "1988")


def reading_window(qtbot: Any, tmp_path: Path) -> Any:
    """The main window reading a cached CT of the GB18030-named test patient."""
    folder, study_uid, series_uid = ct_cd(tmp_path)
    window = window_searched(qtbot, folder, tmp_path, PATIENT.patient_id)
    window.resize(1100, 750)
    (card,) = window.history_view.cards()
    assert window.downloads is not None
    with qtbot.waitSignal(window.downloads.ended, timeout=30000):
        window.studies.download_study(card.study)
    window.read_series(study_uid, series_uid)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.reading_view, timeout=30000)
    return window


def shown_text(window: QWidget) -> str:
    """Every word the app's visible windows show: titles, labels, fields, buttons."""
    said = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        said.append(top.windowTitle())
        for widget in top.findChildren(QWidget):
            if not widget.isVisible():
                continue
            if isinstance(widget, (QLabel, QLineEdit, QAbstractButton)):
                said.append(widget.text())
            said.append(widget.toolTip())
    return "\n".join(said)


def assert_nothing_of_the_patient(window: QMainWindow) -> None:
    text = shown_text(window)
    for word in (*NAME_PARTS, PATIENT.patient_id, *BIRTH):
        assert word not in text, word
    view = window.reading_view
    assert view is not None
    # The viewports draw in native windows no widget could cover: they must be hidden.
    assert not any(v.vtk.isVisible() for v in view.viewports)


def idle(lock: IdleLock) -> None:
    """As if the minutes without input had passed."""
    lock._last_input -= lock.idle_s + 1
    lock._check()


def test_an_idle_window_hides_the_patient_and_names_who_can_unlock_it(
    qtbot: Any, tmp_path: Path
) -> None:
    window = reading_window(qtbot, tmp_path)
    assert any(part in shown_text(window) for part in NAME_PARTS)  # the test can fail
    window.cache_page.show()  # another window of the app, listing the cached patient
    lock = window.idle_lock
    assert lock.minutes == 10  # the default, no [privacy] configured
    with qtbot.waitSignal(lock.locked_changed):
        idle(lock)
    assert lock.locked and lock.screen.isVisible()
    assert_nothing_of_the_patient(window)
    assert window.cache_page.dialog is not None and not window.cache_page.dialog.isVisible()
    assert "Locked after 10 minutes without use" in lock.screen.why.text()
    # Nobody signed in (a CD): closing the session is the only way on.
    assert not lock.screen.password.isVisible()
    window.grab().save(str(tmp_path / "locked.png"))


def test_no_key_click_or_shortcut_reaches_what_the_lock_hides(qtbot: Any) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    edit = QLineEdit(window)
    window.setCentralWidget(edit)
    window.show()
    triggered: list[bool] = []
    action = QAction(window)
    action.setShortcut(QKeySequence("Ctrl+K"))
    action.triggered.connect(lambda: triggered.append(True))
    window.addAction(action)
    lock = IdleLock(window, 5, lambda: LockHolder("doctor", None), Unlocker(), lambda: None)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # shortcuts need it
    qtbot.keyClick(edit, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert triggered == [True]  # the shortcut works while open: the test can fail
    lock.lock(minutes=None)
    qtbot.keyClick(edit, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, "abc")
    qtbot.mouseDClick(edit, Qt.MouseButton.LeftButton)
    assert triggered == [True] and edit.text() == ""
    lock.stop()


def test_closing_the_session_leaves_nothing_of_the_last_user(qtbot: Any, tmp_path: Path) -> None:
    window = reading_window(qtbot, tmp_path)
    window.cache_page.show()  # lists the last user's patients: must not come back
    lock = window.idle_lock
    idle(lock)
    with qtbot.waitSignal(lock.locked_changed) as unlocked:
        qtbot.mouseClick(lock.screen.close_button, Qt.MouseButton.LeftButton)
    assert window.cache_page.dialog is None or not window.cache_page.dialog.isVisible()
    assert unlocked.args == [False] and not lock.locked
    assert window.reading_view is None and window.session.open == {}
    assert window.session.query is None and window.session.result is None
    assert window.history_view.cards() == []
    assert window.search_panel.patient_id_edit.text() == ""
    text = shown_text(window)
    for word in (*NAME_PARTS, PATIENT.patient_id):
        assert word not in text, word
    qtbot.keyClick(window, Qt.Key.Key_F2)  # nothing to go back to
    assert window.reading_view is None


def test_minimised_the_window_is_curtained_and_comes_back_without_a_password(
    qtbot: Any, tmp_path: Path
) -> None:
    window = reading_window(qtbot, tmp_path)
    lock = window.idle_lock
    window.setWindowState(Qt.WindowState.WindowMinimized)
    qtbot.waitUntil(lambda: lock.state == "curtained", timeout=5000)
    assert_nothing_of_the_patient(window)
    window.setWindowState(Qt.WindowState.WindowNoState)
    qtbot.waitUntil(lambda: lock.state == "open", timeout=5000)
    assert window.reading_view is not None and window.reading_view.isVisible()


class Unlocker:
    def __init__(self) -> None:
        self.tried: list[str] = []

    def __call__(self, holder: LockHolder, password: str) -> str:
        self.tried.append(password)
        if password != "right":
            raise AuthError("provincial: wrong username or password")
        return "checked"


def test_the_signed_in_users_password_unlocks_and_a_wrong_one_does_not(qtbot: Any) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    content = QLabel("王小东 320106198810300596", window)
    window.setCentralWidget(content)
    window.resize(800, 500)
    window.show()
    source = SourceConfig(
        "provincial", "https://p.example/dicom-web", "basic", "wang", "", None, ""
    )
    unlocker = Unlocker()
    lock = IdleLock(window, 5, lambda: LockHolder("doctor", source, "wang"), unlocker, lambda: None)
    lock.lock(minutes=None)  # Ctrl+L
    assert not content.isVisible()
    assert "wang" in lock.screen.who.text() and "provincial" in lock.screen.who.text()
    lock.screen.password.setText("wrong")
    qtbot.keyClick(lock.screen.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: lock.screen.error.isVisible(), timeout=5000)
    assert lock.locked and "Wrong password" in lock.screen.error.text()
    lock.screen.password.setText("right")
    with qtbot.waitSignal(lock.locked_changed, timeout=5000):
        qtbot.mouseClick(lock.screen.unlock_button, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert not lock.locked and content.isVisible() and not lock.screen.isVisible()
    assert unlocker.tried == ["wrong", "right"]


def test_a_lock_ends_with_its_window_and_keeps_nothing_from_the_next(qtbot: Any) -> None:
    """A window closed while locked (a test's, or a second start's) must not go on
    hiding or swallowing what comes after it."""
    locked = QMainWindow()
    qtbot.addWidget(locked)
    locked.setCentralWidget(QLineEdit(locked))
    locked.show()
    lock = IdleLock(locked, 5, lambda: LockHolder("doctor", None), Unlocker(), lambda: None)
    lock.lock(minutes=None)
    qtbot.keyClicks(locked.centralWidget(), "here")
    assert locked.centralWidget().text() == ""  # while it is locked: kept out
    locked.close()
    assert not lock._timer.isActive()  # a closed window is watched no more
    later = QMainWindow()
    qtbot.addWidget(later)
    later.setCentralWidget(QLineEdit(later))
    later.show()
    qtbot.wait(50)  # a lock still watching would hide a window shown now
    qtbot.keyClicks(later.centralWidget(), "typed later")
    assert later.isVisible() and later.centralWidget().text() == "typed later"
