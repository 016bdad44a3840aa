"""Measurements on the demo's images, through the ``measure`` command as typed: the CT
phantom's two markers 100.0 mm apart, regions of known HU, an ellipse's area, the chest
film's detector spacing and magnification, the ultrasound region's deltas."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest

from tests.conftest import DEMO_DATA_DIR
from viewer.cli import run
from viewer.demo import Manifest, StudyEntry
from viewer.demo.phantom_ct import LIVER_HU, SOFT_TISSUE_HU


def measure(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> dict[str, Any]:
    code = run(["measure", "--file", str(path), *args, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


def study_of(manifest: Manifest, key: str) -> StudyEntry:
    return next(s for s in manifest.studies if s.key == key)


def files_of(study: StudyEntry) -> list[Path]:
    folder = Manifest.series_dir(DEMO_DATA_DIR, study.targets[0], study, study.series[0])
    return sorted(folder.glob("*.dcm"))


def ct_slice_at(manifest: Manifest, z: float) -> tuple[Path, pydicom.Dataset]:
    main = next(
        s
        for s in manifest.studies
        if s.study_instance_uid == manifest.ct_markers.study_instance_uid
    )
    for path in files_of(main):
        ds = pydicom.dcmread(path, stop_before_pixels=True)
        if abs(float(ds.ImagePositionPatient[2]) - z) < 1e-3:
            return path, ds
    raise AssertionError(f"no slice at z = {z}")


def pixel_of(ds: pydicom.Dataset, x: float, y: float) -> tuple[float, float]:
    """(column, row) of patient point (x, y) on an axial slice (PS3.3 C.7.6.2.1.1)."""
    row_mm, column_mm = (float(v) for v in ds.PixelSpacing)
    ipp = [float(v) for v in ds.ImagePositionPatient]
    return (x - ipp[0]) / column_mm, (y - ipp[1]) / row_mm


def test_the_phantom_markers_measure_100_mm_within_half_a_pixel(
    demo_data: Manifest, capsys: pytest.CaptureFixture[str]
) -> None:
    markers = demo_data.ct_markers
    (x1, y1, z), (x2, y2, _) = markers.centres_mm
    path, ds = ct_slice_at(demo_data, z)
    a, b = pixel_of(ds, x1, y1), pixel_of(ds, x2, y2)
    result = measure(capsys, path, "--line", *map(str, (*a, *b)))
    half_pixel = float(ds.PixelSpacing[1]) / 2
    assert result["unit"] == "mm" and abs(result["value"] - markers.distance_mm) <= half_pixel
    assert result["calibration"]["basis"] == "pixel-spacing"
    assert "PixelSpacing" in result["calibration"]["text"]
    probe = measure(capsys, path, "--probe", *map(str, a))  # the marker's centre
    assert probe["probe"] == 1000 and probe["value_unit"] == "HU"
    assert np.allclose(probe["position_mm"], markers.centres_mm[0], atol=1e-6)


def test_region_means_are_the_known_hu_and_an_ellipse_is_pi_a_b(
    demo_data: Manifest, capsys: pytest.CaptureFixture[str]
) -> None:
    path, ds = ct_slice_at(demo_data, -250.0)  # through the liver (-60, -10), 80 × 70 mm
    liver = tuple(round(v) for v in pixel_of(ds, -60.0, -10.0))  # on pixel centres
    rect = measure(
        capsys,
        path,
        "--rect",
        *map(str, (liver[0] - 20, liver[1] - 15, liver[0] + 20, liver[1] + 15)),
    )
    assert abs(rect["mean"] - LIVER_HU) <= 1 and rect["sd"] == 0 and rect["pixels"] == 41 * 31
    tissue = pixel_of(ds, 0.0, -80.0)  # soft tissue in front, between liver and skin
    ellipse = measure(capsys, path, "--ellipse", *map(str, (*tissue, 20, 12)))
    assert abs(ellipse["mean"] - SOFT_TISSUE_HU) <= 1 and ellipse["value_unit"] == "HU"
    spacing = float(ds.PixelSpacing[0])
    pi_a_b = math.pi * (20 * spacing) * (12 * spacing)
    assert ellipse["area_unit"] == "mm²" and abs(ellipse["area"] - pi_a_b) <= 0.02 * pi_a_b
    # The pixels counted in it cover about as much: the mask is the ellipse too.
    assert abs(ellipse["pixels"] * spacing**2 - pi_a_b) <= 0.02 * pi_a_b


def test_a_radiograph_is_measured_at_the_detector_and_corrected_where_estimated(
    demo_data: Manifest, capsys: pytest.CaptureFixture[str]
) -> None:
    cr = files_of(study_of(demo_data, "p2-cr-2018"))[0]  # ImagerPixelSpacing 0.3 mm only
    at_detector = measure(capsys, cr, "--line", "100", "100", "200", "100")
    assert at_detector["calibration"]["basis"] == "detector"
    assert "at detector" in at_detector["calibration"]["text"]
    assert at_detector["value"] == pytest.approx(100 * 0.3)
    dx = files_of(study_of(demo_data, "p1-dx-2024a"))[0]  # and a magnification of 1.125
    corrected = measure(capsys, dx, "--line", "100", "100", "200", "100")
    assert corrected["calibration"]["basis"] == "detector-magnification"
    assert corrected["calibration"]["magnification"] == pytest.approx(1.125)
    assert "at detector" in corrected["calibration"]["text"]
    assert "magnification 1.125" in corrected["calibration"]["text"]
    assert corrected["value"] == pytest.approx(100 * 0.3 / 1.125)


def test_an_ultrasound_measurement_uses_its_regions_deltas_and_nothing_outside(
    demo_data: Manifest, capsys: pytest.CaptureFixture[str]
) -> None:
    us = files_of(study_of(demo_data, "p1-us-2021"))[0]
    region = pydicom.dcmread(us, stop_before_pixels=True).SequenceOfUltrasoundRegions[0]
    x0, y0 = int(region.RegionLocationMinX0), int(region.RegionLocationMinY0)
    inside = measure(
        capsys, us, "--frame", "3", "--line", *map(str, (x0 + 10, y0 + 10, x0 + 110, y0 + 10))
    )
    assert inside["calibration"]["basis"] == "ultrasound-region"
    assert inside["value"] == pytest.approx(100 * float(region.PhysicalDeltaX) * 10)
    outside = measure(capsys, us, "--line", *map(str, (x0 - 5, y0 - 5, x0 + 50, y0 + 10)))
    assert outside["unit"] == "px" and outside["calibration"]["basis"] == "uncalibrated"
    assert outside["calibration"]["why"] == "outside-regions"
