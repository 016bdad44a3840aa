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
when nothing follows them, and encapsulated ones a 64 KiB read per few thousand
fragments. An instance whose header is longer than the walk's first bytes (an enhanced
multi-frame) is walked element by element through reads of the same size, never read
whole. Zero bytes after the data set (padding some writers leave) are accepted.
"""

from __future__ import annotations

import io
import os
import zlib
from collections.abc import Callable
from pathlib import Path

from viewer import part10
from viewer.errors import InvalidDataError
from viewer.imaging.pixel_layout import PixelLayout, native_pixel_bytes

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


_WINDOW = 1 << 16  # bytes read at a time
_MAX_UNDEFINED = 256 << 20  # a value of undefined length read whole to walk it (a sequence)
DEFLATE_LIMIT = 1 << 30  # bytes a deflated data set may inflate to


def require_whole(read_at: ReadAt, size: int, layout: PixelLayout | None) -> None:
    """NotWholeError unless the instance of ``size`` bytes parses to its end; ``layout``
    is what the header walk found (None: it did not reach Pixel Data, or there is none)."""
    if layout is None:
        _require_whole_without_layout(read_at, size)
        return
    if layout.pixel_length != part10.UNDEFINED_LENGTH:
        needed = _native_bytes(layout)
        if layout.pixel_length < needed:
            raise NotWholeError(
                f"Pixel Data holds {layout.pixel_length} bytes, its image needs {needed}"
            )
    implicit = layout.transfer_syntax == part10.IMPLICIT_VR_LITTLE_ENDIAN
    end = _pixel_data_end(read_at, size, layout.pixel_offset, layout.pixel_length)
    _require_elements_to_end(read_at, end, size, implicit)


def _pixel_data_end(read_at: ReadAt, size: int, offset: int, length: int) -> int:
    """Where the Pixel Data value that starts at ``offset`` ends."""
    if length != part10.UNDEFINED_LENGTH:
        if offset + length > size:
            raise NotWholeError(f"cut short: Pixel Data needs {offset + length - size} bytes more")
        return offset + length
    pos, window, window_at = offset, b"", offset
    while pos + 8 <= size:
        if pos + 8 > window_at + len(window):  # the item headers, a window at a time
            window_at, window = pos, read_at(pos, min(_WINDOW, size - pos))
            if len(window) < 8:
                break
        group, element = part10.U16_PAIR.unpack_from(window, pos - window_at)
        item_length = part10.U32.unpack_from(window, pos - window_at + 4)[0]
        tag = group << 16 | element
        pos += 8
        if tag == part10.SEQUENCE_END:
            return pos
        if tag != part10.ITEM or item_length == part10.UNDEFINED_LENGTH:
            raise NotWholeError(f"encapsulated Pixel Data holds a ({group:04X},{element:04X})")
        pos += item_length
    raise NotWholeError("cut short: encapsulated Pixel Data has no end (Sequence Delimiter)")


def _native_bytes(layout: PixelLayout) -> int:
    return native_pixel_bytes(
        layout.rows,
        layout.columns,
        layout.samples_per_pixel,
        layout.bits_allocated,
        layout.frames,
        layout.photometric,
    )


def _require_elements_to_end(read_at: ReadAt, pos: int, size: int, implicit: bool) -> None:
    """The top-level elements from ``pos`` on end exactly at ``size`` (zero bytes after
    the last one are padding); Pixel Data among them is checked as such."""
    try:
        while pos < size:
            head = read_at(pos, min(12, size - pos))
            if len(head) < 8 or head[:4] == b"\0\0\0\0":
                break  # (0000,0000) is no data set's element: padding, if all zeros
            tag = part10.U16_PAIR.unpack_from(head)
            vr: bytes | None = None
            if implicit:
                start, length = pos + 8, part10.U32.unpack_from(head, 4)[0]
            else:
                vr, start, length = part10.explicit_header(head, 0)
                start += pos
            if tag == (0x7FE0, 0x0010):
                pos = _pixel_data_end(read_at, size, start, length)
            elif length == part10.UNDEFINED_LENGTH:
                pos = _skip_undefined(read_at, start, size, implicit or vr == b"UN")
            else:
                pos = start + length
        if pos > size or (pos < size and not _all_zero(read_at, pos, size)):
            raise NotWholeError("cut short inside an element")
    except part10.UnhandledError as err:
        raise NotWholeError("not a whole DICOM element where one should be") from err


def _skip_undefined(read_at: ReadAt, start: int, size: int, implicit: bool) -> int:
    """Past a value of undefined length (a sequence), read in windows that grow until
    it ends within one (never more than it needs, nor beyond a bound)."""
    window = _WINDOW
    while True:
        count = min(window, size - start)
        try:
            return start + part10.skip_undefined(read_at(start, count), 0, implicit)
        except part10.UnhandledError:
            if count == size - start:
                raise
            if count >= _MAX_UNDEFINED:
                raise NotWholeError("a sequence too long to check") from None
        window *= 8


def _all_zero(read_at: ReadAt, pos: int, size: int) -> bool:
    while pos < size:
        block = read_at(pos, min(_WINDOW, size - pos))
        if not block or block.count(0) != len(block):
            return False
        pos += len(block)
    return True


def _require_whole_without_layout(read_at: ReadAt, size: int) -> None:
    """The instance the prefix walk gave no layout for (no Pixel Data, or a header
    longer than the prefix): walked from the end of its File Meta group. Only a syntax
    the walk does not read (deflated, big endian) is left to pydicom; in any other a
    data set the walk cannot read is damaged."""
    syntax, meta_end = _meta_syntax(read_at(0, min(size, _WINDOW)))
    if syntax.known and syntax.little_endian and not syntax.deflated:
        _require_elements_to_end(
            read_at, meta_end, size, syntax.uid == part10.IMPLICIT_VR_LITTLE_ENDIAN
        )
        return
    if not syntax.known:
        raise NotWholeError("the data set cannot be read to its end")
    buf = read_at(0, size)
    if syntax.deflated:
        require_bounded_inflation(buf[meta_end:])
    from pydicom import dcmread  # only here: the syntaxes the walk does not read

    try:
        ds = dcmread(io.BytesIO(buf), force=True)
        pixels = ds.get("PixelData")
    except Exception as err:
        raise NotWholeError(f"not a whole DICOM data set ({type(err).__name__})") from err
    # Read, not walked: pydicom's walk of a damaged deep nesting wrapped every level's
    # error in the next one's message, and a 20 KB file took gigabytes that way. pydicom
    # keeps a value cut short as it found it: its length against the image's is checked.
    if isinstance(pixels, bytes) and not syntax.encapsulated:
        needed = native_pixel_bytes(
            int(ds.get("Rows", 0) or 0),
            int(ds.get("Columns", 0) or 0),
            int(ds.get("SamplesPerPixel", 1) or 1),
            int(ds.get("BitsAllocated", 0) or 0),
            int(str(ds.get("NumberOfFrames", 1) or 1)),
            str(ds.get("PhotometricInterpretation", "")),
        )
        if len(pixels) < needed:
            raise NotWholeError(f"Pixel Data holds {len(pixels)} bytes, its image needs {needed}")


def require_bounded_inflation(deflated: bytes) -> None:
    """NotWholeError if a deflated data set (PS3.5 §A.5) would inflate beyond
    :data:`DEFLATE_LIMIT`: pydicom inflates it whole in memory, and 10 MB of zeros
    deflated become 10 GB."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    total, pending = 0, deflated
    try:
        while pending:
            total += len(inflater.decompress(pending, _WINDOW * 16))
            pending = inflater.unconsumed_tail
            if total > DEFLATE_LIMIT:  # (read at call time: a test may lower it)
                raise NotWholeError("a deflated data set that inflates beyond 1 GiB")
    except zlib.error as err:
        raise NotWholeError("a deflated data set that does not inflate") from err


