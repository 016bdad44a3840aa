"""A walk over the element headers of a DICOM Part 10 byte prefix (PS3.10 §7, PS3.5 §7).

Reading a header with pydicom builds a Python object per element; the cache and the
volume loader only need a few values and where the pixel data starts. This scanner walks
the top-level element headers of the first bytes of a file (the cache keeps them in
memory while writing; the loader reads them from disk), keeps the raw bytes of the
elements asked for, skips every other value (sequences of undefined length included),
and stops at Pixel Data (7FE0,0010), noting where its value starts.

It handles explicit and implicit VR little endian data sets only. Anything else (deflated
or big-endian syntaxes, no file meta, an unknown explicit VR) raises
:class:`UnhandledError`, and the caller reads the file with pydicom instead. A prefix that
ends before Pixel Data is not an error: :attr:`Scan.complete_below` says up to which tag
every element was seen, so a caller can tell whether what it needs is there.

pydicom is not imported to walk: the keywords the walkers read and the standard transfer
syntaxes are in tables here (:data:`DICTIONARY`, :data:`TRANSFER_SYNTAXES`; a test checks
them against pydicom's own dictionary), so a command that only fetches never pays for
importing pydicom (about 0.25 s) unless an instance truly needs it. A keyword or a
transfer syntax not in the tables is looked up in pydicom, as before.
"""

from __future__ import annotations

import functools
import struct
from dataclasses import dataclass

from viewer.errors import InvalidDataError

Raw = dict[int, tuple[bytes | None, bytes]]  # tag → (explicit VR or None, value bytes)

PREFIX_BYTES = 64 * 1024  # what callers keep or read of a file; longer headers: pydicom
PIXEL_DATA_TAG = 0x7FE00010
IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2"
ITEM, ITEM_END, SEQUENCE_END = 0xFFFEE000, 0xFFFEE00D, 0xFFFEE0DD
UNDEFINED_LENGTH = 0xFFFFFFFF
_ALL_TAGS = 0x1_0000_0000  # above every tag: "everything was seen"
_TRANSFER_SYNTAX_TAG = 0x00020010
# Explicit VRs with a 4-byte length after 2 reserved bytes (PS3.5 Table 7.1-1).
_LONG_VRS = frozenset(
    vr.encode()
    for vr in ("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV")
)
_SHORT_VRS = frozenset(
    vr.encode()
    for vr in (
        *("AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO"),
        *("LT", "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US"),
    )
)
U16_PAIR = struct.Struct("<HH")
U16 = struct.Struct("<H")
U32 = struct.Struct("<I")
_EXPLICIT_HEADER = struct.Struct("<HH2sH")  # tag, VR, and a short VR's value length


# keyword → (tag, VR) of the elements the walkers read (PS3.6; checked against
# pydicom's dictionary by tests/unit/test_part10_walk.py).
DICTIONARY: dict[str, tuple[int, str]] = {
    # File Meta (PS3.10 §7.1)
    "MediaStorageSOPClassUID": (0x00020002, "UI"),
    "MediaStorageSOPInstanceUID": (0x00020003, "UI"),
    "TransferSyntaxUID": (0x00020010, "UI"),
    # what the cache's index keeps
    "SpecificCharacterSet": (0x00080005, "CS"),
    "SOPClassUID": (0x00080016, "UI"),
    "SOPInstanceUID": (0x00080018, "UI"),
    "StudyDate": (0x00080020, "DA"),
    "StudyTime": (0x00080030, "TM"),
    "AccessionNumber": (0x00080050, "SH"),
    "Modality": (0x00080060, "CS"),
    "InstitutionName": (0x00080080, "LO"),
    "StudyDescription": (0x00081030, "LO"),
    "SeriesDescription": (0x0008103E, "LO"),
    "PatientName": (0x00100010, "PN"),
    "PatientID": (0x00100020, "LO"),
    "IssuerOfPatientID": (0x00100021, "LO"),
    "PatientBirthDate": (0x00100030, "DA"),
    "PatientSex": (0x00100040, "CS"),
    "OtherPatientIDsSequence": (0x00101002, "SQ"),
    "BodyPartExamined": (0x00180015, "CS"),
    "StudyInstanceUID": (0x0020000D, "UI"),
    "SeriesInstanceUID": (0x0020000E, "UI"),
    "SeriesNumber": (0x00200011, "IS"),
    "InstanceNumber": (0x00200013, "IS"),
    # the pixel layout and the plane geometry
    "SliceThickness": (0x00180050, "DS"),
    "SpacingBetweenSlices": (0x00180088, "DS"),
    "ImagePositionPatient": (0x00200032, "DS"),
    "ImageOrientationPatient": (0x00200037, "DS"),
    "FrameOfReferenceUID": (0x00200052, "UI"),
    "SamplesPerPixel": (0x00280002, "US"),
    "PhotometricInterpretation": (0x00280004, "CS"),
    "PlanarConfiguration": (0x00280006, "US"),
    "NumberOfFrames": (0x00280008, "IS"),
    "Rows": (0x00280010, "US"),
    "Columns": (0x00280011, "US"),
    "PixelSpacing": (0x00280030, "DS"),
    "BitsAllocated": (0x00280100, "US"),
    "BitsStored": (0x00280101, "US"),
    "HighBit": (0x00280102, "US"),
    "PixelRepresentation": (0x00280103, "US"),
}
_VR_OF_TAG = {tag: vr for tag, vr in DICTIONARY.values()}


