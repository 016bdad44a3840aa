"""Whose images these are: the viewport's top corners say exactly what the offline cache
recorded of the series' study (a GB18030 name in its own script, ID and issuer, birth
date and sex, institution, study date and description), not a guess of the widget's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from pydicom.uid import generate_uid

from tests.qt.reading_support import recording_view
from tests.support.app_cache import app_store
from tests.unit.test_session_model import PATIENT, SLICES, ct_slice
from viewer.config import CacheConfig, Config, UiConfig
from viewer.dicomweb.qido import StudyQuery
from viewer.display import display_name, format_date
from viewer.session.model import ReadingSession
from viewer.sources.folder import FolderSource

pytestmark = pytest.mark.qt


def test_the_corners_say_the_cache_record_of_the_series_including_a_gb18030_name(
    qtbot: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "cd"
    folder.mkdir()
    study_uid, series_uid = generate_uid(), generate_uid()
    for k in range(SLICES):
        ct_slice(folder, study_uid, series_uid, k)  # SpecificCharacterSet GB18030
    config = Config(CacheConfig(tmp_path / "cache", 1 << 30), (), UiConfig(None))
    store = app_store(config.cache.dir, config.cache.max_size)
    session = ReadingSession(config, store=store, open_sources=lambda: [FolderSource(folder, "cd")])
    try:
        result = session.search(StudyQuery(patient_id=PATIENT.patient_id))
        assert session.downloads is not None
        session.downloads.run(study_uid, session.holder_of(result.histories[0].studies[0]))
        record = store.study(study_uid)
        assert record is not None and "王^小东" in record.patient_name  # decoded as GB18030
        series = session.open_series(study_uid, series_uid)
        view = recording_view(qtbot, series, (700, 500))
        top_left = view.corners["top-left"].splitlines()
        top_right = view.corners["top-right"].splitlines()
        assert top_left[0] == display_name(record.patient_name)
        assert top_left[1] == f"ID {record.patient_id} ({record.issuer})"
        assert top_left[2] == f"{format_date(record.birth_date)} · male" and record.sex == "M"
        assert top_right[:3] == [
            record.institution,
            format_date(record.study_date),
            record.description,
        ]
        assert "王小东" in top_left[0].replace(" ", "")
    finally:
        session.close()
