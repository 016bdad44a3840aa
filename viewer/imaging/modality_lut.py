"""Stored values and the Modality LUT: the first step of the grayscale pipeline.

PS3.4 Annex N gives the order: stored values → Modality LUT (PS3.3 C.11.1) → VOI LUT
(C.11.2) → Presentation LUT (C.11.6) → P-Values. The Modality LUT always comes before
the VOI LUT: windows are written in modality units (Hounsfield units for CT), so a window
applied to raw stored values would be wrong for any image with a rescale.

Also here, because every LUT of the standard shares it: reading a LUT Descriptor and
its LUT Data (C.11.1.1.1, C.11.2.1.1, C.7.6.3.1.5).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset

from viewer.errors import InvalidDataError

AnyArray = npt.NDArray[Any]


@dataclass(frozen=True)
class LUT:
    """A lookup table as its LUT Descriptor describes it (PS3.3 C.11.1.1.1).

    ``data[0]`` is the output for input ``first_mapped``; inputs below it give ``data[0]``,
    inputs at or above ``first_mapped + len(data) - 1`` give ``data[-1]``. Entries are
    ``bits`` wide (output range 0 … 2**bits − 1).
    """

    first_mapped: int
    bits: int
    data: npt.NDArray[np.uint16]
    explanation: str = ""


@dataclass(frozen=True)
class Rescale:
    """Rescale Slope (0028,1053) DS and Rescale Intercept (0028,1052) DS: ``m·SV + b``."""

    slope: float = 1.0
    intercept: float = 0.0
    rescale_type: str = ""  # Rescale Type (0028,1054) LO, e.g. "HU"

    @property
    def is_identity(self) -> bool:
        return self.slope == 1.0 and self.intercept == 0.0


ModalityTransform = Rescale | LUT


def native(arr: AnyArray) -> AnyArray:
    """The array in the machine's byte order: a big-endian array gives the same values."""
    if arr.dtype.byteorder in ("=", "|"):
        return arr
    return arr.astype(arr.dtype.newbyteorder("="))


def stored_values(
    arr: AnyArray, bits_stored: int, pixel_representation: int, high_bit: int | None = None
) -> AnyArray:
    """Stored values from pixel cells: keep Bits Stored bits ending at High Bit, sign-extend.

    PS3.5 §8.1.1: a pixel cell is Bits Allocated wide; the stored value is the Bits Stored
    (0028,0101) bits ending at High Bit (0028,0102) (normally Bits Stored − 1); the other
    bits may hold anything (old overlays) and are dropped. Pixel Representation
    (0028,0103) 1 means two's complement, so the top stored bit is the sign. The result
    has the cell's width, signed or unsigned as Pixel Representation says, native byte
    order. Arrays already decoded by pydicom pass through unchanged in value.
    """
    arr = native(np.asarray(arr))
    if arr.dtype.kind not in "iu":
        return arr  # float pixel data has no stored-bit layout
    width = arr.dtype.itemsize * 8
    high = bits_stored - 1 if high_bit is None else high_bit
    if not 1 <= bits_stored <= width or not bits_stored - 1 <= high < width:
        raise InvalidDataError(
            f"Bits Stored {bits_stored} / High Bit {high} do not fit {width}-bit pixel cells"
        )
    unsigned = arr.view(np.dtype(f"u{arr.dtype.itemsize}"))
    signed_dtype = np.dtype(f"i{arr.dtype.itemsize}")
    shift = high + 1 - bits_stored
    if bits_stored == width:
        return unsigned.view(signed_dtype) if pixel_representation == 1 else unsigned
    values = (unsigned >> shift) & ((1 << bits_stored) - 1)
    if pixel_representation != 1:
        return values
    result = values.astype(signed_dtype)
    sign = 1 << (bits_stored - 1)
    return np.where(values >= sign, result - (1 << bits_stored), result).astype(signed_dtype)