def tag_of(keyword: str) -> int:
    """The tag of a DICOM keyword (a typo fails at import): from :data:`DICTIONARY`, else
    from pydicom's dictionary."""
    entry = DICTIONARY.get(keyword)
    if entry is not None:
        return entry[0]
    from pydicom.datadict import tag_for_keyword

    tag = tag_for_keyword(keyword)
    assert tag is not None, keyword
    return tag


def vr_of(tag: int) -> str:
    """The dictionary VR of a tag (PS3.6): from :data:`DICTIONARY`, else from pydicom's."""
    vr = _VR_OF_TAG.get(tag)
    if vr is not None:
        return vr
    from pydicom.datadict import dictionary_VR

    return dictionary_VR(tag)


@dataclass(frozen=True)
class TransferSyntax:
    """What the walkers need to know of a transfer syntax UID (PS3.5 §10, Annex A), as
    pydicom's ``UID`` tells it: ``known`` is its ``is_transfer_syntax``; the other three
    are meaningful only when ``known``."""

    uid: str
    known: bool
    little_endian: bool = True
    deflated: bool = False
    encapsulated: bool = False


EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1"
DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99"
EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2"
# Every other transfer syntax pydicom knows is encapsulated, little endian, not deflated.
_ENCAPSULATED = (
    *("1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57"),
    *("1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"),
    *("1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.92"),
    *("1.2.840.10008.1.2.4.93", "1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.100.1"),
    *("1.2.840.10008.1.2.4.101", "1.2.840.10008.1.2.4.101.1", "1.2.840.10008.1.2.4.102"),
    *("1.2.840.10008.1.2.4.102.1", "1.2.840.10008.1.2.4.103", "1.2.840.10008.1.2.4.103.1"),
    *("1.2.840.10008.1.2.4.104", "1.2.840.10008.1.2.4.104.1", "1.2.840.10008.1.2.4.105"),
    *("1.2.840.10008.1.2.4.105.1", "1.2.840.10008.1.2.4.106", "1.2.840.10008.1.2.4.106.1"),
    *("1.2.840.10008.1.2.4.107", "1.2.840.10008.1.2.4.108", "1.2.840.10008.1.2.4.201"),
    *("1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203", "1.2.840.10008.1.2.5"),
)
TRANSFER_SYNTAXES: dict[str, TransferSyntax] = {
    IMPLICIT_VR_LITTLE_ENDIAN: TransferSyntax(IMPLICIT_VR_LITTLE_ENDIAN, True),
    EXPLICIT_VR_LITTLE_ENDIAN: TransferSyntax(EXPLICIT_VR_LITTLE_ENDIAN, True),
    DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN: TransferSyntax(
        DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, True, deflated=True
    ),
    EXPLICIT_VR_BIG_ENDIAN: TransferSyntax(EXPLICIT_VR_BIG_ENDIAN, True, little_endian=False),
    **{uid: TransferSyntax(uid, True, encapsulated=True) for uid in _ENCAPSULATED},
}


@functools.lru_cache(maxsize=64)
def transfer_syntax(text: str) -> TransferSyntax:
    """What a Transfer Syntax UID's value (``text``, padding already removed) says; one
    the table does not hold (a private or newer syntax) is asked of pydicom's ``UID``."""
    uid = text.strip()  # as pydicom's UID does
    known = TRANSFER_SYNTAXES.get(uid)
    if known is not None:
        return known
    from pydicom.uid import UID

    asked = UID(uid)
    if not asked.is_transfer_syntax:
        return TransferSyntax(str(asked), False)
    return TransferSyntax(
        str(asked),
        True,
        little_endian=asked.is_little_endian,
        deflated=asked.is_deflated,
        encapsulated=asked.is_encapsulated,
    )


class UnhandledError(Exception):
    """The scanner cannot read these bytes; read the file with pydicom instead."""


# Sequences in sequences deeper than this are bad data, not a file to hand to pydicom:
# its parser recurses and fails somewhere past 150 levels, depending on how deep the
# calling thread's stack already is. Real files nest a handful of levels (an SR content
# tree perhaps a dozen), so 64 refuses none of them and keeps well clear of the limit.
MAX_NESTING = 64


