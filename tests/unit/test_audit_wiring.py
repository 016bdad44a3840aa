"""What the doctor does with a patient's data reaches the audit trail, from the window's
session and from the command line alike: searched, fetched, opened, measured, exported,
deleted; each naming the patient (encrypted) and the study; and the trail's files hold
none of the patient's identifiers in clear."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_session_model import PATIENT, SLICES, ct_cd
from viewer.audit import reader
from viewer.audit.trail import open_trail
from viewer.cli import run
from viewer.config import CacheConfig, Config, UiConfig
from viewer.config_privacy import PrivacyConfig
from viewer.dicomweb.qido import StudyQuery
from viewer.measure.tools import Tool
from viewer.session.annotations import Annotation
from viewer.session.model import ReadingSession
from viewer.sources.folder import FolderSource
from viewer.workspace import open_store

NAME = "王^小东"  # the test patient's ideographic name (tests.unit.test_session_model)


def trail_rows(config: Config) -> list[Any]:
    trail = open_trail(config)
    return reader.show(trail.folder, trail.keys(create=False)).rows


@pytest.fixture
def cd(tmp_path: Path) -> tuple[Path, str, str]:
    return ct_cd(tmp_path)


def config_in(tmp_path: Path) -> Config:
    return Config(
        CacheConfig(tmp_path / "cache", 1 << 30),
        (),
        UiConfig(None),
        privacy=PrivacyConfig(audit_dir=tmp_path / "audit"),
    )


def test_a_reading_session_records_search_fetch_open_measure_export_and_delete(
    tmp_path: Path, cd: tuple[Path, str, str], memory_keyring: object
) -> None:
    folder, study_uid, series_uid = cd
    config = config_in(tmp_path)
    store = open_store(config)
    session = ReadingSession(config, store=store, open_sources=lambda: [FolderSource(folder, "cd")])
    try:
        result = session.search(StudyQuery(patient_id=PATIENT.patient_id))
        assert session.downloads is not None
        session.downloads.run(study_uid, session.holder_of(result.histories[0].studies[0]))
        series = session.open_series(study_uid, series_uid)
        image = (series_uid, str(series.volume.headers[0].SOPInstanceUID), 1)
        session.annotations(study_uid).add(Annotation.new(Tool.LINE, [(1, 1), (4, 4)], image))
        store.export_study(study_uid, tmp_path / "out")
        session.close_series(series_uid)
        store.delete_study(study_uid)
    finally:
        session.close()
    rows = trail_rows(config)
    assert [r.kind for r in rows] == [
        "searched",
        "prefetched",
        "opened",
        "measured",
        "exported",
        "deleted",
    ]
    assert rows[0].detail["keys"] == ["PatientID"] and rows[0].detail["studies"] == 1
    for row in rows:
        assert row.patient is not None and row.patient.id == PATIENT.patient_id
    assert all(r.studies == (study_uid,) for r in rows[1:])
    assert rows[1].source == "cd" and rows[1].detail["instances"] == SLICES
    assert rows[-1].detail["reason"] == "deleted"
    assert reader.verify(open_trail(config).folder, open_trail(config).keys()).broken is None
    written = b"".join(p.read_bytes() for p in (tmp_path / "audit").rglob("*") if p.is_file())
    for secret in (PATIENT.patient_id, NAME, "王", "小东", "19881030"):
        for encoding in ("utf-8", "gb18030"):
            assert secret.encode(encoding) not in written, (secret, encoding)


def test_an_eviction_is_recorded_as_a_deletion_with_its_reason(
    tmp_path: Path, cd: tuple[Path, str, str], memory_keyring: object
) -> None:
    folder, study_uid, _series = cd
    config = config_in(tmp_path)
    assert run(["--config", str(write(tmp_path, config)), "cache", "import", str(folder)]) == 0
    with open_store(config) as store:
        store.evict(to_size=0)
    (row,) = [r for r in trail_rows(config) if r.kind == "deleted"]
    assert row.detail["reason"] == "evicted" and row.studies == (study_uid,)
    assert row.patient is not None and row.patient.id == PATIENT.patient_id


def write(tmp_path: Path, config: Config) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(
        f'[cache]\ndir = "{config.cache.dir}"\n[privacy]\naudit_dir = "{tmp_path / "audit"}"\n',
        encoding="utf-8",
    )
    return path


def test_commands_record_a_measurement_saved_and_a_picture_exported(
    tmp_path: Path, cd: tuple[Path, str, str], memory_keyring: object
) -> None:
    folder, study_uid, series_uid = cd
    config = config_in(tmp_path)
    path = write(tmp_path, config)
    assert run(["--config", str(path), "cache", "import", str(folder)]) == 0
    common = ["--config", str(path)]
    assert run([*common, "measure", "--study", study_uid, "--series", series_uid,
                "--line", "1", "1", "4", "4", "--save"]) == 0  # fmt: skip
    assert run([*common, "export", "--study", study_uid, "--series", series_uid,
                "--out", str(tmp_path / "one.png")]) == 0  # fmt: skip
    kinds = [(r.kind, r.detail.get("form") or r.detail.get("tool")) for r in trail_rows(config)]
    assert kinds == [("measured", "line"), ("exported", "PNG")]


def test_a_sign_in_is_recorded_without_a_patient(
    tmp_path: Path, memory_keyring: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from viewer.audit.events import AuditEvent
    from viewer.session.auditing import Auditor

    config = config_in(tmp_path)
    Auditor.of(config).record(AuditEvent("signed_in", source="provincial", platform_user="wang"))
    (row,) = trail_rows(config)
    assert row.kind == "signed_in" and row.platform_user == "wang" and row.patient is None


def test_a_drag_is_recorded_once_when_it_ends_not_at_each_move(
    tmp_path: Path, cd: tuple[Path, str, str], memory_keyring: object
) -> None:
    folder, study_uid, series_uid = cd
    config = config_in(tmp_path)
    assert run(["--config", str(write(tmp_path, config)), "cache", "import", str(folder)]) == 0
    session = ReadingSession(config, store=open_store(config))
    try:
        series = session.open_series(study_uid, series_uid)
        image = (series_uid, str(series.volume.headers[0].SOPInstanceUID), 1)
        notes = session.annotations(study_uid)
        line = Annotation.new(Tool.LINE, [(1, 1), (4, 4)], image)
        notes.add(line)
        moved = line
        for step in range(1, 30):  # the mouse moves: the line follows, nothing recorded
            moved = replace(moved, points=((1, 1), (4 + step / 10, 4)))
            notes.change(moved, record=False)
        notes.change(moved, before=line)  # the drag ends: one step
    finally:
        session.close()
    kinds = [r.kind for r in trail_rows(config)]
    assert kinds.count("measured") == 2  # drawn, then moved once


def test_a_short_record_number_found_in_a_count_does_not_stop_the_action(
    tmp_path: Path, memory_keyring: object
) -> None:
    from viewer.audit.events import AuditEvent
    from viewer.session.auditing import Auditor

    config = config_in(tmp_path)
    audit = Auditor.of(config)
    assert audit.record(AuditEvent("opened", patient_id="12", detail={"instances": 120}))
    assert audit.record(AuditEvent("opened", patient_id="0042", detail={"series": "1.2.0042.7"}))
    # A word holding the ID is the caller's bug: the event is kept, its detail withheld.
    assert audit.record(AuditEvent("opened", patient_id="0042", detail={"note": "id 0042"}))
    rows = trail_rows(config)
    assert [r.detail for r in rows] == [
        {"instances": 120},
        {"series": "1.2.0042.7"},
        {"detail": "withheld"},
    ]


def test_closing_the_session_signs_out_every_source_and_records_it(
    tmp_path: Path, memory_keyring: Any
) -> None:
    from viewer.config import merge_layers

    sources = [
        {"name": "provincial", "url": "https://p.example/dicom-web", "auth": "basic"},
        {"name": "gulou", "url": "https://g.example/dicom-web", "auth": "basic"},
    ]
    config = merge_layers([(tmp_path / "c.toml", {"sources": sources})])
    config = Config(config.cache, config.sources, config.ui, privacy=config_in(tmp_path).privacy)
    for doctor in ("wang", "li"):  # two doctors chose "Remember" on this account
        memory_keyring.set_password("qingying:https://p.example/dicom-web", doctor, "pw")
    memory_keyring.set_password("qingying:https://g.example/dicom-web", "wang", "pw")
    session = ReadingSession(config, open_sources=lambda: [])
    session.credentials.put("https://g.example/dicom-web", "wang", "pw")
    session.audit.set_user(lambda: "wang")
    session.forget_user()
    for url in ("https://p.example/dicom-web", "https://g.example/dicom-web"):
        for doctor in ("wang", "li"):
            assert memory_keyring.get_password(f"qingying:{url}", doctor) is None
    assert session.credentials.password_for("https://g.example/dicom-web", "wang") is None
    rows = trail_rows(config)
    assert [(r.kind, r.platform_user) for r in rows] == [("signed_out", "wang")]


def test_a_command_whose_record_failed_says_so_in_its_last_line(
    tmp_path: Path,
    cd: tuple[Path, str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import keyring.core

    from tests.support.memory_keyring import PartlyLockedKeyring
    from viewer.audit.keys import SERVICE
    from viewer.session.auditing import Auditor

    folder, study_uid, series_uid = cd
    path = write(tmp_path, config_in(tmp_path))
    backend = PartlyLockedKeyring(locked=set())
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)
    assert run(["--config", str(path), "cache", "import", str(folder)]) == 0
    capsys.readouterr()
    backend.locked.add(SERVICE)  # the audit trail's key refused; the cache's still given
    monkeypatch.setattr(Auditor, "unrecorded", None)
    code = run(["--config", str(path), "measure", "--study", study_uid, "--series", series_uid,
                "--line", "1", "1", "4", "4", "--save"])  # fmt: skip
    assert code == 0  # the measurement itself is kept
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("qingying: warning: this was not recorded in the audit trail")
    assert err[-1].endswith("tell IT") and "keyring" in err[-1]
