"""What the index needs from one instance, read from its header (pixels are not read).

Text values are decoded with the file's SpecificCharacterSet (PS3.5 §6.1; the demo and
many Chinese hospitals use GB18030), so a PN is kept as the whole string as stored,
e.g. ``Wang^XiaoDong=王^小东``, every component group included.

Two ways in: :func:`read_header` reads a file with pydicom; :func:`header_from_prefix`
reads the first bytes of an instance while it is being written (the cache keeps them in
memory), with a small scanner that walks the element headers (PS3.5 §7.1) to the first
element after the last indexed tag and hands only the indexed elements to pydicom to
decode, so the values are pydicom's own. Anything the scanner does not handle (a deflated
or big-endian data set, a header longer than the prefix, odd structure) returns None, and
the caller falls back to :func:`read_header` on the file.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydicom
from pydicom.datadict import dictionary_VR, keyword_for_tag, tag_for_keyword
from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError
from pydicom.tag import BaseTag
from pydicom.uid import UID

from viewer.errors import InvalidDataError
from viewer.uids import require_uid

_DEFER_LARGE_VALUES = 64 * 1024  # bytes; big non-pixel elements are left on disk
# What the index reads; SpecificCharacterSet to decode the text (PS3.5 §6.1.2.3).
_INDEXED_KEYWORDS = [
    "SpecificCharacterSet",
    "SOPClassUID",
    "SOPInstanceUID",
    "StudyDate",
    "StudyTime",
    "AccessionNumber",
    "Modality",
    "InstitutionName",
    "StudyDescription",
    "SeriesDescription",
    "PatientName",
    "PatientID",
    "IssuerOfPatientID",
    "PatientBirthDate",
    "PatientSex",
    "OtherPatientIDsSequence",
    "BodyPartExamined",
    "StudyInstanceUID",
    "SeriesInstanceUID",
    "SeriesNumber",
    "InstanceNumber",
]


@dataclass(frozen=True)
class InstanceHeader:
    study_uid: str
    series_uid: str
    sop_uid: str
    sop_class_uid: str
    transfer_syntax_uid: str
    instance_number: int | None
    # patient (as this file describes them)
    patient_id: str
    issuer: str
    patient_name: str
    birth_date: str
    sex: str
    other_patient_ids: tuple[tuple[str, str], ...]  # (PatientID, IssuerOfPatientID)
    # study
    study_date: str
    study_time: str
    accession_number: str
    study_description: str
    body_part: str
    institution: str
    # series
    modality: str
    series_number: int | None
    series_description: str


def read_header(path: Path) -> InstanceHeader:
    """The index fields of a DICOM Part 10 file (PS3.10 §7); InvalidDataError if it is not
    one, or if its Study, Series or SOP Instance UID is not a valid UID."""
    try:
        ds = pydicom.dcmread(
            path,
            stop_before_pixels=True,
            defer_size=_DEFER_LARGE_VALUES,
            specific_tags=_INDEXED_KEYWORDS,  # half the time of a full header
        )
    except InvalidDicomError as err:
        raise InvalidDataError(f"not a DICOM Part 10 file ({err})") from err
    except Exception as err:  # pydicom raises many kinds on damaged data
        raise InvalidDataError(f"unreadable DICOM file: {type(err).__name__}: {err}") from err
    try:
        return _header_of(ds, getattr(ds, "file_meta", None))
    except InvalidDataError:
        raise
    except Exception as err:
        raise InvalidDataError(f"unreadable DICOM header: {type(err).__name__}: {err}") from err


def _header_of(ds: Any, meta: Any) -> InstanceHeader:
    syntax = _text(meta, "TransferSyntaxUID") if meta is not None else ""
    if not syntax:
        raise InvalidDataError("not a DICOM Part 10 file (no TransferSyntaxUID in file meta)")
    # The dataset's own UID is the one that counts; the file meta's only stands in for it
    # when the element is absent altogether (PS3.10 §7.1 says they are equal).
    has_sop = "SOPInstanceUID" in ds
    sop_uid = _text(ds, "SOPInstanceUID") if has_sop else _text(meta, "MediaStorageSOPInstanceUID")
    return InstanceHeader(
        study_uid=require_uid(_text(ds, "StudyInstanceUID"), "StudyInstanceUID"),
        series_uid=require_uid(_text(ds, "SeriesInstanceUID"), "SeriesInstanceUID"),
        sop_uid=require_uid(sop_uid, "SOPInstanceUID"),
        sop_class_uid=_text(ds, "SOPClassUID") or _text(meta, "MediaStorageSOPClassUID"),
        transfer_syntax_uid=require_uid(syntax, "TransferSyntaxUID"),
        instance_number=_integer(ds, "InstanceNumber"),
        patient_id=_text(ds, "PatientID"),
        issuer=_text(ds, "IssuerOfPatientID"),
        patient_name=_text(ds, "PatientName"),
        birth_date=_text(ds, "PatientBirthDate"),
        sex=_text(ds, "PatientSex").upper(),
        other_patient_ids=_other_ids(ds),
        study_date=_text(ds, "StudyDate"),
        study_time=_text(ds, "StudyTime"),
        accession_number=_text(ds, "AccessionNumber"),
        study_description=_text(ds, "StudyDescription"),
        body_part=_text(ds, "BodyPartExamined").upper(),
        institution=_text(ds, "InstitutionName"),
        modality=_text(ds, "Modality").upper(),
        series_number=_integer(ds, "SeriesNumber"),
        series_description=_text(ds, "SeriesDescription"),
    )


def _text(ds: Any, keyword: str) -> str:
    """A single-valued text element as a str ('' when absent or empty); the first value
    of a multi-valued one."""
    value = ds.get(keyword) if ds is not None else None
    if value is None:
        return ""
    if isinstance(value, list | tuple) or type(value).__name__ == "MultiValue":
        value = value[0] if len(value) else ""
    return str(value).strip().strip("\x00")


def _integer(ds: Any, keyword: str) -> int | None:
    text = _text(ds, keyword)
    try:
        return int(float(text)) if text else None
    except ValueError:
        return None


def _other_ids(ds: Any) -> tuple[tuple[str, str], ...]:
    """OtherPatientIDsSequence (PS3.3 C.7.1.1): every item with an ID, and its issuer."""
    ids = []
    for item in ds.get("OtherPatientIDsSequence") or ():
        patient_id = _text(item, "PatientID")
        if patient_id:
            ids.append((patient_id, _text(item, "IssuerOfPatientID")))
    return tuple(ids)


# -- the in-memory fast path ---------------------------------------------------------------
PREFIX_BYTES = 64 * 1024  # what a writer keeps of each instance for header_from_prefix

_Raw = dict[int, tuple[bytes | None, bytes]]  # tag → (explicit VR or None, value)


def _tag(keyword: str) -> int:
    tag = tag_for_keyword(keyword)
    assert tag is not None, keyword
    return tag


_INDEXED_TAGS = frozenset(_tag(k) for k in _INDEXED_KEYWORDS)
_LAST_INDEXED_TAG = max(_INDEXED_TAGS)  # (0020,0013): nothing after it is needed
_META_TAGS = frozenset(
    _tag(k) for k in ("MediaStorageSOPClassUID", "MediaStorageSOPInstanceUID", "TransferSyntaxUID")
)
_TRANSFER_SYNTAX_TAG = 0x00020010
_ITEM, _ITEM_END, _SEQUENCE_END = 0xFFFEE000, 0xFFFEE00D, 0xFFFEE0DD
_UNDEFINED = 0xFFFFFFFF
# Explicit VRs with a 4-byte length after 2 reserved bytes (PS3.5 Table 7.1-1).
_LONG_VRS = frozenset(
    vr.encode()
    for vr in ("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV")
)
_SHORT_VRS = frozenset(
    vr.encode()
    for vr in [
        "AE",
        "AS",
        "AT",
        "CS",
        "DA",
        "DS",
        "DT",
        "FL",
        "FD",
        "IS",
        "LO",
        "LT",
        "PN",
        "SH",
        "SL",
        "SS",
        "ST",
        "TM",
        "UI",
        "UL",
        "US",
    ]
)
_U16_PAIR = struct.Struct("<HH")
_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")


class _UnhandledError(Exception):
    """The scanner cannot read this prefix; the caller falls back to pydicom."""


def header_from_prefix(prefix: bytes, whole: bool) -> InstanceHeader | None:
    """The index fields from the first bytes of a Part 10 file (``whole``: they are all
    of it); None when they cannot be told from these bytes alone: read the file then.

    Raises InvalidDataError as :func:`read_header` would for a UID that is not valid."""
    try:
        meta, pos, syntax = _scan_meta(prefix)
        implicit = syntax == "1.2.840.10008.1.2"
        raw = _scan_dataset(prefix, pos, implicit, whole)
    except (_UnhandledError, struct.error):
        return None
    try:
        decoded = _decode(raw, implicit)
    except (_UnhandledError, struct.error, UnicodeDecodeError):
        decoded = None
    if decoded is not None:
        return _header_of(decoded, _decode_meta(meta))
    # Text this module does not decode itself (ISO 2022 escapes, say): pydicom decodes.
    try:
        return _header_of(_dataset(raw, implicit), _dataset(meta, False))
    except InvalidDataError:
        raise
    except Exception:  # let the file reader give its own account of the problem
        return None


def _dataset(raw: _Raw, implicit: bool) -> Dataset:
    """A pydicom data set of raw elements: pydicom decodes them when they are read."""
    elements: dict[BaseTag, DataElement | RawDataElement] = {
        BaseTag(tag): RawDataElement(
            BaseTag(tag), vr.decode() if vr else None, len(v), v, 0, implicit, True, True
        )
        for tag, (vr, v) in raw.items()
    }
    return Dataset(elements)


def _scan_meta(buf: bytes) -> tuple[_Raw, int, str]:
    """The File Meta group (PS3.10 §7.1, always explicit VR little endian)."""
    if len(buf) < 132 or buf[128:132] != b"DICM":
        raise _UnhandledError
    meta: _Raw = {}
    pos, end = 132, len(buf)
    while pos + 8 <= end:
        group, element = _U16_PAIR.unpack_from(buf, pos)
        if group != 0x0002:
            break
        tag = group << 16 | element
        vr, start, length = _explicit_header(buf, pos)
        if length == _UNDEFINED or start + length > end:
            raise _UnhandledError
        if tag in _META_TAGS:
            meta[tag] = (vr, buf[start : start + length])
        pos = start + length
    found = meta.get(_TRANSFER_SYNTAX_TAG)
    if found is None:
        raise _UnhandledError
    syntax = UID(found[1].decode("latin-1").rstrip("\x00 "))
    if not syntax.is_transfer_syntax or syntax.is_deflated or not syntax.is_little_endian:
        raise _UnhandledError
    return meta, pos, str(syntax)


def _scan_dataset(buf: bytes, pos: int, implicit: bool, whole: bool) -> _Raw:
    """The indexed top-level elements, up to the first one after the last indexed tag."""
    raw: _Raw = {}
    end = len(buf)
    while True:
        if pos + 8 > end:
            if whole and pos == end:
                return raw  # the file ends before any later element: all was seen
            raise _UnhandledError
        group, element = _U16_PAIR.unpack_from(buf, pos)
        tag = group << 16 | element
        if tag > _LAST_INDEXED_TAG:
            return raw
        if implicit:
            vr: bytes | None = None
            start, length = pos + 8, _U32.unpack_from(buf, pos + 4)[0]
        else:
            vr, start, length = _explicit_header(buf, pos)
        if length == _UNDEFINED:
            inner_implicit = implicit or vr == b"UN"  # UN of undefined length: PS3.5 §6.2.2
            stop = _skip_undefined(buf, start, inner_implicit)
            value = buf[start : stop - 8]  # without the delimiter
            if tag in _INDEXED_TAGS and vr not in (None, b"SQ"):
                raise _UnhandledError
        else:
            stop = start + length
            if stop > end:
                raise _UnhandledError
            value = buf[start:stop] if tag in _INDEXED_TAGS else b""
        if tag in _INDEXED_TAGS:
            raw[tag] = (vr, value)
        pos = stop


def _explicit_header(buf: bytes, pos: int) -> tuple[bytes, int, int]:
    """(VR, value start, value length) of an explicit VR little endian element."""
    vr = buf[pos + 4 : pos + 6]
    if vr in _SHORT_VRS:
        return vr, pos + 8, _U16.unpack_from(buf, pos + 6)[0]
    if vr in _LONG_VRS:
        if pos + 12 > len(buf):
            raise _UnhandledError
        return vr, pos + 12, _U32.unpack_from(buf, pos + 8)[0]
    raise _UnhandledError


def _skip_undefined(buf: bytes, pos: int, implicit: bool) -> int:
    """Past the Sequence Delimitation Item of a value of undefined length (PS3.5 §7.5)."""
    end = len(buf)
    while pos + 8 <= end:
        tag = _U16_PAIR.unpack_from(buf, pos)
        item = tag[0] << 16 | tag[1]
        length = _U32.unpack_from(buf, pos + 4)[0]
        pos += 8
        if item == _SEQUENCE_END:
            return pos
        if item != _ITEM:
            raise _UnhandledError
        if length != _UNDEFINED:
            pos += length
            continue
        pos = _skip_item(buf, pos, implicit)
    raise _UnhandledError


def _skip_item(buf: bytes, pos: int, implicit: bool) -> int:
    """Past the Item Delimitation Item of an item of undefined length."""
    end = len(buf)
    while pos + 8 <= end:
        group, element = _U16_PAIR.unpack_from(buf, pos)
        if group << 16 | element == _ITEM_END:
            return pos + 8
        if implicit:
            vr: bytes | None = None
            start, length = pos + 8, _U32.unpack_from(buf, pos + 4)[0]
        else:
            vr, start, length = _explicit_header(buf, pos)
        if length == _UNDEFINED:
            pos = _skip_undefined(buf, start, implicit or vr == b"UN")
        else:
            pos = start + length
    raise _UnhandledError


# Single character sets whose Python codec decodes a whole value as pydicom does; any
# other SpecificCharacterSet (ISO 2022 code extensions above all) is left to pydicom.
_SIMPLE_CODECS = {
    "": "latin-1",  # pydicom's default for the default repertoire
    "ISO_IR 6": "latin-1",
    "ISO_IR 100": "latin-1",
    "ISO_IR 192": "utf-8",
    "GB18030": "gb18030",
    "GBK": "gbk",
}
_CHARSET_TAG = _tag("SpecificCharacterSet")
_OTHER_IDS_TAG = _tag("OtherPatientIDsSequence")
_PATIENT_ID_TAG = _tag("PatientID")
_ISSUER_TAG = _tag("IssuerOfPatientID")
_KEYWORDS = {_tag(k): k for k in _INDEXED_KEYWORDS}
_VRS = {tag: dictionary_VR(tag).encode() for tag in _KEYWORDS}
_CHARSET_VRS = frozenset((b"SH", b"LO", b"ST", b"LT", b"UC", b"UT", b"PN"))


def _decode(raw: _Raw, implicit: bool) -> dict[str, Any] | None:
    """Keyword → value (str, or a list of items for the sequence), as pydicom would
    give them; None if some value needs pydicom's own decoding."""
    charset = raw.get(_CHARSET_TAG)
    names = charset[1].decode("ascii").split("\\") if charset else [""]
    codec = _SIMPLE_CODECS.get(names[0].strip(" \x00")) if len(names) == 1 else None
    if codec is None:
        return None
    out: dict[str, Any] = {}
    for tag, (vr, value) in raw.items():
        expected = _VRS[tag]
        if vr is not None and vr != expected:
            return None  # e.g. UN: pydicom has rules of its own for it
        if expected == b"SQ":
            out[_KEYWORDS[tag]] = _decode_other_ids(value, implicit, codec)
        elif expected in _CHARSET_VRS:
            out[_KEYWORDS[tag]] = _first(value.decode(codec), expected)
        else:
            out[_KEYWORDS[tag]] = _first(value.decode("latin-1"), expected)
    return out


