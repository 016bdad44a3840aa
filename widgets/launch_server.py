"""One window per user session: a later launch hands its request to the running one.

The first window listens on a local socket private to the user (a path in the user's
runtime folder on Linux and macOS, 0700; a named pipe with the user's access only on
Windows). A second ``qingying`` — a click on a ``qingying://`` link in the HIS, ``open``
on the command line, or the app started again — connects, writes one line (the launch
URL, or ``raise``) and ends; the window comes forward and shows what was asked.

What arrives is read as untrusted bytes (another local program may write there): one
line of at most :data:`MAX_LINE` bytes, read by :func:`viewer.launch.parse_launch_url`
like any launch; anything else is dropped, only its kind logged.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import sys
from pathlib import Path

import platformdirs
from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from viewer.errors import UsageError
from viewer.launch import MAX_URL, LaunchRequest, parse_launch_url

log = logging.getLogger(__name__)

MAX_LINE = MAX_URL + 2
RAISE = "raise"
HAND_OVER_MS = 1000  # a running window answers at once; a dead socket is no window


def server_name() -> str:
    """Where this user's window listens (private to the user); ``QINGYING_LAUNCH_NAME``
    names another (a test, a benchmark: windows that must not find each other)."""
    override = os.environ.get("QINGYING_LAUNCH_NAME")
    if override:
        return override
    if sys.platform == "win32":
        user = hashlib.sha256(getpass.getuser().encode()).hexdigest()[:16]
        return f"qingying-{user}"
    folder = Path(platformdirs.user_runtime_dir("Qingying", appauthor=False))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return str(folder / "launch.sock")


def hand_over(request: LaunchRequest | None, name: str | None = None) -> bool:
    """Give ``request`` (None: just come forward) to this user's running window; False
    when none is running."""
    socket = QLocalSocket()
    socket.connectToServer(name or server_name())
    if not socket.waitForConnected(HAND_OVER_MS):
        return False
    line = (request.url() if request is not None else RAISE) + "\n"
    socket.write(line.encode("utf-8"))
    written = socket.waitForBytesWritten(HAND_OVER_MS)
    socket.disconnectFromServer()
    return written


def _answers(name: str) -> bool:
    """A window listens on ``name`` now (connecting is enough; nothing is sent)."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    alive = socket.waitForConnected(HAND_OVER_MS)
    socket.abort()
    return alive


class LaunchServer(QObject):
    """Listens for later launches; ``requested(LaunchRequest | None)`` for each (None:
    come forward only)."""

    requested = Signal(object)

    def __init__(self, parent: QObject | None = None, name: str | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_connection)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; a socket left by a window that crashed is taken over. False
        when another window listens there now (two starts at once: the other won)."""
        if _answers(self.name):
            # A live window: never take its socket from it (with the user-only option Qt
            # makes the socket aside and renames it into place, over any that is there).
            return False
        if self._server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)  # a dead one's leftover
        listening = self._server.listen(self.name)
        if not listening:
            log.warning("later launches cannot reach this window (%s)", self._server.errorString())
        return listening

    def close(self) -> None:
        self._server.close()

    def _on_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._on_ready(s))
            socket.disconnected.connect(lambda s=socket: self._on_ready(s, ended=True))

    def _on_ready(self, socket: QLocalSocket, *, ended: bool = False) -> None:
        if socket not in self._buffers:
            return
        data = self._buffers[socket] + bytes(socket.readAll().data())
        if b"\n" not in data and len(data) <= MAX_LINE and not ended:
            self._buffers[socket] = data  # more to come
            return
        del self._buffers[socket]
        socket.disconnectFromServer()
        socket.deleteLater()
        line = data.split(b"\n", 1)[0]
        self._take(line if len(line) <= MAX_LINE else b"")

    def _take(self, line: bytes) -> None:
        try:
            text = line.decode("utf-8").strip()
            request = None if text == RAISE else parse_launch_url(text)
        except (UnicodeDecodeError, UsageError) as err:
            log.warning("a launch handed over was refused (%s)", type(err).__name__)
            return
        self.requested.emit(request)


class OpenedUrls(QObject):
    """macOS hands a clicked ``qingying://`` link to the running app as an Apple event,
    which Qt delivers as a FileOpen event (no second process, no argv): read by the
    same rules and emitted as ``requested``, as a launch over the socket is."""

    requested = Signal(object)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() != QEvent.Type.FileOpen:
            return False
        assert isinstance(event, QFileOpenEvent)
        url = event.url().toString()
        if not url.lower().startswith("qingying:"):
            return False  # a file dropped on the Dock icon: not a launch
        try:
            request = parse_launch_url(url)
        except UsageError as err:
            log.warning("a launch link was refused (%s)", type(err).__name__)
            return True
        self.requested.emit(request)
        return True
