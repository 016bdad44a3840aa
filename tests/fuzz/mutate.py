"""A seeded mutator: valid bytes (DICOM Part 10, multipart, JSON) made into bad ones.

Every choice comes from the ``random.Random`` passed in, which the runner seeds from
(boundary, seed, case index), so a case is the same input wherever it runs.

Plain byte mutations (flips, runs, truncation, splices, repeats) find what a damaged
disc or a cut link makes; they rarely hit what a hostile or buggy source sends on purpose:
a length field of 4 GiB, ``1e999`` in an Integer String, sequences nested 30,000 deep,
another study's UID. So Part 10 inputs are also walked (:func:`walk`, explicit and
implicit VR little endian, into sequences and encapsulated fragments) and mutated where
it matters: length fields, number values, UIDs, text, nesting, the transfer syntax.
"""

from __future__ import annotations

import random
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass

# -- walking Part 10 bytes -----------------------------------------------------------------

_LONG_VRS = {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"SV", b"UC", b"UN", b"UR", b"UT"}
_LONG_VRS.add(b"UV")
_ITEM, _ITEM_END, _SEQ_END = 0xFFFEE000, 0xFFFEE00D, 0xFFFEE0DD
_PIXEL_DATA = 0x7FE00010
_TS_TAG = 0x00020010
_IMPLICIT = b"1.2.840.10008.1.2\x00"
_DEFLATED = b"1.2.840.10008.1.2.1.99"
MAX_ELEMENTS = 4000  # a walk of a mutated file stops here (repeated blocks)


@dataclass(frozen=True)
class Element:
    tag: int
    vr: bytes  # b"" when implicit
    start: int  # the element's first byte (its tag)
    length_at: int  # where its length field is
    length_size: int  # 2 or 4
    value_at: int
    length: int  # as declared (0xFFFFFFFF: undefined)
    fragment: bool = False  # an item of encapsulated pixel data

    @property
    def end(self) -> int:
        return self.value_at + (0 if self.length == 0xFFFFFFFF else self.length)


def walk(buf: bytes) -> list[Element]:  # noqa: C901 - one loop over one byte layout
    """Every element, item and fragment header of a Part 10 file, as far as it can be
    walked (stops quietly at anything it cannot follow: this runs on mutated bytes)."""
    found: list[Element] = []
    if buf[128:132] != b"DICM":
        return found
    pos, implicit, fragments = 132, False, False
    try:
        while pos + 8 <= len(buf) and len(found) < MAX_ELEMENTS:
            group, number = struct.unpack_from("<HH", buf, pos)
            tag = group << 16 | number
            if group == 0xFFFE:
                (length,) = struct.unpack_from("<I", buf, pos + 4)
                is_fragment = fragments and tag == _ITEM
                found.append(Element(tag, b"", pos, pos + 4, 4, pos + 8, length, is_fragment))
                if tag == _SEQ_END:
                    fragments = False
                pos += 8 + (length if is_fragment else 0)
                continue
            if group != 0x0002 and found and found[-1].tag >> 16 == 0x0002:
                ts = next((e for e in reversed(found) if e.tag == _TS_TAG), None)
                value = buf[ts.value_at : ts.end] if ts else b""
                if value.startswith(_DEFLATED):
                    return found  # the data set is compressed: nothing more to walk
                implicit = value == _IMPLICIT or value.rstrip(b"\x00 ") == _IMPLICIT[:-1]
            if implicit and group != 0x0002:
                (length,) = struct.unpack_from("<I", buf, pos + 4)
                element = Element(tag, b"", pos, pos + 4, 4, pos + 8, length)
            else:
                vr = buf[pos + 4 : pos + 6]
                if vr in _LONG_VRS:
                    (length,) = struct.unpack_from("<I", buf, pos + 8)
                    element = Element(tag, vr, pos, pos + 8, 4, pos + 12, length)
                else:
                    (length,) = struct.unpack_from("<H", buf, pos + 6)
                    element = Element(tag, vr, pos, pos + 6, 2, pos + 8, length)
            found.append(element)
            if length == 0xFFFFFFFF:  # a sequence, or encapsulated pixel data: go in
                fragments = tag == _PIXEL_DATA
                pos = element.value_at
            elif element.vr == b"SQ":
                pos = element.value_at  # defined length: its items follow, walk them too
            else:
                pos = element.end
    except struct.error:
        pass
    return found


# -- plain byte mutations -------------------------------------------------------------------

INTERESTING_32 = (0, 1, 2, 3, 0x7F, 0xFF, 0x100, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000)
INTERESTING_32 += (0xFFFFFFFE, 0xFFFFFFFF, 0x10000000, 0x40000000)


