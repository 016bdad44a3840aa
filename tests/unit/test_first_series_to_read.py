"""Which series a study opens on when the doctor double-clicks the study."""

from __future__ import annotations

from viewer.history.series import SeriesListing, first_to_read
from viewer.records import SeriesEntry


def listing(*entries: SeriesEntry) -> SeriesListing:
    return SeriesListing("1.2.3", entries, "provincial")


def test_the_first_series_the_cache_holds_whole_opens_first() -> None:
    scout = SeriesEntry("1", "CT", 1, "Scout", 2, 0)
    axial = SeriesEntry("2", "CT", 2, "Axial", 300, 300)
    assert first_to_read(listing(scout, axial)) == "2"


def test_without_a_whole_series_the_first_image_series_in_acquisition_order() -> None:
    dose = SeriesEntry("0", "SR", 0, "Dose report", 1, 1)
    scout = SeriesEntry("1", "CT", 1, "Scout", 2, 1)
    axial = SeriesEntry("2", "CT", 2, "Axial", 300, 0)
    assert first_to_read(listing(dose, scout, axial)) == "1"


def test_a_study_of_reports_only_has_nothing_to_read() -> None:
    assert first_to_read(listing(SeriesEntry("9", "SR", 1, "Report", 1, 1))) is None
    assert first_to_read(listing()) is None
