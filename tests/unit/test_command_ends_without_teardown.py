"""A command's process ends without the interpreter's teardown (main.end_command), yet
loses nothing: its output, its exit code and what it registered to run at exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run(snippet: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", snippet],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_output_exit_code_and_exit_handlers_survive_the_fast_end(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    done = run(
        "import atexit, logging, sys, main\n"
        f"atexit.register(lambda: open({str(marker)!r}, 'w').write('ran'))\n"
        f"logging.basicConfig(filename={str(tmp_path / 'log')!r})\n"
        "logging.getLogger('x').warning('kept')\n"
        "sys.stdout.write('x' * 100_000)\n"  # more than a pipe's buffer: flushed at the end
        "main.end_command(3)\n"
        "print('never')\n"
    )
    assert done.returncode == 3
    assert done.stdout == "x" * 100_000
    assert marker.read_text() == "ran"
    assert "kept" in (tmp_path / "log").read_text()


def test_a_command_that_left_a_thread_running_ends_the_usual_way(tmp_path: Path) -> None:
    marker = tmp_path / "thread"
    done = run(
        "import threading, time, main, sys\n"
        "def work():\n"
        "    time.sleep(0.3)\n"
        f"    open({str(marker)!r}, 'w').write('done')\n"
        "threading.Thread(target=work).start()\n"
        "main.end_command(0)\n"
        "sys.exit(5)\n"  # reached: the fast end declined, and the interpreter waits
    )
    assert done.returncode == 5
    assert marker.read_text() == "done"
