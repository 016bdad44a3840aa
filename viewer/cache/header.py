"""What the index needs from one instance, read from its header (pixels are not read).

Text values are decoded with the file's SpecificCharacterSet (PS3.5 §6.1; the demo and
many Chinese hospitals use GB18030), so a PN is kept as the whole string as stored,
e.g. ``Wang^XiaoDong=王^小东``, every component group included.

Two ways in: :func:`read_header` reads a file with pydicom; :func:`read_prefix`
reads the first bytes of an instance while it is being written (the cache keeps them in
memory), walked by :mod:`viewer.part10`; the indexed elements are decoded here for the
simple character sets, by pydicom otherwise, so the values are pydicom's own. Anything
the scanner does not handle (a deflated or big-endian data set, a header longer than the
prefix, odd structure) returns None, and the caller falls back to :func:`read_header`.
pydicom is imported only then, or for a character set decoded by it: the walk needs none.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from viewer import part10
from viewer.dicom_json import IS_MAX, IS_MIN
from viewer.errors import InvalidDataError
from viewer.imaging.pixel_layout import LAYOUT_TAGS, PixelLayout, layout_from_scan
from viewer.instance_file import Readable, read_dicom
from viewer.uids import require_uid

if TYPE_CHECKING:
    from pydicom.dataset import Dataset

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


def read_header(source: Readable) -> InstanceHeader:
    """The index fields of a DICOM Part 10 file (PS3.10 §7), or of an instance in a pack;
    InvalidDataError if it is not one, or if its Study, Series or SOP Instance UID is not
    a valid UID."""
    from pydicom.errors import InvalidDicomError

    try:
        ds = read_dicom(
            source,
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
    if type(value) is str:  # what the prefix decoding gives: the common case, first
        return value.strip().strip("\x00")
    if value is None:
        return ""
    if isinstance(value, list | tuple) or type(value).__name__ == "MultiValue":
        value = value[0] if len(value) else ""
    return str(value).strip().strip("\x00")


def _integer(ds: Any, keyword: str) -> int | None:
    """An IS value (InstanceNumber, SeriesNumber) as an int; None, "unknown", when absent,
    not a number, not finite (``inf``, ``1e999``, ``nan``) or outside the range IS allows.

    Unknown rather than refused: these numbers only order and label images, which stay
    readable and worth keeping when a modality wrote nonsense there (a PACS shows them
    unnumbered). Bounded here, where the int is made, so that no index column ever gets
    more than SQLite holds."""
    text = _number_text(ds, keyword)
    if not text:
        return None
    try:
        number = int(text)  # the common case: no float, no exponent
    except ValueError:
        try:
            value = float(text)  # "12.0", "1e3": not IS, but seen from some writers
        except ValueError:
            return None
        if not math.isfinite(value):
            return None
        number = int(value)
    return number if IS_MIN <= number <= IS_MAX else None


def _number_text(ds: Any, keyword: str) -> str:
    """The first value's text of a numeric element. From a pydicom data set, the raw
    bytes: pydicom's own IS conversion raises OverflowError on ``inf``."""
    get_item = getattr(ds, "get_item", None)  # a pydicom data set (the decoded: a dict)
    if get_item is not None:
        element = get_item(keyword)
        value = element.value if element is not None else None
        if isinstance(value, bytes):
            return value.decode("latin-1").split("\\", 1)[0].strip(" \x00")
    return _text(ds, keyword)


def _other_ids(ds: Any) -> tuple[tuple[str, str], ...]:
    """OtherPatientIDsSequence (PS3.3 C.7.1.1): every item with an ID, and its issuer."""
    ids = []
    for item in ds.get("OtherPatientIDsSequence") or ():
        patient_id = _text(item, "PatientID")
        if patient_id:
            ids.append((patient_id, _text(item, "IssuerOfPatientID")))
    return tuple(ids)