def stored_values_of(cells: AnyArray, ds: Dataset) -> AnyArray:
    """``stored_values`` with the pixel cell layout (Bits Stored, Pixel Representation,
    High Bit) read from ``ds``; Bits Stored defaults to the cells' width."""
    cells = np.asarray(cells)
    return stored_values(
        cells,
        int(ds.get("BitsStored", cells.dtype.itemsize * 8)),
        int(ds.get("PixelRepresentation", 0)),
        int(ds["HighBit"].value) if "HighBit" in ds else None,
    )


def apply_rescale(arr: AnyArray, slope: float, intercept: float) -> AnyArray:
    """``slope · SV + intercept`` (PS3.3 C.11.1, Rescale Slope/Intercept).

    Identity returns the input. Whole-number slope and intercept on integer input stay
    integer, in the smallest signed type that holds every possible result; anything else
    is float64.
    """
    arr = native(np.asarray(arr))
    if slope == 1.0 and intercept == 0.0:
        return arr
    if arr.dtype.kind in "iu" and float(slope).is_integer() and float(intercept).is_integer():
        m, b = int(slope), int(intercept)
        info = np.iinfo(arr.dtype)
        bounds = [info.min * m, info.max * m, info.min * m + b, info.max * m + b]
        dtype = np.result_type(np.int16, *(np.min_scalar_type(v) for v in bounds))
        if dtype.kind == "i":  # bounds past int64 fall through to float64
            return arr.astype(dtype) * m + b
    return arr.astype(np.float64) * slope + intercept


def lut_descriptor(values: Sequence[int], signed: bool) -> tuple[int, int, int]:
    """(number of entries, first value mapped, bits per entry) from a LUT Descriptor.

    PS3.3 C.11.1.1.1: 0 entries means 2**16; the first value mapped is SS when the input is
    signed (Pixel Representation 1), US otherwise. Explicit VR writes one VR for all three
    values, so a reader may see 65535 for −1 (read as US) or a negative count (read as SS):
    both are undone here. A negative first value that arrives already signed is kept.
    """
    if len(values) != 3:
        raise InvalidDataError(f"LUT Descriptor needs 3 values, found {len(values)}")
    count, first, bits = (int(v) for v in values)
    count = (count & 0xFFFF) or 0x10000
    if first >= 0 and signed and first >= 0x8000:
        first -= 0x10000
    elif first >= 0:
        first &= 0xFFFF
    return count, first, bits & 0xFFFF


def lut_entries(
    value: bytes | Sequence[int] | int, count: int, bits: int, little_endian: bool = True
) -> npt.NDArray[np.uint16]:
    """LUT Data (US or OW) as ``count`` entries.

    8-bit entries are packed two to a 16-bit word, as if Bits Allocated were 8 (PS3.3
    C.11.1.1.1 and CP 522). Some writers put each 8-bit entry in its own 16-bit word; the
    standard says to detect that by comparing the length with the number of entries, so a
    table with one word per entry is read one entry per word.
    """
    if isinstance(value, bytes | bytearray):
        words = np.frombuffer(value, dtype="<u2" if little_endian else ">u2")
    else:
        words = np.asarray([value] if isinstance(value, int) else list(value), dtype=np.int64)
        words = (words & 0xFFFF).astype(np.uint16)
    words = native(words)
    packed = bits <= 8 and len(words) < count
    entries = words.astype("<u2").view(np.uint8) if packed else words  # low byte first
    if len(entries) < count:
        raise InvalidDataError(f"LUT Data holds {len(entries)} entries, descriptor says {count}")
    return np.asarray(entries[:count], dtype=np.uint16)


def dataset_little_endian(ds: Dataset) -> bool:
    """Whether OW values in ``ds`` were read little endian (datasets made in code are)."""
    encoding = getattr(ds, "original_encoding", (None, None))
    return encoding[1] is not False


