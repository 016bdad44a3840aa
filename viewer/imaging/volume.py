"""A series into one contiguous volume, slice by slice, the first wanted slice first.

Each slice's :class:`~viewer.imaging.pixel_layout.PixelLayout` (rows, bits, position,
orientation, where its pixel data starts) sorts the slices into stacks (``geometry``);
the cache hands the layouts over from its index, and for other files they are read from
each file's first bytes, pydicom reading the header only where that cannot tell. The
largest stack is allocated once as (slices, rows, columns) of stored values, and each
slice is read straight into its place: uncompressed little-endian pixel data with one
read into the array's memory, anything else decoded by pydicom and copied in. Memory
stays near the volume's own size (one decoded slice at a time per worker). Full headers
(for the display pipeline and the overlay) are read on demand, slice by slice.
"""

from __future__ import annotations

import math
import sys
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset

from viewer import part10
from viewer.errors import CancelledError, InvalidDataError
from viewer.imaging.bad_data import bad_data
from viewer.imaging.decode import decode, max_decoded_bytes, read_dataset
from viewer.imaging.geometry import (
    GeometryIssue,
    GeometryWarning,
    SliceGeometry,
    Stack,
    slice_geometry,
    split_stacks,
)
from viewer.imaging.headers import LazyHeaders, read_header
from viewer.imaging.modality_lut import stored_values
from viewer.imaging.pixel_layout import NATIVE_LITTLE_ENDIAN, PixelLayout, read_layout
from viewer.imaging.projection import projection_stack, same_size
from viewer.instance_file import InstanceFile, Readable, as_instance_file, read_into


@dataclass
class Volume:
    voxels: npt.NDArray[Any]  # (slices, rows, columns) stored values, C-contiguous
    stack: Stack
    headers: Sequence[Dataset]  # in stack order, without pixel data, read on demand
    # In stack order; None for a slice not yet arrived (viewer.session.arriving).
    paths: Sequence[InstanceFile | None]
    warnings: tuple[GeometryWarning, ...] = ()
    # Slices whose stored values are in ``voxels``; the others are zeros.
    ready: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # Slices that will not come, by index: why, in words for a placeholder (an instance
    # that cannot be decoded). They stay zeros and not ready.
    failed: dict[int, str] = field(default_factory=dict)
    # Each slice's frame in its file (1-based), in stack order: a multi-frame's; empty
    # when every slice is a single-frame file's (frame 1). A measurement names its image
    # by (SOP Instance UID, frame).
    frames: tuple[int, ...] = ()

    def frame_of(self, k: int) -> int:
        return self.frames[k] if self.frames else 1


@dataclass(frozen=True)
class VolumePlan:
    """Which files make the volume and in which order, before any pixel is read."""

    stack: Stack  # ``stack.indices`` point into the files planned, in stack order
    warnings: tuple[GeometryWarning, ...]
    dtype: np.dtype[Any]


