"""`cache` commands and offline search, on a cache filled from a patient's 'CD'."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import DEMO_DATA_DIR
from viewer.cli import run
from viewer.demo import Manifest
from viewer.demo.orthanc import find_free_port


@pytest.fixture
def config(tmp_path: Path) -> Path:
    dead = f"http://127.0.0.1:{find_free_port()}/dicom-web"
    path = tmp_path / "c.toml"
    path.write_text(
        f'[cache]\ndir = "{tmp_path / "cache"}"\nmax_size = "1 GB"\n'
        f'[[sources]]\nname = "gone"\nurl = "{dead}"\nauth = "none"\nissuer = "NJGL"\n',
        encoding="utf-8",
    )
    return path


def cli(config: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(["--config", str(config), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def filled(config: Path, demo_data: Manifest, capsys: pytest.CaptureFixture[str]) -> Path:
    code, out, _ = cli(config, capsys, "cache", "import", str(DEMO_DATA_DIR / "pacs"))
    assert code == 0 and "imported 68 instances of 4 studies" in out
    return config


def test_import_then_list_shows_complete_studies(
    filled: Path, demo_data: Manifest, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(filled, capsys, "cache", "list", "--json")
    studies = json.loads(out)
    assert code == 0
    assert {s["study_uid"] for s in studies} == {
        s.study_instance_uid for s in demo_data.studies if "pacs" in s.targets
    }
    assert {s["state"] for s in studies} == {"complete"}


def test_search_with_every_source_down_answers_from_the_cache(
    filled: Path, demo_data: Manifest, capsys: pytest.CaptureFixture[str]
) -> None:
    p1 = demo_data.patient("p1")
    code, out, err = cli(
        filled, capsys, "search", "--patient-id", p1.mrns["NJGL"], "--issuer", "NJGL", "--json"
    )
    rows = json.loads(out)
    assert code == 0
    assert "offline" in err and "gone: cannot reach the server" in err
    expected = {
        s.study_instance_uid
        for s in demo_data.studies
        if s.patient_key == "p1" and "pacs" in s.targets
    }
    assert {r["StudyInstanceUID"] for r in rows} == expected
    assert all(r["sources"] == ["cache"] and r["cached"] == "complete" for r in rows)


def test_nothing_in_cache_and_no_source_exits_4(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(config, capsys, "search", "--patient-id", "X1", "--issuer", "NJGL", "--json")
    assert code == 4 and "cannot reach" in err


def test_eviction_spares_pinned_study(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = cli(filled, capsys, "cache", "list", "--json")
    keep = json.loads(out)[0]["study_uid"]
    assert cli(filled, capsys, "cache", "pin", keep)[0] == 0
    code, out, _ = cli(filled, capsys, "cache", "evict", "--to", "1")
    assert code == 0 and "pinned" in out
    _, out, _ = cli(filled, capsys, "cache", "list", "--json")
    assert [s["study_uid"] for s in json.loads(out)] == [keep]


def test_export_writes_the_study_files(
    filled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = cli(filled, capsys, "cache", "list", "--json")
    study = json.loads(out)[0]
    code, out, _ = cli(
        filled,
        capsys,
        "cache",
        "export",
        "--study",
        study["study_uid"],
        "--out",
        str(tmp_path / "x"),
    )
    assert code == 0
    assert len(list((tmp_path / "x").rglob("*.dcm"))) == study["instance_count"]


@pytest.mark.parametrize(
    ("args", "exit_code", "message"),
    [
        (("cache", "import", "/nonexistent/cd"), 5, "no such file"),
        (
            ("cache", "export", "--study", "../../etc", "--out", "/tmp/x"),
            6,
            "not a valid DICOM UID",
        ),
        (("cache", "pin", "1.2.3"), 5, ""),
    ],
)
def test_bad_input_is_one_clear_line(
    config: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    exit_code: int,
    message: str,
) -> None:
    code, _, err = cli(config, capsys, *args)
    assert code == exit_code
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_garbage_file_import_exits_6(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.dcm"
    junk.write_bytes(b"\x00" * 200)
    code, _, err = cli(config, capsys, "cache", "import", str(junk))
    assert code == 6 and "no readable DICOM file" in err
