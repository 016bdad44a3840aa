"""What a sink keeps of an instance as its bytes pass, and the checks before it commits.

Both sinks (a file of its own, :mod:`viewer.cache.writer`; a range of a pack,
:mod:`viewer.cache.pack`) write what :class:`Incoming` gives them to write, then ask it
whether what arrived may be committed.
"""

from __future__ import annotations

from viewer.cache.checksum import new_digest, stored_form
from viewer.cache.header import PREFIX_BYTES, InstanceHeader, read_header, read_prefix
from viewer.cache.sealed import Sealer, SealKey, Unsealer
from viewer.cache.sink import Accept
from viewer.cache.whole import ReadAt, require_bounded_if_deflated, require_whole
from viewer.errors import InvalidDataError, QingyingError
from viewer.imaging.pixel_layout import PixelLayout
from viewer.instance_file import Readable, read_instance_bytes


class Incoming:
    """What a sink keeps of an instance as its bytes pass: their count, their checksum
    (taken on the way, :mod:`viewer.cache.checksum`) and the first :data:`PREFIX_BYTES`,
    from which the header and pixel layout are read when the instance ends. With the
    cache's key it also seals them (:mod:`viewer.cache.sealed`): what the sink writes is
    what :meth:`to_disk` gives, and no plaintext byte reaches the disk.

    The first bytes are kept as views of the chunks written (the writer does not change
    a chunk it has handed over) and joined once, when read: copying them as they came,
    and again to read them, moved 38 MB of a 300-instance study for nothing."""

    def __init__(self, key: SealKey | None = None) -> None:
        self.size = 0  # the plaintext's
        self.key = key
        self._sealer = Sealer(key) if key is not None else None
        self._first: list[memoryview] = []
        self._kept = 0
        self._digest = new_digest()

    def to_disk(self, data: bytes | memoryview) -> bytes | memoryview:
        """What to write for ``data``: itself, or what of it is sealed by now (a view
        valid until the next call)."""
        return data if self._sealer is None else self._sealer.feed(data)

    def last_to_disk(self) -> bytes | memoryview:
        """What to write when the instance has ended (its last chunk, sealed)."""
        return b"" if self._sealer is None else self._sealer.finish()

    @property
    def disk_size(self) -> int:
        """The bytes written for it, once :meth:`last_to_disk` was written."""
        return self.size if self._sealer is None else self._sealer.sealed_size

    def plain_reader(self, raw: ReadAt) -> ReadAt:
        """Reads of the plaintext, given reads of what was written (from its start)."""
        if self.key is None:
            return raw
        return Unsealer(self.key, raw, self.size).read

    def passed(self, data: bytes | memoryview) -> None:
        if self._kept < PREFIX_BYTES:
            piece = memoryview(data)[: PREFIX_BYTES - self._kept]
            self._first.append(piece)
            self._kept += len(piece)
        self.size += len(data)
        self._digest.update(data)

    def checksum(self) -> str:
        return stored_form(self._digest)

    def header(self, written: Readable) -> tuple[InstanceHeader, PixelLayout | None]:
        """Header and layout from the kept bytes; from ``written`` (the bytes on disk)
        when the header goes beyond them or is unusual. InvalidDataError if it is not a
        DICOM Part 10 instance with valid UIDs."""
        prefix, self._first = b"".join(self._first), []
        try:
            header, layout = read_prefix(prefix, self.size <= PREFIX_BYTES)
            if header is None:  # pydicom reads it, and would inflate a deflated one whole
                require_bounded_if_deflated(prefix, lambda: read_instance_bytes(written))
                header = read_header(written)
            return header, layout
        except QingyingError:
            raise
        except Exception as err:
            # Whatever the bytes make a reader raise (an overflow, a recursion, a
            # struct error) is bad data from the source, never a failure of the fetch.
            raise InvalidDataError(f"not a readable DICOM instance ({type(err).__name__})") from err

    def accepted(
        self, written: Readable, accept: Accept, read_at: ReadAt
    ) -> tuple[InstanceHeader, PixelLayout | None]:
        """Header and layout of an instance that may be committed: one ``accept`` allows,
        whole as DICOM (:mod:`viewer.cache.whole`); InvalidDataError otherwise."""
        header, layout = self.header(written)
        accept.check(header.study_uid, header.series_uid, header.sop_uid)
        try:
            require_whole(read_at, self.size, layout)
        except QingyingError:
            raise
        except Exception as err:
            raise InvalidDataError(f"not a whole DICOM instance ({type(err).__name__})") from err
        return header, layout