# -- the in-memory fast path ---------------------------------------------------------------
PREFIX_BYTES = part10.PREFIX_BYTES  # what a writer keeps of each instance
INDEXED_TAGS = frozenset(part10.tag_of(k) for k in _INDEXED_KEYWORDS)
_LAST_INDEXED_TAG = max(INDEXED_TAGS)  # (0020,0013): nothing after it is needed
_META_KEYWORDS = {
    part10.tag_of(k): k
    for k in ("MediaStorageSOPClassUID", "MediaStorageSOPInstanceUID", "TransferSyntaxUID")
}
INDEXED_META_TAGS = frozenset(_META_KEYWORDS)


def read_prefix(prefix: bytes, whole: bool) -> tuple[InstanceHeader | None, PixelLayout | None]:
    """The index fields and the pixel layout from one walk over an instance's first
    bytes (``whole``: they are all of it); (None, None) when the scanner cannot read
    them (pydicom reads the file then). InvalidDataError, as :func:`read_header`, for a
    UID that is not valid."""
    try:
        found = part10.scan(prefix, whole, INDEXED_META_TAGS, INDEXED_TAGS | LAYOUT_TAGS)
    except part10.UnhandledError:
        return None, None
    header = header_from_scan(found)
    try:
        layout = layout_from_scan(found)
    except (OverflowError, ValueError):
        # A layout number no int holds (NumberOfFrames "1e999"): no layout is kept, the
        # image is read from its header when it is shown, and judged there. The layout
        # only saves that reading; the instance is not refused for it.
        layout = None
    return header, layout


def header_from_prefix(prefix: bytes, whole: bool) -> InstanceHeader | None:
    """The index fields alone from an instance's first bytes (see :func:`read_prefix`)."""
    return read_prefix(prefix, whole)[0]


def header_from_scan(found: part10.Scan) -> InstanceHeader | None:
    """The index fields from a scan that asked for (at least) INDEXED_META_TAGS and
    INDEXED_TAGS; None when the scan did not get past the last of them."""
    if not found.covers(_LAST_INDEXED_TAG):
        return None
    raw, implicit = found.elements, found.implicit
    try:
        decoded = _decode(raw, implicit)
    except (part10.UnhandledError, struct.error, UnicodeDecodeError):
        decoded = None
    if decoded is not None:
        return _header_of(decoded, _decode_meta(found.meta))
    # Text this module does not decode itself (ISO 2022 escapes, say): pydicom decodes.
    try:
        return _header_of(_dataset(raw, implicit), _dataset(found.meta, False))
    except InvalidDataError:
        raise
    except Exception:  # let the file reader give its own account of the problem
        return None


def _dataset(raw: part10.Raw, implicit: bool) -> Dataset:
    """A pydicom data set of raw elements: pydicom decodes them when they are read."""
    from pydicom.dataelem import DataElement, RawDataElement
    from pydicom.dataset import Dataset
    from pydicom.tag import BaseTag

    elements: dict[BaseTag, DataElement | RawDataElement] = {
        BaseTag(tag): RawDataElement(
            BaseTag(tag), vr.decode() if vr else None, len(v), v, 0, implicit, True, True
        )
        for tag, (vr, v) in raw.items()
    }
    return Dataset(elements)


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
_CHARSET_TAG = part10.tag_of("SpecificCharacterSet")
_OTHER_IDS_TAG = part10.tag_of("OtherPatientIDsSequence")
_PATIENT_ID_TAG = part10.tag_of("PatientID")
_ISSUER_TAG = part10.tag_of("IssuerOfPatientID")
_KEYWORDS = {part10.tag_of(k): k for k in _INDEXED_KEYWORDS}
_VRS = {tag: part10.vr_of(tag).encode() for tag in _KEYWORDS}
_CHARSET_VRS = frozenset((b"SH", b"LO", b"ST", b"LT", b"UC", b"UT", b"PN"))