def load_volume(
    paths: Sequence[Readable],
    *,
    layouts: Sequence[PixelLayout | None] | None = None,
    on_first: Callable[[npt.NDArray[Any], Dataset], None] = lambda _pixels, _ds: None,
    on_slice: Callable[[int], None] = lambda _k: None,
    workers: int = 2,
    cancelled: Callable[[], bool] = lambda: False,
) -> Volume:
    """Load the largest stack of a single-frame series; ``on_slice(k)`` as each lands.

    ``on_first`` gets the first path's image before any other file is opened, so the
    viewer shows an image at once; callers pass paths in InstanceNumber order (as the
    cache lists them), which makes that image the first of the series as acquired.
    ``layouts`` (one per path, None where unknown) are what the cache's index knows of
    each file; the others are read from the files. A slice that cannot be decoded stays
    zeros and not ready, why in ``Volume.failed`` (the viewer says so in its place);
    only a series none of whose images can be decoded is refused.
    """
    if not paths:
        raise InvalidDataError("the series has no images")
    files = [as_instance_file(p) for p in paths]
    if layouts is not None and len(layouts) != len(files):
        raise ValueError("one layout per path, or none at all")
    known = list(layouts) if layouts is not None else [None] * len(files)
    first_header = read_header(files[0])
    with bad_data(str(files[0])):  # what fails on its values is bad data, not a bug here
        first = _Slice(first_header, known[0] if known[0] is not None else read_layout(files[0]))
    first_pixels, first_failed = _first_image(files[0], first, on_first)

    headers = LazyHeaders(files, {files[0]: first_header})
    slices = [first] + [
        _Slice(None, known[i] if known[i] is not None else read_layout(p), headers, i)
        for i, p in enumerate(files[1:], 1)
    ]
    plan = _plan(slices, first_header)
    stack, warnings = plan.stack, plan.warnings
    ordered = [slices[i] for i in stack.indices]
    ordered_paths = [files[i] for i in stack.indices]
    with bad_data("the series"):
        voxels = _empty((len(ordered), stack.rows, stack.columns), plan.dtype)
    volume = Volume(
        voxels,
        stack,
        headers.reordered(stack.indices),
        ordered_paths,
        warnings,
        np.zeros(len(ordered), bool),
    )
    lock = threading.Lock()

    def landed(k: int) -> None:
        with lock:
            volume.ready[k] = True
        on_slice(k)

    def load(k: int) -> None:
        if cancelled():
            raise CancelledError("loading cancelled")
        try:
            _read_slice(ordered_paths[k], ordered[k], voxels[k])
        except InvalidDataError as err:
            # One slice that cannot be decoded is that slice's problem: it stays zeros,
            # not ready, with why (its file's name left out), and the rest are read.
            voxels[k] = 0
            with lock:
                volume.failed[k] = str(err).removeprefix(f"{ordered_paths[k]}: ")
            return
        landed(k)

    todo = list(range(len(ordered)))
    k0 = _first_in_place(volume, first_pixels, first_failed)
    if k0 is not None:
        todo.remove(k0)
        if k0 not in volume.failed:
            landed(k0)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        list(pool.map(load, todo))
    if not volume.ready.any():
        why = next(iter(volume.failed.values()), "")
        raise InvalidDataError(f"no image of the series can be decoded: {why}")
    return volume


def _first_image(
    path: InstanceFile, item: _Slice, on_first: Callable[[npt.NDArray[Any], Dataset], None]
) -> tuple[npt.NDArray[Any], str]:
    """The first file's stored values, read before any other file is opened (the viewer
    shows them at once), and "" — or zeros and why they cannot be read, which is said in
    that image's place."""
    header = item.header
    with bad_data(str(path)):
        rows, columns = int(header.get("Rows", 0)), int(header.get("Columns", 0))
        pixels = _empty((1, rows, columns), item.dtype())[0]
    try:
        _read_slice(path, item, pixels)
    except InvalidDataError as err:
        return pixels, str(err).removeprefix(f"{path}: ")
    on_first(pixels, header)
    return pixels, ""


def _first_in_place(volume: Volume, pixels: npt.NDArray[Any], failed: str) -> int | None:
    """The first file's slice of ``volume`` filled from what was read already (or marked
    failed); its index, or None when it must be read like the others (not in the stack,
    or of another size or stored type: copied, its values would be cast, silently)."""
    if 0 not in volume.stack.indices:
        return None
    k0 = volume.stack.indices.index(0)
    if failed:
        volume.failed[k0] = failed
        return k0
    if pixels.shape != volume.voxels.shape[1:] or pixels.dtype != volume.voxels.dtype:
        return None
    volume.voxels[k0] = pixels  # already read: copy rather than read again
    return k0


def plan_volume(
    paths: Sequence[Readable], layouts: Sequence[PixelLayout | None] | None = None
) -> VolumePlan:
    """What :func:`load_volume` would make of ``paths``: its stack (which files, in which
    order), warnings and stored type, from the layouts (read from the files where None)
    and no pixel data; a series still arriving is checked against it once whole."""
    if not paths:
        raise InvalidDataError("the series has no images")
    files = [as_instance_file(p) for p in paths]
    known = list(layouts) if layouts is not None else [None] * len(files)
    first_header = read_header(files[0])
    headers = LazyHeaders(files, {files[0]: first_header})
    slices = [
        _Slice(None, known[i] if known[i] is not None else read_layout(p), headers, i)
        for i, p in enumerate(files)
    ]
    return _plan(slices, first_header)


