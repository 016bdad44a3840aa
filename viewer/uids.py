"""DICOM unique identifiers (PS3.5 §9.1): checked before any UID becomes a path or a URL."""

from __future__ import annotations

import re

from viewer.errors import InvalidDataError

# Components are digits without leading zeros (a lone 0 is allowed), joined by dots;
# at most 64 characters in all. fullmatch, not "$": "$" also matches before a final
# newline, and "1.2\n" is no UID.
_UID_RE = re.compile(r"(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*")
MAX_UID_LENGTH = 64


def is_valid_uid(value: object) -> bool:
    if not isinstance(value, str) or len(value) > MAX_UID_LENGTH:
        return False
    return _UID_RE.fullmatch(value) is not None


def require_uid(value: object, what: str = "UID") -> str:
    """Return ``value`` if it is a valid UID, else raise :class:`InvalidDataError`."""
    if not is_valid_uid(value):
        shown = value[:80] if isinstance(value, str) else type(value).__name__
        raise InvalidDataError(f"{what} is not a valid DICOM UID: {shown!r}")
    return str(value)
