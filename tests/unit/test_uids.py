"""UIDs are checked (PS3.5 §9.1) before they become part of a URL or a path."""

from __future__ import annotations

import pytest

from viewer.errors import InvalidDataError
from viewer.uids import is_valid_uid, require_uid


@pytest.mark.parametrize("uid", ["1.2.840.10008.1.2", "0", "2.25.0.1", "1." + "2" * 62])
def test_valid_uids_pass(uid: str) -> None:
    assert is_valid_uid(uid)


@pytest.mark.parametrize(
    "uid",
    [
        *("", "1..2", "1.02", ".1", "1.", "1.2.a", "../../etc", "1/2", "1." + "2" * 63),
        *("1.2\n", "\n1.2", "1.2 ", "1.\u0662", None, 12),
    ],
)
def test_invalid_uids_are_refused(uid: object) -> None:
    assert not is_valid_uid(uid)
    with pytest.raises(InvalidDataError):
        require_uid(uid)
