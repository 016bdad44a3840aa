"""Small CT stacks placed in the patient, written as files and opened as series: for the
layout and linked-scrolling tests, where what matters is where the slices are, whose
they are and in which frame of reference."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydicom.uid import CTImageStorage, generate_uid

from tests.support.dicom_files import new_instance
from viewer.imaging.volume import load_volume
from viewer.session.reading import OpenSeries

AXIAL = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
SAGITTAL = (0.0, 1.0, 0.0, 0.0, 0.0, -1.0)


def open_stack(
    folder: Path,
    *,
    z0: float = 0.0,
    step: float = 2.0,
    count: int = 5,
    frame: str | None = None,
    patient: tuple[str, str] = ("P1", "HOSP-A"),
    name: str = "Test^Stack",
    orientation: tuple[float, ...] = AXIAL,
    size: tuple[int, int] = (8, 8),
) -> OpenSeries:
    """``count`` slices ``step`` mm apart from ``z0`` along the orientation's normal, in
    ``frame`` (a new frame of reference when None), of ``patient`` (ID, issuer); slice
    k's pixels all hold k * 100 so a test can tell which slice a screen shows."""
    folder.mkdir(parents=True)
    study, series = generate_uid(), generate_uid()
    frame = frame or generate_uid()
    row, column = np.array(orientation[:3]), np.array(orientation[3:])
    normal = np.cross(row, column)
    for k in range(count):
        ds = new_instance(CTImageStorage)
        ds.SpecificCharacterSet = "ISO_IR 192"  # UTF-8: Chinese names as they are
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame
        ds.PatientName, ds.Modality = name, "CT"
        ds.PatientID, ds.IssuerOfPatientID = patient
        ds.InstanceNumber = k + 1
        ds.ImageOrientationPatient = list(orientation)
        ds.ImagePositionPatient = [float(x) for x in normal * (z0 + step * k)]
        ds.PixelSpacing = [1.0, 1.0]
        ds.SliceThickness = step
        ds.RescaleSlope, ds.RescaleIntercept = 1, -1024
        ds.WindowCenter, ds.WindowWidth = 40, 400
        ds.Rows, ds.Columns = size
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        ds.PixelData = np.full(size, k * 100, dtype="<i2").tobytes()
        ds.save_as(folder / f"{k:03d}.dcm", enforce_file_format=True)
    paths = sorted(folder.glob("*.dcm"))
    return OpenSeries(study, series, load_volume(paths))
