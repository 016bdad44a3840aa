"""Loading a cached 300-slice 512×512 CT into one volume, against plain pydicom.

Baseline, same run, same files (in the page cache for both): ``pydicom.dcmread`` of every
file, ``pixel_array``, ``np.stack`` (not even sorted). Ours: ``load_volume`` (headers,
geometry sort, slices read into the volume). Also: the time to the first image shown
(``on_first``) and the peak memory (tracemalloc, numpy's allocations included) against
the pixel bytes of the series.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pydicom

from bench.common import DEMO_DATA
from viewer.demo import ensure_demo_data
from viewer.imaging.volume import load_volume

ROUNDS = 7


def ct_paths() -> list[Path]:
    manifest = ensure_demo_data(DEMO_DATA)
    markers = manifest.ct_markers
    assert markers is not None
    folder = DEMO_DATA / "platform" / markers.study_instance_uid / markers.series_instance_uid
    return sorted(folder.glob("*.dcm"))


def plain_pydicom(paths: list[Path]) -> np.ndarray:
    return np.stack([pydicom.dcmread(p).pixel_array for p in paths])


def main() -> dict[str, float]:
    paths = ct_paths()
    plain_pydicom(paths)  # both read from the page cache
    base_times, ours_times, first_times = [], [], []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        plain_pydicom(paths)
        base_times.append(time.perf_counter() - start)
        shown: list[float] = []
        start = time.perf_counter()
        volume = load_volume(paths, on_first=lambda _p, _d, s=shown: s.append(time.perf_counter()))
        ours_times.append(time.perf_counter() - start)
        first_times.append(shown[0] - start)
    tracemalloc.start()
    volume = load_volume(paths)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    base, ours = statistics.median(base_times), statistics.median(ours_times)
    ratio = ours / base
    print(f"Load {len(paths)} slices {volume.voxels.shape[1:]} (median of {ROUNDS}):")
    print(f"  plain pydicom dcmread + np.stack  {base * 1000:7.0f} ms (baseline)")
    first_ms = statistics.median(first_times) * 1000
    print(
        f"  load_volume                        {ours * 1000:7.0f} ms  ratio {ratio:.2f}x (<= 0.5x)"
    )
    print(f"  first image shown after            {first_ms:7.1f} ms (target <= 100 ms)")
    print(
        f"  peak memory / pixel bytes          {peak / volume.voxels.nbytes:7.2f}  (target <= 1.5)"
    )
    return {
        "ratio": ratio,
        "first_ms": statistics.median(first_times) * 1000,
        "memory": peak / volume.voxels.nbytes,
    }


if __name__ == "__main__":
    main()
