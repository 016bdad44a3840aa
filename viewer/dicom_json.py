"""Reading the DICOM JSON model (PS3.18 Annex F) that QIDO-RS and WADO-RS metadata return.

Servers differ in what they send; these helpers read a value defensively and never raise
on a missing or oddly shaped attribute: the caller decides what is required.

:func:`loads` parses an answer as JSON (RFC 8259) and nothing more: the NaN and Infinity
Python's json accepts, a number that overflows to infinity, and nesting deeper than any
DICOM JSON needs are InvalidDataError naming the source, before anything recurses.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from itertools import accumulate
from typing import Any

from viewer.errors import InvalidDataError

DicomJson = Mapping[str, Any]
# A DICOM sequence nests three levels of JSON (the Value array, the item, the element);
# 64 sequences deep (viewer.part10.MAX_NESTING) is under 200. json.loads recurses once
# per level and fails near 1000, fewer on a deep stack: deeper answers are refused first.
MAX_JSON_DEPTH = 256
_BRACKET_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in _BRACKET_STEP and b != ord('"'))


class _NotJsonError(ValueError):
    """A value JSON (RFC 8259) does not have: NaN, Infinity, a number beyond a float."""


def loads(body: bytes | str, source: str) -> Any:
    """``body`` parsed as JSON; InvalidDataError naming ``source`` if it is not JSON,
    holds a non-finite number, or nests deeper than MAX_JSON_DEPTH."""
    data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    if _depth(data) > MAX_JSON_DEPTH:
        raise InvalidDataError(f"{source}: the answer nests deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(data, parse_constant=_refuse_constant, parse_float=_finite_float)
    except _NotJsonError as err:
        raise InvalidDataError(f"{source}: the answer holds {err}") from err
    except (ValueError, RecursionError) as err:  # JSONDecodeError, bad UTF-8, long ints
        raise InvalidDataError(f"{source}: the answer is not valid JSON") from err


def _depth(data: bytes) -> int:
    """How deep the arrays and objects of ``data`` nest, brackets in strings not counted
    (as json reads it, up to where json would stop at an error). All in C loops but the
    last: 2 MB in about 10 ms, where a regex over the strings took 50."""
    # The escapes that could hide a quote (\\ and \", taken left to right as json
    # takes them) go first; then everything but quotes and brackets; then the strings:
    # what lies between the odd and the even quotes.
    marks = data.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_STRUCTURE)
    outside = b"".join(marks.split(b'"')[::2])
    if outside.count(b"[") + outside.count(b"{") <= MAX_JSON_DEPTH:
        return 0  # cannot nest deeper than it opens (the common case: no count needed)
    return max(accumulate(_BRACKET_STEP[b] for b in outside))


def _refuse_constant(name: str) -> Any:
    raise _NotJsonError(f"{name}, which JSON does not have")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotJsonError("a number beyond any float")
    return value


_PN_GROUPS = ("Alphabetic", "Ideographic", "Phonetic")


def values(item: DicomJson, tag: str) -> list[Any]:
    """All values of ``tag`` (8 hex digits, e.g. ``"0020000D"``), [] when absent."""
    element = item.get(tag) or item.get(tag.lower())
    if not isinstance(element, Mapping):
        return []
    found = element.get("Value")
    return list(found) if isinstance(found, list) else []


def first(item: DicomJson, tag: str) -> Any:
    found = values(item, tag)
    return found[0] if found else None


def text(item: DicomJson, tag: str) -> str:
    """The first value as text ("" when absent); numbers become their decimal text."""
    value = first(item, tag)
    if value is None or isinstance(value, Mapping):
        return ""
    return str(value).strip()


def texts(item: DicomJson, tag: str) -> list[str]:
    return [str(v).strip() for v in values(item, tag) if v is not None and str(v).strip()]


# The range an IS value may hold (PS3.5 Table 6.2-1); the counts and numbers read as
# integers here are IS, and any int in it fits a SQLite INTEGER.
IS_MIN, IS_MAX = -(2**31), 2**31 - 1


def integer(item: DicomJson, tag: str) -> int | None:
    """The first value as an int; None, "unknown", when absent, not a number, not finite
    or outside the range of IS (as viewer.cache.header reads the same numbers in files)."""
    value = first(item, tag)
    if value is None or isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: int(inf)
        return None
    return number if IS_MIN <= number <= IS_MAX else None


def person_name(item: DicomJson, tag: str) -> str:
    """A PN value as its DICOM string, component groups joined by ``=`` (PS3.5 §6.2).

    ``{"Alphabetic": "Wang^XiaoDong", "Ideographic": "王^小东", "Phonetic": ""}`` becomes
    ``Wang^XiaoDong=王^小东=``: groups are kept up to the last one the server sent, so
    the string is the one the server holds.
    """
    value = first(item, tag)
    if isinstance(value, str):  # some servers flatten PN to a string
        return value
    if not isinstance(value, Mapping):
        return ""
    present = [g for g in _PN_GROUPS if g in value]
    if not present:
        return ""
    last = _PN_GROUPS.index(present[-1])
    return "=".join(str(value.get(g) or "") for g in _PN_GROUPS[: last + 1])


def sequence_items(item: DicomJson, tag: str) -> list[DicomJson]:
    return [v for v in values(item, tag) if isinstance(v, Mapping)]
