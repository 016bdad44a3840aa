"""One instance being written into the cache: a temp file, hashed as it grows.

The temp file lives in ``<root>/.tmp`` (the same file system as its final place, so the
last step is an atomic rename) and is named ``<pid>-<random>.part``. On POSIX the writer
holds an advisory lock on it, so start-up clean-up can tell a live writer's file from
one a crashed writer left behind (on Windows an open file cannot be deleted at all).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from viewer.cache.header import InstanceHeader, read_header
from viewer.cache.layout import TEMP_SUFFIX
from viewer.cache.sink import CachedInstance

if sys.platform != "win32":
    import fcntl

# Moves a durable temp file into place and indexes it: (temp path, header, size, sha256).
Publish = Callable[[Path, InstanceHeader, int, str], CachedInstance]


def try_lock(fd: int) -> bool:
    """Take the writer's lock on an open file; False if another process holds it."""
    if sys.platform == "win32":
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class FileSink:
    """An :class:`viewer.cache.sink.InstanceSink` writing into the cache."""

    def __init__(self, temp_dir: Path, publish: Publish) -> None:
        self._publish = publish
        name = f"{os.getpid()}-{secrets.token_hex(8)}{TEMP_SUFFIX}"
        self.temp_path = temp_dir / name
        self._file: BinaryIO | None = self.temp_path.open("xb")
        try_lock(self._file.fileno())
        self._hash = hashlib.sha256()
        self._size = 0
        self._done = False

    def write(self, data: bytes) -> None:
        if self._file is None:
            raise ValueError("write to an instance that was already committed or aborted")
        self._file.write(data)
        self._hash.update(data)
        self._size += len(data)

    def commit(self) -> CachedInstance:
        if self._file is None:
            raise ValueError("commit of an instance that was already committed or aborted")
        try:
            self._file.flush()
            os.fsync(self._file.fileno())  # the bytes are on disk before any name points here
            if sys.platform == "win32":  # Windows cannot rename an open file
                self._close()
            header = read_header(self.temp_path)
            instance = self._publish(self.temp_path, header, self._size, self._hash.hexdigest())
        except BaseException:
            self.abort()
            raise
        self._close()
        self._done = True
        return instance

    def abort(self) -> None:
        self._close()
        if not self._done:
            self._done = True
            with contextlib.suppress(FileNotFoundError):
                self.temp_path.unlink()

    def _close(self) -> None:
        if self._file is not None:
            self._file.close()  # also releases the lock
            self._file = None

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
