"""Opening a cached series for reading: from the double-click to the first pixels.

What the doctor waits for after double-clicking the 300-slice demo CT in the offline
cache. Ours, as the window runs it (less the Qt event hops): ``ReadingSession.open_series``
(the cache's file list and pixel layouts, ``load_volume`` of every slice, the series'
identity and window) + ``SliceScene.show`` + ``render`` into an offscreen 512×512 window.

Baseline, same run, the same bytes (the demo folder the cache imported them from): plain
pydicom (``dcmread`` + ``pixel_array`` per file, ``np.stack``, unsorted) + a bare
vtkImageActor over the array with a fixed window, rendered into the same kind of window.
Both read every slice before the first pixels appear, as the reading view does today.

Rounds interleaved, files warm in the page cache for both (the first, cold round is not
counted). Printed: best (median) of each and the ratio.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import DEMO_DATA, machine, offscreen_window, plain_pydicom

ROUNDS = 6
SIZE = 512


def ct_folder() -> Path:
    """The demo's largest CT series (300 slices of 512×512)."""
    from viewer.demo.generate import ensure_demo_data

    ensure_demo_data(DEMO_DATA)
    folders = [
        series
        for study in (DEMO_DATA / "platform").iterdir()
        if study.is_dir()
        for series in study.iterdir()
        if series.is_dir()
    ]
    return max(folders, key=lambda f: len(list(f.glob("*.dcm"))))


def window() -> Any:
    return offscreen_window(SIZE)


def ours(session: Any, study_uid: str, series_uid: str) -> float:
    from viewer.render.slice_scene import SliceScene

    start = time.perf_counter()
    series = session.open_series(study_uid, series_uid)
    scene = SliceScene(window())
    scene.show(series)
    scene.render()
    elapsed = time.perf_counter() - start
    session.close_series(series_uid)
    return elapsed


def baseline(paths: list[Path]) -> float:
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.vtkCommonDataModel import vtkImageData
    from vtkmodules.vtkRenderingCore import vtkImageActor, vtkRenderer

    start = time.perf_counter()
    voxels = np.ascontiguousarray(plain_pydicom(paths))
    image = vtkImageData()
    image.SetDimensions(voxels.shape[2], voxels.shape[1], voxels.shape[0])
    image.GetPointData().SetScalars(numpy_to_vtk(voxels.reshape(-1), deep=False))
    actor = vtkImageActor()
    actor.SetInputData(image)
    actor.GetProperty().SetColorLevel(1064)
    actor.GetProperty().SetColorWindow(400)
    actor.SetDisplayExtent(0, voxels.shape[2] - 1, 0, voxels.shape[1] - 1, 0, 0)
    renderer = vtkRenderer()
    renderer.AddViewProp(actor)
    win = window()
    win.AddRenderer(renderer)
    renderer.ResetCamera()
    win.Render()
    return time.perf_counter() - start


def cached_ct(root: Path, folder: Path, key: bytes | None = None) -> tuple[Any, Any, str]:
    """A cache in ``root`` holding the demo CT of ``folder``: (config, store, study UID);
    ``key`` seals it (index and instances), as the app's is."""
    from viewer.cache.store import CacheStore
    from viewer.config import CacheConfig, Config, UiConfig

    config = Config(CacheConfig(root / "cache", 1 << 34), (), UiConfig(None))
    store = CacheStore(config.cache.dir, config.cache.max_size, key=key)
    store.import_path(folder)
    (study,) = store.studies()
    return config, store, study.study_uid


def main() -> dict[str, float]:
    from viewer.session.model import ReadingSession

    folder = ct_folder()
    with tempfile.TemporaryDirectory(prefix="qingying-bench-open-") as root:
        # The app's cache (sealed: index and instances, issue 18) and the same in clear.
        config, store, study_uid = cached_ct(Path(root) / "sealed", folder, bytes(range(32)))
        plain_config, plain_store, _ = cached_ct(Path(root) / "plain", folder)
        series_uid = folder.name
        # The same bytes for the baseline: the demo's own files (the cache may hold them
        # in packs, which pydicom cannot open), as warm in the page cache as the cache's.
        paths = sorted(folder.glob("*.dcm"))
        session = ReadingSession(config, store=store)
        plain_session = ReadingSession(plain_config, store=plain_store)
        ours_s: list[float] = []
        plain_s: list[float] = []
        base_s: list[float] = []
        for round_ in range(ROUNDS + 1):
            mine = ours(session, study_uid, series_uid)
            clear = ours(plain_session, study_uid, series_uid)
            theirs = baseline(paths)
            if round_:  # the first round warms the page cache for all
                ours_s.append(mine)
                plain_s.append(clear)
                base_s.append(theirs)
        session.close()
        plain_session.close()
    best, median = min(ours_s), statistics.median(ours_s)
    p_best, p_median = min(plain_s), statistics.median(plain_s)
    b_best, b_median = min(base_s), statistics.median(base_s)
    print(f"open the 300-slice demo CT from the cache to first pixels, best (median) of {ROUNDS}:")
    print(f"  ours (session.open_series + scene)  {best * 1000:7.0f} ms ({median * 1000:.0f})")
    print(f"  the same, the cache in clear        {p_best * 1000:7.0f} ms ({p_median * 1000:.0f})")
    print(f"  plain pydicom + bare VTK            {b_best * 1000:7.0f} ms ({b_median * 1000:.0f})")
    print(f"  ratio {best / b_best:.2f}x (medians {median / b_median:.2f}x)")
    print(f"  sealed / clear {best / p_best:.2f}x (medians {median / p_median:.2f}x)")
    print(f"machine: {machine()}")
    return {"ours_s": best, "baseline_s": b_best, "ratio": best / b_best, "sealed": best / p_best}


if __name__ == "__main__":
    main()
