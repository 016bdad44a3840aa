"""One image as a measurement sees it: its modality values, its calibration and where
it lies in the patient.

Made from a file's header and pixels (:func:`measured_image`) for the ``measure``
command, and from an open series' stored values and header (:func:`image_of`) for the
screen — so a value drawn on screen and one asked on the command line come from the
same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset

from viewer.errors import InvalidDataError
from viewer.imaging.bad_data import bad_data
from viewer.imaging.decode import decode
from viewer.imaging.export import frame_count
from viewer.imaging.frames import is_colour
from viewer.imaging.geometry import SliceGeometry, frame_geometry, slice_geometry
from viewer.imaging.modality_lut import (
    Rescale,
    apply_modality,
    modality_transform,
    stored_values_of,
)
from viewer.measure.calibration import ImageCalibration, image_calibration
from viewer.measure.shapes import Point


@dataclass(frozen=True)
class MeasuredImage:
    """``values``: modality values (rows, columns) as float64, None for a colour image
    (no modality value to average). ``plane``: where the image lies in the patient, None
    for a projection (a radiograph, an ultrasound) that is not placed in it."""

    sop_instance_uid: str
    frame: int  # 1-based, as in the file
    shape: tuple[int, int]
    values: npt.NDArray[np.float64] | None
    unit: str  # of ``values``: "HU", a Rescale Type, or "" when the file says none
    calibration: ImageCalibration
    plane: SliceGeometry | None

    def value_at(self, point: Point) -> float | None:
        """The modality value of the pixel whose centre is nearest ``point``; None
        outside the image or on colour."""
        column, row = round(point[0]), round(point[1])
        if self.values is None or not (0 <= row < self.shape[0] and 0 <= column < self.shape[1]):
            return None
        return float(self.values[row, column])

    def patient_position(self, point: Point) -> tuple[float, float, float] | None:
        """Patient coordinates (mm) of ``point`` (PS3.3 C.7.6.2.1.1: position plus column
        × column spacing along the row direction plus row × row spacing along the column
        direction); None for an image not placed in the patient or without spacing."""
        plane = self.plane
        if plane is None or plane.pixel_spacing is None:
            return None
        row_mm, column_mm = plane.pixel_spacing
        where = (
            np.asarray(plane.position)
            + point[0] * column_mm * np.asarray(plane.row_cosine)
            + point[1] * row_mm * np.asarray(plane.column_cosine)
        )
        return (float(where[0]), float(where[1]), float(where[2]))


def measured_image(ds: Dataset, frame: int = 1, where: str = "") -> MeasuredImage:
    """Frame ``frame`` (1-based) of a read dataset, decoded; InvalidDataError when its
    pixels cannot be read."""
    with bad_data(where):  # a header's values are as untrusted as its pixels
        count = frame_count(ds)
        if not 1 <= frame <= count:
            raise InvalidDataError(f"{where}: no frame {frame} (the image has {count})")
        index = frame - 1 if count > 1 else None
        rows, columns = int(ds.Rows), int(ds.Columns)
        values = None
        if not is_colour(ds):
            decoded = decode(ds, where, frame=index).frames
            stored = stored_values_of(decoded, ds)
            values = stored.reshape(-1, rows, columns)[0]
        return image_of(ds, frame, values)


def image_of(ds: Dataset, frame: int, stored: npt.NDArray[Any] | None) -> MeasuredImage:
    """The image of ``ds``'s frame ``frame`` (1-based) whose stored values are
    ``stored`` (rows, columns; None for colour): header-only work, no decoding."""
    count = frame_count(ds)
    index = frame - 1 if count > 1 else None
    rows, columns = int(ds.Rows), int(ds.Columns)
    transform = modality_transform(ds, index)
    values = None
    if stored is not None:
        values = np.asarray(apply_modality(stored, transform), dtype=np.float64)
    plane = slice_geometry(ds) if index is None else frame_geometry(ds, index)
    return MeasuredImage(
        str(ds.get("SOPInstanceUID", "")),
        frame,
        (rows, columns),
        values,
        _unit(ds, transform),
        image_calibration(ds, index),
        plane,
    )


def _unit(ds: Dataset, transform: object) -> str:
    """Rescale Type (PS3.3 C.11.1.1.2) unless "US" (unspecified); a CT's values are HU
    (C.8.2.1.1.5: its rescale yields Hounsfield units)."""
    kind = transform.rescale_type.strip() if isinstance(transform, Rescale) else ""
    if kind and kind.upper() != "US":
        return kind
    if str(ds.get("Modality", "")).upper() == "CT":
        return "HU"
    return ""
