"""Instances written into the cache as files of their own, and the group committer that
publishes them: what single-instance requests and imports use (a series or study answer
goes into a pack instead, :mod:`viewer.cache.pack`).

Each instance is written to a temp file in ``<root>/.tmp`` (the same file system as its
final place, so the last step is an atomic rename) named ``<pid>-<random>-<n>.part``. On
POSIX the writer holds an advisory lock on it, so start-up clean-up can tell a live
writer's file from one a crashed writer left behind (on Windows an open file cannot be
deleted at all).

The writing thread writes and checksums (:mod:`viewer.cache.checksum`, cheap enough to
run as the bytes pass); the first :data:`PREFIX_BYTES` of each instance stay in memory
and its header and pixel layout are read from them when the instance ends
(InvalidDataError there and then for a part that is not DICOM). The rest of the commit
happens on the :class:`GroupCommitter`'s threads while the next instance arrives: a
small pool fsyncs each file (letting go of the GIL); the committer thread then publishes
whatever is durable in one batch: renames, one fsync per folder, one SQLite
transaction. An instance is visible (renamed and indexed) only once its bytes are on
disk.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import queue
import secrets
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from viewer.cache.header import InstanceHeader
from viewer.cache.incoming import Incoming
from viewer.cache.layout import TEMP_SUFFIX
from viewer.cache.sealed import SealKey
from viewer.cache.sink import Accept, CachedInstance
from viewer.cache.whole import reader
from viewer.errors import DiskFullError
from viewer.imaging.pixel_layout import PixelLayout
from viewer.instance_file import InstanceFile
from viewer.private_files import PRIVATE_FILE

if sys.platform != "win32":
    import fcntl

_DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})
FSYNC_WORKERS = 4  # fsyncs side by side share journal commits
MAX_IN_FLIGHT = 16  # instances handed over but not yet published (open files, memory)
TEMP_FILES_AHEAD = 8  # temp files made ahead of the instances that will need them
_NAME_PREFIX = secrets.token_hex(4)  # temp names: <pid>-<this>-<counter>, no syscall each
_names = itertools.count()


def try_lock(fd: int) -> bool:
    """Take the writer's lock on an open file; False if another process holds it."""
    if sys.platform == "win32":
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def disk_error(err: OSError, root: Path) -> OSError | DiskFullError:
    """DiskFullError (naming the cache folder) for ENOSPC/EDQUOT; other errors as they are."""
    if err.errno in _DISK_FULL:
        full = DiskFullError(
            f"the disk holding the cache is full ({root}): "
            f"free some space or lower cache.max_size ({err.strerror or err})"
        )
        full.__cause__ = err
        return full
    return err


@dataclass
class Pending:
    """A complete instance on its way to publication (temp file still open and locked)."""

    temp_path: Path
    fd: int
    size: int
    header: InstanceHeader
    checksum: str  # viewer.cache.checksum's stored form
    layout: PixelLayout | None = None  # for loading without pydicom (None: unknown)
    future: Future[CachedInstance] = field(default_factory=Future)
    start: int = 0  # a file of its own begins at its start (a pack's instances do not)

    def discard(self) -> None:
        close_fd(self)
        with contextlib.suppress(FileNotFoundError):
            self.temp_path.unlink()


def close_fd(item: Pending) -> None:
    if item.fd >= 0:
        fd, item.fd = item.fd, -1
        os.close(fd)  # also releases the lock


# Publishes durable temp files: renames, folder fsyncs, index rows; sets each future.
PublishBatch = Callable[[list[Pending]], None]


class GroupCommitter:
    """Fsync on a pool, then publish in batches on one thread (see module doc)."""

    def __init__(self, root: Path, publish: PublishBatch, *, workers: int = FSYNC_WORKERS) -> None:
        self._root = root
        self._publish = publish
        self._workers = workers
        self._slots = threading.BoundedSemaphore(MAX_IN_FLIGHT)
        self._durable: queue.SimpleQueue[Pending | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._thread: threading.Thread | None = None
        self._closed = False

    def submit(self, item: Pending) -> Future[CachedInstance]:
        """Hand over a complete instance; blocks while MAX_IN_FLIGHT are under way."""
        self._slots.acquire()
        item.future.add_done_callback(lambda _f: self._slots.release())
        try:
            self._start()
            assert self._pool is not None
            self._pool.submit(self._make_durable, item)
        except BaseException as err:
            item.discard()
            item.future.set_exception(err)
        return item.future

    def _start(self) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError("the cache is closed")
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="cache-fsync")
                self._thread = threading.Thread(target=self._run, name="cache-commit", daemon=True)
                self._thread.start()

    def _make_durable(self, item: Pending) -> None:
        try:
            os.fsync(item.fd)  # the bytes are on disk before any name points here
            if sys.platform == "win32":  # Windows cannot rename an open file
                close_fd(item)
        except BaseException as err:
            item.discard()
            item.future.set_exception(
                disk_error(err, self._root) if isinstance(err, OSError) else err
            )
            return
        self._durable.put(item)

    def _run(self) -> None:
        while True:
            item = self._durable.get()
            if item is None:
                return
            batch = [item]
            while True:  # whatever else is durable by now joins this batch
                try:
                    more = self._durable.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._publish_all(batch)
                    return
                batch.append(more)
            self._publish_all(batch)

    def _publish_all(self, batch: list[Pending]) -> None:
        try:
            self._publish(batch)
        except BaseException as err:  # the publisher sets each future; this is a backstop
            failure = disk_error(err, self._root) if isinstance(err, OSError) else err
            for item in batch:
                if not item.future.done():
                    item.discard()
                    item.future.set_exception(failure)
        finally:
            for item in batch:
                close_fd(item)

    def close(self) -> None:
        """Finish what was handed over, then stop the threads."""
        with self._lock:
            self._closed = True
            pool, thread = self._pool, self._thread
        if pool is not None:
            pool.shutdown(wait=True)
        if thread is not None:
            self._durable.put(None)
            thread.join()


