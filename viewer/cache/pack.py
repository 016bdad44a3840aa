"""One retrieval's instances in one pack file, made durable in groups, then indexed.

Why not a file per instance here: making a file durable costs a create, an fsync with
its journal commit, a rename and a folder fsync, and on the machine of bench/RESULTS.md
that metadata work alone put a 300-instance fetch at 1.7-1.9x the time curl takes to
download the same answer. Appending the instances of one multipart answer to one file
and syncing its data in groups takes the same fetch to about curl's time.

The rules that keep a crash harmless:

- The pack is created in ``<StudyUID>/packs/``, locked while its writer lives (start-up
  clean-up leaves a locked pack alone); the folders that gained an entry (the study's,
  the pack's) are fsynced by the flusher before the first index row names the pack, so
  that work is off the retrieving thread.
- Each instance is appended at the pack's end; a part that is aborted or rejected puts
  the end back where it began (the next instance overwrites its bytes).
- A flusher thread syncs the pack's data (``fdatasync``) once :data:`SYNC_BYTES` are
  waiting (the writer wakes it), the retrieval flushes, or the oldest waiting instance
  has waited :data:`SYNC_DELAY_S` (the flusher looks that often), then publishes every
  instance of the group: one index transaction, each row saying (pack, start, size).
  It takes all that waits each time, so wake-ups during a sync cost one sync, not one
  each. Every instance of a group was written before its sync began, so a row never
  names bytes that are not on disk. (A first version woke the flusher with a condition
  variable as instances ended; the wake-ups cost the retrieving thread a quarter of
  curl's time.)
- After a crash, bytes past the last published instance are simply not referenced;
  start-up removes packs no row names (:func:`viewer.cache.housekeeping.reconcile`)
  and drops rows that reach past their pack's end.

The instances are bit-identical to what the server sent: each range is a whole DICOM
Part 10 file (in a sealed cache: that file sealed, :mod:`viewer.cache.sealed`), readable
through :mod:`viewer.instance_file`.
"""

from __future__ import annotations

import contextlib
import os
import queue
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from viewer.cache.header import InstanceHeader
from viewer.cache.incoming import Incoming
from viewer.cache.layout import PACK_SUFFIX, CacheLayout, fsync_dir
from viewer.cache.sink import Accept, CachedInstance
from viewer.cache.whole import reader
from viewer.cache.writer import create_locked, disk_error
from viewer.errors import NotFoundError
from viewer.imaging.pixel_layout import PixelLayout
from viewer.instance_file import InstanceFile

SYNC_BYTES = 16 << 20  # a sync covers at least this much when the data comes fast
SYNC_MIN_BYTES = 4 << 20  # ... or this much, when the previous sync has just ended
SYNC_DELAY_S = 0.05  # ... and no instance waits longer than this for one to start
MAX_UNSYNCED = 64 << 20  # the writer waits when this much is written but not yet synced
_datasync = getattr(os, "fdatasync", os.fsync)  # data and size; macOS and Windows: fsync


def _seek_and_write(fd: int, data: memoryview, offset: int) -> int:
    """pwrite where the OS has none (Windows); one writer per pack, so no race."""
    os.lseek(fd, offset, os.SEEK_SET)
    return os.write(fd, data)


_pwrite = getattr(os, "pwrite", _seek_and_write)


@dataclass
class Packed:
    """A complete instance in a pack, on its way to publication."""

    rel: str  # the pack, relative to the cache root
    start: int
    size: int
    header: InstanceHeader
    checksum: str  # viewer.cache.checksum's stored form
    layout: PixelLayout | None = None
    future: Future[CachedInstance] = field(default_factory=Future)

    @property
    def end(self) -> int:
        return self.start + self.size

    def discard(self) -> None:
        """Nothing to remove: unpublished bytes in a pack are never referenced."""


PublishPacked = Callable[[list[Packed]], None]


