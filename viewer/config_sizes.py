"""Sizes in the configuration ("20 GB", "500 GiB"), read into bytes.

Decimal units are powers of ten, as disks are sold; binary ones (``KiB``, ``GiB``)
powers of two. A wrong value is described, never echoed: it could be a password put on
the wrong line.
"""

from __future__ import annotations

import re

from viewer.errors import ConfigError

_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)?\s*$", re.IGNORECASE)
_SIZE_UNITS = {
    "b": 1,
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
    "tb": 10**12,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
}


def parse_size(text: str | int, *, where: str = "configuration", key: str = "size") -> int:
    """``"20 GB"`` → 20·10⁹ bytes; ``GiB`` and friends are powers of two."""
    if isinstance(text, bool):
        raise ConfigError(where, key, 'must be a size such as "20 GB"')
    if isinstance(text, int):
        if text <= 0:
            raise ConfigError(where, key, "must be greater than zero")
        return text
    match = _SIZE_RE.match(text) if isinstance(text, str) else None
    if not match:
        # The value is not echoed: it could be a password put on the wrong line.
        raise ConfigError(where, key, 'must be a size such as "20 GB" or "500 GiB"')
    number, unit = match.groups()
    size = int(float(number) * _SIZE_UNITS[(unit or "b").lower()])
    if size <= 0:
        raise ConfigError(where, key, "must be greater than zero")
    return size
