"""Measurement math: lengths and angles in patient geometry (pixels need not be square),
which header calibrates what, region masks and statistics. (Damaged headers and
pixels: the fuzz harness's "measure" boundary.)"""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence as DicomSequence

from viewer.measure.calibration import (
    UNCALIBRATED,
    Basis,
    Calibration,
    Uncalibrated,
    image_calibration,
    manual_calibration,
)
from viewer.measure.image import MeasuredImage
from viewer.measure.regions import polygon_mask
from viewer.measure.shapes import angle, cobb, length, polygon_area
from viewer.measure.tools import Tool, measure

ANISOTROPIC = Calibration(Basis.PIXEL_SPACING, row_mm=0.5, column_mm=0.7)


def header(**values: object) -> Dataset:
    ds = Dataset()
    for keyword, value in values.items():
        setattr(ds, keyword, value)
    return ds


def test_lengths_are_taken_axis_by_axis_in_anisotropic_pixels() -> None:
    across = length(ANISOTROPIC, [(0, 0), (10, 0)])
    down = length(ANISOTROPIC, [(0, 0), (0, 10)])
    diagonal = length(ANISOTROPIC, [(0, 0), (10, 10)])
    assert (across.value, down.value) == (pytest.approx(7.0), pytest.approx(5.0))
    assert diagonal.value == pytest.approx(math.hypot(7.0, 5.0)) and diagonal.unit == "mm"
    # One factor times the pixel length would be wrong either way:
    assert abs(diagonal.value - 0.7 * math.hypot(10, 10)) > 1.0
    polyline = length(ANISOTROPIC, [(0, 0), (10, 0), (10, 10)])
    assert polyline.value == pytest.approx(12.0)


def test_angles_are_those_in_the_patient_to_a_tenth_of_a_degree() -> None:
    # 10 columns across and 14 rows down on 0.7 × 0.5 mm pixels: 7 mm by 7 mm, 45°.
    assert angle(ANISOTROPIC, (10, 0), (0, 0), (10, 14)).value == pytest.approx(45.0, abs=0.1)
    square = Calibration(Basis.PIXEL_SPACING, 1.0, 1.0)
    assert angle(square, (1, 0), (0, 0), (0, 1)).value == pytest.approx(90.0, abs=1e-9)
    assert angle(square, (1, 0), (0, 0), (-1, 0)).value == pytest.approx(180.0, abs=1e-9)
    assert angle(square, (10, 0), (0, 0), (10, 1)).value == pytest.approx(
        math.degrees(math.atan(0.1)), abs=1e-9
    )


def test_a_cobb_angle_beyond_90_degrees_is_not_read_as_its_supplement() -> None:
    square = Calibration(Basis.PIXEL_SPACING, 1.0, 1.0)
    upper = [(0, 0), (100, -60)]  # rising to the right
    lower = [(100, 260), (0, 200)]  # drawn right to left, falling to the right
    tilt = math.degrees(math.atan2(60, 100))
    assert cobb(square, upper, lower).value == pytest.approx(2 * tilt, abs=0.1)
    steep = [(0, 0), (50, -100)], [(50, 400), (0, 300)]
    assert cobb(square, *steep).value == pytest.approx(
        2 * math.degrees(math.atan2(100, 50)), abs=0.1
    )
    assert cobb(square, *steep).value > 90


def test_pixel_spacing_equal_to_the_imager_spacing_is_the_detectors() -> None:
    copied = header(PixelSpacing=[0.3, 0.3], ImagerPixelSpacing=[0.3, 0.3])
    assert image_calibration(copied).whole.basis is Basis.DETECTOR
    calibrated = header(
        PixelSpacing=[0.3, 0.3],
        ImagerPixelSpacing=[0.3, 0.3],
        PixelSpacingCalibrationType="GEOMETRY",
    )
    assert image_calibration(calibrated).whole.basis is Basis.PIXEL_SPACING
    corrected = header(PixelSpacing=[0.25, 0.25], ImagerPixelSpacing=[0.3, 0.3])
    assert image_calibration(corrected).whole == Calibration(Basis.PIXEL_SPACING, 0.25, 0.25)


def test_an_enhanced_frame_is_calibrated_by_its_own_pixel_measures() -> None:
    def measures(spacing: list[float]) -> Dataset:
        return header(PixelMeasuresSequence=DicomSequence([header(PixelSpacing=spacing)]))

    ds = header(
        SharedFunctionalGroupsSequence=DicomSequence([measures([1.0, 1.0])]),
        PerFrameFunctionalGroupsSequence=DicomSequence([header(), measures([0.4, 0.6])]),
    )
    assert image_calibration(ds, 0).whole == Calibration(Basis.PIXEL_SPACING, 1.0, 1.0)
    assert image_calibration(ds, 1).whole == Calibration(Basis.PIXEL_SPACING, 0.4, 0.6)


def us_regions() -> Dataset:
    def region(x0: int, x1: int, units: int, delta: float) -> Dataset:
        return header(
            RegionLocationMinX0=x0, RegionLocationMinY0=0, RegionLocationMaxX1=x1,
            RegionLocationMaxY1=99, PhysicalUnitsXDirection=units,
            PhysicalUnitsYDirection=units, PhysicalDeltaX=delta, PhysicalDeltaY=-delta,
        )  # fmt: skip

    # Two B-mode regions at different depths (scales), then a Doppler strip in seconds.
    return header(
        Rows=100,
        Columns=300,
        SequenceOfUltrasoundRegions=DicomSequence(
            [region(0, 99, 3, 0.02), region(100, 199, 3, 0.05), region(200, 299, 4, 0.01)]
        ),
    )


