"""DICOM unique identifiers (PS3.5 §9.1): checked before any UID becomes a path or a URL."""

from __future__ import annotations

import re

from viewer.errors import InvalidDataError

# Components are digits without leading zeros (a lone 0 is allowed), joined by dots;
# at most 64 characters in all.
_UID_RE = re.compile(r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$")
MAX_UID_LENGTH = 64


def is_valid_uid(value: object) -> bool:
    return isinstance(value, str) and len(value) <= MAX_UID_LENGTH and bool(_UID_RE.match(value))


def require_uid(value: object, what: str = "UID") -> str:
    """Return ``value`` if it is a valid UID, else raise :class:`InvalidDataError`."""
    if not is_valid_uid(value):
        shown = value[:80] if isinstance(value, str) else type(value).__name__
        raise InvalidDataError(f"{what} is not a valid DICOM UID: {shown!r}")
    return str(value)
