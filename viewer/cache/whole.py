"""Whether an instance that arrived is whole as DICOM, checked before the cache commits it.

A part that ended at its multipart boundary may still hold a cut-off instance: a server
that sent what it had of a damaged file, a proxy that closed a part early. The checksum
taken as the bytes pass cannot tell (it is of what came), and so neither can
``cache verify`` later. So the data set must parse to its last byte (PS3.5 §7):

- native Pixel Data (7FE0,0010) ends within the instance and holds at least what
  Rows × Columns × Samples per Pixel × Bits Allocated × Number of Frames need (PS3.5 §8.1.1);
- encapsulated Pixel Data is a run of items that ends with the Sequence Delimitation Item
  (PS3.5 §A.4), every item within the instance;
- every element after the Pixel Data ends exactly at the end of the instance; an
  instance without pixel data (a report, a key object) parses to its end.

It is cheap on purpose, since it runs on the retrieving thread for every instance: the
header walk has already found where Pixel Data starts, native pixels need no read at all
when nothing follows them, and encapsulated ones one 8-byte read per fragment.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

from pydicom import dcmread
from pydicom.uid import UID

from viewer import part10
from viewer.errors import InvalidDataError
from viewer.imaging.pixel_layout import PixelLayout

ReadAt = Callable[[int, int], bytes]  # (offset in the instance, count) → bytes read


class NotWholeError(InvalidDataError):
    """The instance is cut short or its data set does not end where its bytes do."""


def reader(fd: int, path: Path, base: int) -> ReadAt:
    """Reads of an instance that begins at ``base`` of an open file (``path``)."""
    pread = getattr(os, "pread", None)
    if pread is not None:
        return lambda offset, count: pread(fd, count, base + offset)

    def read_at(offset: int, count: int) -> bytes:  # Windows: no pread
        with path.open("rb") as file:
            file.seek(base + offset)
            return file.read(count)

    return read_at


def require_whole(read_at: ReadAt, size: int, layout: PixelLayout | None) -> None:
    """NotWholeError unless the instance of ``size`` bytes parses to its end; ``layout``
    is what the header walk found (None: it did not reach Pixel Data, or there is none)."""
    if layout is None:
        _require_whole_without_layout(read_at(0, size))
        return
    implicit = layout.transfer_syntax == part10.IMPLICIT_VR_LITTLE_ENDIAN
    end = _pixel_data_end(read_at, size, layout.pixel_offset, layout.pixel_length)
    if layout.pixel_length != part10.UNDEFINED_LENGTH:
        needed = _native_bytes(layout)
        if layout.pixel_length < needed:
            raise NotWholeError(
                f"Pixel Data holds {layout.pixel_length} bytes, its image needs {needed}"
            )
    _require_elements_to_end(read_at(end, size - end), implicit)


def _pixel_data_end(read_at: ReadAt, size: int, offset: int, length: int) -> int:
    """Where the Pixel Data value that starts at ``offset`` ends."""
    if length != part10.UNDEFINED_LENGTH:
        if offset + length > size:
            raise NotWholeError(f"cut short: Pixel Data needs {offset + length - size} bytes more")
        return offset + length
    pos = offset
    while pos + 8 <= size:
        header = read_at(pos, 8)
        if len(header) < 8:
            break
        group, element = part10.U16_PAIR.unpack_from(header)
        item_length = part10.U32.unpack_from(header, 4)[0]
        tag = group << 16 | element
        pos += 8
        if tag == part10.SEQUENCE_END:
            return pos
        if tag != part10.ITEM or item_length == part10.UNDEFINED_LENGTH:
            raise NotWholeError(f"encapsulated Pixel Data holds a ({group:04X},{element:04X})")
        pos += item_length
    raise NotWholeError("cut short: encapsulated Pixel Data has no end (Sequence Delimiter)")


def _native_bytes(layout: PixelLayout) -> int:
    pixels = layout.rows * layout.columns * layout.samples_per_pixel * max(layout.frames, 1)
    return (pixels * layout.bits_allocated + 7) // 8


def _require_elements_to_end(buf: bytes, implicit: bool) -> None:
    """The top-level elements in ``buf`` (what follows Pixel Data) end exactly at its end."""
    pos, end = 0, len(buf)
    try:
        while pos < end:
            if pos + 8 > end:
                raise NotWholeError("cut short inside an element after Pixel Data")
            if implicit:
                vr: bytes | None = None
                start, length = pos + 8, part10.U32.unpack_from(buf, pos + 4)[0]
            else:
                vr, start, length = part10.explicit_header(buf, pos)
            if length == part10.UNDEFINED_LENGTH:
                pos = part10.skip_undefined(buf, start, implicit or vr == b"UN")
            else:
                pos = start + length
        if pos != end:
            raise NotWholeError("cut short inside an element after Pixel Data")
    except part10.UnhandledError as err:
        raise NotWholeError("what follows Pixel Data is not a whole DICOM element") from err


def _require_whole_without_layout(buf: bytes) -> None:
    """The rare instance the prefix walk gave no layout for: the whole of it is walked.
    Where the walk cannot go, only a syntax it does not read (deflated, big endian) is
    left to pydicom; in any other syntax the data set is damaged."""
    try:
        found = part10.scan(buf, True, frozenset(), frozenset())
    except part10.UnhandledError:
        _require_read_by_pydicom(buf)
        return
    if found.pixel_data is None:
        if not found.covers(0xFFFFFFFF):
            raise NotWholeError("cut short: the data set does not end where its bytes do")
        return
    offset, length = found.pixel_data
    end = _pixel_data_end(lambda o, n: buf[o : o + n], len(buf), offset, length)
    _require_elements_to_end(buf[end:], found.implicit)


def _require_read_by_pydicom(buf: bytes) -> None:
    syntax = _meta_syntax(buf)
    if not syntax.is_transfer_syntax or (syntax.is_little_endian and not syntax.is_deflated):
        raise NotWholeError("the data set cannot be read to its end")
    try:
        # Read, not walked: pydicom's walk of a damaged deep nesting wraps every level's
        # error in the next one's message, and a 20 KB file took gigabytes that way.
        ds = dcmread(io.BytesIO(buf), force=True)
        ds.get("PixelData")
    except Exception as err:
        raise NotWholeError(f"not a whole DICOM data set ({type(err).__name__})") from err


def _meta_syntax(buf: bytes) -> UID:
    """Transfer Syntax UID (0002,0010) of the File Meta group (PS3.10 §7.1: explicit VR
    little endian whatever the data set's syntax)."""
    pos = 132
    try:
        if buf[128:132] != b"DICM":
            raise part10.UnhandledError
        while pos + 8 <= len(buf) and buf[pos : pos + 2] == b"\x02\x00":
            _vr, start, length = part10.explicit_header(buf, pos)
            if buf[pos + 2 : pos + 4] == b"\x10\x00":
                return UID(buf[start : start + length].decode("latin-1").rstrip("\x00 "))
            pos = start + length
    except part10.UnhandledError:
        pass
    raise NotWholeError("no Transfer Syntax UID in the file meta")
