"""The CLI frame: version, exit codes, one clear line on errors, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from viewer import __version__
from viewer.cli import run
from viewer.errors import ExitCode

REPO = Path(__file__).resolve().parents[2]


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        run(["--version"])
    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_bad_config_exits_2_with_one_line_naming_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[sources]]\nname = "p"\nurl = "https://x"\nauth = "kerberos"\n')
    code = run(["--config", str(bad), "config", "show"])
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE
    assert err.count("\n") == 1
    assert str(bad) in err and "sources[0].auth" in err
    assert "Traceback" not in err


def test_unknown_command_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as info:
        run(["frobnicate"])
    assert info.value.code == ExitCode.USAGE


def test_config_show_json_reports_merged_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        '[[sources]]\nname = "provincial"\nurl = "https://p.example/dicom-web"\n'
        'username = "doctor"\nissuer = "JS-EMPI"\n',
        encoding="utf-8",
    )
    assert run(["--config", str(cfg), "config", "show", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["files"] == [str(cfg)]
    assert data["sources"][0]["issuer"] == "JS-EMPI"
    assert data["sources"][0]["auth"] == "basic"


def test_unexpected_error_is_one_line_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode(*_: object) -> int:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("viewer.cli.main.load_config", explode)
    code = run(["config", "show"])
    err = capsys.readouterr().err
    assert code == ExitCode.UNEXPECTED
    assert "disk on fire" in err and "--debug" in err and "Traceback" not in err


def test_main_py_runs_cli_commands_without_loading_qt() -> None:
    # A CLI command on a server with no display must not need Qt at all.
    probe = textwrap.dedent(
        """
        import runpy, sys
        sys.argv = ["main.py", "config", "paths"]
        try:
            runpy.run_path("main.py", run_name="__main__")
        except SystemExit as exit_:
            assert exit_.code == 0, exit_.code
        assert "PySide6" not in sys.modules, "Qt was imported"
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "site:" in result.stdout
