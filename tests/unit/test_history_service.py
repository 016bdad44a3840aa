"""The history service over fake sources: linking, merging, never merging on names."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field, replace

import pytest

from viewer.dicomweb.qido import StudyQuery, name_pattern
from viewer.errors import AuthError, CancelledError, NetworkError, QingyingError
from viewer.history.service import HistorySearch, search_failed_entirely
from viewer.records import PatientRef, StudyRecord
from viewer.sources.protocol import Capabilities, SourceAnswer, StudyDetails

EMPI = "JS-EMPI"
P1 = PatientRef("320102196503140372", EMPI)
P1_GL = PatientRef("GL1", "NJGL")
P4 = PatientRef("320106198810300596", EMPI)  # same name as P1, other person
WANG = "Wang^XiaoDong=王^小东="


def record(
    uid: str,
    patient: PatientRef,
    source: str,
    *,
    day: str = "20240101",
    name: str = WANG,
    birth: str = "19650314",
    modality: str = "CT",
    body: str = "CHEST",
    desc: str = "",
) -> StudyRecord:
    return StudyRecord(
        study_uid=uid, source=source, patient=patient, patient_name=name, birth_date=birth,
        sex="M", study_date=day, study_time="120000", accession_number="", description=desc,
        modalities=(modality,), body_part=body, institution="", series_count=1,
        instance_count=1,
    )  # fmt: skip


@dataclass
class FakeSource:
    name: str
    issuer: str
    studies: list[StudyRecord] = field(default_factory=list)
    links: dict[str, frozenset[PatientRef]] = field(default_factory=dict)
    error: QingyingError | None = None
    barrier: threading.Barrier | None = None
    queries: list[StudyQuery] = field(default_factory=list)

    def search_studies(self, query: StudyQuery, cancelled: object) -> SourceAnswer:
        self.queries.append(query)
        if self.barrier is not None:
            self.barrier.wait(timeout=5)
        if self.error is not None:
            raise self.error
        found = [s for s in self.studies if self._matches(s, query)]
        return SourceAnswer([s.with_details(source=self.name) for s in found])

    def study_details(self, study_uid: str) -> StudyDetails:
        return StudyDetails(self.links.get(study_uid, frozenset()), "", "")

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(issuer=self.issuer)

    @staticmethod
    def _matches(study: StudyRecord, query: StudyQuery) -> bool:
        if query.patient_id and study.patient.patient_id != query.patient_id:
            return False
        if query.birth_date and study.birth_date != query.birth_date:
            return False
        if query.name:
            # DICOM wildcard matching (PS3.4 C.2.2.2.4) over the whole PN value.
            pattern = "".join(
                ".*" if ch == "*" else "." if ch == "?" else re.escape(ch)
                for ch in name_pattern(query.name)
            )
            return re.fullmatch(pattern, study.patient_name, re.IGNORECASE) is not None
        return True


def platform_and_pacs() -> tuple[FakeSource, FakeSource]:
    platform = FakeSource("provincial", EMPI, [
        record("1.1", P1, "provincial", day="20240304", modality="DX"),
        record("1.2", P1, "provincial", day="20240322", modality="DX"),  # also in the PACS
        record("4.1", P4, "provincial", birth="19881030"),
    ], links={"1.1": frozenset({P1_GL}), "1.2": frozenset({P1_GL})})  # fmt: skip
    pacs = FakeSource("gulou", "NJGL", [
        record("1.2", P1_GL, "gulou", day="20240322", modality="DX"),
        record("1.3", P1_GL, "gulou", day="20240610", modality="US", body="ABDOMEN"),
    ], links={"1.2": frozenset({P1}), "1.3": frozenset({P1})})  # fmt: skip
    return platform, pacs


class TestCacheState:
    def test_the_cache_is_asked_with_the_most_instances_any_source_says_it_holds(
        self,
    ) -> None:
        platform, pacs = platform_and_pacs()
        pacs.studies[0] = replace(pacs.studies[0], instance_count=7)  # 1.2, held by both
        asked: dict[str, int | None] = {}

        def cache_state(uid: str, count: int | None) -> str:
            asked[uid] = count
            return "partial" if count and count > 1 else "complete"

        result = HistorySearch([platform, pacs], cache_state=cache_state).run(
            StudyQuery(patient_id=P1.patient_id, issuer=EMPI)
        )
        assert asked["1.2"] == 7 and asked["1.1"] == 1
        states = {s.study_uid: s.cached for s in result.histories[0].studies}
        assert states["1.2"] == "partial" and states["1.1"] == "complete"


class TestLinkingAndMerging:
    def test_study_held_by_two_sources_is_one_row_naming_both(self) -> None:
        result = HistorySearch(platform_and_pacs()).run(
            StudyQuery(patient_id=P1.patient_id, issuer=EMPI)
        )
        rows = {s.study_uid: s for s in result.histories[0].studies}
        assert rows["1.2"].sources == ("provincial", "gulou")
        assert rows["1.2"].record.patient == P1  # described under the ID that was asked

    def test_hospital_only_study_is_found_through_the_linked_id(self) -> None:
        platform, pacs = platform_and_pacs()
        result = HistorySearch([platform, pacs]).run(
            StudyQuery(patient_id=P1.patient_id, issuer=EMPI)
        )
        history = result.histories[0]
        assert {s.study_uid for s in history.studies} == {"1.1", "1.2", "1.3"}
        assert history.patients == {P1, P1_GL}
        # The PACS was asked with its own MRN, never with the platform's ID.
        assert [q.patient_id for q in pacs.queries if q.patient_id] == [P1_GL.patient_id]

    def test_id_is_not_sent_to_a_source_of_another_issuer(self) -> None:
        platform, pacs = platform_and_pacs()
        pacs.studies.append(record("9.9", PatientRef(P1.patient_id, "NJGL"), "gulou"))
        result = HistorySearch([platform, pacs]).run(
            StudyQuery(patient_id=P1.patient_id, issuer=EMPI)
        )
        assert "9.9" not in {s.study_uid for s in result.histories[0].studies}

    def test_records_of_another_issuer_returned_by_a_server_are_dropped(self) -> None:
        platform, _ = platform_and_pacs()
        platform.studies.append(record("7.7", PatientRef(P1.patient_id, "OTHER"), "provincial"))
        result = HistorySearch([platform]).run(StudyQuery(patient_id=P1.patient_id, issuer=EMPI))
        assert "7.7" not in {s.study_uid for s in result.histories[0].studies}
        # Same name and birth date: offered as a possible match, kept apart.
        assert result.possible_same == ((0, 1),)

    def test_studies_are_newest_first_and_repeat_is_flagged_both_ways(self) -> None:
        result = HistorySearch(platform_and_pacs()).run(
            StudyQuery(patient_id=P1.patient_id, issuer=EMPI)
        )
        studies = result.histories[0].studies
        assert [s.study_uid for s in studies] == ["1.3", "1.2", "1.1"]
        flags = {s.study_uid: s.recent_similar for s in studies}
        assert flags == {"1.3": frozenset(), "1.2": {"1.1"}, "1.1": {"1.2"}}


class TestNeverMergeOnNameAlone:
    def test_same_name_other_birth_date_is_left_out_of_an_id_search(self) -> None:
        result = HistorySearch(platform_and_pacs()).run(
            StudyQuery(patient_id=P1.patient_id, issuer=EMPI)
        )
        assert len(result.histories) == 1
        assert "4.1" not in {s.study_uid for s in result.histories[0].studies}

    def test_name_search_keeps_two_people_apart(self) -> None:
        result = HistorySearch(platform_and_pacs()).run(StudyQuery(name="Wang"))
        groups = [{s.study_uid for s in h.studies} for h in result.histories]
        assert {"4.1"} in groups
        assert not any("4.1" in g and "1.1" in g for g in groups)
        assert result.possible_same == ()  # other birth date: not even a possible match

    def test_unlinked_same_name_and_birth_date_is_possible_never_merged(self) -> None:
        platform, pacs = platform_and_pacs()
        twin = PatientRef("GL-UNLINKED", "NJGL")
        pacs.studies.append(record("8.8", twin, "gulou", day="20200101"))
        result = HistorySearch([platform, pacs]).run(
            StudyQuery(patient_id=P1.patient_id, issuer=EMPI)
        )
        assert "8.8" not in {s.study_uid for s in result.histories[0].studies}
        assert len(result.histories) == 2
        assert result.histories[1].patients == {twin}
        assert result.possible_same == ((0, 1),)

    def test_confirmed_pair_is_merged(self) -> None:
        platform, pacs = platform_and_pacs()
        twin = PatientRef("GL-UNLINKED", "NJGL")
        pacs.studies.append(record("8.8", twin, "gulou", day="20200101"))
        result = HistorySearch([platform, pacs]).run(
            StudyQuery(patient_id=P1.patient_id, issuer=EMPI), confirmed=[(P1, twin)]
        )
        assert "8.8" in {s.study_uid for s in result.histories[0].studies}
        assert result.possible_same == ()


class TestFailures:
    def test_failing_source_is_reported_and_others_still_answer(self) -> None:
        platform, pacs = platform_and_pacs()
        pacs.error = NetworkError("gulou: cannot reach the server (Connection refused)")
        result = HistorySearch([platform, pacs]).run(
            StudyQuery(patient_id=P1.patient_id, issuer=EMPI)
        )
        assert {s.study_uid for s in result.histories[0].studies} == {"1.1", "1.2"}
        assert [(p.source, type(p.error)) for p in result.problems] == [("gulou", NetworkError)]
        assert result.answered == ("provincial",)
        assert search_failed_entirely(result) is None

    @pytest.mark.parametrize(
        ("errors", "expected"),
        [
            ((AuthError("a"), AuthError("b")), AuthError),
            ((AuthError("a"), NetworkError("b")), NetworkError),
        ],
    )
    def test_all_sources_failing_gives_auth_only_if_every_failure_was_auth(
        self, errors: tuple[QingyingError, QingyingError], expected: type
    ) -> None:
        sources = [FakeSource("a", EMPI, error=errors[0]), FakeSource("b", EMPI, error=errors[1])]
        result = HistorySearch(sources).run(StudyQuery(name="Wang"))
        assert isinstance(search_failed_entirely(result), expected)

    def test_sources_are_asked_at_the_same_time(self) -> None:
        # Three sources that each wait until all three are being asked: sequential
        # calls would break the barrier.
        barrier = threading.Barrier(3)
        sources = [FakeSource(n, EMPI, barrier=barrier) for n in ("a", "b", "c")]
        result = HistorySearch(sources).run(StudyQuery(name="Wang"))
        assert result.problems == ()
        assert not barrier.broken

    def test_cancel_stops_the_search(self) -> None:
        with pytest.raises(CancelledError):
            HistorySearch(platform_and_pacs(), cancelled=lambda: True).run(
                StudyQuery(patient_id=P1.patient_id, issuer=EMPI)
            )
