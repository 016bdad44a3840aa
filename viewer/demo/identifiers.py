"""Deterministic identifiers: resident-ID-style platform IDs, DICOM UIDs.

Nothing here looks at the clock or a random source, so every run of the generator
names every object the same way.
"""

from __future__ import annotations

import uuid

# ISO 7064 MOD 11-2 as used by the 18-digit resident identity number (GB 11643-1999):
# weight of position i (1-based, left to right, 17 digits) is 2**(18 - i) mod 11.
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARS = "10X98765432"  # indexed by (weighted sum mod 11)

# Fixed namespace for every UID the generator makes; changing it renames everything.
_UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://qingying.invalid/demo-data")


def resident_id_check_char(first17: str) -> str:
    """Check character of an 18-digit resident ID (ISO 7064 MOD 11-2)."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError(f"need 17 digits, got {first17!r}")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def make_resident_id(region: str, birth_date: str, sequence: int, sex: str) -> str:
    """An 18-digit resident-ID-style number: region(6) + YYYYMMDD + seq(3) + check.

    The last digit of the 3-digit sequence is odd for men and even for women, as in
    the real scheme; ``sequence`` is adjusted upwards by one if its parity is wrong.
    """
    if len(region) != 6 or not region.isdigit():
        raise ValueError(f"region must be 6 digits, got {region!r}")
    if len(birth_date) != 8 or not birth_date.isdigit():
        raise ValueError(f"birth date must be YYYYMMDD, got {birth_date!r}")
    want_odd = sex == "M"
    if (sequence % 2 == 1) != want_odd:
        sequence += 1
    if not 0 <= sequence <= 999:
        raise ValueError(f"sequence out of range: {sequence}")
    first17 = f"{region}{birth_date}{sequence:03d}"
    return first17 + resident_id_check_char(first17)


def is_valid_resident_id(value: str) -> bool:
    """True when ``value`` has 18 characters and a correct check character."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    return resident_id_check_char(value[:17]) == value[17]


def demo_uid(*parts: object) -> str:
    """A UID under the ``2.25`` root derived from a UUID5 of ``parts`` (PS3.5 §B.2).

    The decimal form of a 128-bit integer has at most 39 digits, so the UID is at
    most 44 characters (limit 64, PS3.5 §9.1) and has no leading zero.
    """
    name = "/".join(str(p) for p in parts)
    return f"2.25.{uuid.uuid5(_UID_NAMESPACE, name).int}"


# Identifies this generator in the file meta (0002,0012); made the same way as the rest.
IMPLEMENTATION_CLASS_UID = demo_uid("implementation")
IMPLEMENTATION_VERSION_NAME = "QINGYING_DEMO"
