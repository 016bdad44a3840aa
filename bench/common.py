"""What every benchmark shares: the demo platform on free ports, timing, machine facts."""

from __future__ import annotations

import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pydicom

from viewer.demo import ensure_demo_data
from viewer.demo.platform import RunningPlatform, running_platform

REPO = Path(__file__).resolve().parent.parent
DEMO_DATA = Path(os.environ.get("QINGYING_DEMO_DATA", REPO / ".demo" / "data"))


@contextmanager
def demo_platform() -> Iterator[RunningPlatform]:
    manifest = ensure_demo_data(DEMO_DATA)
    with (
        tempfile.TemporaryDirectory(prefix="qingying-bench-") as root,
        running_platform(Path(root), DEMO_DATA, manifest) as up,
    ):
        yield up


def best_of(repeats: int, run: Callable[[], object]) -> tuple[float, float]:
    """(best, median) wall time in seconds; best is the least disturbed by the machine."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def plain_pydicom(paths: list[Path]) -> np.ndarray:
    """The baseline of the loading benchmarks: ``dcmread`` + ``pixel_array`` per file,
    ``np.stack`` (not even sorted)."""
    return np.stack([pydicom.dcmread(p).pixel_array for p in paths])


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def offscreen_window(size: int) -> Any:
    """A square vtkRenderWindow drawing offscreen (Mesa), no multisampling: what the
    rendering benchmarks draw into, ours and the baselines alike."""
    import vtkmodules.vtkRenderingOpenGL2  # noqa: F401  (the OpenGL window implementation)
    from vtkmodules.vtkRenderingCore import vtkRenderWindow

    made = vtkRenderWindow()
    made.SetOffScreenRendering(True)
    made.SetMultiSamples(0)
    made.SetSize(size, size)
    return made
