"""Prefetch for a clinic day against the real demo platform."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.app_cache import app_store
from tests.support.memory_keyring import MemoryKeyring
from viewer.cli import run
from viewer.demo.platform import RunningPlatform

pytestmark = pytest.mark.integration


def test_worklist_patients_newest_studies_are_cached_and_a_rerun_fetches_nothing(
    platform: RunningPlatform,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for target in ("platform", "pacs"):
        memory_keyring.set_password(
            f"qingying:{platform.dicomweb_url(target)}", "doctor", platform.auth(target)[1]
        )
    config = tmp_path / "c.toml"
    config.write_text(
        platform.config_path.read_text(encoding="utf-8")
        + f'\n[cache]\ndir = "{tmp_path / "cache"}"\n'
        + '\n[prefetch]\nlast_studies = 2\nmodalities = ["DX", "US"]\n'
        + "max_age_days = 3650\n",
        encoding="utf-8",
    )
    p1 = platform.manifest.patient("p1")
    worklist = tmp_path / "clinic.csv"
    worklist.write_text(
        f"PatientID,IssuerOfPatientID,date\n{p1.platform_id},JS-EMPI,2026-11-28\n"
        "999999999999999999,JS-EMPI,2026-11-28\n",
        encoding="utf-8",
    )
    args = ["--config", str(config), "prefetch", "--worklist", str(worklist), "--today", "20261127"]
    code = run(args)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "2 patients, 2 studies selected: 0 already cached, 2 fetched" in out
    assert "line 3: no study found" in err
    newest = sorted(
        (s for s in platform.manifest.studies if s.patient_key == "p1"),
        key=lambda s: s.study_date,
        reverse=True,
    )[:2]
    with app_store(tmp_path / "cache") as store:
        assert {s.study_uid for s in store.studies() if s.state == "complete"} == {
            s.study_instance_uid for s in newest
        }
    assert run(args) == 0
    assert "2 already cached, 0 fetched" in capsys.readouterr().out
