"""Loading a cached 300-slice 512×512 CT into one volume, against plain pydicom.

The demo CT series is imported into a fresh cache first (untimed), so both sides read
the cache's own files, in the page cache for both. Baseline, same run, same files:
``pydicom.dcmread`` of every file, ``pixel_array``, ``np.stack`` (not even sorted).
Ours, as the viewer loads a cached series: ``CacheStore.series_files`` (paths and the
pixel layouts the index keeps) then ``load_volume`` (geometry sort, slices read straight
into the volume). Also shown: ``load_volume`` of the same files without the index (a
folder: layouts read from each file's first bytes), the time to the first image shown
(``on_first``) and the peak memory (tracemalloc, numpy's allocations included) against
the pixel bytes of the series.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pydicom

from bench.common import DEMO_DATA
from viewer.cache.store import CacheStore
from viewer.demo import ensure_demo_data
from viewer.imaging.volume import Volume, load_volume

ROUNDS = 7


def ct_folder() -> tuple[Path, str, str]:
    manifest = ensure_demo_data(DEMO_DATA)
    markers = manifest.ct_markers
    assert markers is not None
    study, series = markers.study_instance_uid, markers.series_instance_uid
    return DEMO_DATA / "platform" / study / series, study, series


def plain_pydicom(paths: list[Path]) -> np.ndarray:
    return np.stack([pydicom.dcmread(p).pixel_array for p in paths])


def from_cache(store: CacheStore, study: str, series: str, **kw: object) -> Volume:
    paths, layouts = store.series_files(study, series)
    return load_volume(paths, layouts=layouts, **kw)  # type: ignore[arg-type]


def main() -> dict[str, float]:
    folder, study, series = ct_folder()
    with (
        tempfile.TemporaryDirectory(prefix="qingying-bench-load-") as root,
        CacheStore(Path(root) / "cache", max_size=1 << 40) as store,
    ):
        store.import_path(folder)
        paths, layouts = store.series_files(study, series)
        assert len(paths) >= 300 and all(layouts), "the series should be cached with layouts"
        return _measure(store, study, series, paths)


def _measure(store: CacheStore, study: str, series: str, paths: list[Path]) -> dict[str, float]:
    plain_pydicom(paths)  # both read from the page cache
    base_times, ours_times, folder_times, first_times = [], [], [], []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        expected = plain_pydicom(paths)
        base_times.append(time.perf_counter() - start)
        shown: list[float] = []
        start = time.perf_counter()
        volume = from_cache(
            store, study, series, on_first=lambda _p, _d, s=shown: s.append(time.perf_counter())
        )
        ours_times.append(time.perf_counter() - start)
        first_times.append(shown[0] - start)
        start = time.perf_counter()
        load_volume(paths)
        folder_times.append(time.perf_counter() - start)
    # The same pixels as pydicom's, once put in the volume's (geometric) order.
    position = {path: k for k, path in enumerate(paths)}
    assert np.array_equal(volume.voxels, expected[[position[p] for p in volume.paths]])
    tracemalloc.start()
    volume = from_cache(store, study, series)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    base, ours = statistics.median(base_times), statistics.median(ours_times)
    folder = statistics.median(folder_times)
    ratio = ours / base
    first_ms = statistics.median(first_times) * 1000
    memory = peak / volume.voxels.nbytes
    print(f"Load {len(paths)} cached slices {volume.voxels.shape[1:]} (median of {ROUNDS}):")
    print(f"  plain pydicom dcmread + np.stack  {base * 1000:7.0f} ms (baseline)")
    print(
        f"  cache index + load_volume         {ours * 1000:7.0f} ms  ratio {ratio:.2f}x (<= 0.5x)"
    )
    print(
        f"  load_volume of the files alone    {folder * 1000:7.0f} ms  ratio {folder / base:.2f}x"
    )
    print(f"  first image shown after           {first_ms:7.1f} ms (target <= 100 ms)")
    print(f"  peak memory / pixel bytes         {memory:7.2f}  (target <= 1.5)")
    return {"ratio": ratio, "folder_ratio": folder / base, "first_ms": first_ms, "memory": memory}


if __name__ == "__main__":
    main()
