"""Loading a cached 300-slice 512×512 CT into one volume, against plain pydicom.

The demo CT series is put into two fresh caches first (untimed): imported into one, which
gives each instance a file of its own, and written into the other through
``CacheStore.pack_sinks`` as a retrieval writes it, which lands the instances one after
another in a pack file. Every contender reads from the page cache. Baseline, same run,
the imported files: ``pydicom.dcmread`` of every file, ``pixel_array``, ``np.stack``
(not even sorted). Ours, as the viewer loads a cached series: ``CacheStore.series_files``
(the instances and the pixel layouts the index keeps) then ``load_volume`` (geometry
sort, slices read straight into the volume), once from the imported files and once from
the pack. Also shown: ``load_volume`` of the imported files without the index (a folder:
layouts read from each file's first bytes), the time to the first image shown
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

from bench.common import DEMO_DATA, plain_pydicom
from viewer.cache.store import CacheStore
from viewer.demo import ensure_demo_data
from viewer.imaging.volume import Volume, load_volume
from viewer.instance_file import InstanceFile, read_instance_bytes

ROUNDS = 7


def ct_folder() -> tuple[Path, str, str]:
    manifest = ensure_demo_data(DEMO_DATA)
    markers = manifest.ct_markers
    assert markers is not None
    study, series = markers.study_instance_uid, markers.series_instance_uid
    return DEMO_DATA / "platform" / study / series, study, series


def from_cache(store: CacheStore, study: str, series: str, **kw: object) -> Volume:
    files, layouts = store.series_files(study, series)
    return load_volume(files, layouts=layouts, **kw)  # type: ignore[arg-type]


def fill_pack(packed: CacheStore, study: str, files: list[InstanceFile]) -> None:
    """The instances written into ``packed`` as a retrieval writes them: one pack."""
    with packed.pack_sinks(study) as pack:
        futures = []
        for item in files:
            part = pack.begin_instance()
            part.write(read_instance_bytes(item))
            futures.append(part.commit_async())
    for future in futures:
        future.result()


def main() -> dict[str, float]:
    folder, study, series = ct_folder()
    with (
        tempfile.TemporaryDirectory(prefix="qingying-bench-load-") as root,
        CacheStore(Path(root) / "cache", max_size=1 << 40) as store,
        CacheStore(Path(root) / "packed", max_size=1 << 40) as packed,
    ):
        store.import_path(folder)
        files, layouts = store.series_files(study, series)
        assert len(files) >= 300 and all(layouts), "the series should be cached with layouts"
        assert not any(f.is_range for f in files), "imported instances are files of their own"
        fill_pack(packed, study, files)
        in_pack, pack_layouts = packed.series_files(study, series)
        assert len(in_pack) == len(files) and all(pack_layouts)
        assert all(f.is_range for f in in_pack) and len({f.path for f in in_pack}) == 1
        return _measure(store, packed, study, series, [f.path for f in files])


def _measure(
    store: CacheStore, packed: CacheStore, study: str, series: str, paths: list[Path]
) -> dict[str, float]:
    """``paths``: the files ``store`` imported the series into, in its order."""
    plain_pydicom(paths)  # every contender reads from the page cache
    from_cache(packed, study, series)
    base_times, ours_times, pack_times, folder_times, first_times = [], [], [], [], []
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
        from_pack = from_cache(packed, study, series)
        pack_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        load_volume(paths)
        folder_times.append(time.perf_counter() - start)
    # The same pixels as pydicom's, once put in the volume's (geometric) order.
    position = {path: k for k, path in enumerate(paths)}
    assert np.array_equal(volume.voxels, expected[[position[f.path] for f in volume.paths]])
    assert np.array_equal(from_pack.voxels, volume.voxels)
    tracemalloc.start()
    volume = from_cache(store, study, series)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    base, ours = statistics.median(base_times), statistics.median(ours_times)
    pack, folder = statistics.median(pack_times), statistics.median(folder_times)
    ratio = ours / base
    first_ms = statistics.median(first_times) * 1000
    memory = peak / volume.voxels.nbytes
    print(f"Load {len(paths)} cached slices {volume.voxels.shape[1:]} (median of {ROUNDS}):")
    print(f"  plain pydicom dcmread + np.stack  {base * 1000:7.0f} ms (baseline)")
    print(
        f"  cache index + load_volume         {ours * 1000:7.0f} ms  ratio {ratio:.2f}x (<= 0.5x)"
    )
    print(f"  the same from one pack            {pack * 1000:7.0f} ms  ratio {pack / base:.2f}x")
    print(
        f"  load_volume of the files alone    {folder * 1000:7.0f} ms  ratio {folder / base:.2f}x"
    )
    print(f"  first image shown after           {first_ms:7.1f} ms (target <= 100 ms)")
    print(f"  peak memory / pixel bytes         {memory:7.2f}  (target <= 1.5)")
    return {
        "ratio": ratio,
        "pack_ratio": pack / base,
        "folder_ratio": folder / base,
        "first_ms": first_ms,
        "memory": memory,
    }


if __name__ == "__main__":
    main()
