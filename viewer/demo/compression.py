"""Pixel data in the transfer syntax a series asks for, always lossless.

Native: Explicit VR Little Endian (PS3.5 §A.2). Encapsulated (PS3.5 §A.4), one fragment
per frame: JPEG-LS lossless (pyjpegls), JPEG 2000 lossless (openjpeg) and RLE lossless
through pydicom's encoders; JPEG lossless process 14 SV1, which pydicom cannot encode,
through GDCM, checked to decode back bit-identical with pydicom/pylibjpeg.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.pixels.encoders.base import get_encoder
from pydicom.uid import (
    UID,
    ExplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEGLosslessSV1,
    JPEGLSLossless,
    RLELossless,
)

PYDICOM_ENCODED = (JPEGLSLossless, JPEG2000Lossless, RLELossless)
SUPPORTED = (ExplicitVRLittleEndian, JPEGLosslessSV1, *PYDICOM_ENCODED)


def _frames(ds: Dataset, arr: NDArray[Any]) -> list[NDArray[Any]]:
    """Split ``arr`` into frames; a single-frame image is one frame."""
    if int(ds.get("NumberOfFrames", 1)) > 1:
        return [arr[i] for i in range(arr.shape[0])]
    return [arr]


def _pixel_kwargs(ds: Dataset) -> dict[str, Any]:
    return {
        "rows": ds.Rows,
        "columns": ds.Columns,
        "samples_per_pixel": ds.SamplesPerPixel,
        "photometric_interpretation": ds.PhotometricInterpretation,
        "bits_allocated": ds.BitsAllocated,
        "bits_stored": ds.BitsStored,
        "pixel_representation": ds.PixelRepresentation,
        "number_of_frames": 1,
        "planar_configuration": ds.get("PlanarConfiguration", 0),
    }


def encode_sv1(frame: NDArray[Any], ds: Dataset) -> bytes:
    """One frame as JPEG lossless process 14, first-order prediction (SV1), by GDCM."""
    import gdcm  # imported here: only this codec needs it

    if ds.SamplesPerPixel != 1:
        raise ValueError("SV1 encoding here handles greyscale only")
    image = gdcm.Image()
    # The filter below keeps a reference-counted pointer to the image and frees it
    # with itself; Python must not free it too (GDCM would abort or double-free).
    image.thisown = False
    image.SetNumberOfDimensions(2)
    image.SetDimension(0, int(ds.Columns))
    image.SetDimension(1, int(ds.Rows))
    image.SetPixelFormat(
        gdcm.PixelFormat(1, int(ds.BitsAllocated), int(ds.BitsStored), int(ds.HighBit), 0)
    )
    pi = gdcm.PhotometricInterpretation.GetPIType(str(ds.PhotometricInterpretation))
    image.SetPhotometricInterpretation(gdcm.PhotometricInterpretation(pi))
    image.SetTransferSyntax(gdcm.TransferSyntax(gdcm.TransferSyntax.ExplicitVRLittleEndian))
    element = gdcm.DataElement(gdcm.Tag(0x7FE0, 0x0010))
    dtype = "<u2" if ds.BitsAllocated == 16 else "u1"
    element.SetByteStringValue(np.ascontiguousarray(frame, dtype=dtype).tobytes())
    image.SetDataElement(element)
    change = gdcm.ImageChangeTransferSyntax()
    change.SetTransferSyntax(gdcm.TransferSyntax(gdcm.TransferSyntax.JPEGLosslessProcess14_1))
    change.SetInput(image)
    if not change.Change():
        raise RuntimeError("GDCM could not encode JPEG lossless SV1")
    fragments = change.GetOutput().GetDataElement().GetSequenceOfFragments()
    count = fragments.GetNumberOfFragments()
    # The SWIG binding hands the buffer over as str (surrogate-escaped bytes).
    text: str = fragments.GetFragment(0).GetByteValue().GetBuffer() if count == 1 else ""
    # Drop the proxies into the filter's output before the filter itself goes.
    del fragments
    del change
    if count != 1:
        raise RuntimeError("expected one fragment per frame from GDCM")
    return text.encode("utf-8", "surrogateescape")


def encode_frame(frame: NDArray[Any], ds: Dataset, transfer_syntax: str) -> bytes:
    """One frame in an encapsulated transfer syntax."""
    if transfer_syntax == JPEGLosslessSV1:
        return encode_sv1(frame, ds)
    encoder = get_encoder(transfer_syntax)
    data: bytes = encoder.encode(frame, **_pixel_kwargs(ds))
    return data


def set_pixel_data(ds: Dataset, arr: NDArray[Any], transfer_syntax: str) -> None:
    """Put ``arr`` into ``ds`` as PixelData in ``transfer_syntax``; sets file meta TS."""
    if transfer_syntax not in SUPPORTED:
        raise ValueError(f"unsupported transfer syntax {transfer_syntax}")
    if not hasattr(ds, "file_meta"):
        ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = UID(transfer_syntax)
    if transfer_syntax == ExplicitVRLittleEndian:
        dtype = "<u2" if ds.BitsAllocated == 16 else "u1"
        ds.PixelData = np.ascontiguousarray(arr, dtype=dtype).tobytes()
        ds["PixelData"].VR = "OW" if ds.BitsAllocated == 16 else "OB"
        return
    frames = [encode_frame(f, ds, transfer_syntax) for f in _frames(ds, arr)]
    ds.PixelData = encapsulate(frames, has_bot=len(frames) > 1)
    ds["PixelData"].VR = "OB"
    if transfer_syntax == JPEGLosslessSV1:
        # GDCM wrote it; make sure the usual Python decoders read back the same pixels.
        decoded = ds.pixel_array
        if not np.array_equal(decoded, arr):
            raise RuntimeError("JPEG lossless SV1 round trip changed the pixels")