def _pos(rng: random.Random, data: bytes) -> int:
    return rng.randrange(len(data) + 1)


def flip_bits(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 4, 8))):
        if out:
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def overwrite_run(rng: random.Random, data: bytes) -> bytes:
    at, n = _pos(rng, data), rng.choice((1, 2, 4, 8, 16, 64))
    fill = rng.choice((b"\x00", b"\xff", b"\x80", None))
    run = fill * n if fill else rng.randbytes(n)
    return data[:at] + run + data[at + n :]


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: _pos(rng, data)]


def delete_run(rng: random.Random, data: bytes) -> bytes:
    at = _pos(rng, data)
    return data[:at] + data[at + rng.choice((1, 2, 4, 8, 100, 1000)) :]


def insert_bytes(rng: random.Random, data: bytes) -> bytes:
    at = _pos(rng, data)
    return data[:at] + rng.randbytes(rng.choice((1, 2, 4, 16, 256))) + data[at:]


def repeat_block(rng: random.Random, data: bytes) -> bytes:
    at = _pos(rng, data)
    block = data[at : at + rng.choice((2, 8, 16, 64, 256))] or b"\x00"
    return data[:at] + block * rng.choice((2, 3, 16, 200, 2000)) + data[at:]


def set_int(rng: random.Random, data: bytes) -> bytes:
    """An interesting 16- or 32-bit little-endian integer written at a random place."""
    size = rng.choice((2, 4))
    value = rng.choice(INTERESTING_32) & ((1 << (8 * size)) - 1)
    at = rng.randrange(max(1, len(data) - size + 1))
    return data[:at] + value.to_bytes(size, "little") + data[at + size :]


BYTE_MUTATIONS: tuple[Callable[[random.Random, bytes], bytes], ...] = (
    flip_bits,
    flip_bits,
    overwrite_run,
    truncate,
    delete_run,
    insert_bytes,
    repeat_block,
    set_int,
)


def splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """A piece of another input put in (replacing or inserted): parts of two files."""
    if not other:
        return data
    a = rng.randrange(len(other))
    piece = other[a : a + rng.choice((8, 64, 512, 4096))]
    at = _pos(rng, data)
    cut = rng.choice((0, len(piece)))
    return data[:at] + piece + data[at + cut :]


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    return rng.choice(BYTE_MUTATIONS)(rng, data)


# -- DICOM-aware mutations ------------------------------------------------------------------

WEIRD_NUMBERS = (
    *(b"1e999", b"-1e999", b"inf", b"-inf", b"Infinity", b"NaN", b"nan", b"-0", b"+0"),
    *(b"1e20", b"-1e20", b"99999999999999999999", b"-99999999999999999999", b"2147483648"),
    *(b"9223372036854775808", b"0", b"-1", b"1.5", b"", b" ", b"1\\2\\3", b"0x10", b"1e-400"),
    *(b"\x00\x00", b"\xff\xfe", b"1" * 5000),
)
WEIRD_UIDS = (
    *(b"", b"1..2", b"abc", b"1.2.3." + b"4" * 70, b".", b"0.00.1", b"1.2.3\x00\x00\x00"),
    *(b"../../x", b"1.2\\1.3"),
)
WEIRD_TEXT = (
    *(b"", b"\\", b"\\\\\\\\", b"\x1b$)A\xb0\xa1", b"\xff\xfe\xfd", b"\xe7\x8e", b"=" * 40),
    *(b"^^^^^=^^^^=", b"\x00" * 8, b"A" * 60000, b"%s%n", "王^小东".encode("gb18030")),
)
WEIRD_CHARSETS = (
    *(b"ISO 2022 IR 58", b"GB18030\\GBK", b"nonsense", b"ISO_IR 192", b"\\\\", b"ISO_IR 6"),
    *(b"ISO 2022 IR 6\\ISO 2022 IR 87", b"ISO_IR 13\\", b""),
)
SYNTAXES = (
    *("1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.2"),
    *("1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57"),
    *("1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"),
    *("1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.201"),
    *("1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.100", "1.2.3.4", ""),
)
# Sequences a reader walks into: the index (OtherPatientIDs), display (functional
# groups), and ones nothing reads (which must still be skipped).
NEST_TAGS = (0x00101002, 0x00081140, 0x52009229, 0x52009230, 0x00091010, 0x00400275)
NEST_DEPTHS = (8, 200, 600, 1200, 5000, 30000)


