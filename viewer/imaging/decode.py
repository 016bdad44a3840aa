"""Reading DICOM files and decoding their pixel data, with errors a user can act on.

pydicom reads the file (also without preamble or file meta) and decodes through its
plugins (pylibjpeg, pyjpegls, GDCM), trying the next plugin when one fails. What cannot
be read or decoded raises InvalidDataError naming the file and the transfer syntax.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError
from pydicom.uid import UID, ExplicitVRLittleEndian, ImplicitVRLittleEndian

from viewer.errors import InvalidDataError

PIXEL_DATA_TAGS = ("PixelData", "FloatPixelData", "DoubleFloatPixelData")


@dataclass(frozen=True)
class DecodedPixels:
    frames: npt.NDArray[Any]  # (frames, rows, columns[, samples]), frames first always
    photometric: str  # of ``frames``: pydicom has already turned YBR_* into RGB


def read_dataset(path: Path) -> Dataset:
    """A DICOM file with pixel data; Part 10 or a bare dataset (no preamble, no meta)."""
    try:
        ds = dcmread(path, force=True)
    except (InvalidDicomError, EOFError, ValueError, KeyError, TypeError) as err:
        raise InvalidDataError(f"{path}: not a readable DICOM file ({_short(err)})") from err
    except OSError as err:
        raise InvalidDataError(f"{path}: cannot be read ({err.strerror or err})") from err
    if not any(tag in ds for tag in PIXEL_DATA_TAGS):
        raise InvalidDataError(f"{path}: holds no image (no pixel data)")
    if "TransferSyntaxUID" not in ds.file_meta:
        # A bare dataset: its encoding is what pydicom found while reading it.
        implicit = ds.original_encoding[0]
        ds.file_meta.TransferSyntaxUID = (
            ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian
        )
    return ds


def transfer_syntax(ds: Dataset) -> UID:
    return UID(str(ds.file_meta.get("TransferSyntaxUID", ExplicitVRLittleEndian)))


def decode(ds: Dataset, where: str = "") -> DecodedPixels:
    """Every frame as an array (YBR converted to RGB once, by pydicom)."""
    syntax = transfer_syntax(ds)
    label = f"{where}: " if where else ""
    try:
        arr = ds.pixel_array
    except (NotImplementedError, RuntimeError) as err:
        raise InvalidDataError(
            f"{label}cannot decode {syntax.name} ({syntax}): {_short(err)}"
        ) from err
    except (ValueError, AttributeError, KeyError, TypeError, EOFError) as err:
        raise InvalidDataError(f"{label}damaged pixel data ({syntax.name}): {_short(err)}") from err
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    samples = int(ds.get("SamplesPerPixel", 1))
    if frames == 1 and arr.ndim == (2 if samples == 1 else 3):
        arr = arr[np.newaxis]
    photometric = str(ds.get("PhotometricInterpretation", "MONOCHROME2")).strip().upper()
    if photometric.startswith("YBR"):
        # pydicom 3 converts YBR_* to RGB by default (as_rgb=True), and JPEG 2000's
        # YBR_ICT/RCT come out of the codec as RGB: never convert a second time.
        photometric = "RGB"
    return DecodedPixels(arr, photometric)


def _short(err: BaseException) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text if len(text) <= 160 else text[:157] + "..."