def lut_from_item(item: Dataset, signed: bool, little_endian: bool = True) -> LUT:
    """A LUT from a sequence item holding LUT Descriptor (0028,3002) and LUT Data (0028,3006)."""
    if "LUTDescriptor" not in item or "LUTData" not in item:
        raise InvalidDataError("LUT item lacks LUT Descriptor or LUT Data")
    count, first, bits = lut_descriptor(list(item.LUTDescriptor), signed)
    data = lut_entries(item["LUTData"].value, count, bits, little_endian)
    return LUT(first, bits, data, str(item.get("LUTExplanation", "")))


def apply_lut(arr: AnyArray, lut: LUT) -> npt.NDArray[np.uint16]:
    """Look inputs up in ``lut``, clamping below the first and above the last entry.

    Non-integer inputs (a float rescale before a VOI LUT) are rounded half up first.
    """
    values = native(np.asarray(arr))
    if values.dtype.kind == "f":
        values = np.floor(values + 0.5)
    index = np.clip(values.astype(np.int64) - lut.first_mapped, 0, len(lut.data) - 1)
    return lut.data[index]


def functional_group_item(ds: Dataset, keyword: str, frame: int | None) -> Dataset | None:
    """The first item of functional group ``keyword`` for ``frame`` of an enhanced image.

    PS3.3 C.7.6.16: a group sits in Per-frame Functional Groups Sequence (5200,9230) item
    ``frame`` or in Shared Functional Groups Sequence (5200,9229); the per-frame one wins.
    With ``frame`` None only the shared groups are read.
    """
    places: list[Dataset] = []
    per_frame = ds.get("PerFrameFunctionalGroupsSequence")
    if frame is not None and per_frame is not None and 0 <= frame < len(per_frame):
        places.append(per_frame[frame])
    shared = ds.get("SharedFunctionalGroupsSequence")
    if shared:
        places.append(shared[0])
    for place in places:
        sequence = place.get(keyword)
        if sequence:
            return sequence[0]  # type: ignore[no-any-return]
    return None


def modality_transform(ds: Dataset, frame: int | None = None) -> ModalityTransform:
    """The Modality LUT of ``ds`` (PS3.3 C.11.1), for ``frame`` of an enhanced image.

    In order: Pixel Value Transformation Sequence (0028,9145) in the functional groups
    (per-frame over shared); Modality LUT Sequence (0028,3000); Rescale Slope/Intercept;
    else identity. The standard forbids a Modality LUT Sequence together with a rescale;
    if a file has both, the sequence, the more specific of the two, is used.
    """
    item = functional_group_item(ds, "PixelValueTransformationSequence", frame)
    if item is not None and "RescaleSlope" in item:
        return _rescale(item)
    sequence = ds.get("ModalityLUTSequence")
    if sequence:
        signed = int(ds.get("PixelRepresentation", 0)) == 1
        return lut_from_item(sequence[0], signed, dataset_little_endian(ds))
    return _rescale(ds)


def _rescale(item: Dataset) -> Rescale:
    slope = item.get("RescaleSlope")
    intercept = item.get("RescaleIntercept")
    return Rescale(
        1.0 if slope in (None, "") else float(slope),
        0.0 if intercept in (None, "") else float(intercept),
        str(item.get("RescaleType", "")),
    )


def apply_modality(arr: AnyArray, transform: ModalityTransform) -> AnyArray:
    """Stored values → modality values through a rescale or a Modality LUT (PS3.3 C.11.1)."""
    if isinstance(transform, LUT):
        return apply_lut(arr, transform)
    return apply_rescale(arr, transform.slope, transform.intercept)


def apply_modality_lut(arr: AnyArray, ds: Dataset, frame: int | None = None) -> AnyArray:
    """``apply_modality(arr, modality_transform(ds, frame))``: the Modality LUT of ``ds``."""
    return apply_modality(arr, modality_transform(ds, frame))