def _with_value(data: bytes, e: Element, value: bytes) -> bytes:
    """``e``'s value replaced by ``value`` (padded to even length), its length field too."""
    if len(value) % 2:
        value += b" " if e.vr not in (b"UI", b"OB", b"UN") else b"\x00"
    limit = 0xFFFF if e.length_size == 2 else 0xFFFFFFFE
    size = min(len(value), limit)
    field = size.to_bytes(e.length_size, "little")
    head = data[: e.length_at] + field + data[e.length_at + e.length_size : e.value_at]
    return head + value + data[e.end :]


def _length_value(rng: random.Random, e: Element, remaining: int) -> int:
    options = [0, 1, e.length + 1, max(0, e.length - 1), e.length * 2, remaining, remaining + 1]
    options += [0xFFFF, 0xFFFE]
    if e.length_size == 4:
        options += [0xFFFFFFFF, 0xFFFFFFFE, 0x7FFFFFFF, 0x80000000, 0x10000000, 0xFFFFFFF0]
    value: int = rng.choice(options)
    return value & ((1 << (8 * e.length_size)) - 1)


def set_length(rng: random.Random, data: bytes, elements: list[Element]) -> bytes:
    e = rng.choice(elements)
    value = _length_value(rng, e, len(data) - e.value_at)
    field = value.to_bytes(e.length_size, "little")
    return data[: e.length_at] + field + data[e.length_at + e.length_size :]


