"""A series into one contiguous volume, slice by slice, the first wanted slice first.

Headers are read first (pixel data deferred) to sort the slices into stacks
(``geometry``); the largest stack is allocated once as (slices, rows, columns) of stored
values, and each slice is read straight into its place: uncompressed little-endian pixel
data with one read into the array's memory, anything else decoded by pydicom and copied
in. Memory stays near the volume's own size (one decoded slice at a time per worker).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian

from viewer.errors import CancelledError, InvalidDataError
from viewer.imaging.decode import decode, read_dataset
from viewer.imaging.geometry import GeometryWarning, Stack, slice_geometry, split_stacks
from viewer.imaging.modality_lut import stored_values_of

RAW_SYNTAXES = (ExplicitVRLittleEndian, ImplicitVRLittleEndian)
PIXEL_DATA = 0x7FE00010


@dataclass
class Volume:
    voxels: npt.NDArray[Any]  # (slices, rows, columns) stored values, C-contiguous
    stack: Stack
    headers: list[Dataset]  # in stack order, without pixel data
    paths: list[Path]  # in stack order
    warnings: tuple[GeometryWarning, ...] = ()
    ready: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))


def read_header(path: Path) -> Dataset:
    """The dataset with its pixel data left on disk (its offset kept by pydicom)."""
    try:
        return dcmread(path, defer_size=1024, force=True)
    except Exception as err:  # pydicom raises many kinds on damaged files
        raise InvalidDataError(f"{path}: not a readable DICOM file ({err})") from err


def load_volume(
    paths: Sequence[Path],
    *,
    on_first: Callable[[npt.NDArray[Any], Dataset], None] = lambda _pixels, _ds: None,
    on_slice: Callable[[int], None] = lambda _k: None,
    workers: int = 2,
    cancelled: Callable[[], bool] = lambda: False,
) -> Volume:
    """Load the largest stack of a single-frame series; ``on_slice(k)`` as each lands.

    ``on_first`` gets the first path's image before any other file is opened, so the
    viewer shows an image at once; callers pass paths in InstanceNumber order (as the
    cache lists them), which makes that image the first of the series as acquired.
    """
    if not paths:
        raise InvalidDataError("the series has no images")
    first_header = read_header(Path(paths[0]))
    first_pixels = np.empty(
        (int(first_header.get("Rows", 0)), int(first_header.get("Columns", 0))),
        dtype=_stored_dtype(first_header),
    )
    _read_slice(Path(paths[0]), first_header, first_pixels)
    on_first(first_pixels, first_header)

    headers = [first_header] + [read_header(Path(p)) for p in paths[1:]]
    geometry = split_stacks([slice_geometry(ds) for ds in headers])
    if not geometry.stacks:
        raise InvalidDataError("no image of the series has a position and orientation")
    stack = geometry.stacks[0]
    ordered = [headers[i] for i in stack.indices]
    ordered_paths = [Path(paths[i]) for i in stack.indices]
    voxels = np.empty((len(ordered), stack.rows, stack.columns), dtype=_stored_dtype(ordered[0]))
    volume = Volume(
        voxels, stack, ordered, ordered_paths, geometry.all_warnings, np.zeros(len(ordered), bool)
    )
    lock = threading.Lock()

    def landed(k: int) -> None:
        with lock:
            volume.ready[k] = True
        on_slice(k)

    def load(k: int) -> None:
        if cancelled():
            raise CancelledError("loading cancelled")
        _read_slice(ordered_paths[k], ordered[k], voxels[k])
        landed(k)

    todo = list(range(len(ordered)))
    if 0 in stack.indices and first_pixels.shape == voxels.shape[1:]:
        k0 = stack.indices.index(0)
        voxels[k0] = first_pixels  # already read: copy rather than read again
        todo.remove(k0)
        landed(k0)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        list(pool.map(load, todo))
    return volume


def _stored_dtype(ds: Dataset) -> np.dtype[Any]:
    if int(ds.get("SamplesPerPixel", 1)) != 1:
        raise InvalidDataError("a volume needs grayscale images (one sample per pixel)")
    bits = int(ds.get("BitsAllocated", 16))
    if bits not in (8, 16, 32):
        raise InvalidDataError(f"cannot stack images of {bits} bits allocated")
    signed = int(ds.get("PixelRepresentation", 0)) == 1
    return np.dtype(f"{'i' if signed else 'u'}{bits // 8}")


def _read_slice(path: Path, header: Dataset, out: npt.NDArray[Any]) -> None:
    """Fill ``out`` with the slice's stored values."""
    if not _read_raw_into(path, header, out):
        ds = read_dataset(path)
        frames = decode(ds, str(path)).frames
        if frames.shape[1:] != out.shape:
            raise InvalidDataError(f"{path}: image size differs from the rest of the stack")
        out[...] = frames[0]
    if int(header.get("BitsStored", out.dtype.itemsize * 8)) < out.dtype.itemsize * 8:
        out[...] = stored_values_of(out, header)


def _read_raw_into(path: Path, header: Dataset, out: npt.NDArray[Any]) -> bool:
    """One read of native pixel data into ``out``; False when the file needs decoding."""
    meta = getattr(header, "file_meta", None)
    syntax = meta.get("TransferSyntaxUID") if meta is not None else None
    frames = int(header.get("NumberOfFrames", 1) or 1)
    if syntax not in RAW_SYNTAXES or frames != 1 or sys.byteorder != "little":
        return False
    # The deferred element, not its value: reading the value would read the pixels twice.
    element = header.get_item(PIXEL_DATA, keep_deferred=True)
    offset = getattr(element, "value_tell", None)
    length = getattr(element, "length", None)
    if offset is None or length != out.nbytes:  # undefined length: encapsulated
        return False
    view = out.data.cast("B")  # the slice's own memory: no copy on the way
    with path.open("rb", buffering=0) as fh:
        fh.seek(offset)
        got = fh.readinto(view)
    if got != view.nbytes:
        raise InvalidDataError(f"{path}: pixel data is cut short ({got} of {view.nbytes} bytes)")
    return True