class NestingTooDeepError(InvalidDataError):
    """Sequences nested deeper than MAX_NESTING (bad data, not a fallback to pydicom)."""


@dataclass(frozen=True)
class Scan:
    meta: Raw  # the file meta elements asked for
    elements: Raw  # the top-level data set elements asked for
    transfer_syntax: str
    implicit: bool
    # Every top-level element with a tag below this one was seen (and kept if asked for).
    complete_below: int
    # (offset of the value in the file, value length) of the top-level Pixel Data;
    # the length is UNDEFINED_LENGTH for encapsulated (compressed) pixel data.
    pixel_data: tuple[int, int] | None

    def covers(self, tag: int) -> bool:
        """True when an element with ``tag`` would have been seen, had it been there."""
        return tag < self.complete_below


def scan(buf: bytes, whole: bool, meta_tags: frozenset[int], tags: frozenset[int]) -> Scan:
    """Walk ``buf`` (the first bytes of a Part 10 file; ``whole``: all of it)."""
    try:
        meta, pos, syntax = _scan_meta(buf, meta_tags)
        implicit = syntax == IMPLICIT_VR_LITTLE_ENDIAN
        elements, complete_below, pixel_data = _scan_dataset(buf, pos, implicit, whole, tags)
    except struct.error as err:
        raise UnhandledError from err
    return Scan(meta, elements, syntax, implicit, complete_below, pixel_data)


def _scan_meta(buf: bytes, wanted: frozenset[int]) -> tuple[Raw, int, str]:
    """The File Meta group (PS3.10 §7.1, always explicit VR little endian)."""
    if len(buf) < 132 or buf[128:132] != b"DICM":
        raise UnhandledError
    meta: Raw = {}
    pos, end = 132, len(buf)
    syntax_value = None
    while pos + 8 <= end:
        group, element = U16_PAIR.unpack_from(buf, pos)
        if group != 0x0002:
            break
        tag = group << 16 | element
        vr, start, length = explicit_header(buf, pos)
        if length == UNDEFINED_LENGTH or start + length > end:
            raise UnhandledError
        if tag in wanted:
            meta[tag] = (vr, buf[start : start + length])
        if tag == _TRANSFER_SYNTAX_TAG:
            syntax_value = buf[start : start + length]
        pos = start + length
    if syntax_value is None:
        raise UnhandledError
    return meta, pos, _walkable_syntax(syntax_value)


@functools.lru_cache(maxsize=64)
def _walkable_syntax(value: bytes) -> str:
    """The transfer syntax UID, if a data set in it can be walked here (kept for the few
    there are: looking one up is slow enough to matter once per instance)."""
    syntax = transfer_syntax(value.decode("latin-1").rstrip("\x00 "))
    if not syntax.known or syntax.deflated or not syntax.little_endian:
        raise UnhandledError
    return syntax.uid


def _scan_dataset(
    buf: bytes, pos: int, implicit: bool, whole: bool, wanted: frozenset[int]
) -> tuple[Raw, int, tuple[int, int] | None]:
    """The wanted top-level elements, how far the walk got, and where Pixel Data is."""
    raw: Raw = {}
    end = len(buf)
    last_tag = -1
    if not implicit:
        pos, last_tag, reached = _walk_explicit(buf, pos, wanted, raw)
        if reached is not None:
            return raw, PIXEL_DATA_TAG, reached
    while True:
        found = _element_header(buf, pos, implicit)
        if found is None:  # the prefix ends in this element's header
            if pos + 8 <= end:  # its tag is there: everything before it was seen
                group, element = U16_PAIR.unpack_from(buf, pos)
                return raw, group << 16 | element, None
            return raw, _ALL_TAGS if whole and pos == end else last_tag + 1, None
        tag, vr, start, length = found
        if tag == PIXEL_DATA_TAG:
            return raw, tag, (start, length)
        try:
            stop, value = _value(buf, start, length, vr, implicit, tag in wanted)
        except _PastEndError:
            return raw, tag, None
        if tag in wanted:
            raw[tag] = (vr, value)
        last_tag = tag
        pos = stop


