"""The calibration a measurement is given in: which header says how large a pixel is.

Every value a doctor reads is only as true as the size of a pixel behind it, and the
headers give that size in ways that do not mean the same thing:

- **Pixel Spacing** (0028,0030; PS3.3 C.7.6.2.1.1, or the Pixel Measures functional group
  of an enhanced image, C.7.6.16.2.1): in the patient — a CT's, an MR's. On a projection
  radiograph it is in the patient only when someone calibrated it (PS3.3 10.7.1.3); equal
  to Imager Pixel Spacing and with no Pixel Spacing Calibration Type, it is the detector's.
- **Imager Pixel Spacing** (0018,1164; C.8.11.4): at the detector. The patient is between
  source and detector, so the anatomy is magnified: a length is too large by the
  magnification. With **Estimated Radiographic Magnification Factor** (0018,1114;
  C.8.11.5) the spacing is divided by it: an estimate, said as such.
- **Sequence of Ultrasound Regions** (0018,6011; C.8.5.5.1): each region has its own
  physical deltas; a measurement uses the deltas of the one region holding every point of
  it, never a mixture (a region may be a Doppler strip in seconds and cm/s). Regions
  that reach past the image's pixels calibrate nothing: the image was resized or cropped
  after they were written (found in real files), and their deltas no longer hold.
- **Manual**: the doctor drew a line of known length.
- Else **uncalibrated**: values in pixels, said so.

Row and column spacing may differ (PixelSpacing is "row spacing\\column spacing": the
distance between the centres of adjacent rows, then of adjacent columns), so a point is
taken into millimetres axis by axis, never by one factor.

Only data here; the words ("at detector", "uncalibrated") are the CLI's and the screen's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset

from viewer.imaging.geometry import positive_pair
from viewer.imaging.modality_lut import functional_group_item

CM_UNITS = 3  # PhysicalUnitsX/YDirection: 3 = cm (PS3.3 C.8.5.5.1.15)


class Basis(StrEnum):
    PIXEL_SPACING = "pixel-spacing"  # in the patient
    DETECTOR = "detector"  # Imager Pixel Spacing, not corrected
    MAGNIFICATION = "detector-magnification"  # Imager Pixel Spacing / the estimated factor
    US_REGION = "ultrasound-region"
    MANUAL = "manual"
    UNCALIBRATED = "uncalibrated"


class Uncalibrated(StrEnum):
    """Why a measurement is in pixels."""

    NO_SPACING = "no-spacing"  # the header gives no size of a pixel
    OUTSIDE_REGIONS = "outside-regions"  # not within any calibrated ultrasound region
    ACROSS_REGIONS = "across-regions"  # its points lie in two ultrasound regions
    # An ultrasound region reaches past the image: the pixels were resized or cropped
    # after the regions were written, and no region's deltas can be trusted.
    REGIONS_OUTSIDE_IMAGE = "regions-outside-image"


@dataclass(frozen=True)
class Calibration:
    """How large a pixel is for one measurement: ``row_mm`` between the centres of
    adjacent rows (down the image), ``column_mm`` between adjacent columns (across).
    Uncalibrated, both are 1 and the unit is the pixel."""

    basis: Basis
    row_mm: float = 1.0
    column_mm: float = 1.0
    magnification: float | None = None  # the factor divided out (MAGNIFICATION)
    region: int | None = None  # the ultrasound region's index (US_REGION)
    why: Uncalibrated | None = None  # UNCALIBRATED only
    known_mm: float | None = None  # the length the doctor drew (MANUAL)

    @property
    def calibrated(self) -> bool:
        return self.basis is not Basis.UNCALIBRATED

    @property
    def unit(self) -> str:
        """The unit of a length: "mm", or "px" uncalibrated."""
        return "mm" if self.calibrated else "px"

    def to_plane(
        self, points: Sequence[tuple[float, float]] | npt.NDArray[Any]
    ) -> npt.NDArray[Any]:
        """Image points (column, row) as (across, down) in this calibration's unit."""
        xy = np.asarray(points, dtype=float).reshape(-1, 2)
        scaled: npt.NDArray[Any] = xy * np.array([self.column_mm, self.row_mm])
        return scaled


UNCALIBRATED = Calibration(Basis.UNCALIBRATED, why=Uncalibrated.NO_SPACING)


@dataclass(frozen=True)
class UltrasoundRegion:
    """One region of Sequence of Ultrasound Regions: its bounds in pixels (inclusive) and,
    when both its axes are in cm, the size of a pixel in mm."""

    index: int
    x0: float
    y0: float
    x1: float
    y1: float
    row_mm: float | None
    column_mm: float | None

    def holds(self, points: npt.NDArray[Any]) -> bool:
        x, y = points[:, 0], points[:, 1]
        return bool(np.all((x >= self.x0) & (x <= self.x1) & (y >= self.y0) & (y <= self.y1)))


