"""`export`: PNG at native size through the display chain; bad files exit 6 in one line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pydicom
import pytest
from PIL import Image

from tests.support.demo_files import platform_series_files
from viewer.cli import run
from viewer.demo import Manifest


def series_files(manifest: Manifest, modality: str) -> list[Path]:
    return platform_series_files(manifest, modality)


def export(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = run(["export", *args])
    return code, capsys.readouterr().err


def linear_window(x: np.ndarray, center: float, width: float) -> np.ndarray:
    """PS3.3 C.11.2.1.2.1, written out again here from the standard, 0..255."""
    y = ((x - (center - 0.5)) / (width - 1) + 0.5) * 255
    y = np.where(x <= center - 0.5 - (width - 1) / 2, 0, y)
    y = np.where(x > center - 0.5 + (width - 1) / 2, 255, y)
    return np.floor(y + 0.5)


def test_ct_with_a_preset_matches_the_window_formula(
    demo_data: Manifest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = series_files(demo_data, "CT")[100]
    out = tmp_path / "lung.png"
    code, err = export(capsys, "--file", str(path), "--preset", "ct-lung", "--out", str(out))
    assert code == 0, err
    ds = pydicom.dcmread(path)
    hu = ds.pixel_array * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    png = np.asarray(Image.open(out))
    assert png.shape == (ds.Rows, ds.Columns) and png.dtype == np.uint8
    assert np.array_equal(png, linear_window(hu, -600, 1500))


def test_default_window_is_the_files_first(
    demo_data: Manifest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = series_files(demo_data, "CT")[100]
    ds = pydicom.dcmread(path)
    center = float(ds.WindowCenter[0] if ds["WindowCenter"].VM > 1 else ds.WindowCenter)
    width = float(ds.WindowWidth[0] if ds["WindowWidth"].VM > 1 else ds.WindowWidth)
    out = tmp_path / "default.png"
    assert export(capsys, "--file", str(path), "--out", str(out))[0] == 0
    hu = ds.pixel_array * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    assert np.array_equal(np.asarray(Image.open(out)), linear_window(hu, center, width))


def test_colour_multiframe_exports_the_asked_frame_as_rgb(
    demo_data: Manifest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = series_files(demo_data, "US")[0]
    ds = pydicom.dcmread(path)
    out = tmp_path / "us.png"
    assert export(capsys, "--file", str(path), "--frame", "3", "--out", str(out))[0] == 0
    png = np.asarray(Image.open(out))
    assert png.shape == (ds.Rows, ds.Columns, 3)
    assert np.array_equal(png, ds.pixel_array[2])  # frames counted from 1
    code, err = export(
        capsys, "--file", str(path), "--frame", str(ds.NumberOfFrames + 1), "--out", str(out)
    )
    assert code == 2 and "does not exist" in err


def test_monochrome1_is_inverted_once(
    demo_data: Manifest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = series_files(demo_data, "CR")[0]
    ds = pydicom.dcmread(path)
    assert ds.PhotometricInterpretation == "MONOCHROME1"
    out = tmp_path / "cr.png"
    assert export(capsys, "--file", str(path), "--out", str(out))[0] == 0
    png = np.asarray(Image.open(out)).astype(int)
    raw = ds.pixel_array.astype(float)
    # Higher stored values are darker in MONOCHROME1: display falls as values rise.
    hi, lo = (
        np.unravel_index(np.argmax(raw), raw.shape),
        np.unravel_index(np.argmin(raw), raw.shape),
    )
    assert png[hi] < png[lo]


@pytest.mark.parametrize("kind", ["truncated", "garbage", "empty"])
def test_unreadable_files_exit_6_with_one_line(
    kind: str, demo_data: Manifest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / f"{kind}.dcm"
    good = series_files(demo_data, "CT")[0].read_bytes()
    bad.write_bytes(
        {"truncated": good[: len(good) // 3], "garbage": b"\x13\x37" * 999, "empty": b""}[kind]
    )
    code, err = export(capsys, "--file", str(bad), "--out", str(tmp_path / "x.png"))
    assert code == 6
    assert err.count("\n") == 1 and str(bad) in err and "Traceback" not in err
    assert not (tmp_path / "x.png").exists()


def test_unknown_preset_is_a_usage_error(
    demo_data: Manifest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = series_files(demo_data, "CT")[0]
    code, err = export(
        capsys, "--file", str(path), "--preset", "ct-heart", "--out", str(tmp_path / "x.png")
    )
    assert code == 2 and "ct-lung" in err


def test_file_without_preamble_or_file_meta_is_read(
    demo_data: Manifest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = series_files(demo_data, "CT")[100]
    ds = pydicom.dcmread(source)
    hu = ds.pixel_array * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    bare = tmp_path / "bare.dcm"
    # A raw dataset as some old archives hold it: implicit VR little endian, no 128-byte
    # preamble, no "DICM", no file meta group.
    ds.file_meta = pydicom.dataset.FileMetaDataset()
    ds.preamble = None
    ds.save_as(bare, enforce_file_format=False, implicit_vr=True, little_endian=True)
    assert b"DICM" not in bare.read_bytes()[:200]
    out = tmp_path / "bare.png"
    code, err = export(capsys, "--file", str(bare), "--preset", "ct-bone", "--out", str(out))
    assert code == 0, err
    assert np.array_equal(np.asarray(Image.open(out)), linear_window(hu, 400, 1800))
