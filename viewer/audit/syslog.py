"""Forwarding the trail to the hospital's syslog collector (``[privacy] audit_syslog``).

Each record goes as an RFC 5424 message over TLS (RFC 5425), framed by octet counting
(``LEN SP MSG``): facility authpriv (10), severity notice (5) for a success and warning
(4) for a failure, APP-NAME ``qingying``, MSGID the DICOM EventID code, the record's seq
as structured data ``[meta sequenceId=…]`` (RFC 5424 7.3.1: a batch sent again is told
by it), and as MSG (UTF-8, after a BOM) the record's DICOM audit message
(:mod:`viewer.audit.message`).
TLS verification is always on: the site's CA bundle (``audit_syslog_ca_bundle``) or the
system's.

No event is lost and none holds the app up: ``record`` only wakes a background thread,
which sends what is pending past the cursor (``forwarded``, the last seq sent, 0600
beside the trail) with a short timeout, then moves the cursor. When the collector cannot
be reached the cursor stays, a warning is logged (no patient data), and the events go
with the next event's attempt (after a pause of :data:`RETRY_PAUSE_S`) or ``audit
forward``. Delivery is at least once: a link that fails in the middle of a batch sends
the batch again, and RFC 5425 has no acknowledgement to do better.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from viewer.audit import files
from viewer.audit.keys import AuditKeys
from viewer.audit.lines import Line
from viewer.audit.message import audit_message
from viewer.audit.reader import records_after
from viewer.errors import AuditError, QingyingError
from viewer.private_files import PRIVATE_FILE

log = logging.getLogger(__name__)

AUTHPRIV = 10
NOTICE, WARNING = 5, 4
APP_NAME = "qingying"
BOM = b"\xef\xbb\xbf"  # RFC 5424 6.4: a UTF-8 MSG starts with it
TIMEOUT_S = 3.0  # connect and each send: the collector is on the hospital's network
RETRY_PAUSE_S = 30.0  # after a failure, background attempts wait this long
MAX_SEQUENCE_ID = 2147483647  # RFC 5424 7.3.1: then it starts at 1 again
BATCH = 1000  # records per connection; the rest go at the next attempt
FORWARD_LOCK = ".forward.lock"


@dataclass(frozen=True)
class ForwardReport:
    sent: int
    pending: int  # still to send
    problem: str | None = None  # why sending stopped (no patient data)


def frame(line: Line, message: bytes) -> bytes:
    """One octet-counted RFC 5424 message (RFC 5425 4.3)."""
    f = line.fields
    severity = NOTICE if f["outcome"] == 0 else WARNING
    header = (
        f"<{AUTHPRIV * 8 + severity}>1 {f['time']} {_header_word(f['workstation'], 255)} "
        f"{APP_NAME} {os.getpid()} {_header_word(f['event_id'], 32)} "
        f'[meta sequenceId="{(line.seq - 1) % MAX_SEQUENCE_ID + 1}"] '
    )
    syslog_message = header.encode("ascii") + BOM + message
    return f"{len(syslog_message)} ".encode("ascii") + syslog_message


def _header_word(text: str, limit: int) -> str:
    """A header field: printable ASCII without spaces (RFC 5424 6), or the nil value."""
    word = "".join(c for c in text if 33 <= ord(c) <= 126)[:limit]
    return word or "-"


class Forwarder:
    """Sends the trail in ``folder`` to ``host:port``; ``keys`` opens the patient blocks."""

    def __init__(
        self,
        folder: Path,
        host: str,
        port: int,
        ca_bundle: Path | None,
        keys: Callable[[], AuditKeys | None],
        *,
        timeout: float = TIMEOUT_S,
    ) -> None:
        self.folder, self.host, self.port, self.ca_bundle = folder, host, port, ca_bundle
        self.timeout = timeout
        self._keys = keys
        self._state = threading.Condition()
        self._wanted = False
        self._idle = threading.Event()
        self._idle.set()
        self._thread: threading.Thread | None = None
        self._retry_at = 0.0

    @property
    def cursor_path(self) -> Path:
        return self.folder / files.CURSOR_NAME

    def kick(self) -> None:
        """Forward what is pending, in the background (a record was just appended)."""
        with self._state:
            self._wanted = True
            self._idle.clear()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="audit-forward", daemon=True)
                self._thread.start()
            self._state.notify()

    def wait_idle(self, timeout: float) -> bool:
        """Wait for the background attempt to end (before exit, or in a test)."""
        return self._idle.wait(timeout)

    def _run(self) -> None:
        while True:
            with self._state:
                while not self._wanted:
                    self._idle.set()
                    self._state.wait()
                self._wanted = False
            if time.monotonic() < self._retry_at:
                continue
            try:
                report = self.forward(wait=False)
            except QingyingError as err:  # no key, an unreadable folder
                report = ForwardReport(0, 0, str(err))
            except Exception as err:  # never let the thread die: the events stay pending
                report = ForwardReport(0, 0, f"unexpected {type(err).__name__}")
            if report.problem:
                self._retry_at = time.monotonic() + RETRY_PAUSE_S
                log.warning(
                    "audit events could not be forwarded to %s:%d (%s); %d pending, sent "
                    "with a later event or by `audit forward`",
                    self.host,
                    self.port,
                    report.problem,
                    report.pending,
                )

    def forward(self, *, wait: bool = True) -> ForwardReport:
        """Send what is pending now. ``wait``: wait for another process forwarding at
        the same time, rather than leave it to that one."""
        lock = FileLock(self.folder / FORWARD_LOCK, timeout=30.0 if wait else 0, mode=PRIVATE_FILE)
        try:
            lock.acquire()
        except Timeout:
            return ForwardReport(0, 0, None if not wait else "another process is forwarding")
        except OSError as err:
            raise AuditError(
                f"{self.folder}: the audit trail cannot be locked ({err.strerror})"
            ) from err
        try:
            return self._forward()
        finally:
            lock.release()

    def _forward(self) -> ForwardReport:
        cursor = self.read_cursor()
        try:
            pending = list(records_after(self.folder, cursor))
        except OSError as err:
            raise AuditError(
                f"{self.folder}: the audit trail cannot be read ({err.strerror})"
            ) from err
        if not pending:
            return ForwardReport(0, 0)
        keys = self._keys()
        if keys is None:
            raise AuditError("no audit trail key in the system keyring: nothing can be forwarded")
        batch = pending[:BATCH]
        frames = [frame(line, audit_message(line, line.patient(keys))) for line in batch]
        try:
            self._send(frames)
        except (OSError, ValueError) as err:  # ssl errors are OSErrors; a bad name ValueError
            return ForwardReport(0, len(pending), _reason(err))
        self._write_cursor(batch[-1].seq)
        return ForwardReport(len(batch), len(pending) - len(batch))

    def _send(self, frames: list[bytes]) -> None:
        context = ssl.create_default_context(
            cafile=str(self.ca_bundle) if self.ca_bundle is not None else None
        )
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        with (
            socket.create_connection((self.host, self.port), timeout=self.timeout) as raw,
            context.wrap_socket(raw, server_hostname=self.host) as tls,
        ):
            for one in frames:
                tls.sendall(one)
            # A close_notify, and what the collector sent read (TLS 1.3 session tickets):
            # closing with unread bytes sends a reset, and a reset makes the collector's
            # kernel drop the last frames it had not read yet.
            with contextlib.suppress(ssl.SSLEOFError, ssl.SSLZeroReturnError):
                tls.unwrap()

    def read_cursor(self) -> int:
        """The last seq forwarded (0: none). A damaged cursor sends everything again:
        duplicates the collector can tell by seq, rather than an event lost."""
        try:
            text = self.cursor_path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return 0
        except (OSError, UnicodeDecodeError):
            text = ""
        if text.isdigit() and len(text) < 20:
            return int(text)
        log.warning("the audit forwarding cursor is unreadable; everything is sent again")
        return 0

    def _write_cursor(self, seq: int) -> None:
        try:
            fd, name = tempfile.mkstemp(dir=self.folder, prefix=".forwarded-")
            try:
                os.write(fd, f"{seq}\n".encode("ascii"))
                os.fsync(fd)
            finally:
                os.close(fd)
            Path(name).replace(self.cursor_path)  # mkstemp made it 0600
        except OSError as err:
            raise AuditError(f"{self.cursor_path}: cannot be written ({err.strerror})") from err


def _reason(err: BaseException) -> str:
    if isinstance(err, ssl.SSLCertVerificationError):
        return f"the collector's certificate is not trusted: {err.verify_message}"
    if isinstance(err, TimeoutError | socket.timeout):
        return "timed out"
    return getattr(err, "strerror", None) or type(err).__name__
