"""One instance being appended to a pack (:mod:`viewer.cache.pack`), in clear or sealed
on the pack's sealing thread (:mod:`viewer.cache.pack_sealing`)."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING

from viewer.cache.header import InstanceHeader
from viewer.cache.incoming import Incoming
from viewer.cache.pack_sealing import SealedPart
from viewer.cache.sealed import sealed_size
from viewer.cache.sink import Accept, CachedInstance
from viewer.cache.whole import reader
from viewer.cache.writer import disk_error
from viewer.imaging.pixel_layout import PixelLayout
from viewer.instance_file import InstanceFile

if TYPE_CHECKING:
    from viewer.cache.pack import PackWriter


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


class PackPart:
    """One instance being appended to a pack (an :class:`AsyncInstanceSink`)."""

    def __init__(self, pack: PackWriter, start: int, accept: Accept) -> None:
        self._pack = pack
        self._start = start
        self._accept = accept
        key = pack._layout.seal
        self._incoming = Incoming(key, seals=False)  # the pack's sealing thread seals
        self._sealed = SealedPart.at(start, key) if key is not None else None
        self._done = False

    def write(self, data: bytes | memoryview) -> None:
        if self._done:
            raise ValueError("write to an instance that was already committed or aborted")
        if self._sealed is not None:
            self._queue_piece(self._sealed, data)
        else:
            try:
                self._pack._write(self._start + self._incoming.size, data)
            except OSError as err:
                self.abort()
                raise disk_error(err, self._pack._layout.root) from err
        self._incoming.passed(data)

    def _queue_piece(self, sealed: SealedPart, data: bytes | memoryview) -> None:
        failure = self._pack._failure
        if failure is not None:  # an earlier write failed: said at the next one
            self.abort()
            raise failure
        assert self._pack._sealing is not None
        self._pack._sealing.piece(sealed, data)

    def _sealed_now(self) -> None:
        """The part's last chunk sealed and everything written, to be read back."""
        sealed, sealing = self._sealed, self._pack._sealing
        if sealed is None or sealing is None:
            return
        if not sealed.finished:
            sealing.finish(sealed)
        sealing.drain()
        if sealed.error is not None:
            raise sealed.error

    def commit_async(self) -> Future[CachedInstance]:
        """Check the instance now (InvalidDataError if it is not a whole DICOM Part 10
        instance with valid UIDs that the sink may accept: the bytes are given back; the
        pack's study is always required), then queue it for the
        next sync. The future ends once the instance is durable and indexed."""
        if self._done:
            raise ValueError("commit of an instance that was already committed or aborted")
        incoming, pack = self._incoming, self._pack
        try:
            assert pack._path is not None
            size = sealed_size(incoming.size) if self._sealed is not None else incoming.size
            written = InstanceFile(pack._path, self._start, size, incoming.key)
            raw = reader(pack._fd, pack._path, self._start)

            def read_at(offset: int, count: int) -> bytes:
                return incoming.plain_reader(raw)(offset, count)

            header, layout = incoming.accepted(written, self._accept, read_at, self._sealed_now)
        except BaseException:
            self.abort()
            raise
        item = Packed(pack._rel, self._start, size, header, incoming.checksum(), layout)
        self._done = True
        sealed = self._sealed
        if sealed is None or pack._sealing is None:
            pack._ended(self, item)
        elif sealed.finished:  # sealed already, to be read back: written by now
            self._ended_sealed(sealed, item)
        else:
            pack._committed(self, item)  # the next part begins while this one is sealed
            pack._sealing.finish(sealed, lambda: self._ended_sealed(sealed, item))
        return item.future

    def _ended_sealed(self, sealed: SealedPart, item: Packed) -> None:
        if sealed.error is not None:
            failure = sealed.error
            if isinstance(failure, OSError):
                failure = disk_error(failure, self._pack._layout.root)
            item.future.set_exception(failure)
            self._pack._ended(self, None)
            return
        self._pack._ended(self, item)

    def commit(self) -> CachedInstance:
        return self.commit_async().result()

    def abort(self) -> None:
        if not self._done:
            self._done = True
            if self._sealed is not None:
                self._sealed.aborted = True  # its pieces still queued are skipped
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
