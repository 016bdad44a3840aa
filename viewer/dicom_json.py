"""Reading the DICOM JSON model (PS3.18 Annex F) that QIDO-RS and WADO-RS metadata return.

Servers differ in what they send; these helpers read a value defensively and never raise
on a missing or oddly shaped attribute: the caller decides what is required.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DicomJson = Mapping[str, Any]

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


def integer(item: DicomJson, tag: str) -> int | None:
    value = first(item, tag)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


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