def _first(text: str, vr: bytes) -> str:
    """The first value of a decoded element, trimmed as pydicom trims it."""
    if vr != b"PN":
        return text.split("\\", 1)[0].rstrip("\x00 ")
    groups = text.rstrip("\x00 ").split("\\", 1)[0].split("=")
    while groups and not groups[-1]:  # PersonName drops empty trailing groups
        groups.pop()
    return "=".join(groups)


def _decode_meta(meta: _Raw) -> dict[str, str]:
    return {
        keyword_for_tag(tag): value.decode("latin-1").split("\\", 1)[0].rstrip("\x00 ")
        for tag, (_vr, value) in meta.items()
    }


def _decode_other_ids(  # noqa: C901 - one walk over items and their elements
    buf: bytes, implicit: bool, codec: str
) -> list[dict[str, str]]:
    """The items of OtherPatientIDsSequence: their PatientID and IssuerOfPatientID."""
    items = []
    pos, end = 0, len(buf)
    while pos < end:
        if pos + 8 > end:
            raise _UnhandledError
        group, element = _U16_PAIR.unpack_from(buf, pos)
        length = _U32.unpack_from(buf, pos + 4)[0]
        if group << 16 | element != _ITEM:
            raise _UnhandledError
        pos += 8
        undefined = length == _UNDEFINED
        stop = end if undefined else pos + length
        if stop > end:
            raise _UnhandledError
        item: dict[str, str] = {}
        closed = not undefined
        while pos < stop:
            if pos + 8 > end:
                raise _UnhandledError
            group, element = _U16_PAIR.unpack_from(buf, pos)
            tag = group << 16 | element
            if undefined and tag == _ITEM_END:
                pos, closed = pos + 8, True
                break
            if implicit:
                vr: bytes | None = None
                start, size = pos + 8, _U32.unpack_from(buf, pos + 4)[0]
            else:
                vr, start, size = _explicit_header(buf, pos)
            if size == _UNDEFINED:
                pos = _skip_undefined(buf, start, implicit or vr == b"UN")
                continue
            if start + size > stop or tag == _CHARSET_TAG:
                raise _UnhandledError
            if tag in (_PATIENT_ID_TAG, _ISSUER_TAG):
                if vr is not None and vr != b"LO":
                    raise _UnhandledError
                item[_KEYWORDS[tag]] = _first(buf[start : start + size].decode(codec), b"LO")
            pos = start + size
        if not closed or (pos != stop and not undefined):
            raise _UnhandledError
        items.append(item)
    return items
