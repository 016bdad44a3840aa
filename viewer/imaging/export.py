"""One image as a PNG at native resolution, through the same display chain as the screen.

Grayscale → 8-bit grayscale PNG (Modality LUT, VOI, MONOCHROME1 inversion: ``display``);
colour → RGB PNG. No interpolation, no resizing. Frames are counted from 1, as people
count them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image
from pydicom.dataset import Dataset

from viewer.errors import InvalidDataError, UsageError
from viewer.imaging.bad_data import bad_data
from viewer.imaging.color import palette_to_rgb8, rgb_to_8bit, to_rgb
from viewer.imaging.decode import decode
from viewer.imaging.display import grayscale_chain, to_display
from viewer.imaging.modality_lut import stored_values_of
from viewer.imaging.voi_lut import VOI


def display_image(
    ds: Dataset,
    frame: int = 1,
    voi: VOI | None = None,
    where: str = "",
    *,
    frame_alone: bool = False,
) -> npt.NDArray[np.uint8]:
    """The 8-bit image of ``frame`` (1-based): (rows, columns) or (rows, columns, 3).

    ``frame_alone`` decodes that frame only (a cine's thumbnail): for a caller that knows
    its window does not depend on the other frames (a colour image, or a window in the
    file); otherwise the min/max window spans every frame, as on the screen. Whatever
    fails in the display chain is InvalidDataError (:mod:`viewer.imaging.bad_data`)."""
    with bad_data(where):
        return _display_image(ds, frame, voi, where, frame_alone)


def _display_image(
    ds: Dataset, frame: int, voi: VOI | None, where: str, frame_alone: bool
) -> npt.NDArray[np.uint8]:
    if frame_alone:  # checked before decoding: pydicom's own error would say "damaged"
        count = _existing(frame, frame_count(ds), where)
        pixels = decode(ds, where, frame=frame)
    else:
        pixels = decode(ds, where)
        count = _existing(frame, pixels.frames.shape[0], where)
    at = 0 if frame_alone else frame - 1  # where that frame is in what was decoded
    photometric = pixels.photometric
    if photometric.startswith("MONOCHROME"):
        stored = stored_values_of(pixels.frames, ds)
        enhanced = count > 1 and "PerFrameFunctionalGroupsSequence" in ds
        chain = grayscale_chain(ds, frame=frame - 1 if enhanced else None, voi=voi, pixels=stored)
        return to_display(stored[at], chain)
    if voi is not None:
        raise UsageError(f"{where}: a window applies to grayscale images only ({photometric})")
    image: Any = pixels.frames[at]
    if photometric == "PALETTE COLOR":
        return palette_to_rgb8(image, ds)
    bits = int(ds.get("BitsStored", 8))
    rgb = to_rgb(image, photometric, bits)  # pydicom gives (rows, columns, samples)
    return rgb if rgb.dtype == np.uint8 and bits == 8 else rgb_to_8bit(rgb, bits)


def _existing(frame: int, count: int, where: str) -> int:
    if not 1 <= frame <= count:
        raise UsageError(f"{where}: frame {frame} does not exist (1-{count})")
    return count


def frame_count(ds: Dataset) -> int:
    """Number of Frames (0028,0008); 1 when absent or empty."""
    return int(ds.get("NumberOfFrames", 1) or 1)


def export_png(image: npt.NDArray[np.uint8], out: Path) -> None:
    if image.ndim not in (2, 3):
        raise InvalidDataError(f"cannot write an image of shape {image.shape}")
    mode = "L" if image.ndim == 2 else "RGB"
    tmp = out.with_name(out.name + ".part")
    Image.fromarray(np.ascontiguousarray(image), mode=mode).save(tmp, format="PNG")
    tmp.replace(out)
