"""Appending to the trail: one record per event, chained, from any process at once.

The window and command-line commands may record at the same moment: each append holds
the folder's file lock (``.audit.lock``) while it reads the last line's seq and MAC,
writes its own line in one ``write`` and fsyncs it. Within a process a thread lock
comes first, so threads queue cheaply.

**A torn last line** (a crash in the middle of a write: bytes with no newline at the
end) was never a record: its ``record`` call never returned. ``audit verify`` reports it
while it is there. The next append sets its bytes aside (appended to
``<file>.torn``, 0600, kept for IT to see; verify names that file) and cuts the file back
to its last whole line, with a warning in the log, so the new record chains onto a real
one and the trail verifies again. A *whole* last line that cannot be read was changed,
not torn: the append chains from the last readable line before it (or the genesis
value), so the doctor can go on working and verify keeps reporting the damage where it is.

**No key, no record**: :class:`~viewer.errors.AuditKeyUnavailableError` is raised before
anything is written. Any other failure to write raises :class:`~viewer.errors.AuditError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from viewer.audit import files
from viewer.audit.events import EVENT_CODES, AuditEvent, detail_json
from viewer.audit.keys import AuditKeys, existing_keys, load_keys, os_user
from viewer.audit.lines import (
    GENESIS,
    MAX_LINE,
    VERSION,
    Line,
    Patient,
    parse,
    seal_patient,
    signed,
)
from viewer.errors import AuditError
from viewer.private_files import PRIVATE_FILE

if TYPE_CHECKING:
    from viewer.audit.syslog import Forwarder
    from viewer.config import Config

log = logging.getLogger(__name__)

LOCK_WAIT_S = 10.0  # another writer holds the lock for one append: milliseconds
TAIL_BYTES = 4 * MAX_LINE  # how far back an append looks for the last readable line


class Tail(NamedTuple):
    seq: int
    mac: str


def workstation() -> str:
    return socket.gethostname() or "unknown"


class AuditTrail:
    """The trail in ``folder``; see :func:`open_trail`."""

    def __init__(
        self,
        folder: Path,
        *,
        syslog: tuple[str, int] | None = None,
        ca_bundle: Path | None = None,
    ) -> None:
        self.folder = Path(folder)
        self._keys: AuditKeys | None = None
        self._thread_lock = threading.Lock()
        self.forwarder: Forwarder | None = None
        if syslog is not None:
            from viewer.audit.syslog import Forwarder

            read_keys = functools.partial(self.keys, create=False)
            self.forwarder = Forwarder(self.folder, *syslog, ca_bundle, read_keys)

    def keys(self, *, create: bool = True) -> AuditKeys | None:
        """The user's audit keys (made on first use when ``create``); None when there are
        none yet and ``create`` is False. AuditKeyUnavailableError without a keyring."""
        if self._keys is None:
            if create:
                files.ensure_folder(self.folder)
                self._keys = load_keys(under_lock=self._file_lock)
            else:
                self._keys = existing_keys()
        return self._keys

    def record(self, event: AuditEvent) -> None:
        """Append ``event``: AuditKeyUnavailableError without a key, AuditError when it
        cannot be written (nothing is then written). Forwarding, when configured, runs
        after it in the background and never raises here."""
        event = event.checked()
        keys = self.keys()
        assert keys is not None
        now = dt.datetime.now(dt.UTC)
        with self._thread_lock, self._file_lock():
            tail = self._tail()
            seq = (tail.seq if tail else 0) + 1
            line = signed(self._fields(event, keys, seq, now), keys, tail.mac if tail else GENESIS)
            self._append(self._target(now), line)
        if self.forwarder is not None:
            try:
                self.forwarder.kick()
            except RuntimeError:  # no thread to be had: the event waits for the next
                log.warning("audit forwarding could not start; the events stay pending")

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        from filelock import FileLock, Timeout  # ~15 ms: not at the fetch command's start

        files.ensure_folder(self.folder)
        lock = FileLock(self.folder / files.LOCK_NAME, timeout=LOCK_WAIT_S, mode=PRIVATE_FILE)
        try:
            lock.acquire()
        except Timeout as err:
            raise AuditError(f"{self.folder}: the audit trail is locked by a stuck writer") from err
        except OSError as err:
            raise AuditError(
                f"{self.folder}: the audit trail cannot be locked ({err.strerror})"
            ) from err
        try:
            yield
        finally:
            lock.release()

    def _fields(
        self, event: AuditEvent, keys: AuditKeys, seq: int, now: dt.datetime
    ) -> dict[str, Any]:
        code = EVENT_CODES[event.kind]
        host = workstation()
        has_patient = event.patient_id is not None or event.patient_name is not None
        patient = Patient(event.patient_id, event.issuer, event.patient_name)
        return {
            "v": VERSION,
            "seq": seq,
            "time": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
            "os_user": os_user(),
            "platform_user": event.platform_user,
            "workstation": host,
            "audit_source": f"qingying@{host}",
            "kind": event.kind,
            "event_id": code.event_id.code,
            "action": code.action,
            "event_type": code.event_type.code if code.event_type else None,
            "outcome": int(event.outcome),
            "source": event.source,
            "studies": list(event.study_uids),
            "detail": detail_json(event.detail),
            "patient": seal_patient(keys, seq, patient) if has_patient else None,
            "kid": keys.kid,
        }

    def _target(self, now: dt.datetime) -> Path:
        """This month's file, or the newest one if the clock went back to an older
        month (a record must never land before one already written)."""
        name = files.month_name(now)
        existing = files.trail_files(self.folder)
        if existing and existing[-1].name > name:
            return existing[-1]
        return self.folder / name

    def _tail(self) -> Tail | None:
        """The last readable line's seq and MAC, a torn tail first set aside."""
        for path in reversed(files.trail_files(self.folder)):
            found = self._tail_of(path)
            if found is not None:
                return found
        return None

    def _tail_of(self, path: Path) -> Tail | None:
        try:
            # Read only: a file the site made append-only (chattr +a) is opened for
            # writing by appends alone, and by the cut of a torn tail.
            with path.open("rb") as f:
                size = f.seek(0, os.SEEK_END)
                start = max(0, size - TAIL_BYTES)
                f.seek(start)
                chunk = f.read()
            if chunk and not chunk.endswith(b"\n"):
                chunk = self._set_aside_torn(path, start, chunk)
        except OSError as err:
            raise AuditError(f"{path}: the audit trail cannot be read ({err.strerror})") from err
        pieces = chunk.split(b"\n")[:-1]
        if start > 0:
            pieces = pieces[1:]  # the first may be the end of a line cut by the window
        for skipped, raw in enumerate(reversed(pieces)):
            line = parse(raw)
            if isinstance(line, Line):
                if skipped:
                    log.warning(
                        "the audit trail ends in %d damaged line(s) in %s; recording goes "
                        "on after the last whole one (audit verify names them)",
                        skipped,
                        path.name,
                    )
                return Tail(line.seq, line.mac)
        if start > 0:  # a window of damage: where the chain was is not to be guessed
            raise AuditError(
                f"{path}: the audit trail's last records are damaged; run audit verify"
            )
        return None

    def _set_aside_torn(self, path: Path, start: int, chunk: bytes) -> bytes:
        cut = chunk.rfind(b"\n") + 1
        if cut == 0 and start > 0:
            raise AuditError(f"{path}: the audit trail ends in a damaged line; run audit verify")
        torn = path.with_name(path.name + files.TORN_SUFFIX)
        fd = files.open_private(torn, os.O_WRONLY | os.O_APPEND)
        try:
            os.write(fd, chunk[cut:] + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        with path.open("rb+") as f:
            f.truncate(start + cut)
            f.flush()
            os.fsync(f.fileno())
        log.warning(
            "the audit trail's last line in %s was incomplete (a write interrupted); "
            "its bytes were set aside in %s",
            path.name,
            torn.name,
        )
        return chunk[:cut]

    def _append(self, path: Path, line: bytes) -> None:
        new = not path.exists()
        try:
            fd = files.open_private(path, os.O_WRONLY | os.O_APPEND)
            try:
                written = os.write(fd, line)
                if written != len(line):
                    raise OSError(28, "short write")  # seen as ENOSPC: the tail is torn
                os.fsync(fd)
            finally:
                os.close(fd)
            if new:
                _fsync_folder(self.folder)
        except OSError as err:
            reason = err.strerror or str(err)
            raise AuditError(f"{path}: the audit record could not be written ({reason})") from err


def _fsync_folder(folder: Path) -> None:
    """The new file's name is on disk too (POSIX; Windows cannot open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def audit_dir(config: Config) -> Path:
    """The user's data folder's ``audit``; or, when IT names a folder, each OS user's
    own folder under it: a trail is chained and keyed per user (its key is in that
    user's keyring), and kept from the other users of a shared workstation."""
    configured = config.privacy.audit_dir
    if configured is None:
        return files.default_dir()
    return configured / _folder_name(os_user())


def _folder_name(user: str) -> str:
    """A login name as one folder name (a Windows DOMAIN\\user, say, has a backslash)."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in user).strip(".") or "user"


def open_trail(config: Config) -> AuditTrail:
    """The trail the configuration names (``[privacy] audit_dir``, default the user's
    data folder), forwarding to ``audit_syslog`` when set. Cheap: nothing is read or
    asked of the keyring until the first record."""
    privacy = config.privacy
    return AuditTrail(
        audit_dir(config), syslog=privacy.audit_syslog, ca_bundle=privacy.audit_syslog_ca_bundle
    )
