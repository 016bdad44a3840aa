"""Measurements sent to the platform and found again at another hospital: drawn on a
study at one workstation, sent as a DICOM SR measurement report (STOW-RS) to the real
demo platform (Orthanc), the study fetched into another workstation's empty cache comes
with the report, and its session shows the same measurements on the same images."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from tests.integration.test_fetch import fetch
from viewer.cli import run
from viewer.config import load_config
from viewer.demo.platform import RunningPlatform
from viewer.measure.tools import Tool
from viewer.session.model import ReadingSession

pytestmark = pytest.mark.integration


def config(path: Path, cache: Path, url: str, *, store: bool) -> Path:
    path.write_text(
        f'[cache]\ndir = "{cache}"\nmax_size = "5 GB"\n'
        f'[[sources]]\nname = "provincial"\nurl = "{url}"\nauth = "basic"\n'
        f'username = "doctor"\nissuer = "JS-EMPI"\nstore = {"true" if store else "false"}\n',
        encoding="utf-8",
    )
    return path


def cli(path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(["--config", str(path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def remove_reports(platform: RunningPlatform, study_uid: str) -> None:
    """The platform as it was for the other tests: the study's SR and KO series deleted."""
    session = requests.Session()
    session.auth = platform.auth("platform")
    base = platform.base_url("platform")
    series = []
    for modality in ("SR", "KO"):
        answer = session.get(
            f"{platform.platform_url}/studies/{study_uid}/series",
            params={"Modality": modality},
            headers={"Accept": "application/dicom+json"},
            timeout=10,
        )
        series += [s["0020000E"]["Value"][0] for s in (answer.json() if answer.content else [])]
    for uid in series:
        for item in session.post(f"{base}/tools/lookup", data=uid, timeout=10).json():
            if item.get("Type") == "Series":
                session.delete(f"{base}/series/{item['ID']}", timeout=10).raise_for_status()


def test_measurements_sent_to_the_platform_come_back_with_the_study_elsewhere(
    platform: RunningPlatform, signed_in: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    signed_in(platform.platform_url)
    study = next(s for s in platform.manifest.studies if s.key == "p3-ct-2017")
    uid = study.study_instance_uid
    series = study.series[0].series_instance_uid
    here = config(tmp_path / "here.toml", tmp_path / "here", platform.platform_url, store=True)
    assert fetch(here, uid, capsys)[0] == 0
    where = ("--study", uid, "--series", series, "--instance", "100", "--save")
    assert cli(here, capsys, "measure", *where, "--line", "100", "200", "400", "200")[0] == 0
    assert cli(here, capsys, "measure", *where, "--ellipse", "256", "256", "40", "25")[0] == 0
    assert cli(here, capsys, "measure", *where, "--key")[0] == 0  # and a key image
    mine = ReadingSession.start(load_config(here))
    drawn = mine.annotations(uid).items
    mine.close()
    assert len(drawn) == 3

    code, out, err = cli(here, capsys, "measurements", "send", "--study", uid, "--to", "provincial")
    assert code == 0, err
    assert out.startswith("sent 2 measurements and 1 key image(s) to provincial (2 instance(s)")
    try:
        elsewhere = config(
            tmp_path / "there.toml", tmp_path / "there", platform.platform_url, store=False
        )
        assert fetch(elsewhere, uid, capsys)[0] == 0  # the study, its report with it
        session = ReadingSession.start(load_config(elsewhere))
        try:
            found = session.annotations(uid).items
            gone = next(a for a in found if a.tool is not Tool.KEY)
            session.annotations(uid).remove(gone.uid)  # the doctor there removes one
        finally:
            session.close()
        again = ReadingSession.start(load_config(elsewhere))
        try:  # the report cached still holds it: it does not come back
            assert gone.uid not in {a.uid for a in again.annotations(uid).items}
        finally:
            again.close()
        assert sorted((a.uid, a.tool, a.sop_instance_uid, a.frame) for a in found) == sorted(
            (a.uid, a.tool, a.sop_instance_uid, a.frame) for a in drawn
        )
        for a in found:
            (same,) = [d for d in drawn if d.uid == a.uid]
            flat = [v for p in a.points for v in p]
            assert flat == pytest.approx([v for p in same.points for v in p])
        # A source not set to take reports says so, and sends nothing.
        code, _out, err = cli(
            elsewhere, capsys, "measurements", "send", "--study", uid, "--to", "provincial"
        )
        assert code != 0 and "store = true" in err
    finally:
        remove_reports(platform, uid)
