"""Fake ImagingSources for widget tests that need no server: records built in code."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from viewer.config import CacheConfig, Config, UiConfig
from viewer.dicomweb.qido import StudyQuery
from viewer.errors import CancelledError
from viewer.history.result import HistoryStudy
from viewer.records import PatientRef, StudyRecord
from viewer.session.model import ReadingSession
from viewer.sources.protocol import Capabilities, SourceAnswer, StudyDetails


def study(
    uid: str,
    patient: PatientRef,
    *,
    name: str = "Wang^XiaoDong=王^小东=",
    birth_date: str = "19650314",
    study_date: str = "20240304",
    modality: str = "DX",
    body_part: str = "CHEST",
    institution: str = "江苏省人民医院",
    source: str = "fake",
) -> StudyRecord:
    return StudyRecord(
        study_uid=uid,
        source=source,
        patient=patient,
        patient_name=name,
        birth_date=birth_date,
        sex="M",
        study_date=study_date,
        study_time="101500",
        accession_number="",
        description=f"{modality} {body_part}",
        modalities=(modality,),
        body_part=body_part,
        institution=institution,
        series_count=1,
        instance_count=1,
    )


class FakeSource:
    """Answers from a fixed list of records: by exact ID, or by name prefix."""

    def __init__(self, name: str, issuer: str, records: list[StudyRecord]) -> None:
        self.name = name
        self.issuer = issuer
        self.records = [r.with_details(source=name) for r in records]

    def search_studies(self, query: StudyQuery, cancelled: Callable[[], bool]) -> SourceAnswer:
        found = [r for r in self.records if self._matches(r, query)]
        return SourceAnswer(found)

    def _matches(self, record: StudyRecord, query: StudyQuery) -> bool:
        if query.patient_id and record.patient.patient_id != query.patient_id:
            return False
        if query.birth_date and record.birth_date != query.birth_date:
            return False
        return not query.name or record.patient_name.upper().startswith(query.name.upper())

    def study_details(self, study_uid: str) -> StudyDetails:
        return StudyDetails(frozenset(), "", "")

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(issuer=self.issuer)


class BlockingSource:
    """A source that never answers until cancelled: records the thread it was asked on."""

    def __init__(self, name: str = "slow", issuer: str = "") -> None:
        self.name = name
        self.issuer = issuer
        self.capabilities = Capabilities(issuer=issuer)
        self.entered = threading.Event()
        self.thread: threading.Thread | None = None

    def search_studies(self, query: StudyQuery, cancelled: Callable[[], bool]) -> SourceAnswer:
        self.thread = threading.current_thread()
        self.entered.set()
        for _ in range(1000):
            if cancelled():
                raise CancelledError("search cancelled")
            threading.Event().wait(0.01)
        raise AssertionError("the search was never cancelled")

    def study_details(self, study_uid: str) -> StudyDetails:
        return StudyDetails(frozenset(), "", "")


def session_over(store: object) -> ReadingSession:
    """A reading session whose cache is ``store`` (a fake answering what a test asks)."""
    config = Config(CacheConfig(Path("unused-cache"), 1 << 30), (), UiConfig(None))
    return ReadingSession(config, store=store)  # type: ignore[arg-type]


def history_study(uid: str, source: str = "provincial") -> HistoryStudy:
    """A study as a search shows it, held by ``source``."""
    record = study(uid, PatientRef("P1", "JS-EMPI"), source=source)
    return HistoryStudy(record, (source,), (source,), (source,))
