"""The idle lock: after some minutes without input, nothing of a patient shows.

A shared workstation left signed in between patients locks itself after
``privacy.idle_lock_minutes`` (site config, default 10) without a key, click, wheel or
touch in any of the app's windows; Ctrl+L locks it at once. Locked:

- the main window's content (work area, docks, menus, status bar) is *hidden*, not only
  covered: the VTK viewports are native windows that a widget laid over them would not
  hide; the app's other windows (the cache page, dialogs) are hidden too, and a dialog
  waiting for an answer ends as if cancelled;
- the :class:`~widgets.lock_screen.LockScreen` names who can unlock it and asks their
  password (:mod:`viewer.session.unlock` decides);
- input for anything but the lock screen is swallowed, keyboard shortcuts included.

Minimised, the window is *curtained* the same way (no password asked when it comes back)
so that the preview a desktop keeps of it shows no patient; the window's title never
names one. On Windows the taskbar and Alt+Tab are also told to show the app's icon, not
a live preview (:func:`hide_from_previews`).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QWidget

from viewer.config import SourceConfig
from viewer.session.unlock import LockHolder
from widgets.lock_screen import LockScreen, SsoUnlockFn, UnlockFn

INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress,
}
SHORTCUT_EVENTS = {QEvent.Type.Shortcut, QEvent.Type.ShortcutOverride}
POLL_MS = 5000  # how often idleness is looked at: the lock comes within 5 s of its time


class IdleLock(QObject):
    """``locked_changed(True)`` when the window locks (idle or Ctrl+L), False when it is
    unlocked or its session closed."""

    locked_changed = Signal(bool)

    def __init__(
        self,
        window: QMainWindow,
        minutes: int,
        holder: Callable[[], LockHolder],
        unlock: UnlockFn,
        close_session: Callable[[SourceConfig | None], None],
        *,
        sso_unlock: SsoUnlockFn | None = None,
        poll_ms: int = POLL_MS,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.minutes = minutes
        self.idle_s = minutes * 60.0
        self._holder = holder
        self._close_session = close_session
        self.screen = LockScreen(unlock, window, sso_unlock)
        self.screen.unlocked.connect(self.lift)
        self.screen.close_session.connect(lambda: self._on_close_session(None))
        self.screen.switch_user.connect(self._on_close_session)
        self.state: str = "open"  # open | locked | curtained
        self._hidden: list[QWidget] = []  # what the lock hid, shown again when it lifts
        self._last_input = time.monotonic()
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check)
        self._timer.start(poll_ms)
        self.lock_action = QAction(self.tr("&Lock"), window)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(lambda: self.lock(minutes=None))
        window.addAction(self.lock_action)
        menus = window.menuBar().findChildren(QMenu)
        if menus and menus[0].actions():  # File, before Quit: where one stepping away looks
            menus[0].insertAction(menus[0].actions()[-1], self.lock_action)
        hide_from_previews(window)

    @property
    def locked(self) -> bool:
        return self.state == "locked"

    # -- watching -------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind in INPUT_EVENTS or kind in SHORTCUT_EVENTS:
            if self.state != "open" and self._guarded(watched):
                return True  # locked: no key, click or shortcut reaches what it hides
            if kind in INPUT_EVENTS:
                self._last_input = time.monotonic()
        elif kind == QEvent.Type.Show and self.state != "open" and self._another_window(watched):
            # A window opened while locked (an error box from a job, say): hidden too.
            QTimer.singleShot(0, lambda: self._hide_late(watched))
        elif watched is self.window:
            if kind == QEvent.Type.Resize and self.state != "open":
                self.screen.setGeometry(self.window.rect())
            elif kind == QEvent.Type.WindowStateChange:
                self._state_changed()
            elif kind == QEvent.Type.Close:
                self.stop()  # a window closed is not watched (nor locked) any more
        return False

    def _guarded(self, watched: QObject) -> bool:
        """Whether input for ``watched`` is kept from it: it is in the window the lock
        covers or one the lock hid, and not the lock screen's own. A window (not a widget)
        is let through: Qt hands its input on to its widgets, where it is judged; an
        action or a shortcut belongs to the window of the widget that holds it."""
        if watched.isWindowType():
            return False
        owner: QObject | None = watched
        while owner is not None and not isinstance(owner, QWidget):
            owner = owner.parent()
        if owner is None:
            return True  # the application's own shortcut: nothing runs while locked
        assert isinstance(owner, QWidget)
        if owner is self.screen or self.screen.isAncestorOf(owner):
            return self.state != "locked"  # a curtain asks nothing
        top = owner.window()
        return top is self.window or any(top is hidden for hidden in self._hidden)

    def _another_window(self, watched: QObject) -> bool:
        return isinstance(watched, QWidget) and watched.isWindow() and watched is not self.window

    def _hide_late(self, window: QObject) -> None:
        if self.state != "open" and isinstance(window, QWidget) and shiboken6.isValid(window):
            window.hide()
            self._hidden.append(window)

    def stop(self) -> None:
        """The window is closing: no more watching (nor locking)."""
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def _check(self) -> None:
        if self.state != "locked" and time.monotonic() - self._last_input >= self.idle_s:
            self.lock(minutes=self.minutes)

    def _state_changed(self) -> None:
        minimised = bool(self.window.windowState() & Qt.WindowState.WindowMinimized)
        if minimised and self.state == "open":
            self._hide_everything()
            self.state = "curtained"
            self.screen.show_curtain()
        elif not minimised and self.state == "curtained":
            self._show_again()

    # -- locking --------------------------------------------------------------------------
    def lock(self, *, minutes: int | None) -> None:
        """Lock now: ``minutes`` without input, or None at the doctor's request."""
        if self.state == "locked":
            return
        if self.state == "open":
            self._hide_everything()
        self.state = "locked"
        self.screen.show_locked(self._holder(), minutes)
        self.locked_changed.emit(True)

    def lift(self) -> None:
        """Unlocked: everything as it was."""
        if self.state == "locked":
            self._show_again()
            self.locked_changed.emit(False)

    def _on_close_session(self, signed_in_again: SourceConfig | None) -> None:
        """Another user: what was open goes first (the app's other windows closed, not
        shown again: the cache page lists the last user's patients), then the (empty)
        window shows. ``signed_in_again``: the next doctor has just signed in at this
        source's provider to unlock, and stays signed in there."""
        self._close_session(signed_in_again)
        for widget in self._hidden:
            if shiboken6.isValid(widget) and widget.isWindow():
                widget.close()
        self._hidden = [w for w in self._hidden if shiboken6.isValid(w) and not w.isWindow()]
        self.lift()

    def _hide_everything(self) -> None:
        window = self.window
        parts: list[QWidget] = [window.menuBar(), window.statusBar()]
        central = window.centralWidget()
        if central is not None:
            parts.append(central)
        parts += [w for w in window.findChildren(QWidget) if w.parentWidget() is window]
        others = [w for w in QApplication.topLevelWidgets() if w is not window]
        self._hidden = []
        for widget in dict.fromkeys([*parts, *others]):
            if widget is not self.screen and widget.isVisible():
                widget.hide()
                self._hidden.append(widget)

    def _show_again(self) -> None:
        self.state = "open"
        self.screen.hide()
        for widget in self._hidden:
            if shiboken6.isValid(widget) and not _ended_dialog(widget):
                widget.show()
        self._hidden = []
        self._last_input = time.monotonic()


def _ended_dialog(widget: QWidget) -> bool:
    """A modal dialog hidden by the lock has ended (as if cancelled): not shown again."""
    return widget.isWindow() and widget.isModal()


def hide_from_previews(window: QWidget) -> None:
    """Windows: the taskbar's thumbnail and Alt+Tab show the app's icon, never a live
    preview of the window (DWMWA_FORCE_ICONIC_REPRESENTATION, DWMWA_DISALLOW_PEEK).
    Elsewhere the curtain on minimising is what there is."""
    if sys.platform == "win32":
        import ctypes

        hwnd = int(window.winId())
        true = ctypes.c_int(1)
        for attribute in (7, 11):  # FORCE_ICONIC_REPRESENTATION, DISALLOW_PEEK
            ctypes.windll.dwmapi.DwmSetWindowAttribute(
                hwnd, attribute, ctypes.byref(true), ctypes.sizeof(true)
            )
