"""``audit show | verify | forward`` on the command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from viewer.audit import AuditEvent, AuditTrail
from viewer.audit.trail import open_trail
from viewer.cli import run
from viewer.config import load_config
from viewer.errors import ExitCode

WANG = ("320106198001011234", "JS-EMPI", "王小明")
LI = ("320106197505054321", "JS-EMPI", "李四")


@pytest.fixture
def config(tmp_path: Path, memory_keyring: object) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(
        f'[cache]\ndir = "{tmp_path / "cache"}"\n[privacy]\naudit_dir = "{tmp_path / "audit"}"\n',
        encoding="utf-8",
    )
    trail = AuditTrail(user_folder(tmp_path))
    for (pid, issuer, name), kind in ((WANG, "opened"), (LI, "searched"), (WANG, "exported")):
        trail.record(
            AuditEvent(
                kind,  # type: ignore[arg-type]
                patient_id=pid,
                issuer=issuer,
                patient_name=name,
                study_uids=("1.2.3",),
                platform_user="doctor",
            )
        )
    return path


def user_folder(tmp_path: Path) -> Path:
    """Where a configured audit_dir keeps this OS user's trail."""
    return open_trail(load_config(tmp_path / "c.toml")).folder


def cli(config: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(["--config", str(config), "audit", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_show_patient_filters_on_the_decrypted_id(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(config, capsys, "show", "--patient", WANG[0])
    assert code == 0
    rows = out.splitlines()
    assert len(rows) == 3 and rows[-1] == "2 events"
    assert all(f"patient {WANG[0]}^^^JS-EMPI {WANG[2]}" in row for row in rows[:2])
    assert "opened" in rows[0] and "exported" in rows[1] and LI[0] not in out


def test_show_issuer_narrows_and_json_gives_the_fields(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(config, capsys, "show", "--patient", LI[0], "--issuer", "JS-EMPI", "--json")
    (row,) = json.loads(out)
    assert code == 0
    assert (row["patient_id"], row["issuer"], row["patient_name"]) == LI
    assert (row["kind"], row["event_id"], row["action"], row["seq"]) == (
        "searched",
        "110112",
        "E",
        2,
    )
    code, out, _ = cli(config, capsys, "show", "--patient", LI[0], "--issuer", "NJGL", "--json")
    assert json.loads(out) == []


def test_show_since_leaves_out_what_came_before(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    _, out, _ = cli(config, capsys, "show", "--since", tomorrow)
    assert out.strip() == "0 events"
    _, out, _ = cli(config, capsys, "show", "--since", yesterday)
    assert out.splitlines()[-1] == "3 events"


def test_a_bad_since_is_a_usage_error(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(config, capsys, "show", "--since", "12/07/2026")
    assert code == ExitCode.USAGE and err.startswith("qingying: --since")


def test_verify_says_intact_with_the_count(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(config, capsys, "verify")
    assert (code, out.strip()) == (0, "audit trail intact: 3 events in 1 files")


def test_verify_of_a_broken_trail_exits_6_naming_file_and_line(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (path,) = user_folder(tmp_path).glob("audit-*.jsonl")
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(lines[0] + lines[2])
    code, out, err = cli(config, capsys, "verify")
    assert code == ExitCode.INVALID_DATA and out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("qingying: audit trail broken at ")
    assert f"{path}: line 2 (seq 3): seq gap" in err


def test_forward_without_a_collector_is_a_usage_error(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(config, capsys, "forward")
    assert code == ExitCode.USAGE and "audit_syslog" in err


def test_show_without_the_key_is_a_typed_error(
    config: Path, memory_keyring: object, capsys: pytest.CaptureFixture[str]
) -> None:
    memory_keyring.entries.clear()  # type: ignore[attr-defined]
    code, _, err = cli(config, capsys, "show")
    assert code == ExitCode.AUTH and err.startswith("qingying: ") and "keyring" in err
    assert "Traceback" not in err
