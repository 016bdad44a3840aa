"""Recent similar exams: same modality and anatomy within the window, flagged both ways."""

from __future__ import annotations

from viewer.history.similar import recent_similar
from viewer.records import PatientRef, StudyRecord


def study(
    uid: str, day: str, modality: str = "DX", body: str = "CHEST", desc: str = ""
) -> StudyRecord:
    return StudyRecord(
        study_uid=uid, source="s", patient=PatientRef("1", "I"), patient_name="", birth_date="",
        sex="", study_date=day, study_time="", accession_number="", description=desc,
        modalities=(modality,), body_part=body, institution="", series_count=None,
        instance_count=None,
    )  # fmt: skip


def test_same_exam_within_window_is_flagged_both_ways() -> None:
    flags = recent_similar([study("1", "20241001"), study("2", "20241019")])
    assert flags == {"1": {"2"}, "2": {"1"}}


def test_window_edge_is_inclusive_and_beyond_is_not_flagged() -> None:
    assert recent_similar([study("1", "20241001"), study("2", "20241031")], 30)
    assert not recent_similar([study("1", "20241001"), study("2", "20241101")], 30)


def test_other_anatomy_or_modality_is_not_similar() -> None:
    assert not recent_similar([study("1", "20241001"), study("2", "20241002", body="HEAD")])
    assert not recent_similar([study("1", "20241001"), study("2", "20241002", modality="CT")])


def test_description_stands_in_for_a_missing_body_part() -> None:
    a = study("1", "20241001", body="", desc="CT Chest, plain")
    b = study("2", "20241010", body="", desc="chest plain CT")
    assert recent_similar([a, b], 30) == {"1": {"2"}, "2": {"1"}}


def test_reports_and_undated_studies_are_never_flagged() -> None:
    assert not recent_similar(
        [study("1", "20241001", modality="SR"), study("2", "20241002", modality="SR")]
    )
    assert not recent_similar([study("1", ""), study("2", "20241002")])
