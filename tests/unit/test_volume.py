"""A series into one volume: sorted, identical to pydicom's pixels, first image at once."""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path

import numpy as np
import pydicom
import pytest

from tests.support.demo_files import platform_series_files
from viewer.cache.store import CacheStore
from viewer.demo import Manifest
from viewer.imaging import headers as headers_module
from viewer.imaging import volume as volume_module
from viewer.imaging.geometry import GeometryIssue
from viewer.imaging.volume import load_volume

EXPLICIT_LE = "1.2.840.10008.1.2.1"


def series_paths(manifest: Manifest, modality: str, syntax: str) -> list[Path]:
    return platform_series_files(manifest, modality, syntax)


def reference(paths: list[Path]) -> np.ndarray:
    """What plain pydicom gives, sorted along the normal by hand."""
    datasets = [pydicom.dcmread(p) for p in paths]
    normal = np.cross(*np.array(datasets[0].ImageOrientationPatient, dtype=float).reshape(2, 3))
    datasets.sort(
        key=lambda d: float(np.dot(normal, np.array(d.ImagePositionPatient, dtype=float)))
    )
    return np.stack([d.pixel_array for d in datasets])


@pytest.mark.parametrize(
    ("modality", "syntax"),
    [
        ("CT", EXPLICIT_LE),
        ("CT", "1.2.840.10008.1.2.4.80"),  # JPEG-LS
        ("MR", "1.2.840.10008.1.2.5"),  # RLE
        ("MR", "1.2.840.10008.1.2.4.90"),  # JPEG 2000
        ("MR", "1.2.840.10008.1.2.4.70"),  # JPEG lossless SV1
    ],
)
def test_shuffled_series_loads_sorted_and_identical_to_pydicom(
    demo_data: Manifest, modality: str, syntax: str
) -> None:
    paths = series_paths(demo_data, modality, syntax)
    shuffled = paths[:]
    random.Random(7).shuffle(shuffled)
    volume = load_volume(shuffled)
    assert volume.voxels.flags["C_CONTIGUOUS"]
    assert np.array_equal(volume.voxels, reference(paths))
    assert volume.ready.all()
    distances = np.array(volume.stack.distances)
    assert np.all(np.diff(distances) > 0)


def test_first_image_comes_before_any_other_file_is_read(demo_data: Manifest) -> None:
    paths = series_paths(demo_data, "CT", EXPLICIT_LE)[:40]
    seen: list[str] = []
    landed: list[int] = []

    def on_first(pixels: np.ndarray, ds: pydicom.Dataset) -> None:
        seen.append(ds.SOPInstanceUID)
        assert not landed
        assert np.array_equal(pixels, pydicom.dcmread(paths[0]).pixel_array)

    load_volume(paths, on_first=on_first, on_slice=landed.append)
    assert seen == [paths[0].stem] and sorted(landed) == list(range(40))


def test_a_missing_slice_is_reported(demo_data: Manifest) -> None:
    paths = series_paths(demo_data, "CT", EXPLICIT_LE)[:30]
    del paths[12]
    volume = load_volume(paths)
    assert GeometryIssue.MISSING_SLICES in {w.issue for w in volume.warnings}


def test_a_truncated_slice_says_so_in_its_place_and_the_others_load(
    demo_data: Manifest, tmp_path: Path
) -> None:
    paths = series_paths(demo_data, "CT", EXPLICIT_LE)[:5]
    cut = tmp_path / paths[3].name
    cut.write_bytes(paths[3].read_bytes()[:-1000])
    volume = load_volume([*paths[:3], cut, paths[4]])
    k = [str(p) for p in volume.paths].index(str(cut))
    assert "cut short" in volume.failed[k] and not volume.ready[k]
    assert int(volume.ready.sum()) == 4 and not volume.voxels[k].any()


def test_memory_stays_within_one_and_a_half_times_the_pixels(demo_data: Manifest) -> None:
    paths = series_paths(demo_data, "CT", EXPLICIT_LE)
    tracemalloc.start()
    try:
        volume = load_volume(paths)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak <= 1.5 * volume.voxels.nbytes


def test_a_cached_series_loads_from_the_index_without_reading_each_header(
    demo_data: Manifest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = series_paths(demo_data, "CT", EXPLICIT_LE)[:40]
    folder = tmp_path / "cd"
    folder.mkdir()
    for path in paths:
        (folder / path.name).write_bytes(path.read_bytes())
    with CacheStore(tmp_path / "cache", max_size=1 << 30) as store:
        store.import_path(folder)
        first = pydicom.dcmread(paths[0], stop_before_pixels=True)
        files, layouts = store.series_files(first.StudyInstanceUID, first.SeriesInstanceUID)
    assert len(files) == 40 and all(layout is not None for layout in layouts)
    read: list[Path] = []
    real_read_header = volume_module.read_header

    def counting_read_header(path: Path) -> pydicom.Dataset:
        read.append(path)
        return real_read_header(path)

    monkeypatch.setattr(volume_module, "read_header", counting_read_header)
    monkeypatch.setattr(headers_module, "read_header", counting_read_header)  # LazyHeaders
    monkeypatch.setattr(volume_module, "read_layout", lambda _p: pytest.fail("layout read"))
    volume = load_volume(files, layouts=layouts)
    assert np.array_equal(volume.voxels, reference(paths))
    assert read == [files[0]]  # the first image's header, for the first image shown
    # Full headers are still there, read when asked for.
    assert volume.headers[7].SOPInstanceUID == volume.paths[7].path.stem
    assert len(read) == 2


def test_signed_and_unsigned_slices_are_not_stacked_silently(
    demo_data: Manifest, tmp_path: Path
) -> None:
    paths = series_paths(demo_data, "CT", EXPLICIT_LE)[:4]
    ds = pydicom.dcmread(paths[2])
    ds.PixelRepresentation = 1 - int(ds.PixelRepresentation)
    changed = tmp_path / paths[2].name
    ds.save_as(changed, enforce_file_format=True)
    volume = load_volume([paths[0], paths[1], changed, paths[3]])
    k = [str(p) for p in volume.paths].index(str(changed))
    assert "pixel representation differs" in volume.failed[k]  # said, never mixed in
    assert not volume.ready[k] and int(volume.ready.sum()) == 3