@dataclass(frozen=True)
class ImageCalibration:
    """What an image's headers say about the size of its pixels: one calibration for the
    whole image, or ultrasound regions each with its own. :meth:`at` gives the one a
    measurement through ``points`` uses."""

    whole: Calibration
    regions: tuple[UltrasoundRegion, ...] = ()

    def single(self) -> Calibration | None:
        """The one calibration the whole image is measured in: the image's, or the one
        scale all its spatial ultrasound regions share; None when there is none (a scale
        bar has nothing true to say then)."""
        if not self.regions:
            return self.whole if self.whole.calibrated else None
        sizes = {(r.row_mm, r.column_mm) for r in self.regions if r.row_mm and r.column_mm}
        if len(sizes) != 1:
            return None  # regions of other scales (or none in mm): each measured on its own
        row_mm, column_mm = sizes.pop()
        assert row_mm is not None and column_mm is not None
        return Calibration(Basis.US_REGION, row_mm, column_mm)

    def at(self, points: Sequence[tuple[float, float]] | npt.NDArray[Any]) -> Calibration:
        if not self.regions:
            return self.whole
        xy = np.asarray(points, dtype=float).reshape(-1, 2)
        spatial = [r for r in self.regions if r.row_mm is not None and r.column_mm is not None]
        for region in spatial:
            if region.holds(xy):
                assert region.row_mm is not None and region.column_mm is not None
                return Calibration(
                    Basis.US_REGION, region.row_mm, region.column_mm, region=region.index
                )
        # Each point in a calibrated region, but not all in one: nothing across regions.
        each_in_one = all(any(r.holds(p[None]) for r in spatial) for p in xy)
        why = Uncalibrated.ACROSS_REGIONS if each_in_one else Uncalibrated.OUTSIDE_REGIONS
        return replace(UNCALIBRATED, why=why)


def image_calibration(ds: Dataset, frame: int | None = None) -> ImageCalibration:
    """The calibration ``ds`` gives frame ``frame`` (0-based, of an enhanced image; None
    for a single-frame one), in the order of the module's docstring."""
    regions = _ultrasound_regions(ds)
    if regions and not _within_image(regions, ds):
        return ImageCalibration(replace(UNCALIBRATED, why=Uncalibrated.REGIONS_OUTSIDE_IMAGE))
    if regions:
        return ImageCalibration(replace(UNCALIBRATED, why=Uncalibrated.OUTSIDE_REGIONS), regions)
    measures = functional_group_item(ds, "PixelMeasuresSequence", frame)
    if measures is not None and (spacing := positive_pair(measures.get("PixelSpacing"))):
        return ImageCalibration(Calibration(Basis.PIXEL_SPACING, *spacing))
    spacing = positive_pair(ds.get("PixelSpacing"))
    imager = positive_pair(ds.get("ImagerPixelSpacing"))
    calibrated_type = str(ds.get("PixelSpacingCalibrationType", "") or "").strip()
    if spacing is not None and (imager is None or spacing != imager or calibrated_type):
        return ImageCalibration(Calibration(Basis.PIXEL_SPACING, *spacing))
    if imager is not None:
        factor = _positive(ds.get("EstimatedRadiographicMagnificationFactor"))
        if factor is not None:
            row, column = imager[0] / factor, imager[1] / factor
            return ImageCalibration(Calibration(Basis.MAGNIFICATION, row, column, factor))
        return ImageCalibration(Calibration(Basis.DETECTOR, *imager))
    return ImageCalibration(UNCALIBRATED)


def manual_calibration(
    base: Calibration, start: tuple[float, float], end: tuple[float, float], known_mm: float
) -> Calibration:
    """The calibration that makes the line ``start``–``end`` ``known_mm`` long. The
    shape of a pixel (row to column spacing) is kept from ``base``; uncalibrated,
    pixels are taken as square."""
    if not np.isfinite(known_mm) or known_mm <= 0:
        raise ValueError("a known length is a positive number of millimetres")
    aspect = base.row_mm / base.column_mm if base.calibrated else 1.0
    dx, dy = end[0] - start[0], end[1] - start[1]
    across = float(np.hypot(dx, dy * aspect))  # in columns' widths
    if across < 1e-6:
        raise ValueError("draw a line to calibrate on, not a point")
    column_mm = known_mm / across
    return Calibration(Basis.MANUAL, column_mm * aspect, column_mm, known_mm=known_mm)


def _ultrasound_regions(ds: Dataset) -> tuple[UltrasoundRegion, ...]:
    found = []
    for index, item in enumerate(ds.get("SequenceOfUltrasoundRegions") or ()):
        try:
            bounds = [
                float(item.get(k))
                for k in (
                    "RegionLocationMinX0",
                    "RegionLocationMinY0",
                    "RegionLocationMaxX1",
                    "RegionLocationMaxY1",
                )
            ]
        except (TypeError, ValueError):
            continue  # a region without bounds calibrates nothing
        row_mm = column_mm = None
        units = (item.get("PhysicalUnitsXDirection"), item.get("PhysicalUnitsYDirection"))
        if units == (CM_UNITS, CM_UNITS):
            dx, dy = (
                _positive(item.get("PhysicalDeltaX"), signed=True),
                _positive(item.get("PhysicalDeltaY"), signed=True),
            )
            if dx is not None and dy is not None:
                row_mm, column_mm = dy * 10.0, dx * 10.0  # cm per pixel → mm
        x0, y0, x1, y1 = bounds
        found.append(UltrasoundRegion(index, x0, y0, x1, y1, row_mm, column_mm))
    return tuple(found)


def _within_image(regions: Sequence[UltrasoundRegion], ds: Dataset) -> bool:
    """Every region inside the image's pixels (C.8.5.5.1.1: locations are pixel
    indices of this image). One column or row past the last is allowed, as some
    scanners write the image's width where its last index is meant."""
    try:
        rows, columns = int(ds.Rows), int(ds.Columns)
    except (AttributeError, TypeError, ValueError):
        return False  # an image of no stated size: no region can be placed on it
    return all(0 <= r.x0 <= r.x1 <= columns and 0 <= r.y0 <= r.y1 <= rows for r in regions)


def _positive(value: Any, *, signed: bool = False) -> float | None:
    """A finite non-zero number (its size, when ``signed`` allows a direction) or None."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if signed:
        number = abs(number)  # a delta's sign is the axis' direction, not its size
    return number if np.isfinite(number) and number > 0 else None
