"""Where one instance's Part 10 bytes are: a file of its own, or a range of a cache pack.

The cache lands a retrieval's instances one after another in one *pack* file (see
:mod:`viewer.cache.pack`); everything that reads an instance takes an
:class:`InstanceFile` (or a plain path, which means the whole file) and reads through
:func:`open_instance`, so no reader can run past the end of its instance into the next.

:class:`InstanceFile` is deliberately not path-like: a pack handed to code that opens
paths would read the first instance of the pack, not this one.

An instance of the encrypted cache is sealed (:mod:`viewer.cache.sealed`): its
:class:`InstanceFile` carries the cache's key, and every reader here gives its plaintext,
opening only the chunks a read needs. Whether an instance is sealed is told by its first
bytes (the sealed header naming that key), so a cache whose older instances are still in
clear while they are sealed (:mod:`viewer.cache.seal_existing`) reads both.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from viewer.cache.sealed import CHUNK, HEADER, SealKey, Unsealer, names_key, plain_size

if TYPE_CHECKING:
    from pydicom.dataset import FileDataset

BUFFER_SIZE = 64 * 1024


@dataclass(frozen=True)
class InstanceFile:
    path: Path
    offset: int = 0  # where the instance starts in the file
    size: int | None = None  # its length in bytes on disk; None: to the end of the file
    key: SealKey | None = field(default=None, compare=False, repr=False)  # sealed with it

    @property
    def is_range(self) -> bool:
        return self.offset != 0 or self.size is not None

    def unsealed(self) -> InstanceFile:
        """The same bytes read as they lie on disk (sealed or not): to copy them whole."""
        return replace(self, key=None)

    def __str__(self) -> str:
        if not self.is_range:
            return str(self.path)
        return f"{self.path} (bytes {self.offset}-{self.offset + (self.size or 0)})"


Readable = Path | str | InstanceFile


def as_instance_file(source: Readable) -> InstanceFile:
    return source if isinstance(source, InstanceFile) else InstanceFile(Path(source))


def open_instance(source: Readable) -> BinaryIO:
    """A seekable reader of the instance's bytes alone (offsets from its start).

    A range reader opens the file for each buffer it fills (a dataset keeps its reader
    for the values pydicom defers, and an open descriptor per kept header would pile
    up). It has no ``name`` and is not an ``io.BufferedReader``, so pydicom reads
    deferred values through it rather than by reopening the pack at a wrong offset."""
    item = as_instance_file(source)
    if not item.is_range and item.key is None:
        return item.path.open("rb")
    return _RangeReader(item)  # type: ignore[return-value]


def read_dicom(source: Readable, **options: Any) -> FileDataset:
    """pydicom's ``dcmread`` of an instance (``options`` passed on). A whole file goes by
    its path: pydicom opens and closes it, and reopens it by name for deferred values. A
    range goes through :func:`open_instance`, whose reader the dataset keeps for them.
    (pydicom is imported here, when first needed: a fetch may never need it.)"""
    from pydicom import dcmread

    item = as_instance_file(source)
    whole_file = not item.is_range and item.key is None
    return dcmread(item.path if whole_file else open_instance(item), **options)


def read_instance_bytes(source: Readable) -> bytes:
    with open_instance(source) as fh:
        return fh.read()


def read_into(source: Readable, view: memoryview, offset: int) -> int:
    """Read into ``view`` from ``offset`` (counted from the instance's start), at most to
    the instance's end; the number of bytes read. One system call where the OS has preadv
    (a sealed instance: one read of the chunks the range needs, opened into ``view``)."""
    item = as_instance_file(source)
    fd = os.open(item.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        opened = _unsealer(item, fd)
        if opened is not None:
            return opened.read_into(offset, view)
        if item.size is not None:
            view = view[: max(0, min(len(view), item.size - offset))]
        return _preadv(fd, view, item.offset + offset)
    finally:
        os.close(fd)


def instance_size(source: Readable) -> int:
    """The instance's length in bytes as its readers give it (a sealed one's plaintext)."""
    item = as_instance_file(source)
    fd = os.open(item.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        opened = _unsealer(item, fd)
        if opened is not None:
            return opened.plain_size
        return item.size if item.size is not None else os.fstat(fd).st_size - item.offset
    finally:
        os.close(fd)


def _unsealer(item: InstanceFile, fd: int) -> Unsealer | None:
    """What opens ``item``'s chunks, when its bytes are sealed under its key; None when
    they are in clear (no key, or an instance not yet sealed)."""
    if item.key is None:
        return None
    size = item.size if item.size is not None else os.fstat(fd).st_size - item.offset

    def read_at(at: int, count: int) -> bytes:
        return _pread(fd, max(0, min(count, size - at)), item.offset + at)

    header = read_at(0, HEADER)
    if not names_key(header, item.key):
        return None
    return Unsealer(item.key, read_at, plain_size(size), header)


def _pread(fd: int, count: int, where: int) -> bytes:
    """``count`` bytes at ``where`` (fewer at the end), into one new object: no copies."""
    if hasattr(os, "pread"):
        return os.pread(fd, count, where)
    with io.FileIO(fd, closefd=False) as fh:  # Windows
        fh.seek(where)
        return fh.read(count) or b""


def _preadv(fd: int, view: memoryview, where: int) -> int:
    if hasattr(os, "preadv"):
        return os.preadv(fd, [view], where)
    with io.FileIO(fd, closefd=False) as fh:  # Windows
        fh.seek(where)
        return fh.readinto(view) or 0


class _RangeReader(io.RawIOBase):
    """What :func:`open_instance` gives for a range of a file, or a sealed instance:
    reads through a buffer of :data:`BUFFER_SIZE` (pydicom reads a header a few bytes at
    a time), a sealed instance's of one chunk (each fill opens whole chunks anyway)."""

    def __init__(self, item: InstanceFile) -> None:
        super().__init__()
        self._item = item
        self._end = instance_size(item)
        self._buffer_size = CHUNK if item.key is not None else BUFFER_SIZE
        self._pos = 0
        self._buffer = b""
        self._buffer_at = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._end}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def read(self, size: int | None = -1) -> bytes:
        if self.closed:
            raise ValueError("read of a closed file")
        left = max(0, self._end - self._pos)
        size = left if size is None or size < 0 else min(size, left)
        at = self._pos - self._buffer_at
        if at >= 0 and at + size <= len(self._buffer):
            self._pos += size
            return self._buffer[at : at + size]
        if size >= self._buffer_size:
            return self._read_unbuffered(size)
        self._buffer = self._read_unbuffered(min(self._buffer_size, left))
        self._buffer_at = self._pos - len(self._buffer)
        self._pos = self._buffer_at + min(size, len(self._buffer))
        return self._buffer[:size]

    def readall(self) -> bytes:
        return self.read(-1)

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        memoryview(buffer).cast("B")[: len(data)] = data
        return len(data)

    def _read_unbuffered(self, size: int) -> bytes:
        out = bytearray(size)
        got = read_into(self._item, memoryview(out), self._pos)
        self._pos += got
        return bytes(out[:got])
