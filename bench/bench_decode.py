"""Decoding compressed series in parallel: does it pay, and with which codec.

Series: the first platform series of each compressed transfer syntax in the demo data
(CT 200 × 512², MR 25 × 256²), read once before timing so that every contender reads
from the page cache. Contenders run interleaved, ROUNDS rounds, median:

- baseline: plain pydicom, ``dcmread`` + ``pixel_array`` per file + ``np.stack``;
- ``load_volume(workers=1)``, then ``load_volume`` as the product calls it (its default
  worker count): the parallel/serial ratio is what the worker threads buy;
- the baseline loop run in 2 processes (an experiment, not in the product): what
  parallel decoding could buy where threads cannot.

Then each installed decoder plugin alone, on 60 frames of each CT series, in 1 and 2
threads: a plugin that releases the GIL while it decodes speeds up with threads; one that
holds it cannot. The plugins are listed in the order the viewer tries them
(``viewer.imaging.decode.plugin_order``: the first listed decodes unless it fails).

The machine is shared: the first and last lines give the load average and how much faster
pure CPU work runs in 2 processes than in 1 at that moment, the ceiling for any gain here.
"""

from __future__ import annotations

import inspect
import os
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
from pydicom.dataset import Dataset
from pydicom.pixels import get_decoder
from pydicom.uid import UID

from bench.common import DEMO_DATA, plain_pydicom
from viewer.demo import ensure_demo_data
from viewer.imaging.decode import plugin_order
from viewer.imaging.volume import load_volume

ROUNDS = 3
PLUGIN_FRAMES = 60
NATIVE = ("1.2.840.10008.1.2", "1.2.840.10008.1.2.1")
# fork: the workers start with pydicom and the codecs already imported (Linux).
START = "fork" if "fork" in get_all_start_methods() else None
SHORT = {
    "1.2.840.10008.1.2.4.80": "JPEG-LS",
    "1.2.840.10008.1.2.4.90": "J2K",
    "1.2.840.10008.1.2.4.70": "JPEG SV1",
    "1.2.840.10008.1.2.5": "RLE",
}


@dataclass(frozen=True)
class Series:
    label: str
    syntax: UID
    paths: list[Path]


def compressed_series() -> list[Series]:
    """The first platform CT or MR series of each (modality, compressed syntax)."""
    manifest = ensure_demo_data(DEMO_DATA)
    found: dict[tuple[str, str], Series] = {}
    for study in manifest.studies:
        if "platform" not in study.targets:
            continue
        for series in study.series:
            key = (series.modality, series.transfer_syntax_uid)
            if series.modality not in ("CT", "MR") or key[1] in NATIVE or key in found:
                continue
            folder = DEMO_DATA / "platform" / study.study_instance_uid / series.series_instance_uid
            paths = sorted(folder.glob("*.dcm"))
            syntax = UID(series.transfer_syntax_uid)
            first = pydicom.dcmread(paths[0], stop_before_pixels=True)
            size = f"{len(paths)}×{first.Columns}×{first.Rows}"
            found[key] = Series(
                f"{series.modality} {SHORT.get(syntax, syntax)} {size}", syntax, paths
            )
    return sorted(found.values(), key=lambda s: (s.label.split()[0], s.syntax))


def _decode_file(path: Path) -> np.ndarray:
    return pydicom.dcmread(path).pixel_array


def pydicom_in_processes(paths: list[Path], processes: int = 2) -> np.ndarray:
    """The baseline loop spread over processes; start-up and the copies back included."""
    with ProcessPoolExecutor(processes, mp_context=get_context(START)) as pool:
        return np.stack(list(pool.map(_decode_file, paths, chunksize=8)))


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def cpu_parallelism(jobs: int = 8, n: int = 1_000_000) -> float:
    """How much faster 2 processes do pure CPU work than 1, now: the ceiling for any
    parallel decoding on this machine (2.0 = two idle cores; less when others run)."""
    serial = timed(lambda: [_burn(n) for _ in range(jobs)])
    with ProcessPoolExecutor(2, mp_context=get_context(START)) as pool:
        pool.submit(_burn, 1).result()  # both started before timing
        pool.submit(_burn, 1).result()
        parallel = timed(lambda: list(pool.map(_burn, [n] * jobs)))
    return serial / parallel