def require_bounded_if_deflated(prefix: bytes, read_all: Callable[[], bytes]) -> None:
    """For an instance in the deflated syntax (its first bytes: ``prefix``), what
    :func:`require_bounded_inflation` says, before any reader inflates it."""
    try:
        syntax, meta_end = _meta_syntax(prefix)
    except NotWholeError:
        return  # no File Meta to say so: the reader refuses it on its own
    if syntax.known and syntax.deflated:
        require_bounded_inflation(read_all()[meta_end:])


def _meta_syntax(buf: bytes) -> tuple[part10.TransferSyntax, int]:
    """Transfer Syntax UID (0002,0010) of the File Meta group (PS3.10 §7.1: explicit VR
    little endian whatever the data set's syntax), and where the group ends."""
    pos, syntax = 132, None
    try:
        if buf[128:132] != b"DICM":
            raise part10.UnhandledError
        while pos + 8 <= len(buf) and buf[pos : pos + 2] == b"\x02\x00":
            _vr, start, length = part10.explicit_header(buf, pos)
            if buf[pos + 2 : pos + 4] == b"\x10\x00":
                text = buf[start : start + length].decode("latin-1").rstrip("\x00 ")
                syntax = part10.transfer_syntax(text)
            pos = start + length
    except part10.UnhandledError:
        pass
    if syntax is None:
        raise NotWholeError("no Transfer Syntax UID in the file meta")
    return syntax, pos