def _plan(slices: Sequence[_Slice], first_header: Dataset) -> VolumePlan:
    with bad_data("the series"):
        geometry = split_stacks([item.geometry() for item in slices])
        if geometry.stacks:
            stack = geometry.stacks[0]
            warnings = geometry.all_warnings
        else:  # a radiograph, a scan: no image has a place in patient space
            stack, warnings = _projection(slices, first_header)
        # The stored type most of the stack's slices have: a slice of another one is
        # the odd one out (said in its place by load_volume), not the rest.
        kinds = Counter(slices[i].dtype() for i in stack.indices)
        return VolumePlan(stack, warnings, kinds.most_common(1)[0][0])


def read_slice(
    path: Readable,
    layout: PixelLayout | None,
    out: npt.NDArray[Any],
    header: Dataset | None = None,
) -> None:
    """Fill ``out`` (rows, columns) with one single-frame file's stored values, as
    :func:`load_volume` does for each slice; InvalidDataError when they cannot be read."""
    file = as_instance_file(path)
    if layout is None and header is None:
        header = read_header(file)
    _read_slice(file, _Slice(header, layout), out)


def _projection(
    slices: Sequence[_Slice], first: Dataset
) -> tuple[Stack, tuple[GeometryWarning, ...]]:
    """The stack of a series without positions: the images of the first one's size, in
    file order (:mod:`viewer.imaging.projection`); the others are said to be left out."""
    sizes = [item.size() for item in slices]
    kept = same_size(sizes)
    rows, columns = sizes[0]
    flat = projection_stack(
        len(kept), rows, columns, first.get("PixelSpacing"), first.get("PatientOrientation")
    )
    stack = replace(flat, indices=tuple(kept))
    warnings = stack.warnings
    if len(kept) < len(slices):
        left_out = tuple(i for i in range(len(slices)) if i not in set(kept))
        warnings += (
            GeometryWarning(
                GeometryIssue.MIXED_SIZE, f"{len(left_out)} image(s) of another size", left_out
            ),
        )
    return stack, warnings


def _empty(
    shape: tuple[int, int, int], dtype: np.dtype[Any], *, zeroed: bool = False
) -> npt.NDArray[Any]:
    """An array for the stored values, refused before it is allocated when Rows and
    Columns promise more than memory allows (bogus values from a damaged header);
    ``zeroed`` for slices that may be shown before they are filled."""
    size = math.prod(shape) * dtype.itemsize
    if min(shape) < 0 or size > max_decoded_bytes():
        raise InvalidDataError(
            f"image too large to load: {shape[0]} × {shape[1]}×{shape[2]}, "
            f"{size / (1 << 30):.1f} GiB"
        )
    return np.zeros(shape, dtype=dtype) if zeroed else np.empty(shape, dtype=dtype)


def zeroed_volume(shape: tuple[int, int, int], dtype: np.dtype[Any]) -> npt.NDArray[Any]:
    """Zeros for a volume filled as its slices arrive (refused as :func:`load_volume`
    refuses a volume too large)."""
    with bad_data("the series"):
        return _empty(shape, dtype, zeroed=True)


def stored_dtype(layout: PixelLayout | None, header: Dataset) -> np.dtype[Any]:
    """The type of one slice's stored values (the layout's word, else the header's)."""
    with bad_data("the series"):
        return _Slice(header, layout).dtype()


