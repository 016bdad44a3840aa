"""The scale bar and the banner say the calibration a measurement uses: a radiograph's
bar is at the detector (divided by the estimated magnification where the file gives
one), an ultrasound image's is its region's, and neither says "no pixel spacing" — only
an image nothing calibrates does. Over the demo's own films and ultrasound."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("PySide6")

from tests.unit.test_measure_demo import files_of, study_of
from viewer.demo import Manifest
from viewer.imaging.frames import load_frames
from viewer.imaging.volume import load_volume
from viewer.session.reading import OpenSeries
from widgets.app import create_application
from widgets.reading_overlay import scale_bar, series_banner

pytestmark = pytest.mark.qt


def drawn_px(bar: tuple[float | None, str], zoom: float) -> float:
    """Screen pixels the overlay draws: the image is laid out one unit a pixel here."""
    assert bar[0] is not None
    return bar[0] * zoom


@pytest.mark.parametrize(
    ("key", "mm_per_px", "words"),
    [
        ("p2-cr-2018", 0.3, "mm at detector"),
        ("p1-dx-2024a", 0.3 / 1.125, "mm at detector ÷ magnification 1.125"),
    ],
)
def test_a_radiographs_bar_is_true_at_the_detector_and_says_so(
    demo_data: Manifest, key: str, mm_per_px: float, words: str
) -> None:
    create_application()
    series = OpenSeries("s", "x", load_volume(files_of(study_of(demo_data, key))))
    assert "pixel spacing" not in series_banner(series)
    zoom = 0.55  # screen pixels an image pixel
    bar = scale_bar(series, zoom)
    length = float(bar[1].split()[0])
    assert bar[1] == f"{length:g} {words}"
    # The bar drawn is as long on screen as that many mm of the detector's pixels.
    assert drawn_px(bar, zoom) == pytest.approx(length / mm_per_px * zoom)
    assert 40 <= drawn_px(bar, zoom) <= 250


def test_an_ultrasound_bar_is_its_regions_and_the_banner_is_quiet(demo_data: Manifest) -> None:
    create_application()
    series = OpenSeries("s", "x", load_frames(files_of(study_of(demo_data, "p1-us-2021"))))
    (region,) = series.calibration.regions
    assert region.column_mm is not None
    assert series_banner(series) == ""
    bar = scale_bar(series, 1.5)
    length = float(bar[1].split()[0])
    assert bar[1] == f"{length:g} mm (ultrasound region)"
    assert drawn_px(bar, 1.5) == pytest.approx(length / region.column_mm * 1.5)


def test_an_image_nothing_calibrates_says_so_in_the_banner_and_the_bar(tmp_path: Any) -> None:
    from pydicom.uid import SecondaryCaptureImageStorage

    from tests.support.dicom_files import new_instance

    create_application()
    ds = new_instance(SecondaryCaptureImageStorage)
    ds.Rows, ds.Columns, ds.SamplesPerPixel = 4, 4, 1
    ds.PhotometricInterpretation, ds.BitsAllocated, ds.BitsStored = "MONOCHROME2", 8, 8
    ds.HighBit, ds.PixelRepresentation, ds.PixelData = 7, 0, bytes(16)
    ds.save_as(tmp_path / "sc.dcm", enforce_file_format=True)
    series = OpenSeries("s", "x", load_volume([tmp_path / "sc.dcm"]))
    assert "no pixel spacing" in series_banner(series)
    assert scale_bar(series, 1.0) == (None, "uncalibrated")


def test_a_real_ultrasound_whose_regions_do_not_fit_it_says_so_and_draws_no_bar() -> None:
    """pydicom's real palette ultrasound: 800 x 350 pixels, regions written for 800 x 600.
    Not "no pixel spacing" (the file has a calibration, it no longer holds): said as it is."""
    from tests.unit.test_measure_real_images import real

    create_application()
    series = OpenSeries("s", "x", load_frames([real("examples_palette.dcm")]))
    assert series.calibration.regions == ()
    banner = series_banner(series)
    assert banner == "⚠ ultrasound regions do not fit the image: distances are not real"
    assert scale_bar(series, 1.0) == (None, "uncalibrated")
