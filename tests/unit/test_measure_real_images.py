"""Measurements on real scanners' images, not made by this project: the de-identified
files pydicom ships with its package (a CT, a JPEG 2000 CT, two MRs, an NM, two
ultrasounds with calibrated regions). Each value of the ``measure`` command, as typed,
is checked against the same quantity computed here straight from the file with pydicom
and numpy — the spacing read from its own attributes, the pixels through its own
rescale — so the demo's generated images are not the only ones the tools are proved on.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pydicom
import pytest

from tests.unit.test_measure_demo import measure

FILES = Path(pydicom.__file__).parent / "data" / "test_files"


def real(name: str) -> Path:
    path = FILES / name
    if not path.is_file():
        pytest.skip(f"pydicom's test file {name} is not installed")
    return path


def modality_values(ds: pydicom.Dataset) -> np.ndarray:
    """Stored values through the file's own rescale (PS3.3 C.11.1.1.2), as floats."""
    slope = float(ds.get("RescaleSlope", 1) or 1)
    intercept = float(ds.get("RescaleIntercept", 0) or 0)
    return ds.pixel_array.astype(np.float64) * slope + intercept


GRAYSCALE = [
    ("CT_small.dcm", "HU"),  # a CT, uncompressed
    ("693_J2KI.dcm", "HU"),  # a CT in JPEG 2000, 14 bits stored
    ("MR_small.dcm", ""),  # an MR, no rescale
    ("examples_overlay.dcm", ""),  # an MR of 300 × 484, unsigned 12 bits
]


@pytest.mark.parametrize(("name", "unit"), GRAYSCALE)
def test_a_distance_on_a_real_image_is_its_pixel_spacing_applied_per_axis(
    capsys: pytest.CaptureFixture[str], name: str, unit: str
) -> None:
    path = real(name)
    ds = pydicom.dcmread(path, stop_before_pixels=True)
    row_mm, column_mm = (float(v) for v in ds.PixelSpacing)  # between rows, between columns
    x1, y1, x2, y2 = 10.0, 12.0, ds.Columns - 20.0, ds.Rows - 9.0
    result = measure(capsys, path, "--line", *map(str, (x1, y1, x2, y2)))
    truth = math.hypot((x2 - x1) * column_mm, (y2 - y1) * row_mm)
    assert result["unit"] == "mm" and result["value"] == pytest.approx(truth, rel=1e-9)
    assert result["calibration"]["basis"] == "pixel-spacing"


@pytest.mark.parametrize(("name", "unit"), GRAYSCALE)
def test_a_region_on_a_real_image_has_the_statistics_of_its_modality_values(
    capsys: pytest.CaptureFixture[str], name: str, unit: str
) -> None:
    path = real(name)
    ds = pydicom.dcmread(path)
    values = modality_values(ds)
    x0, y0 = ds.Columns // 4, ds.Rows // 3
    x1, y1 = x0 + ds.Columns // 3, y0 + ds.Rows // 4
    result = measure(capsys, path, "--rect", *map(str, (x0, y0, x1, y1)))
    inside = values[y0 : y1 + 1, x0 : x1 + 1]  # every pixel centre inside or on the edge
    assert result["pixels"] == inside.size
    assert result["mean"] == pytest.approx(inside.mean(), abs=1e-6)
    assert result["sd"] == pytest.approx(inside.std(ddof=1), rel=1e-3)  # a sample's SD
    assert (result["min"], result["max"]) == (inside.min(), inside.max())
    assert result["value_unit"] == unit
    row_mm, column_mm = (float(v) for v in ds.PixelSpacing)
    assert result["area"] == pytest.approx((x1 - x0) * column_mm * (y1 - y0) * row_mm)


