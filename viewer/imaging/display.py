"""The whole grayscale chain, stored values → 8-bit display values, and its table form.

PS3.4 Annex N: stored values → Modality LUT (PS3.3 C.11.1) → VOI LUT (C.11.2) →
Presentation LUT (C.11.6, MONOCHROME1 / Presentation LUT Shape). Modality before VOI,
always. Display values are the chain's 0 … 255 output rounded half up.

The table form is the same chain evaluated once per possible stored value, so the
viewport and the PNG export share one implementation and cannot drift apart:

    chain = grayscale_chain(ds, pixels=stored)                 # file's first window
    table = display_lut_for_bits(chain, ds.BitsStored, ds.PixelRepresentation == 1)
    shown = apply_display_lut(stored, table)                    # == to_display(stored, chain)

For VTK, load ``table.table`` as a vtkLookupTable of N = ``len(table.table)`` colours with
table range ``(first_stored − 0.5, last_stored + 0.5)``: VTK picks entry
``floor((v − range_min) · N / (range_max − range_min))``, which for an integer stored value
``v`` is exactly ``v − first_stored``. Rebuild the table when the window changes (at most
65 536 entries: cheap).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset

from viewer.imaging.modality_lut import (
    ModalityTransform,
    Rescale,
    apply_modality,
    modality_transform,
    native,
    stored_values_of,
)
from viewer.imaging.presentation import invert, presentation_inverts
from viewer.imaging.voi_lut import VOI, apply_voi, default_voi, voi_choices, window_from_range

AnyArray = npt.NDArray[Any]
FloatArray = npt.NDArray[np.float64]
ByteArray = npt.NDArray[np.uint8]

MAX_TABLE_BITS = 16  # a table of 2**16 entries; wider stored values use to_display directly


@dataclass(frozen=True)
class GrayscaleChain:
    """Modality transform, VOI and inversion: everything between stored values and P-Values."""

    modality: ModalityTransform
    voi: VOI
    inverted: bool


@dataclass(frozen=True)
class DisplayLUT:
    """``table[v - first_stored]`` is the display value of stored value ``v``."""

    first_stored: int
    table: ByteArray

    @property
    def last_stored(self) -> int:
        return self.first_stored + len(self.table) - 1


def grayscale_chain(
    ds: Dataset,
    *,
    frame: int | None = None,
    voi: VOI | int | None = None,
    pixels: AnyArray | None = None,
) -> GrayscaleChain:
    """The chain for ``ds`` (and ``frame`` of an enhanced image).

    ``voi`` picks the VOI: an object, an index into ``voi_choices(ds, frame)``, or None for
    the file's first window. With no VOI in the file, the window spans the min … max of
    the modality values of ``pixels`` (stored values; pass the whole series or volume so
    every slice shares one window); without ``pixels``, of every possible stored value.
    """
    modality = modality_transform(ds, frame)
    chosen: VOI | None
    if isinstance(voi, int):
        chosen = voi_choices(ds, frame)[voi]
    else:
        chosen = voi if voi is not None else default_voi(ds, frame)
    if chosen is None:
        if pixels is None:
            first, last = stored_range(int(ds.get("BitsStored", 16)), _signed(ds))
            pixels = np.array([first, last], dtype=np.int64)
        if isinstance(modality, Rescale):  # monotonic: the extremes map to the extremes
            pixels = np.array([np.min(pixels), np.max(pixels)])
        values = apply_modality(pixels, modality)
        chosen = window_from_range(float(np.min(values)), float(np.max(values)))
    return GrayscaleChain(modality, chosen, presentation_inverts(ds))


def apply_grayscale(
    stored: AnyArray, chain: GrayscaleChain, out_min: float = 0.0, out_max: float = 255.0
) -> FloatArray:
    """The chain in float: Modality LUT, then VOI into ``[out_min, out_max]``, then inversion."""
    values = apply_voi(apply_modality(stored, chain.modality), chain.voi, out_min, out_max)
    return invert(values, out_min, out_max) if chain.inverted else values


def to_display(stored: AnyArray, chain: GrayscaleChain) -> ByteArray:
    """8-bit display values: the chain into 0 … 255, rounded half up. Any shape (frames first)."""
    values = apply_grayscale(stored, chain)
    return np.clip(np.floor(values + 0.5), 0, 255).astype(np.uint8)


def stored_range(bits_stored: int, signed: bool) -> tuple[int, int]:
    """Every stored value Bits Stored allows (PS3.5 §8): two's complement when signed."""
    if signed:
        return -(1 << (bits_stored - 1)), (1 << (bits_stored - 1)) - 1
    return 0, (1 << bits_stored) - 1


def display_lut(chain: GrayscaleChain, first_stored: int, last_stored: int) -> DisplayLUT:
    """The chain as a table over stored values ``first_stored … last_stored``.

    Built by running ``to_display`` on every value in the range, so the table and the chain
    agree by construction. Values outside the range clamp to the end entries.
    """
    if last_stored < first_stored or last_stored - first_stored >= 1 << MAX_TABLE_BITS:
        raise ValueError(f"stored range {first_stored}…{last_stored} does not fit a table")
    inputs = np.arange(first_stored, last_stored + 1, dtype=np.int64)
    return DisplayLUT(first_stored, to_display(inputs, chain))


def display_lut_for_bits(chain: GrayscaleChain, bits_stored: int, signed: bool) -> DisplayLUT:
    """``display_lut`` over every value Bits Stored allows (up to 16 bits)."""
    return display_lut(chain, *stored_range(bits_stored, signed))


def apply_display_lut(stored: AnyArray, lut: DisplayLUT) -> ByteArray:
    """Look stored values up in a ``DisplayLUT``: equal to ``to_display`` for in-range values."""
    values = native(np.asarray(stored)).astype(np.int64)
    return lut.table[np.clip(values - lut.first_stored, 0, len(lut.table) - 1)]


def display_frames(frames: AnyArray, ds: Dataset, voi: VOI | int | None = None) -> ByteArray:
    """Display values of a (frames, rows, columns) array, each frame with its own chain.

    Enhanced images may rescale and window each frame differently (functional groups);
    ``frames`` holds pixel cells as decoded, and is reduced to stored values here.
    """
    cells = np.asarray(frames)
    stored = stored_values_of(cells, ds)
    out = np.empty(stored.shape, dtype=np.uint8)
    for index in range(stored.shape[0]):
        chain = grayscale_chain(ds, frame=index, voi=voi, pixels=stored)
        out[index] = to_display(stored[index], chain)
    return out


def _signed(ds: Dataset) -> bool:
    return int(ds.get("PixelRepresentation", 0)) == 1
