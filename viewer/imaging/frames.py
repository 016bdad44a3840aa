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
(An enhanced image's per-frame windows and rescales are not yet followed: the shared
functional groups' values are used for all.) An enhanced image whose frames are placed
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
    colour, size, total = False, (0, 0), 0
    for i, path in enumerate(files):
        if cancelled():
            raise CancelledError("loading cancelled")
        ds = read_dataset(path)
        with bad_data(str(path)):
            kind = (is_colour(ds), (int(ds.get("Rows", 0)), int(ds.get("Columns", 0))))
            if i == 0:
                colour, size = kind
            if kind != (colour, size):
                left_out.append(i)
                continue
            images = _colour_frames(ds, str(path)) if colour else _stored_frames(ds, str(path))
        total += images.nbytes
        if total > max_decoded_bytes():
            raise InvalidDataError(f"series too large to load: over {total / (1 << 30):.1f} GiB")
        frames.append(images)
        header = ds.copy()
        if "PixelData" in header:
            del header.PixelData  # the volume holds the pixels; headers need not
        headers.extend([header] * len(images))
        kept.extend([path] * len(images))
    voxels = np.ascontiguousarray(np.concatenate(frames))
    first = headers[0]
    placed = None if colour or len(frames) != 1 else _placed_frames(first)
    if placed is not None:  # one enhanced image whose frames are placed in the patient
        stack, warnings = placed
        order = list(stack.indices)
        voxels = np.ascontiguousarray(voxels[order])
        return Volume(
            voxels,
            stack,
            [headers[i] for i in order],
            [kept[i] for i in order],
            warnings,
            np.ones(len(voxels), dtype=bool),
        )
    stack = projection_stack(
        len(voxels), size[0], size[1], first.get("PixelSpacing"), first.get("PatientOrientation")
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
    return Volume(voxels, stack, headers, kept, warnings, np.ones(len(voxels), dtype=bool))


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