def machine_now(when: str) -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    gain = cpu_parallelism()
    return f"{when}: load average {load}; pure CPU work in 2 processes {gain:.2f}x as fast as 1"


def default_workers() -> int:
    return int(inspect.signature(load_volume).parameters["workers"].default)


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def bench_series(series: Series) -> dict[str, float]:
    paths = series.paths
    for path in paths:
        path.read_bytes()  # every contender reads from the page cache
    contenders: dict[str, Callable[[], object]] = {
        "base": lambda: plain_pydicom(paths),
        "serial": lambda: load_volume(paths, workers=1),
        "parallel": lambda: load_volume(paths),
        "processes": lambda: pydicom_in_processes(paths),
    }
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(ROUNDS):
        for name, run in contenders.items():
            times[name].append(timed(run))
    med = {name: statistics.median(values) for name, values in times.items()}
    base = med["base"]
    print(f"\n  {series.label}  (plugins in the viewer's order: {plugins(series.syntax)})")
    rows = [
        ("plain pydicom loop (baseline)", "base"),
        ("load_volume, 1 worker", "serial"),
        (f"load_volume, default {default_workers()} workers", "parallel"),
        ("pydicom loop in 2 processes (experiment)", "processes"),
    ]
    for text, name in rows:
        ratio = "" if name == "base" else f"  {med[name] / base:5.2f}x"
        print(f"    {text:44s} {med[name] * 1000:7.0f} ms{ratio}")
    gain = med["serial"] / med["parallel"]
    print(f"    parallel speed-up over 1 worker              {gain:5.2f}x")
    return {
        "serial_ratio": med["serial"] / base,
        "parallel_ratio": med["parallel"] / base,
        "processes_ratio": med["processes"] / base,
        "thread_speedup": gain,
    }


def plugins(syntax: UID) -> str:
    return ", ".join(plugin_order(syntax))


def bench_plugins(series: Series) -> dict[str, float]:
    """Each plugin alone on the same frames, in 1 and in 2 threads."""
    datasets = [pydicom.dcmread(p) for p in series.paths[:PLUGIN_FRAMES]]
    decoder = get_decoder(series.syntax)
    speedups: dict[str, float] = {}
    for plugin in plugin_order(series.syntax):

        def one(ds: Dataset, plugin: str = plugin) -> Any:
            return decoder.as_array(ds, decoding_plugin=plugin)[0]

        one(datasets[0])  # loads the codec's library before timing
        single: list[float] = []
        double: list[float] = []
        for _ in range(ROUNDS):
            for threads, out in ((1, single), (2, double)):
                with ThreadPoolExecutor(threads) as pool:
                    out.append(timed(lambda pool=pool: list(pool.map(one, datasets))))
        t1, t2 = statistics.median(single), statistics.median(double)
        per_frame = t1 / len(datasets) * 1000
        print(f"    {plugin:10s} {per_frame:6.2f} ms/frame, 2 threads {t1 / t2:4.2f}x as fast as 1")
        speedups[plugin] = t1 / t2
    return speedups


def main() -> dict[str, float]:
    print(machine_now("start"))
    results: dict[str, float] = {}
    every = compressed_series()
    print(f"Loading compressed series (median of {ROUNDS}, ratios to the baseline):")
    for series in every:
        for key, value in bench_series(series).items():
            results[f"{series.label} {key}"] = value
    print(f"\nEach decoder plugin alone, {PLUGIN_FRAMES} CT frames (median of {ROUNDS}):")
    for series in every:
        if series.label.startswith("CT"):
            print(f"  {series.label}")
            for plugin, value in bench_plugins(series).items():
                results[f"{series.label} {plugin} threads"] = value
    print(machine_now("end"))
    return results


if __name__ == "__main__":
    main()
