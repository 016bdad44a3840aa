"""How values are written for people: names, dates and sizes on screen and in lists."""

from __future__ import annotations

MB = 1_000_000  # sizes are told in MB of 10^6 bytes, as cache.max_size counts them


def display_name(pn: str) -> str:
    """A PN value as people write it: ``Wang^XiaoDong=王^小东=`` → ``Wang XiaoDong 王小东``.

    The alphabetic group keeps spaces between its components; the ideographic and
    phonetic groups are written without them, as Chinese names are (PS3.5 §6.2.1).
    """
    parts = []
    for index, group in enumerate(pn.split("=")[:3]):
        components = [c.strip() for c in group.split("^") if c.strip()]
        if components:
            parts.append((" " if index == 0 else "").join(components))
    return " ".join(dict.fromkeys(parts)) or "?"


def format_date(value: str) -> str:
    """DICOM DA ``20240322`` → ``2024-03-22``; anything else is shown as it came."""
    if len(value) == 8 and value.isdigit():
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value
