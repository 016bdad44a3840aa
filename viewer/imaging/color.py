"""Colour images: RGB, YBR_FULL(_422) → RGB, PALETTE COLOR (PS3.3 C.7.6.3.1.2, C.7.9).

Conversion happens exactly once. pydicom 3 converts YBR_FULL and YBR_FULL_422 to RGB
while decoding unless asked not to (``raw=True``; ``Dataset.pixel_array`` always
converts). So ``to_rgb`` takes the photometric interpretation *of the array*, not of the
file: pass the value the decoder reports (``Decoder.as_array`` returns it as
``meta["photometric_interpretation"]``), or ``"RGB"`` after ``ds.pixel_array``. Passing
the file's ``YBR_FULL_422`` for an array pydicom already converted would convert twice.

Arrays from pydicom have samples last, whatever Planar Configuration (0028,0006) says;
``samples_last`` does that reordering for raw native bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset

from viewer.errors import InvalidDataError
from viewer.imaging.modality_lut import (
    LUT,
    apply_lut,
    dataset_little_endian,
    lut_descriptor,
    lut_entries,
    native,
)

AnyArray = npt.NDArray[Any]
ByteArray = npt.NDArray[np.uint8]

# PS3.3 C.7.6.3.1.2, YBR_FULL: the RGB → YCbCr equations (CCIR 601-2), rows Y, CB, CR.
RGB_TO_YBR_FULL = np.array(
    [
        [+0.2990, +0.5870, +0.1140],
        [-0.1687, -0.3313, +0.5000],
        [+0.5000, -0.4187, -0.0813],
    ]
)
YBR_FULL_TO_RGB = np.linalg.inv(RGB_TO_YBR_FULL)
_CHANNELS = ("Red", "Green", "Blue")


def samples_last(
    samples: AnyArray,
    rows: int,
    columns: int,
    samples_per_pixel: int = 3,
    planar_configuration: int = 0,
    frames: int = 1,
) -> AnyArray:
    """Flat native samples → (frames, rows, columns, samples) (PS3.3 C.7.6.3.1.3).

    Planar Configuration 0 interleaves samples per pixel (R1 G1 B1 R2 …); 1 stores each
    colour plane of a frame whole (R1 R2 … G1 G2 … B1 B2 …).
    """
    flat = np.asarray(samples).reshape(-1)
    if flat.size != frames * rows * columns * samples_per_pixel:
        raise InvalidDataError(f"{flat.size} samples do not fill {frames} × {rows} × {columns}")
    if planar_configuration == 1:
        planes: AnyArray = flat.reshape(frames, samples_per_pixel, rows, columns)
        return np.moveaxis(planes, 1, -1)
    return flat.reshape(frames, rows, columns, samples_per_pixel)


def ybr_full_to_rgb(ybr: AnyArray, bits: int = 8) -> AnyArray:
    """YBR_FULL (or YBR_FULL_422 with its sub-sampling removed) → RGB, C.7.6.3.1.2.

    Inverts the standard's equations; CB and CR are offset by 2**(bits − 1) (128 at 8
    bits). Results are rounded and clipped to 0 … 2**bits − 1, in the input's dtype.
    """
    ybr = native(np.asarray(ybr))
    offset = np.array([0.0, 1 << (bits - 1), 1 << (bits - 1)])
    rgb: npt.NDArray[np.float64] = (ybr.astype(np.float64) - offset) @ YBR_FULL_TO_RGB.T
    clipped = np.clip(np.floor(rgb + 0.5), 0, (1 << bits) - 1)
    return clipped.astype(ybr.dtype if ybr.dtype.kind in "iu" else np.uint16)


def to_rgb(arr: AnyArray, photometric: str, bits: int = 8) -> AnyArray:
    """Samples-last colour pixels → RGB, given the photometric interpretation *of ``arr``*.

    RGB passes unchanged. YBR_FULL and YBR_FULL_422 are converted (the 422 sub-sampling is
    a decoding matter: pydicom removes it). YBR_ICT and YBR_RCT are JPEG 2000 component
    transforms that the decoder reverses, so their arrays are RGB already.
    """
    name = photometric.strip().upper()
    if name in ("RGB", "YBR_ICT", "YBR_RCT"):
        return native(np.asarray(arr))
    if name in ("YBR_FULL", "YBR_FULL_422"):
        return ybr_full_to_rgb(arr, bits)
    raise InvalidDataError(f"cannot turn {photometric} pixels into RGB")


def rgb_to_8bit(rgb: AnyArray, bits: int) -> ByteArray:
    """Colour samples of ``bits`` bits → 0 … 255, rounded: ``v · 255 / (2**bits − 1)``."""
    values = np.asarray(rgb, dtype=np.float64)
    return np.floor(values * 255.0 / ((1 << bits) - 1) + 0.5).astype(np.uint8)


@dataclass(frozen=True)
class Palette:
    """The three expanded Palette Color LUTs (PS3.3 C.7.6.3.1.5), one entry per row."""

    first_mapped: int
    bits: int
    table: npt.NDArray[np.uint16]  # shape (entries, 3): red, green, blue


def expand_segmented(
    words: Sequence[int] | AnyArray, count: int, word_bytes: int = 2
) -> npt.NDArray[np.uint16]:
    """Segmented Palette Color LUT Data → ``count`` entries (PS3.3 C.7.9.2).

    Segments are (opcode, length, data…):

    - discrete, 0 (C.7.9.2.1): ``length`` entries follow;
    - linear, 1 (C.7.9.2.2): one value Y1; the straight line from the previous segment's
      end (X0, Y0) to (X0 + length, Y1), i.e. ``Y0 + (Y1 − Y0)·k/length`` for k = 1 …
      length (Y0 is not repeated), rounded half up; it cannot come first;
    - indirect, 2 (C.7.9.2.3): copy ``length`` segments starting at a byte offset from the
      start of the data, given as low then high 16 bits; it may not copy an indirect one.

    ``words`` are the data's words: 16-bit (``word_bytes`` 2) for 16-bit entries, or bytes
    (``word_bytes`` 1) when the descriptor says 8 bits, as for unsegmented 8-bit data.
    """
    data = [int(w) for w in np.asarray(words).reshape(-1)]
    out: list[int] = []
    _expand(data, 0, len(data), out, word_bytes, nested=False)
    if len(out) < count:
        raise InvalidDataError(f"segmented LUT expands to {len(out)} entries, not {count}")
    return np.asarray(out[:count], dtype=np.uint16)


def _expand(
    data: list[int], start: int, segments: int, out: list[int], word_bytes: int, nested: bool
) -> None:
    position, done = start, 0
    while position < len(data) and done < segments:
        opcode, length = data[position], data[position + 1] if position + 1 < len(data) else 0
        size = {0: 2 + length, 1: 3, 2: 4}.get(opcode, 2)
        if position + size > len(data):
            raise InvalidDataError("segmented LUT ends inside a segment")
        if opcode == 0:
            out.extend(data[position + 2 : position + size])
        elif opcode == 1 and out:
            y0, y1 = out[-1], data[position + 2]
            steps = range(1, length + 1)
            out.extend(int(np.floor(y0 + (y1 - y0) * k / length + 0.5)) for k in steps)
        elif opcode == 2 and not nested:
            offset = data[position + 2] | data[position + 3] << 16
            _expand(data, offset // word_bytes, length, out, word_bytes, nested=True)
        else:
            raise InvalidDataError(f"segmented LUT: segment type {opcode} not allowed here")
        position += size
        done += 1


def palette(ds: Dataset) -> Palette:
    """The Red, Green and Blue Palette Color LUTs of ``ds``, expanded (C.7.6.3.1.5, C.7.9).

    Descriptors (0028,1101-1103) US/SS: entries (0 = 2**16), first value mapped (SS when
    Pixel Representation is 1), bits per entry (8 or 16). Data (0028,1201-1203) OW, or
    Segmented data (0028,1221-1223) OW. The three descriptors must agree.
    """
    signed = int(ds.get("PixelRepresentation", 0)) == 1
    little = dataset_little_endian(ds)
    descriptors, columns = set(), []
    for channel in _CHANNELS:
        keyword = f"{channel}PaletteColorLookupTableDescriptor"
        if keyword not in ds:
            raise InvalidDataError(f"PALETTE COLOR image without {keyword}")
        count, first, bits = lut_descriptor(list(ds[keyword].value), signed)
        descriptors.add((count, first, bits))
        columns.append(_palette_column(ds, channel, count, bits, little))
    if len(descriptors) != 1:
        raise InvalidDataError("the red, green and blue palette descriptors differ")
    _, first, bits = descriptors.pop()
    return Palette(first, bits, np.stack(columns, axis=-1))


def _palette_column(
    ds: Dataset, channel: str, count: int, bits: int, little: bool
) -> npt.NDArray[np.uint16]:
    segmented = ds.get(f"Segmented{channel}PaletteColorLookupTableData")
    if segmented is not None:
        raw = bytes(segmented)
        if bits <= 8:
            return expand_segmented(np.frombuffer(raw, dtype=np.uint8), count, word_bytes=1)
        words = np.frombuffer(raw, dtype="<u2" if little else ">u2")
        return expand_segmented(words, count)
    data = ds.get(f"{channel}PaletteColorLookupTableData")
    if data is None:
        raise InvalidDataError(f"PALETTE COLOR image without {channel} palette data")
    return lut_entries(data if isinstance(data, bytes) else list(data), count, bits, little)


def apply_palette(indices: AnyArray, table: Palette) -> npt.NDArray[np.uint16]:
    """Stored values → (…, 3) palette entries; values outside the table clamp to its ends."""
    lut = LUT(table.first_mapped, table.bits, np.arange(len(table.table), dtype=np.uint16))
    return table.table[apply_lut(indices, lut)]


def palette_to_rgb8(indices: AnyArray, ds: Dataset) -> ByteArray:
    """A PALETTE COLOR image as 8-bit RGB: look up, then scale the entries' bits to 0 … 255."""
    table = palette(ds)
    return rgb_to_8bit(apply_palette(indices, table), table.bits)
