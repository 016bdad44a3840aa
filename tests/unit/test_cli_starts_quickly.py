"""The CLI starts quickly: a command's module (pydicom, numpy, requests behind it) is
imported only when that command runs, so ``--version`` and ``--help`` answer at once."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from viewer.cli import run
from viewer.cli.main import COMMANDS

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("pydicom", "numpy", "requests", "PySide6", "vtk", "vtkmodules")
VERSION_BUDGET_S = 0.2  # issue 13's acceptance point for `python main.py --version`


@pytest.mark.parametrize("argv", [["--version"], ["--help"]])
def test_version_and_help_import_no_heavy_library(argv: list[str]) -> None:
    probe = textwrap.dedent(
        f"""
        import json, sys
        from viewer.cli import run
        try:
            run({argv!r})
        except SystemExit as exit_:
            assert exit_.code == 0, exit_.code
        print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.splitlines()[-1])
    assert loaded == [], f"{' '.join(argv)} imported {loaded}"


def test_main_py_version_takes_under_0_2_s() -> None:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "main.py", "--version"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - start)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("qingying ")
    assert min(times) < VERSION_BUDGET_S, f"best of 5: {min(times):.3f} s ({times})"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_still_parses_its_own_help(command: str) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exit_:
        run([command, "--help"])
    assert exit_.value.code == 0
    text = out.getvalue()
    assert text.startswith(f"usage: qingying {command} [-h]")
    # The module's own parser, not the stub that lists the command (usage, a blank line,
    # "options:", -h): it has arguments of its own.
    assert len(text.splitlines()) > 4, text


class _Recorder:
    """Subparsers that remember the help each command is registered with."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.helps: dict[str, str | None] = {}

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        self.helps[name] = kwargs.get("help")
        parser: argparse.ArgumentParser = self.real.add_parser(name, **kwargs)
        return parser


def test_command_table_help_equals_the_modules_own() -> None:
    registered: dict[str, tuple[str, str | None]] = {}
    for module_name in sorted({entry.module for entry in COMMANDS.values()}):
        recorder = _Recorder(argparse.ArgumentParser().add_subparsers())
        importlib.import_module(module_name).add_parser(recorder)
        assert recorder.helps, f"{module_name} registers no command"
        registered |= {name: (module_name, text) for name, text in recorder.helps.items()}
    table = {name: (entry.module, entry.help) for name, entry in COMMANDS.items()}
    assert table == registered
