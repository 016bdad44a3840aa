"""DICOM attribute matching for searches of the cache (PS3.4 §C.2.2.2)."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def _wildcard_regex(pattern: str) -> re.Pattern[str]:
    # Wild card matching (PS3.4 §C.2.2.2.4): "*" any run of characters, "?" exactly one.
    parts = [".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern]
    return re.compile("".join(parts), re.DOTALL)


def wildcard_match(pattern: str, value: str) -> bool:
    """Whether ``value`` matches ``pattern`` as a whole, ignoring case (the cache matches
    person names case-insensitively, as most archives do)."""
    return _wildcard_regex(pattern.casefold()).fullmatch(value.casefold()) is not None
