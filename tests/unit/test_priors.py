"""Compare with prior: the nearest earlier study of the same kind, from any hospital, and
the series in it most like the one on screen."""

from __future__ import annotations

from dataclasses import replace

from tests.unit.test_recent_similar import study
from viewer.history.priors import matching_series, prior_study
from viewer.history.result import HistoryStudy, PatientHistory
from viewer.records import PatientRef, SeriesEntry


def history(*records: object) -> PatientHistory:
    studies = tuple(HistoryStudy(r, (r.source,)) for r in records)  # type: ignore[attr-defined]
    return PatientHistory(frozenset({PatientRef("1", "I")}), "", "", "", studies)


def test_the_prior_is_the_nearest_earlier_study_of_that_modality_and_anatomy() -> None:
    now = study("now", "20250301", "CT", "CHEST")
    older = study("older", "20230105", "CT", "CHEST")
    last = replace(study("last", "20241120", "CT", "CHEST"), source="other-hospital")
    head = study("head", "20250101", "CT", "HEAD")
    xray = study("xray", "20250201", "DX", "CHEST")
    later = study("later", "20250401", "CT", "CHEST")
    found = prior_study(history(later, now, xray, head, last, older), "now")
    assert found is not None and found.study_uid == "last"
    assert found.record.source == "other-hospital"
    assert prior_study(history(now, head, xray, later), "now") is None


def test_the_later_of_two_studies_on_one_day_is_nearer() -> None:
    now = study("now", "20250301", "CT", "CHEST")
    morning = replace(study("am", "20250110", "CT", "CHEST"), study_time="083000")
    evening = replace(study("pm", "20250110", "CT", "CHEST"), study_time="201500")
    found = prior_study(history(now, morning, evening), "now")
    assert found is not None and found.study_uid == "pm"


def test_no_prior_is_guessed_without_a_date_or_anatomy() -> None:
    undated = study("now", "", "CT", "CHEST")
    unknown = study("now2", "20250301", "CT", "", desc="")
    old = study("old", "20200101", "CT", "CHEST")
    assert prior_study(history(undated, old), "now") is None
    assert prior_study(history(unknown, old), "now2") is None
    assert prior_study(history(old), "not-in-history") is None


def entry(uid: str, modality: str, description: str, count: int) -> SeriesEntry:
    return SeriesEntry(uid, modality, None, description, count, 0)


def test_the_matching_series_shares_the_modality_then_the_words_then_the_size() -> None:
    candidates = [
        entry("scout", "CT", "Topogram 0.6", 1),
        entry("thin", "CT", "Chest 1mm lung", 300),
        entry("thick", "CT", "Chest 5mm mediastinum", 60),
        entry("sr", "SR", "Dose report", 1),
    ]
    assert matching_series("CT", "CHEST 5mm mediastinum", 64, candidates).series_uid == "thick"
    assert matching_series("CT", "Chest 1.0mm lung", 280, candidates).series_uid == "thin"
    assert matching_series("CT", "", 58, candidates).series_uid == "thick"  # nearest size
    assert matching_series("MR", "Chest", 60, candidates) is None
