"""Whose series are open: the session counts two series as one patient's when their
files say so, or when the history last searched holds both studies under one patient
(IDs of several hospitals linked by the platform or the doctor) — never on a name."""

from __future__ import annotations

from pathlib import Path

from tests.support.stacks import open_stack
from viewer.config import CacheConfig, Config, UiConfig
from viewer.history.result import HistoryResult, HistoryStudy, PatientHistory
from viewer.records import PatientRef, StudyRecord
from viewer.session.model import ReadingSession


def history(patient: PatientRef, name: str, *study_uids: str) -> PatientHistory:
    def record(uid: str) -> StudyRecord:
        return StudyRecord(
            uid, "platform", patient, name, "19650314", "M", "20231102", "", "", "", ("CT",),
            "", "", None, None,
        )  # fmt: skip

    studies = tuple(HistoryStudy(record(uid), ("platform",)) for uid in study_uids)
    return PatientHistory(frozenset({patient}), name, "19650314", "M", studies)


def test_series_of_one_history_are_one_patients_though_their_ids_differ(tmp_path: Path) -> None:
    session = ReadingSession(Config(CacheConfig(tmp_path / "c", 1 << 20), (), UiConfig(None)))
    ct = open_stack(tmp_path / "ct", patient=("P1", "HOSP-A"), name="王^小东")
    prior = open_stack(tmp_path / "prior", patient=("X-77", "HOSP-B"), name="王^小东")
    namesake = open_stack(tmp_path / "other", patient=("P9", "HOSP-A"), name="王^小东")
    assert not session.one_patient(ct, prior)  # no history searched: the files alone
    me, other = PatientRef("P1", "HOSP-A"), PatientRef("P9", "HOSP-A")
    histories = (
        history(me, "王^小东", ct.study_uid, prior.study_uid),
        history(other, "王^小东", namesake.study_uid),
    )
    session.result = HistoryResult(histories, (), (), ("platform",))
    assert session.one_patient(ct, prior) and session.one_patient(prior, ct)
    assert not session.one_patient(ct, namesake)  # one name, two histories: two people
    assert not session.one_patient(prior, namesake)
