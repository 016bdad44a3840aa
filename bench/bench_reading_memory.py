"""Memory of a 300-slice CT open in a 2×2 layout with MPR, against its pixel bytes.

What the doctor's workstation holds while reading: the demo's 300-slice 512×512 CT
opened (``load_volume``, the loader the session uses), shown in a 2×2 reading view whose
first three viewports are its MPR (the acquired plane and two reformats) and whose fourth
shows the series again, every viewport rendered. The viewports share the one volume
(each scene's vtkImageData points at the numpy array), so the resident memory added
should be the volume plus little: the target is at most 1.5× the pixel bytes.

Baseline, same run: a plain pydicom load of the same files (``dcmread`` + ``pixel_array``
+ ``np.stack``) in a process of its own, its growth as the same ratio. Each side runs in
a fresh process (Qt offscreen, VTK through OSMesa) and reports the growth of its
resident set (VmRSS) from just before loading to after the last render, and its peak
(VmHWM) over the same start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.bench_open_series import ct_folder
from bench.common import machine

REPO = Path(__file__).resolve().parents[1]


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _ours(folder: Path) -> dict[str, float]:
    from widgets.app import create_application
    from widgets.reading_view import ReadingView

    app = create_application()
    view = ReadingView()
    view.resize(1200, 1000)
    view.show()
    view.set_layout(2, 2)
    for viewport in view.viewports[:4]:
        viewport.scene.render()  # every window and its context made before counting
    app.processEvents()
    from viewer.imaging.volume import load_volume
    from viewer.session.reading import OpenSeries

    before = _status_kib("VmRSS")
    series = OpenSeries("bench", "bench", load_volume(sorted(folder.glob("*.dcm"))))
    view.show_series(series, 3)
    view.show_series(series, 0)
    view.toggle_mpr()
    app.processEvents()
    for viewport in view.viewports[:4]:
        viewport.redraw()
    assert view.layout_model.cursor is not None and view.viewports[3].series is series
    return {
        "grown": (_status_kib("VmRSS") - before) * 1024.0,
        "peak": (_status_kib("VmHWM") - before) * 1024.0,
        "pixels": float(series.volume.voxels.nbytes),
    }


def _baseline(folder: Path) -> dict[str, float]:
    from bench.common import plain_pydicom

    before = _status_kib("VmRSS")
    volume = plain_pydicom(sorted(folder.glob("*.dcm")))
    return {
        "grown": (_status_kib("VmRSS") - before) * 1024.0,
        "peak": (_status_kib("VmHWM") - before) * 1024.0,
        "pixels": float(volume.nbytes),
    }


def _child(which: str, folder: str) -> None:
    run = _ours if which == "ours" else _baseline
    print(json.dumps(run(Path(folder))))


def _measure(which: str, folder: Path) -> dict[str, float]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkOSOpenGLRenderWindow")
    env["PYTHONPATH"] = str(REPO)
    code = f"from bench.bench_reading_memory import _child; _child({which!r}, {str(folder)!r})"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    folder = ct_folder()
    ours, plain = _measure("ours", folder), _measure("baseline", folder)
    mib = 1 << 20
    print(f"machine: {machine()}")
    print(f"pixel bytes: {ours['pixels'] / mib:.1f} MiB ({len(list(folder.glob('*.dcm')))} slices)")
    for name, r in (("plain pydicom load (baseline)", plain), ("2x2 with MPR, rendered", ours)):
        print(
            f"{name}: resident +{r['grown'] / mib:.1f} MiB = {r['grown'] / r['pixels']:.2f}x "
            f"the pixel bytes (peak +{r['peak'] / mib:.1f} MiB = {r['peak'] / r['pixels']:.2f}x)"
        )
    ratio = ours["grown"] / plain["grown"]
    print(f"ratio ours / baseline (resident): {ratio:.2f}x; target: ours <= 1.5x the pixels")


if __name__ == "__main__":
    main()
