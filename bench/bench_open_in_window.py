"""Double-click to first image, through the window: a cached 300-slice CT read from the
window's own path, the Qt hops included (issue 14: ≤ 0.3 s).

What the doctor waits for after double-clicking the demo CT on the offline cache page:
``MainWindow.read_series`` (what a double-click calls) → the session's open on a worker
thread → back on the UI thread the reading view shows it and its viewport is rendered
(checked after the clock stops: a read-back of the viewport is not black). The reading view already
exists (VTK imported: a doctor's second series; the first pays VTK's import once, timed
apart below). Qt offscreen, VTK through OSMesa.

Baseline, same run: bench_open_series's plain pydicom + bare VTK render of the same
files into the same size of window. Rounds interleaved, the first (cold) not counted.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_open_series import baseline, cached_ct, ct_folder
from bench.common import machine

ROUNDS = 6


def _shown(window: Any) -> bool:
    """The reading view shows the series and its viewport, read back, is not black."""
    from tests.support.screen import screen_rgb

    view = window.reading_view
    if view is None or view.series is None:
        return False
    return bool(screen_rgb(view.scene.window).any())


def _open(window: Any, study_uid: str, series_uid: str) -> float:
    """From the call a double-click makes to the series drawn: the window's slot on the
    worker's end shows and renders it at once, and the loop here waits for that end as
    the window's own loop would (sleeping, not polling, so the worker has the CPU)."""
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    start = time.perf_counter()
    window.read_series(study_uid, series_uid)
    worker = window.open_worker
    # Connected after the window's slot: when this runs, the viewport has been drawn.
    worker.finished.connect(lambda _s: loop.quit())
    worker.failed.connect(lambda _e: loop.quit())
    loop.exec()
    elapsed = time.perf_counter() - start
    if not _shown(window):
        raise RuntimeError("the series was not drawn")
    window.back_to_history()  # closed again: the next round opens it anew
    return elapsed


def main() -> dict[str, float]:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkOSOpenGLRenderWindow")
    from widgets.app import create_application
    from widgets.main_window import MainWindow

    folder = ct_folder()
    paths = sorted(folder.glob("*.dcm"))
    app = create_application()
    with tempfile.TemporaryDirectory(prefix="qingying-bench-window-") as root:
        config, store, study_uid = cached_ct(Path(root), folder)
        store.close()
        window = MainWindow(config)
        window.resize(1200, 800)
        window.show()
        app.processEvents()
        first = _open(window, study_uid, folder.name)  # VTK imported here
        ours_s: list[float] = []
        base_s: list[float] = []
        for _ in range(ROUNDS):
            ours_s.append(_open(window, study_uid, folder.name))
            base_s.append(baseline(paths))
        window.close()
    best, b_best = min(ours_s), min(base_s)
    median, b_median = statistics.median(ours_s), statistics.median(base_s)
    print(f"double-click to first image of the cached 300-slice CT, best (median) of {ROUNDS}:")
    ms = 1000
    print(f"  the window's path (worker, Qt, viewport) {best * ms:6.0f} ms ({median * ms:.0f})")
    print(
        f"  plain pydicom + bare VTK                  {b_best * ms:6.0f} ms ({b_median * ms:.0f})"
    )
    print(f"  ratio {best / b_best:.2f}x; target <= 300 ms; the first open: {first * ms:.0f} ms")
    print(f"machine: {machine()}")
    return {"ours_s": best, "baseline_s": b_best, "first_s": first}


if __name__ == "__main__":
    main()