def _decode(raw: part10.Raw, implicit: bool) -> dict[str, Any] | None:
    """Keyword → value (str, or a tuple of items for the sequence), as pydicom would
    give them; None if some value needs pydicom's own decoding."""
    charset = raw.get(_CHARSET_TAG)
    names = charset[1].decode("ascii").split("\\") if charset else [""]
    codec = _SIMPLE_CODECS.get(names[0].strip(" \x00")) if len(names) == 1 else None
    if codec is None:
        return None
    out: dict[str, Any] = {}
    known = _DECODED
    for tag, (vr, value) in raw.items():
        expected = _VRS.get(tag)
        if expected is None:
            continue  # asked for by another reader of the same scan
        if vr is not None and vr != expected:
            return None  # e.g. UN: pydicom has rules of its own for it
        key = (tag, value, codec, implicit)
        decoded = known.get(key) if len(value) <= _DECODED_MAX_BYTES else None
        if decoded is None:
            if expected == b"SQ":
                decoded = tuple(_decode_other_ids(value, implicit, codec))
            elif expected in _CHARSET_VRS:
                decoded = _first(value.decode(codec), expected)
            else:
                decoded = _first(value.decode("latin-1"), expected)
            if len(value) <= _DECODED_MAX_BYTES:
                if len(known) >= _DECODED_LIMIT:
                    known.clear()
                known[key] = decoded
        out[_KEYWORDS[tag]] = decoded
    return out


# Values decoded above, by (tag, raw bytes, codec, implicit VR). The instances of a
# series repeat their patient, study and series elements byte for byte, and decoding
# them again for each one was a third of the time it takes to read an instance's
# header on the retrieving thread (bench/RESULTS.md). The same bytes decode the same
# way, so nothing is approximated; the bounds keep the memory to a few megabytes.
_DECODED: dict[tuple[int, bytes, str, bool], Any] = {}
_DECODED_LIMIT = 4096  # values
_DECODED_MAX_BYTES = 1024  # a longer value (a rare long description) is decoded each time


def _first(text: str, vr: bytes) -> str:
    """The first value of a decoded element, trimmed as pydicom trims it."""
    if vr != b"PN":
        return text.split("\\", 1)[0].rstrip("\x00 ")
    groups = text.rstrip("\x00 ").split("\\", 1)[0].split("=")
    while groups and not groups[-1]:  # PersonName drops empty trailing groups
        groups.pop()
    return "=".join(groups)


def _decode_meta(meta: part10.Raw) -> dict[str, str]:
    return {
        keyword: value.decode("latin-1").split("\\", 1)[0].rstrip("\x00 ")
        for tag, (_vr, value) in meta.items()
        if (keyword := _META_KEYWORDS.get(tag)) is not None  # (a scan may ask for more)
    }


def _decode_other_ids(  # noqa: C901 - one walk over items and their elements
    buf: bytes, implicit: bool, codec: str
) -> list[dict[str, str]]:
    """The items of OtherPatientIDsSequence: their PatientID and IssuerOfPatientID."""
    items = []
    pos, end = 0, len(buf)
    while pos < end:
        if pos + 8 > end:
            raise part10.UnhandledError
        group, element = part10.U16_PAIR.unpack_from(buf, pos)
        length = part10.U32.unpack_from(buf, pos + 4)[0]
        if group << 16 | element != part10.ITEM:
            raise part10.UnhandledError
        pos += 8
        undefined = length == part10.UNDEFINED_LENGTH
        stop = end if undefined else pos + length
        if stop > end:
            raise part10.UnhandledError
        item: dict[str, str] = {}
        closed = not undefined
        while pos < stop:
            if pos + 8 > end:
                raise part10.UnhandledError
            group, element = part10.U16_PAIR.unpack_from(buf, pos)
            tag = group << 16 | element
            if undefined and tag == part10.ITEM_END:
                pos, closed = pos + 8, True
                break
            if implicit:
                vr: bytes | None = None
                start, size = pos + 8, part10.U32.unpack_from(buf, pos + 4)[0]
            else:
                vr, start, size = part10.explicit_header(buf, pos)
            if size == part10.UNDEFINED_LENGTH:
                pos = part10.skip_undefined(buf, start, implicit or vr == b"UN")
                continue
            if start + size > stop or tag == _CHARSET_TAG:
                raise part10.UnhandledError
            if tag in (_PATIENT_ID_TAG, _ISSUER_TAG):
                if vr is not None and vr != b"LO":
                    raise part10.UnhandledError
                item[_KEYWORDS[tag]] = _first(buf[start : start + size].decode(codec), b"LO")
            pos = start + size
        if not closed or (pos != stop and not undefined):
            raise part10.UnhandledError
        items.append(item)
    return items