class _Slice:
    """One file of the series: its layout when known, else its pydicom header."""

    def __init__(
        self,
        header: Dataset | None,
        layout: PixelLayout | None,
        headers: LazyHeaders | None = None,
        index: int = 0,
    ) -> None:
        self.layout = layout
        self._header = header
        self._headers = headers
        self._index = index

    @property
    def header(self) -> Dataset:
        if self._header is None:
            assert self._headers is not None
            self._header = self._headers[self._index]
        return self._header

    def geometry(self) -> SliceGeometry | None:
        return self.layout.geometry() if self.layout is not None else slice_geometry(self.header)

    def size(self) -> tuple[int, int]:
        """(rows, columns)."""
        if self.layout is not None:
            return self.layout.rows, self.layout.columns
        return int(self.header.get("Rows", 0)), int(self.header.get("Columns", 0))

    def cell_layout(self) -> tuple[int, int, int, int, int | None]:
        """(samples, bits allocated, bits stored, pixel representation, high bit)."""
        if self.layout is not None:
            lay = self.layout
            return (
                lay.samples_per_pixel,
                lay.bits_allocated,
                lay.bits_stored,
                lay.pixel_representation,
                lay.high_bit,
            )
        ds = self.header
        bits = int(ds.get("BitsAllocated", 16))
        return (
            int(ds.get("SamplesPerPixel", 1)),
            bits,
            int(ds.get("BitsStored", bits)),
            int(ds.get("PixelRepresentation", 0)),
            int(ds["HighBit"].value) if "HighBit" in ds else None,
        )

    def dtype(self) -> np.dtype[Any]:
        samples, bits, _stored, representation, _high = self.cell_layout()
        return _stored_dtype(samples, bits, representation)


def _stored_dtype(samples: int, bits: int, representation: int) -> np.dtype[Any]:
    if samples != 1:
        raise InvalidDataError("a volume needs grayscale images (one sample per pixel)")
    if bits not in (8, 16, 32):
        raise InvalidDataError(f"cannot stack images of {bits} bits allocated")
    return np.dtype(f"{'i' if representation == 1 else 'u'}{bits // 8}")


def _read_slice(path: InstanceFile, item: _Slice, out: npt.NDArray[Any]) -> None:
    """Fill ``out`` with the slice's stored values."""
    with bad_data(str(path)):
        _fill_slice(path, item, out)


def _fill_slice(path: InstanceFile, item: _Slice, out: npt.NDArray[Any]) -> None:
    _samples, _bits, bits_stored, representation, high_bit = item.cell_layout()
    if (representation == 1) != (out.dtype.kind == "i"):
        # Signed values read as unsigned (or back) would be silently wrong numbers.
        raise InvalidDataError(f"{path}: pixel representation differs from the rest of the stack")
    if not _read_raw_into(path, _native_pixels(item), out):
        ds = read_dataset(path)
        frames = decode(ds, str(path)).frames
        if frames.shape[1:] != out.shape:
            raise InvalidDataError(f"{path}: image size differs from the rest of the stack")
        out[...] = frames[0]
    if bits_stored < out.dtype.itemsize * 8:
        out[...] = stored_values(out, bits_stored, representation, high_bit)


def _native_pixels(item: _Slice) -> tuple[int, int] | None:
    """(offset, length) of a single frame of native little-endian pixel data, or None
    when the slice needs decoding."""
    if sys.byteorder != "little":
        return None
    if item.layout is not None:
        lay = item.layout
        return (lay.pixel_offset, lay.pixel_length) if lay.native_single_frame else None
    header = item.header
    meta = getattr(header, "file_meta", None)
    syntax = meta.get("TransferSyntaxUID") if meta is not None else None
    if syntax not in NATIVE_LITTLE_ENDIAN or int(header.get("NumberOfFrames", 1) or 1) != 1:
        return None
    # The deferred element, not its value: reading the value would read the pixels twice.
    element = header.get_item(part10.PIXEL_DATA_TAG, keep_deferred=True)
    offset = getattr(element, "value_tell", None)
    length = getattr(element, "length", None)
    return (offset, length) if offset is not None and length is not None else None


def _read_raw_into(
    path: InstanceFile, where: tuple[int, int] | None, out: npt.NDArray[Any]
) -> bool:
    """One read of native pixel data into ``out``; False when the file needs decoding."""
    if where is None or where[1] != out.nbytes:  # another size: let the decoder say why
        return False
    view = out.data.cast("B")  # the slice's own memory: no copy on the way
    got = read_into(path, view, where[0])
    if got != view.nbytes:
        raise InvalidDataError(f"{path}: pixel data is cut short ({got} of {view.nbytes} bytes)")
    return True