def replace_value(rng: random.Random, data: bytes, elements: list[Element]) -> bytes:
    """A value made wrong for its kind: numbers, UIDs, text, binary integers."""
    # Prefer the elements readers compute with; any element otherwise.
    numeric = [e for e in elements if e.vr in (b"IS", b"DS", b"US", b"UL", b"SS", b"SL")]
    pool = numeric if numeric and rng.random() < 0.6 else elements
    e = rng.choice([e for e in pool if not e.fragment and e.length != 0xFFFFFFFF] or [pool[0]])
    if e.length == 0xFFFFFFFF:
        return data
    if e.vr in (b"US", b"SS"):
        value = rng.choice((0, 1, 3, 7, 15, 16, 17, 32, 33, 0x7FFF, 0x8000, 0xFFFF))
        new = value.to_bytes(2, "little") * max(1, e.length // 2)
    elif e.vr in (b"UL", b"SL"):
        new = rng.choice(INTERESTING_32).to_bytes(4, "little")
    elif e.vr == b"UI" or (e.tag == _TS_TAG and rng.random() < 0.5):
        new = rng.choice(
            (*WEIRD_UIDS, b"1.2.826.0.1.3680043.8.498.7712.2", rng.choice(SYNTAXES).encode())
        )
    elif e.tag == 0x00080005:
        new = rng.choice(WEIRD_CHARSETS)
    elif e.vr in (b"PN", b"LO", b"SH", b"CS", b"LT", b"ST", b"UT", b"DA", b"TM"):
        new = rng.choice(WEIRD_TEXT)
    else:
        new = rng.choice(WEIRD_NUMBERS)
    return _with_value(data, e, new)


def nest(rng: random.Random, data: bytes, elements: list[Element]) -> bytes:
    """A sequence nested ``depth`` deep, put among the top-level elements in tag order."""
    tag, depth = rng.choice(NEST_TAGS), rng.choice(NEST_DEPTHS)
    implicit = any(e.vr == b"" and e.tag >> 16 not in (0x0002, 0xFFFE) for e in elements)
    head = struct.pack("<HH", tag >> 16, tag & 0xFFFF)
    opener = head + (b"" if implicit else b"SQ\x00\x00") + b"\xff\xff\xff\xff"
    item = struct.pack("<HHI", 0xFFFE, 0xE000, 0xFFFFFFFF)
    closer = struct.pack("<HHI", 0xFFFE, 0xE00D, 0) + struct.pack("<HHI", 0xFFFE, 0xE0DD, 0)
    block = (opener + item) * depth + closer * rng.choice((depth, depth // 2, 0))
    later = [e for e in elements if e.tag > tag and e.tag >> 16 not in (0x0002, 0xFFFE)]
    at = later[0].start if later else len(data)
    return data[:at] + block + data[at:]


def drop_element(rng: random.Random, data: bytes, elements: list[Element]) -> bytes:
    e = rng.choice(elements)
    return data[: e.start] + data[e.end :]


def duplicate_element(rng: random.Random, data: bytes, elements: list[Element]) -> bytes:
    e = rng.choice(elements)
    copy = data[e.start : e.end]
    return data[: e.end] + copy * rng.choice((1, 2, 100)) + data[e.end :]


DICOM_MUTATIONS = (set_length, set_length, replace_value, replace_value, replace_value)
DICOM_MUTATIONS += (nest, drop_element, duplicate_element)


def mutate_part10(rng: random.Random, data: bytes, others: list[bytes], rounds: int = 0) -> bytes:
    """1-3 mutations, each either DICOM-aware or plain, or a splice from ``others``."""
    for _ in range(rounds or rng.choice((1, 1, 1, 2, 3))):
        elements = walk(data)
        roll = rng.random()
        if elements and roll < 0.55:
            data = rng.choice(DICOM_MUTATIONS)(rng, data, elements)
        elif roll < 0.62 and others:
            data = splice(rng, data, rng.choice(others))
        else:
            data = mutate_bytes(rng, data)
    return data


# -- JSON text ------------------------------------------------------------------------------

WEIRD_JSON_NUMBERS = (
    *("1e999", "-1e999", "Infinity", "-Infinity", "NaN", "-0", "1E400", "1e-400", "-0.0"),
    *("9" * 5000, "18446744073709551616", "1e20", "0.5", "-1", "[1]", '"1"', "null", "true"),
)
_NUMBER_RE = re.compile(rb"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_STRING_RE = re.compile(rb'"(?:[^"\\]|\\.)*"')


def deep(depth: int, kind: str) -> bytes:
    if kind == "list":
        return b"[" * depth + b"]" * depth
    if kind == "dict":
        return b'{"a":' * depth + b"1" + b"}" * depth
    # DICOM JSON sequences within sequences (what sequence_items walks)
    opener = b'{"00101002":{"vr":"SQ","Value":['
    return opener * depth + b"{}" + b"]}}" * depth


def replace_number(rng: random.Random, text: bytes) -> bytes:
    found = list(_NUMBER_RE.finditer(text))
    if not found:
        return text
    m = rng.choice(found)
    return text[: m.start()] + rng.choice(WEIRD_JSON_NUMBERS).encode() + text[m.end() :]


def replace_string(rng: random.Random, text: bytes) -> bytes:
    """A string value (or key) replaced by another JSON value of any type."""
    found = list(_STRING_RE.finditer(text))
    if not found:
        return text
    m = rng.choice(found)
    options = (
        *(b"null", b"true", b"1e999", b"NaN", b"-0", b"[]", b"{}", b'""', b"[[[]]]"),
        *(b'{"Alphabetic":1e999}', b'"\\ud800"', b'"\\u0000"', b'"' + b"x" * 100000 + b'"'),
        *(b'{"vr":"SQ","Value":"x"}', b'[{"Value":[1e999]}]', b'"1e999"', b'"inf"'),
        *(b"Infinity", b'"9' + b"9" * 40 + b'"', b"123456789012345678901234567890"),
    )
    return text[: m.start()] + rng.choice(options) + text[m.end() :]


def nest_json(rng: random.Random, text: bytes) -> bytes:
    """A value (a string, or the whole answer) replaced by nesting 100 to 200,000 deep."""
    block = deep(rng.choice((100, 1000, 3000, 20000, 200000)), rng.choice(("list", "dict", "sq")))
    found = list(_STRING_RE.finditer(text))
    if not found or rng.random() < 0.2:
        return block
    m = rng.choice(found)
    return text[: m.start()] + block + text[m.end() :]


def repeat_items(rng: random.Random, text: bytes) -> bytes:
    """The answer's first item repeated: pages full to the limit, and many more."""
    start = text.find(b"{")
    end = text.find(b"}},{", start)
    if start < 0 or end < 0:
        return text
    item = text[start : end + 2]
    n = rng.choice((99, 100, 101, 1000, 3000))
    return b"[" + b",".join([item] * n) + b"]"


def reencode(rng: random.Random, text: bytes) -> bytes:
    kind = rng.choice(("utf-16", "utf-32", "bom", "latin-1", "gb18030"))
    decoded = text.decode("utf-8", "replace")
    if kind == "bom":
        return b"\xef\xbb\xbf" + text
    return decoded.encode(kind, "replace")


JSON_MUTATIONS = (replace_number, replace_number, replace_string, replace_string, nest_json)
JSON_MUTATIONS += (repeat_items, reencode)


def mutate_json(rng: random.Random, text: bytes) -> bytes:
    for _ in range(rng.choice((1, 1, 2, 3))):
        if rng.random() < 0.8:
            text = rng.choice(JSON_MUTATIONS)(rng, text)
        else:
            text = mutate_bytes(rng, text)
    return text