class PackWriter:
    """A :class:`viewer.cache.sink.SinkFactory` for one retrieval of one study: every
    instance goes into one pack. Close it (or use it as a context manager) when the
    retrieval ends: what is still waiting is synced and published then."""

    def __init__(self, layout: CacheLayout, study_uid: str, publish: PublishPacked) -> None:
        self._layout = layout
        self._study_uid = study_uid
        self._publish = publish
        self._cond = threading.Condition()  # guards the fields below
        # Wakes the flusher: True (take what waits now), None (the pack is closing).
        self._wake: queue.SimpleQueue[bool | None] = queue.SimpleQueue()
        self._fd = -1
        self._path: Path | None = None
        self._rel = ""
        self._end = 0  # where the next instance goes
        self._open_part: PackPart | None = None
        self._waiting: list[Packed] = []  # committed, not yet synced
        self._waiting_bytes = 0
        self._unsynced = 0  # bytes written and not yet covered by a sync
        self._first_wait = 0.0
        self._published = 0
        self._failure: BaseException | None = None
        self._closing = False
        self._flusher: threading.Thread | None = None
        self._folders_to_sync: list[Path] = []  # before the first row names the pack
        self._woken = False  # the writer has asked for a sync the flusher has not begun

    # -- the sink factory -----------------------------------------------------------

    def begin_instance(self, accept: Accept | None = None) -> PackPart:
        """The next instance of the pack; it refuses any instance ``accept`` does not
        allow, and always one of another study than the pack's."""
        if accept is None:
            accept = Accept(f"an answer for study {self._study_uid}", self._study_uid)
        elif accept.study_uid != self._study_uid:
            raise ValueError("a pack takes the instances of its own study only")
        with self._cond:
            if self._closing:
                raise RuntimeError("the pack is closed")
            if self._failure is not None:
                raise self._failure
            if self._open_part is not None:
                raise RuntimeError("one instance at a time goes into a pack")
            while self._unsynced > MAX_UNSYNCED and self._failure is None:
                self._cond.wait()  # the disk is behind: let it catch up
        if self._fd < 0:
            self._create()
        part = PackPart(self, self._end, accept)
        self._open_part = part
        return part

    def _create(self) -> None:
        try:
            folder, self._folders_to_sync = self._layout.make_pack_dir(self._study_uid)
        except OSError as err:
            raise disk_error(err, self._layout.root) from err
        path = folder / f"{os.getpid()}-{secrets.token_hex(8)}{PACK_SUFFIX}"
        fd = create_locked(path, self._layout.root)
        self._fd, self._path, self._rel = fd, path, self._layout.relative(path)
        self._flusher = threading.Thread(target=self._run, name="cache-pack", daemon=True)
        self._flusher.start()

    # -- called by the part being written ----------------------------------------------

    def _write(self, offset: int, data: bytes | memoryview) -> None:
        view = memoryview(data)
        while view:
            written = _pwrite(self._fd, view, offset)
            view, offset = view[written:], offset + written

    def _ended(self, part: PackPart, item: Packed | None) -> None:
        """A part is over: ``item`` to publish, or None (aborted: its bytes are reused)."""
        with self._cond:
            self._open_part = None
            if item is None:
                return
            if self._failure is not None:
                item.future.set_exception(self._failure)
                return
            self._end = item.end
            if not self._waiting:
                self._first_wait = time.monotonic()
            self._waiting.append(item)
            self._waiting_bytes += item.size
            self._unsynced += item.size
            if self._waiting_bytes >= SYNC_BYTES and not self._woken:
                self._woken = True
                self._wake.put(True)

    def flush(self) -> None:
        """Sync and publish what waits now, not after :data:`SYNC_DELAY_S`: the caller is
        about to wait for it (the end of an answer)."""
        self._write_back_now()
        self._wake.put(True)

    def _write_back_now(self) -> None:
        """Start the last group's write-back on the caller's thread, which is about to
        wait for it anyway: otherwise it begins only when the flusher's sync in progress
        ends (in interleaved runs, the median fetch went from 1.10x to 1.05x curl's
        time, bench/RESULTS.md). This sync only hurries
        the flusher's, which still decides: it goes through a descriptor of its own,
        because Linux reports a failed write-back once per open file, and the flusher's
        descriptor must still be told. (Closing it leaves the writer's lock held: that is
        an ``flock`` on the writer's own descriptor, not a POSIX record lock.)"""
        if self._path is None or not hasattr(os, "fdatasync"):
            return
        with contextlib.suppress(OSError):
            fd = os.open(self._path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            try:
                os.fdatasync(fd)
            finally:
                os.close(fd)

    def _take_waiting(self) -> list[Packed]:
        """The instances waiting for a sync, handed over (the caller holds the lock)."""
        batch, self._waiting, self._waiting_bytes = self._waiting, [], 0
        self._woken = False
        return batch

    # -- syncing and publishing ---------------------------------------------------------

    def _run(self) -> None:
        closing = False
        while not closing:
            try:
                wake: bool | None = self._wake.get(timeout=SYNC_DELAY_S)
            except queue.Empty:
                wake = False
            closing = wake is None
            with self._cond:
                due = wake is not False or self._woken
                due = due or (time.monotonic() - self._first_wait >= SYNC_DELAY_S)
                batch = self._take_waiting() if due else []  # a slow link: no long waits
            while batch:
                self._sync_and_publish(batch)
                # Every wake-up that came meanwhile is answered by taking all that waits:
                # one sync and one transaction, not one each (a chain of small rounds
                # after the last byte is what the retrieval would wait for).
                wakes = self._pending_wakes()
                closing = closing or None in wakes
                with self._cond:
                    self._unsynced -= sum(item.size for item in batch)
                    self._cond.notify_all()
                    # What arrived during that sync goes next if it is worth a sync: the
                    # group waiting when the answer ends is then small (that last sync
                    # is the only one nothing else overlaps).
                    due = bool(wakes) or closing or self._waiting_bytes >= SYNC_MIN_BYTES
                    batch = self._take_waiting() if due else []

    def _pending_wakes(self) -> list[bool | None]:
        wakes = []
        while True:
            try:
                wakes.append(self._wake.get_nowait())
            except queue.Empty:
                return wakes

    def _sync_and_publish(self, batch: list[Packed]) -> None:
        try:
            if self._failure is not None:
                # Linux reports a failed write-back once: a later sync may succeed
                # although those pages never reached the disk. Nothing more is published.
                raise self._failure
            _datasync(self._fd)  # every instance of the batch was written before this
            while self._folders_to_sync:  # the pack's name is durable before a row names it
                fsync_dir(self._folders_to_sync[0])
                self._folders_to_sync.pop(0)
            self._require_still_there()
        except BaseException as err:
            failure = disk_error(err, self._layout.root) if isinstance(err, OSError) else err
            with self._cond:
                self._failure = self._failure or failure
            for item in batch:
                item.future.set_exception(failure)
            return
        try:
            self._publish(batch)
        except BaseException as err:  # the publisher sets each future; this is a backstop
            for item in batch:
                if not item.future.done():
                    item.future.set_exception(err)
        self._published += sum(1 for item in batch if item.future.exception() is None)

    def _require_still_there(self) -> None:
        """The study was deleted meanwhile (by another process): rows would name a pack
        that is gone."""
        assert self._path is not None
        try:
            same = self._path.stat().st_ino == os.fstat(self._fd).st_ino
        except FileNotFoundError:
            same = False
        if not same:
            raise NotFoundError(
                f"study {self._study_uid} was removed from the cache while it was fetched"
            )

    def close(self) -> None:
        """Sync and publish what waits, then let go of the pack (removed if nothing of it
        was published). Waits for the flusher."""
        with self._cond:
            self._closing = True
            part = self._open_part
        if part is not None:
            part.abort()
        if self._flusher is not None:
            self._wake.put(None)
            self._flusher.join()
        if self._fd < 0:
            return
        fd, self._fd = self._fd, -1
        try:
            if self._published > 0:
                with contextlib.suppress(OSError):  # bytes of a last aborted part
                    if os.fstat(fd).st_size > self._end:
                        os.ftruncate(fd, self._end)
        finally:
            os.close(fd)  # also releases the lock
        if self._published == 0 and self._path is not None:
            with contextlib.suppress(OSError):  # closed first: Windows deletes no open file
                self._path.unlink(missing_ok=True)

    def __enter__(self) -> PackWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class PackPart:
    """One instance being appended to a pack (an :class:`AsyncInstanceSink`)."""

    def __init__(self, pack: PackWriter, start: int, accept: Accept) -> None:
        self._pack = pack
        self._start = start
        self._accept = accept
        self._incoming = Incoming(pack._layout.seal)
        self._done = False

    def write(self, data: bytes | memoryview) -> None:
        if self._done:
            raise ValueError("write to an instance that was already committed or aborted")
        try:
            self._pack._write(self._start + self._written, self._incoming.to_disk(data))
        except OSError as err:
            self.abort()
            raise disk_error(err, self._pack._layout.root) from err
        self._incoming.passed(data)

    @property
    def _written(self) -> int:
        """Bytes of this instance on disk so far (sealed, if the cache seals)."""
        incoming = self._incoming
        return incoming.size if incoming.key is None else incoming.disk_size

    def commit_async(self) -> Future[CachedInstance]:
        """Check the instance now (InvalidDataError if it is not a whole DICOM Part 10
        instance with valid UIDs that the sink may accept: the bytes are given back; the
        pack's study is always required), then queue it for the
        next sync. The future ends once the instance is durable and indexed."""
        if self._done:
            raise ValueError("commit of an instance that was already committed or aborted")
        incoming = self._incoming
        try:
            assert self._pack._path is not None
            try:
                self._pack._write(self._start + self._written, incoming.last_to_disk())
            except OSError as err:
                raise disk_error(err, self._pack._layout.root) from err
            size = incoming.disk_size
            written = InstanceFile(self._pack._path, self._start, size, incoming.key)
            read_at = incoming.plain_reader(reader(self._pack._fd, self._pack._path, self._start))
            header, layout = incoming.accepted(written, self._accept, read_at)
        except BaseException:
            self.abort()
            raise
        item = Packed(self._pack._rel, self._start, size, header, incoming.checksum(), layout)
        self._done = True
        self._pack._ended(self, item)
        return item.future

    def commit(self) -> CachedInstance:
        return self.commit_async().result()

    def abort(self) -> None:
        if not self._done:
            self._done = True
            self._pack._ended(self, None)

    def __enter__(self) -> PackPart:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.abort()
