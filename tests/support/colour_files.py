"""Small generated colour and multi-frame files: RGB, YBR_FULL, PALETTE COLOR, a
grayscale cine. Each pixel differs from its neighbours, so a swapped channel, a tint or
a wrong frame shows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset
from pydicom.pixels import convert_color_space
from pydicom.uid import (
    UltrasoundImageStorage,
    UltrasoundMultiFrameImageStorage,
    generate_uid,
)

from tests.support.dicom_files import new_instance

ROWS, COLUMNS = 12, 16


def rgb_ramp(frames: int = 1) -> npt.NDArray[np.uint8]:
    """(frames, rows, columns, 3): red along the columns, green down the rows, blue by
    frame, so each channel is told from the others."""
    f, j, i = np.meshgrid(np.arange(frames), np.arange(ROWS), np.arange(COLUMNS), indexing="ij")
    return np.stack([15 * i + 5, 20 * j + 3, 0 * i + 40 * f + 30], axis=-1).astype(np.uint8)


def _base(path: Path, sop_class: str, frames: int) -> Dataset:
    ds = new_instance(sop_class)
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.PatientName, ds.PatientID, ds.Modality = "Test^Colour", "C1", "US"
    ds.InstanceNumber = 1
    ds.Rows, ds.Columns = ROWS, COLUMNS
    if frames > 1:
        ds.NumberOfFrames = frames
    return ds


def write_colour(path: Path, photometric: str = "RGB", frames: int = 1) -> Path:
    """An ultrasound image in RGB or YBR_FULL (colour-by-pixel), of :func:`rgb_ramp`."""
    sop = UltrasoundMultiFrameImageStorage if frames > 1 else UltrasoundImageStorage
    ds = _base(path, sop, frames)
    rgb = rgb_ramp(frames)
    cells = rgb if photometric == "RGB" else convert_color_space(rgb, "RGB", photometric)
    ds.SamplesPerPixel, ds.PhotometricInterpretation, ds.PlanarConfiguration = 3, photometric, 0
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    ds.PixelData = np.ascontiguousarray(cells).tobytes()
    ds.save_as(path, enforce_file_format=True)
    return path


def write_palette(path: Path) -> Path:
    """PALETTE COLOR: 8-bit indices through 16-bit red, green and blue tables that differ."""
    ds = _base(path, UltrasoundImageStorage, 1)
    j, i = np.meshgrid(np.arange(ROWS), np.arange(COLUMNS), indexing="ij")
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "PALETTE COLOR"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    index = np.arange(256)
    tables = {"Red": index * 257, "Green": (255 - index) * 257, "Blue": (index * 7 % 256) * 257}
    for name, table in tables.items():
        setattr(ds, f"{name}PaletteColorLookupTableDescriptor", [256, 0, 16])
        setattr(ds, f"{name}PaletteColorLookupTableData", table.astype("<u2").tobytes())
    ds.PixelData = ((i * 13 + j * 7) % 256).astype(np.uint8).tobytes()
    ds.save_as(path, enforce_file_format=True)
    return path


def gray_cine(frames: int = 5) -> npt.NDArray[np.uint16]:
    f, j, i = np.meshgrid(np.arange(frames), np.arange(ROWS), np.arange(COLUMNS), indexing="ij")
    return (100 + 9 * i + 7 * j + 300 * f).astype(np.uint16)


def write_gray_cine(path: Path, frames: int = 5) -> Path:
    """A grayscale multi-frame ultrasound of :func:`gray_cine`, no window in the file."""
    ds = _base(path, UltrasoundMultiFrameImageStorage, frames)
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.PixelData = gray_cine(frames).astype("<u2").tobytes()
    ds.save_as(path, enforce_file_format=True)
    return path
