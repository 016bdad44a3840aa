"""A series' thumbnail: its middle image through the display chain, shrunk to a few pixels.

The image is the one :func:`viewer.imaging.export.display_image` gives (Modality LUT,
the file's first window or min/max, MONOCHROME1 inversion; colour as RGB), so a
thumbnail looks like the screen and the PNG export. Shrinking averages the source pixels
each thumbnail pixel covers (a box filter: no aliasing on a 512² CT) and keeps the
physical aspect ratio when rows and columns are spaced differently (PS3.3 C.7.6.3.1.7
Pixel Aspect Ratio, C.7.6.2.1.1 Pixel Spacing, C.8.11.7 Imager Pixel Spacing).

:func:`shrink`, :func:`thumbnail_shape` and :func:`middle` are pure numpy / Python; only
:func:`series_thumbnail` reads and decodes a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset

from viewer.imaging.bad_data import bad_data
from viewer.imaging.decode import read_dataset
from viewer.imaging.export import display_image, frame_count
from viewer.imaging.geometry import positive_pair
from viewer.imaging.voi_lut import default_voi
from viewer.instance_file import Readable

THUMBNAIL_SIZE = 96  # pixels on the longer side
ByteArray = npt.NDArray[np.uint8]
T = TypeVar("T")


def middle(items: Sequence[T]) -> T:
    """The middle item (the lower one of two): a series' most telling image as a rule
    (the mid-slice of a volume, the middle frame of a cine)."""
    if not items:
        raise ValueError("no items")
    return items[(len(items) - 1) // 2]


def thumbnail_shape(
    rows: int, columns: int, max_side: int, pixel_aspect: float = 1.0
) -> tuple[int, int]:
    """(rows, columns) of a thumbnail at most ``max_side`` on its longer side, with the
    image's physical proportions; ``pixel_aspect`` is row spacing / column spacing (the
    physical height of a pixel over its width). A small image is not enlarged beyond its
    own resolution (that of its finer axis); at least one pixel each way."""
    if rows < 1 or columns < 1 or max_side < 1 or not pixel_aspect > 0:
        raise ValueError(f"cannot shrink {rows}×{columns} to {max_side} (aspect {pixel_aspect})")
    # Physical size in units of the finer of the two spacings.
    height = rows * max(pixel_aspect, 1.0)
    width = columns * max(1.0 / pixel_aspect, 1.0)
    scale = min(max_side, max(height, width)) / max(height, width)
    return max(1, round(height * scale)), max(1, round(width * scale))


def shrink(image: npt.NDArray[Any], max_side: int, pixel_aspect: float = 1.0) -> ByteArray:
    """An 8-bit image ((rows, columns) or (rows, columns, 3)) reduced to a thumbnail.

    Each output pixel is the mean of the input pixels it covers (rounded half up); an
    axis that must grow (strongly anisotropic pixels) repeats pixels instead.
    """
    if image.ndim not in (2, 3):
        raise ValueError(f"not an image: shape {image.shape}")
    rows, columns = image.shape[:2]
    out_rows, out_columns = thumbnail_shape(rows, columns, max_side, pixel_aspect)
    values = np.asarray(image, dtype=np.float64)
    values = _resample_axis(values, out_rows, axis=0)
    values = _resample_axis(values, out_columns, axis=1)
    out: ByteArray = np.clip(np.floor(values + 0.5), 0, 255).astype(np.uint8)
    return out


def _resample_axis(
    values: npt.NDArray[np.float64], size: int, axis: int
) -> npt.NDArray[np.float64]:
    length = values.shape[axis]
    if size == length:
        return values
    if size > length:  # nearest neighbour: each output pixel takes the one it falls in
        repeated: npt.NDArray[np.float64] = np.take(
            values, (np.arange(size) * length) // size, axis=axis
        )
        return repeated
    # Bins [floor(i·n/size), floor((i+1)·n/size)): every bin holds at least one pixel.
    starts = (np.arange(size) * length) // size
    counts = np.diff(np.append(starts, length))
    sums = np.add.reduceat(values, starts, axis=axis)
    shape = [1] * values.ndim
    shape[axis] = size
    means: npt.NDArray[np.float64] = sums / counts.reshape(shape)
    return means


def pixel_aspect(ds: Dataset) -> float:
    """Row spacing / column spacing: Pixel Spacing, else Imager Pixel Spacing, else Pixel
    Aspect Ratio (vertical \\ horizontal), else 1 (square pixels)."""
    for keyword in ("PixelSpacing", "ImagerPixelSpacing", "PixelAspectRatio"):
        pair = positive_pair(ds.get(keyword))
        if pair is not None:
            return pair[0] / pair[1]
    return 1.0


def series_thumbnail(paths: Sequence[Readable], max_side: int = THUMBNAIL_SIZE) -> ByteArray:
    """The thumbnail of a series from its files (in InstanceNumber order): the middle
    frame of the middle instance. Raises InvalidDataError (naming the file) when it
    cannot be read or decoded.

    Of a cine, only that frame is decoded when its look does not depend on the others
    (colour, or a window in the file): a 300-frame echo loop would otherwise be decoded
    whole for one small picture. A grayscale cine with no window is decoded whole, so
    its min/max window is the one the screen uses."""
    path = middle(paths)
    with bad_data(str(path)):  # a header value odd enough to fail the shrinking, too
        ds = read_dataset(path)
        frames = frame_count(ds)
        frame = middle(range(1, frames + 1))
        alone = frames > 1 and _looks_the_same_alone(ds, frame)
        image = display_image(ds, frame=frame, where=str(path), frame_alone=alone)
        return shrink(image, max_side, pixel_aspect(ds))


def _looks_the_same_alone(ds: Dataset, frame: int) -> bool:
    photometric = str(ds.get("PhotometricInterpretation", "")).strip().upper()
    if not photometric.startswith("MONOCHROME"):
        return True  # colour: no window at all
    enhanced = "PerFrameFunctionalGroupsSequence" in ds
    return default_voi(ds, frame - 1 if enhanced else None) is not None