def create_locked(path: Path, root: Path) -> int:
    """Create a new file (never an existing one), open for writing and locked by this
    writer; DiskFullError when the disk is full."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, PRIVATE_FILE)  # patient data: the user's alone
    except OSError as err:
        raise disk_error(err, root) from err
    try_lock(fd)
    return fd


def create_temp_file(temp_dir: Path, root: Path) -> tuple[Path, int]:
    """A new temp file, open for writing and locked (DiskFullError when the disk is full)."""
    path = temp_dir / f"{os.getpid()}-{_NAME_PREFIX}-{next(_names)}{TEMP_SUFFIX}"
    return path, create_locked(path, root)


class TempFiles:
    """Temp files created ahead, on a thread of their own, for the next instances.

    Creating a file needs the file system's journal, and while the committer's fsyncs
    commit it a create waits: 0.35-1 ms each on ext4 here, against 0.02 ms on a quiet
    disk (100-160 ms of a 300-instance fetch when each had its own file, measured
    before series answers went into packs; imports and resumes still pay it). Made ahead,
    that wait falls on this thread instead. Files not used are removed on close (after a
    crash: by the start-up clean-up, as any temp file nobody holds).
    """

    def __init__(self, temp_dir: Path, root: Path, ahead: int = TEMP_FILES_AHEAD) -> None:
        self._dir = temp_dir
        self._root = root
        self._ready: queue.Queue[tuple[Path, int]] = queue.Queue(maxsize=ahead)
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def take(self) -> tuple[Path, int]:
        """A temp file: one made ahead if there is one, else made now."""
        self._keep_filling()
        try:
            return self._ready.get_nowait()
        except queue.Empty:
            return create_temp_file(self._dir, self._root)

    def _keep_filling(self) -> None:
        with self._lock:
            if self._closed.is_set() or (self._thread is not None and self._thread.is_alive()):
                return
            self._thread = threading.Thread(target=self._fill, name="cache-temp", daemon=True)
            self._thread.start()

    def _fill(self) -> None:
        while not self._closed.is_set():
            try:
                made = create_temp_file(self._dir, self._root)
            except (OSError, DiskFullError):
                return  # take() makes them itself and reports the error; tried again then
            while True:
                try:
                    self._ready.put(made, timeout=0.2)
                    break
                except queue.Full:
                    if self._closed.is_set():
                        _remove(*made)
                        return

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join()
        while True:
            try:
                _remove(*self._ready.get_nowait())
            except queue.Empty:
                return


def _remove(path: Path, fd: int) -> None:
    os.close(fd)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


class FileSink:
    """An :class:`viewer.cache.sink.InstanceSink` writing into the cache."""

    def __init__(
        self,
        temp_files: TempFiles,
        committer: GroupCommitter,
        root: Path,
        accept: Accept,
        key: SealKey | None = None,
    ) -> None:
        self._committer = committer
        self._root = root
        self._accept = accept
        self.temp_path, self._fd = temp_files.take()
        self._incoming = Incoming(key)
        self._done = False

    def write(self, data: bytes | memoryview) -> None:
        if self._fd < 0:
            raise ValueError("write to an instance that was already committed or aborted")
        try:
            self._write(self._incoming.to_disk(data))
        except OSError as err:
            self.abort()
            raise disk_error(err, self._root) from err
        self._incoming.passed(data)

    def _write(self, data: bytes | memoryview) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]

    def commit_async(self) -> Future[CachedInstance]:
        """Check the instance now (InvalidDataError if it is not a whole DICOM Part 10
        instance with valid UIDs that the sink may accept: the bytes are discarded), then
        hand it to the committer.
        The future ends when the instance is durable and indexed, or with the error
        (DiskFullError when the disk is full) that kept it out; nothing is visible then."""
        if self._fd < 0:
            raise ValueError("commit of an instance that was already committed or aborted")
        incoming = self._incoming
        try:
            try:
                self._write(incoming.last_to_disk())
            except OSError as err:
                raise disk_error(err, self._root) from err
            read_at = incoming.plain_reader(reader(self._fd, self.temp_path, 0))
            written = InstanceFile(self.temp_path, key=incoming.key)
            header, layout = incoming.accepted(written, self._accept, read_at)
        except BaseException:
            self.abort()
            raise
        item = Pending(
            self.temp_path, self._fd, incoming.disk_size, header, incoming.checksum(), layout
        )
        self._fd = -1  # the committer owns the open file now
        self._done = True
        return self._committer.submit(item)

    def commit(self) -> CachedInstance:
        return self.commit_async().result()

    def abort(self) -> None:
        self._close()
        if not self._done:
            self._done = True
            with contextlib.suppress(FileNotFoundError):
                self.temp_path.unlink()

    def _close(self) -> None:
        if self._fd >= 0:
            fd, self._fd = self._fd, -1
            os.close(fd)  # also releases the lock

    def __enter__(self) -> FileSink:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._done:
            self.abort()
