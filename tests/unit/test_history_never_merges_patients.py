"""Histories never merge two patients: without Qt, over the grouping and the search.

Two IDs are one patient only when a source links them (OtherPatientIDsSequence) or the
user confirmed it. Same name, same birth date, same source, same issuer: still two
patients, two histories. Every study lands in exactly one history, under its patient.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from tests.unit.test_history_service import EMPI, FakeSource, record
from viewer.dicomweb.qido import StudyQuery
from viewer.history.grouping import build_links
from viewer.history.service import HistoryResult, HistorySearch
from viewer.records import PatientRef, StudyRecord

ZHANG = "Zhang^Wei=张^伟="
ZHANG_MIN = "Zhang^Min=张^敏="  # another name, found by the same search
A = PatientRef("320102196503140372", EMPI)
B = PatientRef("320102196503140399", EMPI)  # same name and birth date as A: another person
C = PatientRef("110101197001010011", EMPI)  # another name
A_GL = PatientRef("GL-A", "NJGL")  # A at the hospital, linked by the platform


def roots(records: Iterable[StudyRecord]) -> dict[PatientRef, PatientRef]:
    links = build_links(list(records))
    return {r.patient: links.root(r.patient) for r in records}


def test_two_patients_with_the_same_name_and_birth_date_are_two_sets() -> None:
    records = [
        record("1.1", A, "provincial", name=ZHANG),
        record("2.1", B, "provincial", name=ZHANG),
    ]
    links = build_links(records)
    assert links.root(A) != links.root(B)
    assert links.members(A) == {A} and links.members(B) == {B}


def test_a_link_joins_only_the_two_ids_it_names() -> None:
    records = [
        replace_links(record("1.1", A, "provincial", name=ZHANG), {A_GL}),
        record("1.2", A_GL, "gulou", name=ZHANG),
        record("2.1", B, "provincial", name=ZHANG),
        record("3.1", C, "provincial", name=ZHANG_MIN, birth="19700101"),
    ]
    found = roots(records)
    assert found[A] == found[A_GL]
    assert len({found[A], found[B], found[C]}) == 3
    assert build_links(records).members(A) == {A, A_GL}


def test_unlinked_records_each_stay_their_own_patient() -> None:
    records = [record(f"9.{n}", PatientRef(f"ID{n}", EMPI), "provincial") for n in range(5)]
    assert len(set(roots(records).values())) == 5


def search(studies: list[StudyRecord], query: StudyQuery) -> HistoryResult:
    source = FakeSource("provincial", EMPI, studies)
    return HistorySearch([source]).run(query)


def check_partition(result: HistoryResult) -> None:
    """Every study in one history only, each history's studies under its own patients,
    no patient in two histories."""
    seen_studies: list[str] = []
    seen_patients: set[PatientRef] = set()
    for history in result.histories:
        assert not (history.patients & seen_patients), "a patient is in two histories"
        seen_patients |= history.patients
        for study in history.studies:
            assert study.record.patient in history.patients
            seen_studies.append(study.study_uid)
    assert len(seen_studies) == len(set(seen_studies)), "a study is in two histories"


def test_a_name_search_gives_one_history_per_patient_of_that_name() -> None:
    studies = [
        record("1.1", A, "provincial", name=ZHANG, day="20240101"),
        record("1.2", A, "provincial", name=ZHANG, day="20240301"),
        record("2.1", B, "provincial", name=ZHANG, day="20240201"),
    ]
    result = search(studies, StudyQuery(name="Zhang"))
    check_partition(result)
    by_patient = {h.patients: {s.study_uid for s in h.studies} for h in result.histories}
    assert by_patient == {frozenset({A}): {"1.1", "1.2"}, frozenset({B}): {"2.1"}}
    assert result.possible_same == ((0, 1),)  # offered to the doctor, never merged


def test_two_different_patients_are_two_histories() -> None:
    studies = [
        record("1.1", A, "provincial", name=ZHANG),
        record("3.1", C, "provincial", name=ZHANG_MIN, birth="19700101"),
    ]
    result = search(studies, StudyQuery(name="Zhang"))
    check_partition(result)
    assert len(result.histories) == 2
    names = sorted(h.name for h in result.histories)
    assert names == sorted([ZHANG, ZHANG_MIN])
    assert result.possible_same == ()


def test_an_id_search_shows_the_patient_asked_for_and_not_a_namesake() -> None:
    studies = [
        record("1.1", A, "provincial", name=ZHANG),
        record("2.1", B, "provincial", name=ZHANG),
    ]
    result = search(studies, StudyQuery(patient_id=B.patient_id, issuer=EMPI))
    check_partition(result)
    assert result.histories[0].patients == {B}
    assert {s.study_uid for s in result.histories[0].studies} == {"2.1"}


def replace_links(rec: StudyRecord, links: set[PatientRef]) -> StudyRecord:
    return replace(rec, linked_patients=frozenset(links))