def _walk_explicit(
    buf: bytes, pos: int, wanted: frozenset[int], raw: Raw
) -> tuple[int, int, tuple[int, int] | None]:
    """The common case of :func:`_scan_dataset` in one tight loop: explicit VR elements
    of defined length, wholly in ``buf``, up to Pixel Data. It stops, leaving the rest
    to the general walk, at anything else (a value of undefined length, an element cut
    by the end of ``buf``). (where it stopped, the last tag passed, Pixel Data's (offset,
    length) if it got there).

    Why a loop of its own: the general walk's three calls per element made reading the
    first bytes of each instance the largest share of the retrieving thread's Python
    time (bench/RESULTS.md)."""
    end = len(buf)
    last_tag = -1
    header = _EXPLICIT_HEADER.unpack_from
    long_length = U32.unpack_from
    while pos + 12 <= end:
        group, element, vr, length = header(buf, pos)
        tag = group << 16 | element
        if vr in _SHORT_VRS:
            start = pos + 8
        elif vr in _LONG_VRS:
            length = long_length(buf, pos + 8)[0]
            start = pos + 12
        else:
            raise UnhandledError
        if tag == PIXEL_DATA_TAG:
            return pos, last_tag, (start, length)
        stop = start + length
        if length == UNDEFINED_LENGTH or stop > end:
            break  # the general walk knows what to do
        if tag in wanted:
            raw[tag] = (vr, buf[start:stop])
        last_tag = tag
        pos = stop
    return pos, last_tag, None


def _element_header(
    buf: bytes, pos: int, implicit: bool
) -> tuple[int, bytes | None, int, int] | None:
    """(tag, explicit VR, value start, value length), or None when the header is cut."""
    end = len(buf)
    if pos + 8 > end:
        return None
    group, element = U16_PAIR.unpack_from(buf, pos)
    if implicit:
        return group << 16 | element, None, pos + 8, U32.unpack_from(buf, pos + 4)[0]
    if pos + 12 > end and buf[pos + 4 : pos + 6] in _LONG_VRS:
        return None
    vr, start, length = explicit_header(buf, pos)
    return group << 16 | element, vr, start, length


def _value(
    buf: bytes, start: int, length: int, vr: bytes | None, implicit: bool, keep: bool
) -> tuple[int, bytes]:
    """(where the element ends, its value if ``keep``); _PastEndError if cut short."""
    if length == UNDEFINED_LENGTH:
        inner_implicit = implicit or vr == b"UN"  # UN of undefined length: PS3.5 §6.2.2
        stop = skip_undefined(buf, start, inner_implicit)
        if keep and vr not in (None, b"SQ"):
            raise UnhandledError
        return stop, buf[start : stop - 8] if keep else b""  # without the delimiter
    stop = start + length
    if stop > len(buf):
        raise _PastEndError
    return stop, buf[start:stop] if keep else b""


def explicit_header(buf: bytes, pos: int) -> tuple[bytes, int, int]:
    """(VR, value start, value length) of an explicit VR little endian element."""
    vr = buf[pos + 4 : pos + 6]
    if vr in _SHORT_VRS:
        return vr, pos + 8, U16.unpack_from(buf, pos + 6)[0]
    if vr in _LONG_VRS:
        if pos + 12 > len(buf):
            raise UnhandledError
        return vr, pos + 12, U32.unpack_from(buf, pos + 8)[0]
    raise UnhandledError


class _PastEndError(UnhandledError):
    """A value of undefined length runs past the end of the prefix."""


def skip_undefined(buf: bytes, pos: int, implicit: bool) -> int:  # noqa: C901 - one walk
    """Past the Sequence Delimitation Item of a value of undefined length (PS3.5 §7.5).

    A loop with a stack of the sequences and items it is in, not a recursion: the
    nesting is the file's to choose, and ~600 levels overflowed Python's stack (a
    RecursionError, which nothing expects). Deeper than MAX_NESTING is refused."""
    end = len(buf)
    # One entry per open value: (inside an item, the item's elements are implicit VR);
    # an entry with False is a sequence waiting for its next item or its delimiter.
    open_values: list[tuple[bool, bool]] = [(False, implicit)]
    sequences = 1
    while open_values:
        if pos + 8 > end:
            raise _PastEndError
        in_item, inner_implicit = open_values[-1]
        group, element = U16_PAIR.unpack_from(buf, pos)
        tag = group << 16 | element
        if not in_item:  # between the items of a sequence
            length = U32.unpack_from(buf, pos + 4)[0]
            pos += 8
            if tag == SEQUENCE_END:
                open_values.pop()
                sequences -= 1
            elif tag != ITEM:
                raise UnhandledError
            elif length == UNDEFINED_LENGTH:
                open_values.append((True, inner_implicit))
            else:
                pos += length
            continue
        if tag == ITEM_END:  # the end of an item of undefined length
            open_values.pop()
            pos += 8
            continue
        if inner_implicit:
            vr: bytes | None = None
            start, length = pos + 8, U32.unpack_from(buf, pos + 4)[0]
        else:
            vr, start, length = explicit_header(buf, pos)
        if length != UNDEFINED_LENGTH:
            pos = start + length
            continue
        sequences += 1  # a value of undefined length in the item: a sequence (or UN)
        if sequences > MAX_NESTING:
            raise NestingTooDeepError(f"sequences nested more than {MAX_NESTING} levels deep")
        open_values.append((False, inner_implicit or vr == b"UN"))  # PS3.5 §6.2.2
        pos = start
    return pos
