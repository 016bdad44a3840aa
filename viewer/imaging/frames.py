"""A colour or multi-frame series as a stack of frames, in file order then frame order.

:func:`load_volume` stacks single-frame grayscale images by their place in the patient;
an ultrasound cine, a colour photograph or an XA run is none of that. Here every frame
of every file (paths in InstanceNumber order, as the cache lists them) is one slice of
a :class:`~viewer.imaging.volume.Volume` laid out as a film is
(:func:`~viewer.imaging.projection.projection_stack`: Pixel Spacing if the file has
one, edge letters only from Patient Orientation).

Colour (Samples per Pixel 3, or PALETTE COLOR; PS3.3 C.7.6.3.1.2): each frame is the
8-bit RGB :func:`~viewer.imaging.export.display_image` gives — the function export
uses, so the screen is the PNG — and ``voxels`` is (frames, rows, columns, 3) uint8.
There is no window on colour (PS3.4 N.2: the VOI LUT applies to grayscale only).

Grayscale multi-frame: the stored values of every frame (``voxels`` (frames, rows,
columns), as :func:`load_volume` gives), so the reader's window works on a cine as on
a CT. The series' one window is then the file's, else the min/max of every frame:
what ``display_image`` gives a frame of that file when it is the series' only one.
An enhanced image's per-frame rescales are brought to one
(:mod:`viewer.imaging.frame_scale`), its first frame's window the series' where it has
no shared one. An enhanced image whose frames are placed
in the patient (Plane Position and Orientation per frame) is stacked by those places, as
a CT's single-frame slices are: its location, linking and MPR work as theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError
from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset

from viewer.errors import InvalidDataError
from viewer.imaging.bad_data import bad_data
from viewer.imaging.decode import decode, max_decoded_bytes, read_dataset
from viewer.imaging.export import display_image, frame_count
from viewer.imaging.frame_scale import one_scale
from viewer.imaging.geometry import (
    GeometryIssue,
    GeometryWarning,
    Stack,
    frame_geometries,
    split_stacks,
)
from viewer.imaging.headers import read_header
from viewer.imaging.modality_lut import functional_group_item, stored_values_of
from viewer.imaging.projection import projection_stack
from viewer.imaging.volume import Volume
from viewer.instance_file import Readable, as_instance_file


def is_colour(ds: Dataset) -> bool:
    """More than one sample per pixel, or a palette: what no window applies to."""
    photometric = str(ds.get("PhotometricInterpretation", "")).strip().upper()
    return int(ds.get("SamplesPerPixel", 1) or 1) > 1 or photometric == "PALETTE COLOR"


def shown_as_frames(path: Readable) -> bool:
    """Whether the series of ``path`` (its first file) loads here rather than as a volume."""
    ds = read_header(path)
    with bad_data(str(path)):
        return is_colour(ds) or frame_count(ds) > 1


def load_frames(
    paths: Sequence[Readable], *, cancelled: Callable[[], bool] = lambda: False
) -> Volume:
    """Every frame of ``paths`` (see the module's docstring); files of another size or
    kind than the first are left out and said to be (MIXED_SIZE)."""
    if not paths:
        raise InvalidDataError("the series has no images")
    files = [as_instance_file(p) for p in paths]
    frames: list[npt.NDArray[Any]] = []
    headers: list[Dataset] = []
    kept: list[Any] = []
    left_out: list[int] = []
    first_kind: tuple[bool, tuple[int, int]] | None = None
    total = 0
    for i, path in enumerate(files):
        if cancelled():
            raise CancelledError("loading cancelled")
        ds = read_dataset(path)
        with bad_data(str(path)):
            kind = frame_kind(ds)
        first_kind = kind if first_kind is None else first_kind
        if kind != first_kind:
            left_out.append(i)
            continue
        images, header = file_frames(ds, str(path), colour=kind[0])
        total += images.nbytes
        if total > max_decoded_bytes():
            raise InvalidDataError(f"series too large to load: over {total / (1 << 30):.1f} GiB")
        frames.append(images)
        headers.extend([header] * len(images))
        kept.extend([path] * len(images))
    assert first_kind is not None  # paths is not empty
    voxels = np.ascontiguousarray(np.concatenate(frames))
    return frames_volume(
        voxels, headers, kept, colour=first_kind[0], left_out=left_out, one_file=len(frames) == 1
    )


def frame_kind(ds: Dataset) -> tuple[bool, tuple[int, int]]:
    """(colour, (rows, columns)): what every file of a series of frames must share with
    its first; a file of another kind is left out, never stretched or recoloured."""
    return is_colour(ds), (int(ds.get("Rows", 0)), int(ds.get("Columns", 0)))


def file_frames(ds: Dataset, where: str, *, colour: bool) -> tuple[npt.NDArray[Any], Dataset]:
    """One file's frames as the series holds them (8-bit RGB for colour, stored values
    for grayscale) and its header without the pixels (the volume holds those). Shared
    by :func:`load_frames` and a series read as it arrives, so both hold the same."""
    with bad_data(where):
        images = _colour_frames(ds, where) if colour else _stored_frames(ds, where)
        header = ds.copy()
        if "PixelData" in header:
            del header.PixelData
        if not colour:  # per-frame rescales on one scale, said by the header kept
            images = one_scale(ds, images, header)
    return images, header


def frames_volume(
    voxels: npt.NDArray[Any],
    headers: Sequence[Dataset],
    paths: Sequence[Any],
    *,
    colour: bool,
    left_out: Sequence[int] = (),
    one_file: bool = False,
) -> Volume:
    """The volume of frames in file order (``headers``/``paths`` one per frame), as a
    film is laid out; ``one_file`` an enhanced grayscale image whose frames are placed in
    the patient is stacked by those places instead (new memory). ``left_out``: indices
    of the files of another size or kind, said in a MIXED_SIZE warning."""
    first = headers[0]
    ready = np.ones(len(voxels), dtype=bool)
    numbers = _frame_numbers(paths)
    placed = _placed_frames(first) if one_file and not colour else None
    if placed is not None:
        stack, warnings = placed
        order = list(stack.indices)
        return Volume(
            np.ascontiguousarray(voxels[order]),
            stack,
            [headers[i] for i in order],
            [paths[i] for i in order],
            warnings,
            ready[order],
            frames=tuple(numbers[i] for i in order),
        )
    rows, columns = voxels.shape[1:3]
    stack = projection_stack(
        len(voxels), rows, columns, first.get("PixelSpacing"), first.get("PatientOrientation")
    )
    warnings = stack.warnings
    if left_out:
        warnings += (
            GeometryWarning(
                GeometryIssue.MIXED_SIZE,
                f"{len(left_out)} image(s) of another size or kind",
                tuple(left_out),
            ),
        )
    return Volume(voxels, stack, list(headers), list(paths), warnings, ready, frames=numbers)


def _frame_numbers(paths: Sequence[Any]) -> tuple[int, ...]:
    """Each frame's number in its file (1-based): frames of one file come together, in
    file order, so the count restarts where the path changes."""
    numbers: list[int] = []
    for i, path in enumerate(paths):
        numbers.append(numbers[-1] + 1 if i and paths[i - 1] == path else 1)
    return tuple(numbers)


def _placed_frames(header: Dataset) -> tuple[Stack, tuple[GeometryWarning, ...]] | None:
    """The stack of an enhanced image's frames by their place in the patient (Plane
    Position and Orientation functional groups, PS3.3 C.7.6.16.2.3-4), as a CT's slices
    are stacked: sorted along the normal, with the same warnings (missing or uneven
    slices, tilt; frames of another orientation, a localizer, left out and said). None
    when a frame has no place: the frames are then shown as a film's, in file order.
    Their thickness is the Pixel Measures group's, put where the overlay reads it."""
    geometries = frame_geometries(header)
    if len(geometries) < 2 or any(g is None for g in geometries):
        return None
    found = split_stacks(geometries)
    if not found.stacks:
        return None
    measures = functional_group_item(header, "PixelMeasuresSequence", None)
    if "SliceThickness" not in header and measures is not None and "SliceThickness" in measures:
        header.SliceThickness = measures.SliceThickness
    return found.stacks[0], found.all_warnings


def _colour_frames(ds: Dataset, where: str) -> npt.NDArray[np.uint8]:
    count = frame_count(ds)
    images = [
        display_image(ds, frame=f, where=where, frame_alone=count > 1) for f in range(1, count + 1)
    ]
    return np.stack(images)


def _stored_frames(ds: Dataset, where: str) -> npt.NDArray[Any]:
    stored: npt.NDArray[Any] = stored_values_of(decode(ds, where).frames, ds)
    if stored.ndim != 3:
        raise InvalidDataError(f"{where}: not a grayscale image (shape {stored.shape})")
    return stored