def test_each_ultrasound_region_has_its_own_scale_and_nothing_goes_across() -> None:
    regions = image_calibration(us_regions())
    left = regions.at([(10, 10), (60, 10)])
    right = regions.at([(110, 10), (160, 10)])
    assert (left.basis, left.column_mm, left.row_mm) == (Basis.US_REGION, 0.2, 0.2)
    assert (right.region, right.column_mm) == (1, 0.5)
    assert length(left, [(10, 10), (60, 10)]).value == pytest.approx(10.0)
    across = regions.at([(50, 10), (150, 10)])
    assert across.basis is Basis.UNCALIBRATED and across.why is Uncalibrated.ACROSS_REGIONS
    doppler = regions.at([(210, 10), (250, 10)])  # seconds across: no length in it
    assert doppler.basis is Basis.UNCALIBRATED and doppler.why is Uncalibrated.OUTSIDE_REGIONS


def test_ultrasound_regions_reaching_past_the_image_calibrate_nothing() -> None:
    """The pixels were resized after the regions were written: no delta holds."""
    shrunk = us_regions()
    shrunk.Rows, shrunk.Columns = 50, 150  # half the size the regions were written for
    calibration = image_calibration(shrunk)
    assert calibration.regions == ()
    inside = calibration.at([(10, 10), (60, 10)])
    assert inside.basis is Basis.UNCALIBRATED
    assert inside.why is Uncalibrated.REGIONS_OUTSIDE_IMAGE
    fits = us_regions()
    fits.Columns = 300  # the last region ends at column 299: inside
    assert image_calibration(fits).at([(10, 10), (60, 10)]).basis is Basis.US_REGION


def test_no_spacing_is_measured_in_pixels_and_a_drawn_length_calibrates() -> None:
    bare = image_calibration(header()).whole
    assert bare == UNCALIBRATED and length(bare, [(0, 0), (3, 4)]).unit == "px"
    assert length(bare, [(0, 0), (3, 4)]).value == 5.0
    manual = manual_calibration(bare, (0, 0), (30, 40), known_mm=100.0)
    assert manual.basis is Basis.MANUAL and length(
        manual, [(0, 0), (30, 40)]
    ).value == pytest.approx(100.0)
    # A manual calibration keeps the pixels' shape: anisotropic stays anisotropic.
    kept = manual_calibration(ANISOTROPIC, (0, 0), (0, 10), known_mm=10.0)  # was 5 mm
    assert (kept.row_mm, kept.column_mm) == (pytest.approx(1.0), pytest.approx(1.4))
    with pytest.raises(ValueError):
        manual_calibration(bare, (1, 1), (1, 1), known_mm=10.0)


def test_a_freehand_region_holds_the_pixel_centres_inside_and_on_its_outline() -> None:
    triangle = [(0.0, 0.0), (10.0, 0.0), (0.0, 10.0)]
    mask = polygon_mask((12, 12), triangle)
    rows, columns = np.nonzero(mask)
    assert np.all(rows + columns <= 10) and mask.sum() == 66  # 11+10+…+1 centres
    square = Calibration(Basis.PIXEL_SPACING, 2.0, 2.0)
    assert polygon_area(square, triangle).value == pytest.approx(200.0)  # 50 px² × 4


def test_region_statistics_are_of_modality_values_with_sample_sd() -> None:
    values = np.zeros((20, 20))
    values[5:10, 5:10] = [[10, 20, 30, 40, 50]] * 5
    image = MeasuredImage("1.2.3", 1, (20, 20), values, "HU", image_calibration(header()), None)
    done = measure(image, Tool.RECTANGLE, [(5, 5), (9, 9)])
    assert done.stats is not None and done.stats.count == 25
    assert (done.stats.mean, done.stats.minimum, done.stats.maximum) == (30.0, 10.0, 50.0)
    assert done.stats.sd == pytest.approx(np.std(values[5:10, 5:10], ddof=1))
    assert done.value is not None and done.value.unit == "px²"  # uncalibrated, said so
    colour = MeasuredImage("1.2.3", 1, (20, 20), None, "", image_calibration(header()), None)
    assert measure(colour, Tool.ELLIPSE, [(2, 2), (8, 8)]).stats is None
    with pytest.raises(ValueError):
        measure(image, Tool.ANGLE, [(0, 0), (1, 1)])


def test_a_stated_value_beyond_one_percent_of_ours_is_another_measurement() -> None:
    from viewer.measure.tools import stated_otherwise

    values = np.zeros((20, 20))
    image = MeasuredImage("1.2.3", 1, (20, 20), values, "HU", image_calibration(header()), None)
    line = measure(image, Tool.LINE, [(0, 0), (10, 0)])  # 10 px
    assert stated_otherwise(line, [("Length", 10.05)]) is None
    assert stated_otherwise(line, [("Length", 11.0)]) == 11.0
    assert stated_otherwise(line, [("Mean", 99.0)]) is None  # not what a line is for
    assert stated_otherwise(line, []) is None
