"""Names and dates as people read them."""

from __future__ import annotations

import pytest

from viewer.display import display_name, format_date


@pytest.mark.parametrize(
    ("pn", "shown"),
    [
        ("Wang^XiaoDong=王^小东=", "Wang XiaoDong 王小东"),
        ("Wang^XiaoDong", "Wang XiaoDong"),
        ("=王^小东", "王小东"),
        ("", "?"),
    ],
)
def test_a_person_name_shows_its_alphabetic_and_ideographic_groups(pn: str, shown: str) -> None:
    assert display_name(pn) == shown


def test_dicom_dates_read_with_dashes_and_odd_values_stay_as_they_came() -> None:
    assert format_date("20240322") == "2024-03-22"
    assert format_date("2024") == "2024"