def test_a_probe_on_a_real_ct_gives_its_value_and_place_in_the_patient(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = real("CT_small.dcm")
    ds = pydicom.dcmread(path)
    column, row = 70, 45
    result = measure(capsys, path, "--probe", str(column), str(row))
    assert result["probe"] == modality_values(ds)[row, column]
    # PS3.3 C.7.6.2.1.1: the position of pixel (column, row) from the image plane.
    origin = np.array([float(v) for v in ds.ImagePositionPatient])
    cosines = [float(v) for v in ds.ImageOrientationPatient]
    row_mm, column_mm = (float(v) for v in ds.PixelSpacing)
    place = (
        origin + np.array(cosines[:3]) * column * column_mm + np.array(cosines[3:]) * row * row_mm
    )
    assert np.allclose(result["position_mm"], place, atol=1e-6)


@pytest.mark.parametrize(
    ("name", "frame"), [("examples_palette.dcm", None), ("examples_ybr_color.dcm", "2")]
)
def test_a_real_ultrasound_resized_after_its_regions_were_written_is_measured_in_px(
    capsys: pytest.CaptureFixture[str], name: str, frame: str | None
) -> None:
    """Both real ultrasounds here were shrunk after the scanner wrote their regions: the
    palette one is 800 x 350 with a region down to row 518, the colour cine 320 x 240
    with one to column 595. Their deltas describe pixels these images no longer have;
    a value in mm from them would be wrong, so the measurement is in px and says why."""
    path = real(name)
    ds = pydicom.dcmread(path, stop_before_pixels=True)
    reach = [(r.RegionLocationMaxX1, r.RegionLocationMaxY1) for r in ds.SequenceOfUltrasoundRegions]
    assert any(x > ds.Columns or y > ds.Rows for x, y in reach)  # the file as found
    args = ["--line", "20", "30", "120", "130"] + (["--frame", frame] if frame else [])
    result = measure(capsys, path, *args)
    assert result["unit"] == "px" and result["value"] == pytest.approx(math.hypot(100, 100))
    assert result["calibration"]["why"] == "regions-outside-image"
    assert "reach past the image" in result["calibration"]["text"]


def test_a_real_ultrasound_with_its_regions_fitted_to_it_uses_their_deltas(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The same real file with its regions' rows scaled to the pixels it has (as its
    scanner would have written them for this size): a length uses the first region's
    deltas, in cm per pixel (PhysicalUnits 3)."""
    ds = pydicom.dcmread(real("examples_palette.dcm"))
    scale = ds.Rows / 600  # the regions were written for an 800 x 600 image
    for region in ds.SequenceOfUltrasoundRegions:
        for key in ("RegionLocationMinY0", "RegionLocationMaxY1"):
            setattr(region, key, int(getattr(region, key) * scale))
        region.RegionLocationMaxX1 = min(region.RegionLocationMaxX1, ds.Columns - 1)
    path = tmp_path / "fitted.dcm"
    ds.save_as(path)
    region = ds.SequenceOfUltrasoundRegions[0]
    x1, y1 = region.RegionLocationMinX0 + 20, region.RegionLocationMinY0 + 30
    x2, y2 = x1 + 150, y1 + 200
    result = measure(capsys, path, "--line", *map(str, (x1, y1, x2, y2)))
    dx, dy = float(region.PhysicalDeltaX) * 10, float(region.PhysicalDeltaY) * 10  # cm to mm
    truth = math.hypot((x2 - x1) * dx, (y2 - y1) * dy)
    assert result["unit"] == "mm" and result["value"] == pytest.approx(truth, rel=1e-9)
    assert result["calibration"]["basis"] == "ultrasound-region"


def test_a_distance_on_a_real_nuclear_medicine_image_uses_its_pixel_spacing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = real("JPEG2000.dcm")  # NM, 1024 × 256, JPEG 2000, one frame
    ds = pydicom.dcmread(path, stop_before_pixels=True)
    row_mm, column_mm = (float(v) for v in ds.PixelSpacing)
    result = measure(capsys, path, "--line", "10", "100", "200", "900")
    truth = math.hypot(190 * column_mm, 800 * row_mm)
    assert result["value"] == pytest.approx(truth, rel=1e-9) and result["unit"] == "mm"
