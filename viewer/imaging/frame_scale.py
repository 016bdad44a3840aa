"""An enhanced image's per-frame rescale and window, brought to the one scale a series is
shown on.

An enhanced image may give each frame its own Pixel Value Transformation (PS3.3
C.7.6.16.2.9, in Per-frame Functional Groups): an enhanced MR commonly scales every
frame differently, so one stored value means another signal in each frame. The reading
view shows a series through one grayscale chain (one display table over stored values,
:mod:`viewer.imaging.display`), so the frames are re-expressed here on one rescale:

- every frame the same rescale (shared or repeated per frame): the stored values are
  kept and that rescale becomes the header's own;
- rescales that differ: each frame's modality values (PS3.3 C.11.1: slope × stored +
  intercept) are stored again as 16-bit unsigned on one linear scale — its step the
  finest slope among the frames, so no frame loses a level, unless the range then needs
  more than 65 536 levels, when the step is the range over 65 535 (a rounding of at most
  half that step, far below what any window shows).

The header copy the volume keeps then says that one rescale at the top level (the
frames' transformation groups taken out) so the chain, the overlay and a measurement
all read the values the voxels hold. A frame's own window (Frame VOI LUT, C.7.6.16.2.10)
where the image has no shared one: the first frame's is the series' (one window for the
series, as for a CT's slices; the doctor moves it as for any). A Modality LUT table per
frame is left as the file has it.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset

from viewer.errors import InvalidDataError
from viewer.imaging.modality_lut import Rescale, functional_group_item, modality_transform

LEVELS = 65_535  # the most a 16-bit unsigned store holds above its zero


def one_scale(ds: Dataset, stored: npt.NDArray[Any], header: Dataset) -> npt.NDArray[Any]:
    """``stored`` (frames, rows, columns) of ``ds`` on one rescale, ``header`` (a copy of
    ``ds`` without pixels) rewritten to say it; unchanged for an image without per-frame
    groups."""
    if "PerFrameFunctionalGroupsSequence" not in ds:
        return stored
    _first_frame_window(ds, header)
    transforms = [modality_transform(ds, f) for f in range(len(stored))]
    if not all(isinstance(t, Rescale) for t in transforms):
        return stored  # a Modality LUT table per frame: as the file has it
    rescales: list[Rescale] = transforms  # type: ignore[assignment]
    if not all(np.isfinite([r.slope, r.intercept]).all() for r in rescales):
        raise InvalidDataError("a frame's rescale is not a number")
    if all(r == rescales[0] for r in rescales):
        _say_rescale(header, rescales[0])
        return stored
    values = [r.slope * stored[f].astype(np.float64) + r.intercept for f, r in enumerate(rescales)]
    low = min(float(v.min()) for v in values)
    high = max(float(v.max()) for v in values)
    steps = [abs(r.slope) for r in rescales if r.slope != 0]
    step = min(steps) if steps else 1.0
    if high - low > step * LEVELS:
        step = (high - low) / LEVELS
    out = np.empty(stored.shape, dtype=np.uint16)
    for f, v in enumerate(values):
        out[f] = np.clip(np.rint((v - low) / step), 0, LEVELS)
    header.BitsAllocated, header.BitsStored, header.HighBit = 16, 16, 15
    header.PixelRepresentation = 0
    _say_rescale(header, Rescale(step, low, rescales[0].rescale_type))
    return out


def _say_rescale(header: Dataset, rescale: Rescale) -> None:
    """``rescale`` as the header's top-level one, the transformation groups taken out
    (copied first: ``header`` shares its sequences with the file's dataset)."""
    for keyword in ("SharedFunctionalGroupsSequence", "PerFrameFunctionalGroupsSequence"):
        groups = header.get(keyword)
        if not groups:
            continue
        groups = copy.deepcopy(groups)
        for group in groups:
            if "PixelValueTransformationSequence" in group:
                del group.PixelValueTransformationSequence
        setattr(header, keyword, groups)
    header.RescaleSlope, header.RescaleIntercept = rescale.slope, rescale.intercept
    if rescale.rescale_type:
        header.RescaleType = rescale.rescale_type


def _first_frame_window(ds: Dataset, header: Dataset) -> None:
    if "WindowCenter" in ds or functional_group_item(ds, "FrameVOILUTSequence", None):
        return  # a window for every frame already
    voi = functional_group_item(ds, "FrameVOILUTSequence", 0)
    if voi is not None and "WindowCenter" in voi and "WindowWidth" in voi:
        header.WindowCenter, header.WindowWidth = voi.WindowCenter, voi.WindowWidth
        if "VOILUTFunction" in voi:
            header.VOILUTFunction = voi.VOILUTFunction
