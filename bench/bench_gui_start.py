"""GUI start: from `python main.py` typed to the main window shown, and no VTK loaded yet.

What the doctor waits for when starting Qingying: a fresh interpreter running main.py
(the CLI's parsing, the configuration, Qt, the style and translations, the main window
with its history screen), until the window has been shown and its first events
processed. The reading view, and with it VTK (~0.3 s of imports), is loaded only when the
first series opens: the child reports whether any ``vtkmodules`` module is loaded when
the window shows.

Baseline, same run: a fresh interpreter showing a bare PySide6 QMainWindow (Qt's own
start). Both offscreen (the platform plugin drawing into memory); rounds interleaved;
best and median of each, the ratio of the bests; target: the window within 1.5 s.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import machine

REPO = Path(__file__).resolve().parents[1]
ROUNDS = 7

OURS = """
import os, sys, time, json
t0 = float(os.environ["BENCH_T0"])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import widgets.main_window as mw
shown = mw.MainWindow.show
def show(self):
    shown(self)
    def report():
        vtk = any(name.startswith("vtkmodules") for name in sys.modules)
        print(json.dumps({"seconds": time.time() - t0, "vtk": vtk}), flush=True)
        QApplication.quit()
    QTimer.singleShot(0, report)
mw.MainWindow.show = show
sys.argv = ["main.py", "--config", os.environ["BENCH_CONFIG"]]
import main
main.main()
"""

BARE = """
import os, time, json
t0 = float(os.environ["BENCH_T0"])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1280, 800)
window.show()
def report():
    print(json.dumps({"seconds": time.time() - t0, "vtk": False}), flush=True)
    app.quit()
QTimer.singleShot(0, report)
app.exec()
"""


def _run(code: str, config: Path) -> dict[str, float | bool]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BENCH_CONFIG=str(config))
    env["PYTHONPATH"] = str(REPO)
    # Its own launch socket: a window the developer has open must not take this start.
    env["QINGYING_LAUNCH_NAME"] = str(config.parent / "launch.sock")
    env["BENCH_T0"] = repr(time.time())  # just before the process is started
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True
    )
    result: dict[str, float | bool] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


BUNDLE = REPO / "build" / "package" / "dist" / "qingying" / "qingying"  # make package


def _run_bundle(config: Path) -> float:
    """The bundle (the installed app's /opt/qingying/qingying), from its start to the
    window shown and its first events run: its --debug log says so."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["QINGYING_LAUNCH_NAME"] = str(config.parent / "launch.sock")
    t0 = time.perf_counter()
    child = subprocess.Popen(
        [str(BUNDLE), "--debug", "--config", str(config)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert child.stderr is not None
        for line in child.stderr:
            if "the window is shown" in line:
                return time.perf_counter() - t0
        raise RuntimeError("the bundle ended before its window showed")
    finally:
        child.kill()
        child.wait()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.toml"
        config.write_text(
            f'[cache]\ndir = "{Path(tmp) / "cache"}"\n\n[ui]\nlanguage = "zh_CN"\n\n'
            '[[sources]]\nname = "provincial"\nurl = "http://127.0.0.1:9/dicom-web"\n'
            'auth = "none"\n',
            encoding="utf-8",
        )
        _run(OURS, config)  # warm the file cache for both; not counted
        _run(BARE, config)
        bundled = BUNDLE.is_file()
        if bundled:
            _run_bundle(config)
        ours: list[float] = []
        bare: list[float] = []
        bundle: list[float] = []
        vtk_loaded = False
        for _ in range(ROUNDS):
            found = _run(OURS, config)
            ours.append(float(found["seconds"]))
            vtk_loaded = vtk_loaded or bool(found["vtk"])
            bare.append(float(_run(BARE, config)["seconds"]))
            if bundled:
                bundle.append(_run_bundle(config))

    def ms(times: list[float]) -> str:
        return f"best {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms"

    print(f"machine: {machine()}")
    print(f"bare PySide6 window (baseline): {ms(bare)}")
    print(f"main.py to the main window:     {ms(ours)}")
    ratio = min(ours) / min(bare)
    print(f"ratio (best): {ratio:.2f}x; target: <= 1500 ms; VTK loaded at the window: {vtk_loaded}")
    if bundle:
        print(f"the bundle (installed app) to its window: {ms(bundle)}; target: <= 2000 ms")
    else:
        print(f"no bundle at {BUNDLE}: run make package to time the installed app's start")


if __name__ == "__main__":
    main()
