"""A colour or multi-frame series opened while it is still arriving in the cache: the
first instance here shows at once, each later instance's frames as its file lands, until
the series is whole — then the volume :func:`~viewer.imaging.frames.load_frames` gives
for the same files (same frames, order, voxels and warnings).

An ultrasound study of colour stills and cines, or an XA of several runs, is many
instances of many frames each; through a slow link the doctor reads the first at once.
What keeps that right:

- **Frames in file order** (:mod:`viewer.session.frame_blocks`): each file's frames,
  read by the reader load_frames uses (:func:`~viewer.imaging.frames.file_frames`), go
  where load_frames puts them. How many there will be is known only once every file is
  read, so the volume grows: each landing is a new
  :class:`~viewer.imaging.volume.Volume` swapped in with ``replaced``, never an array
  the viewport holds rearranged, and the slice shown stays on the same frame.
- **Of one kind.** A file of another size, or grayscale among colour (or the reverse),
  is left out and said (MIXED_SIZE), as load_frames does: never shown stretched or
  recoloured among the others. A file that cannot be decoded is a placeholder of its
  frames, not ready, with why (``volume.failed``); the others go on arriving.
- **The window** of a grayscale cine is the file's own, else the range of the first
  instance's frames (not of every frame, as for a series opened whole): a window that
  moved as frames came would change the picture under the doctor's eyes. Colour has none.
- **One loader thread**, as every arriving series has
  (:mod:`viewer.session.arrival_loop`).

Events (psygnal) as :class:`~viewer.session.arriving.ArrivingSeries`' (the screen
follows both alike), on the loader thread: ``arrived(ready, expected)`` counts
*instances* (a cine is one image to the doctor, and how many frames will come is not
known); ``slice_failed(k, reason)`` per placeholder frame; ``replaced()`` at each landing
(re-read ``volume`` and ``slice``); ``finished(ready, count)`` once nothing more comes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import numpy.typing as npt
from pydicom.dataset import Dataset

from viewer.errors import InvalidDataError, QingyingError
from viewer.imaging.bad_data import bad_data
from viewer.imaging.decode import max_decoded_bytes, read_dataset
from viewer.imaging.export import frame_count
from viewer.imaging.frames import file_frames, frame_kind, frames_volume, load_frames
from viewer.imaging.headers import read_header
from viewer.imaging.volume import Volume
from viewer.instance_file import InstanceFile
from viewer.session.arrival_loop import ArrivalLoop, ArrivalStore, reason
from viewer.session.frame_blocks import Block, FrameBuffer

log = logging.getLogger(__name__)

Kind = tuple[bool, tuple[int, int]]


class ArrivingFrames(ArrivalLoop):
    """A series of frames open while its instances arrive; see the module's docstring.
    ``arrived`` and ``finished`` count instances; ``slice_failed`` is per frame."""

    def __init__(
        self, study_uid: str, series_uid: str, store: ArrivalStore, *, expected: int
    ) -> None:
        """Read the series' first cached instance (``expected`` instances will come);
        the loader starts with :meth:`start`. Raises InvalidDataError when that first
        instance cannot be read: nothing to show, nor what the others must match."""
        files, _layouts = store.series_files(study_uid, series_uid)
        if not files:
            raise InvalidDataError("nothing of the series has arrived yet")
        first = files[0]
        ds = read_dataset(first)
        with bad_data(str(first)):
            self._kind: Kind = frame_kind(ds)
        images, header = file_frames(ds, str(first), colour=self._kind[0])
        sop = str(header.get("SOPInstanceUID", ""))
        self._expected = max(expected, 1)
        self._frames = FrameBuffer(images.shape[1:], images.dtype, self._expected)
        self._frames.add(Block(sop, first, header, len(images)), images, 0)
        self._sop_of: dict[InstanceFile, str] = {first: sop}
        self._kind_of: dict[str, Kind] = {sop: self._kind}
        self._left_out: set[str] = set()
        self._seen: set[InstanceFile] = {first}
        self._files: list[InstanceFile] = list(files)
        self._whole = False
        # The stored range of the frames here, grown as each lands (see _held_range).
        self._range_here = (int(images.min()), int(images.max())) if images.size else None
        super().__init__(
            study_uid, series_uid, self._provisional(), first=header, window_pixels=images
        )
        self._start_loop(store, "arriving-frames")

    # -- what the viewport reads --------------------------------------------------------
    @property
    def ready_count(self) -> int:
        """Instances here and read (those left out for their size or kind too: the
        banner says so), not those that cannot be decoded."""
        return len(self._left_out) + sum(1 for b in self._frames.blocks if not b.failed)

    @property
    def expected(self) -> int:
        return max(self._expected, self._taken())

    @property
    def whole(self) -> bool:
        """Every instance arrived (or failed for good) and the final volume is in place."""
        return self.done.is_set() and self._whole

    def _held_range(self) -> tuple[int, int] | None:
        # The range of the frames here, kept as each file lands, rather than a pass over
        # every frame of each new volume (one per landing) at its first draw, on the UI
        # thread. It is set before a volume is swapped in, so it covers what is shown.
        if not bool(self.volume.ready.all()):
            return None  # a placeholder's zeros are no stored value of the series
        return self._range_here

    # -- the loader thread -----------------------------------------------------------------
    def _taken(self) -> int:
        return len(self._frames.blocks) + len(self._left_out)

    def _all_here(self) -> bool:
        return self._taken() >= self._expected

    def _take_new(self) -> None:
        found = self._files_now()
        if found is None:
            return
        files = self._files = found[0]
        for path in files:
            if self._stop.is_set():
                return
            if path not in self._seen:
                self._seen.add(path)
                self._arrive(path)

    def _arrive(self, path: InstanceFile) -> None:
        try:
            header = read_header(path)
            sop = str(header.get("SOPInstanceUID", ""))
            with bad_data(str(path)):
                kind = frame_kind(header)
                count = max(1, frame_count(header))
        except InvalidDataError as err:
            if not path.path.exists():
                return  # replaced meanwhile (sent again): listed anew under its new place
            sop = f"unreadable {path}"  # a place of its own in the listing's order
            self._sop_of[path] = sop
            self._land(Block(sop, path, Dataset(), 1, reason(err, path)), None)
            return
        self._sop_of[path] = sop
        known = self._frames.block(sop)
        if known is not None or sop in self._left_out:
            if known is not None:
                known.path = path  # a second copy: the cache keeps this one
            return
        self._kind_of[sop] = kind
        if kind != self._kind:
            self._left_out.add(sop)
            self._show(_keep)  # the same frames, and a warning more
            return
        try:
            images, bare = file_frames(read_dataset(path), str(path), colour=kind[0])
            if self._frames.nbytes + images.nbytes > max_decoded_bytes():
                raise InvalidDataError("the series is too large to load whole")
        except InvalidDataError as err:
            self._land(Block(sop, path, header, count, reason(err, path)), None)
            return
        if images.size:
            low, high = int(images.min()), int(images.max())
            here = self._range_here or (low, high)
            self._range_here = (min(here[0], low), max(here[1], high))
        self._land(Block(sop, path, bare, len(images)), images)

    def _land(self, block: Block, images: npt.NDArray[Any] | None) -> None:
        """``block`` among the others in file order; a placeholder when ``images`` is None."""
        rank = self._rank()
        mine = rank.get(block.sop, len(rank))
        before = sum(1 for b in self._frames.blocks if rank.get(b.sop, -1) < mine)
        try:
            shown = self._frames.add(block, images, before)
        except InvalidDataError as err:  # decoded to another shape than the series'
            block.failed = reason(err, block.path)
            shown = self._frames.add(block, None, before)
        self._show(shown)
        if block.failed:
            first = self._frames.first_frame(block)
            for k in range(first, first + block.count):
                self.slice_failed.emit(k, block.failed)

    def _show(self, shown: Callable[[int], int]) -> None:
        """The frames here as a new volume, swapped in (``shown``: where each frame shown
        before is now); ``arrived`` said."""
        self._swap(self._provisional(), shown)
        self.arrived.emit(self.ready_count, self.expected)

    def _rank(self) -> dict[str, int]:
        """Each instance's place in the cache's listing (its order is the series')."""
        sops = (self._sop_of.get(f) for f in self._files)
        return {sop: i for i, sop in enumerate(sops) if sop is not None}

    def _left_out_files(self) -> list[int]:
        return [i for i, f in enumerate(self._files) if self._sop_of.get(f) in self._left_out]

    def _provisional(self) -> Volume:
        frames = self._frames
        volume = frames_volume(
            frames.voxels, frames.headers(), frames.paths(), colour=self._kind[0],
            left_out=self._left_out_files(),
        )  # fmt: skip
        volume.ready, volume.failed = frames.ready(), frames.failed()
        return volume

    def _settle(self) -> None:
        """Every instance is here: load_frames' volume over the same frames (loaded anew
        only when the series' first file is not of the kind of the first that arrived)."""
        files = self._files
        sops = [self._sop_of.get(f) for f in files]
        if not sops or None in sops or self._kind_of.get(sops[0] or "") != self._kind:
            self._load_anew(files)
            return
        frames = self._frames
        failed = any(b.failed for b in frames.blocks)
        volume = frames_volume(
            frames.trimmed(), frames.headers(), frames.paths(), colour=self._kind[0],
            left_out=self._left_out_files(), one_file=len(frames.blocks) == 1 and not failed,
        )  # fmt: skip
        if failed:
            volume.ready, volume.failed = frames.ready(), frames.failed()
        self._swap(volume, _placed(volume.stack.indices))
        self._whole = True

    def _load_anew(self, files: Sequence[InstanceFile]) -> None:
        try:
            volume = load_frames(files, cancelled=self._stop.is_set)
        except QingyingError as err:  # kept as it is: the frames here still show
            log.info("a series of frames could not be loaded anew (%s)", type(err).__name__)
            return
        if (volume.voxels.ndim == 4) != self.colour:
            log.info("a series of frames is of another kind than its first arrived")
            return
        self._swap(volume, lambda k: min(k, len(volume.voxels) - 1))
        self._whole = True


def _keep(k: int) -> int:
    return k


def _placed(order: Sequence[int]) -> Callable[[int], int]:
    """Where frame ``k`` went when an enhanced image's frames were placed in the patient
    (a frame left out of the stack, a localizer, leaves the index where it was)."""
    new = {old: i for i, old in enumerate(order)}
    return lambda k: new.get(k, k)
