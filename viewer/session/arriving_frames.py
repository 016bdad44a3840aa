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
- **One loader thread** reads the cache (woken by the download's progress, and every
  ``POLL_S`` in case a wake was missed); closing stops it and waits for it before the
  cache's lease on the study is let go.

Events (psygnal) as :class:`~viewer.session.arriving.ArrivingSeries`' (the screen
follows both alike), on the loader thread: ``arrived(ready, expected)`` counts
*instances* (a cine is one image to the doctor, and how many frames will come is not
known); ``slice_failed(k, reason)`` per placeholder frame; ``replaced()`` at each landing
(re-read ``volume`` and ``slice``); ``finished(ready, count)`` once nothing more comes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy.typing as npt
from psygnal import Signal
from pydicom.dataset import Dataset

from viewer.errors import InvalidDataError, QingyingError
from viewer.imaging.bad_data import bad_data
from viewer.imaging.decode import max_decoded_bytes, read_dataset
from viewer.imaging.export import frame_count
from viewer.imaging.frames import file_frames, frame_kind, frames_volume, load_frames
from viewer.imaging.headers import read_header
from viewer.imaging.volume import Volume
from viewer.instance_file import InstanceFile
from viewer.session.arriving import POLL_S, ArrivalStore, _reason
from viewer.session.frame_blocks import Block, FrameBuffer
from viewer.session.reading import OpenSeries

log = logging.getLogger(__name__)

Kind = tuple[bool, tuple[int, int]]


class ArrivingFrames(OpenSeries):
    """A series of frames open while its instances arrive; see the module's docstring."""

    arrived = Signal(int, int)  # instances here, instances expected
    slice_failed = Signal(int, str)  # frame index, why it will not show
    replaced = Signal()  # ``volume`` is a new Volume: re-read it (and ``slice``)
    finished = Signal(int, int)  # nothing more will arrive: instances here, expected

    def __init__(
        self, study_uid: str, series_uid: str, store: ArrivalStore, *, expected: int
    ) -> None:
        """Read the series' first cached instance (``expected`` instances will come);
        the loader starts with :meth:`start`. Raises InvalidDataError when that first
        instance cannot be read: nothing to show, nor what the others must match."""
        files, _layouts = store.series_files(study_uid, series_uid)
        if not files:
            raise InvalidDataError("nothing of the series has arrived yet")
        self._store = store
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
        self._swap_lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._ended = threading.Event()  # the download is over: what is cached is all
        self.done = threading.Event()  # the loader has ended
        self._thread = threading.Thread(target=self._run, name="arriving-frames", daemon=True)

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

    def auto_window(self) -> None:
        """Nothing on a placeholder (its zeros are no tissue)."""
        if bool(self.volume.ready[self.slice]):
            super().auto_window()

    def _held_range(self) -> tuple[int, int] | None:
        # The range of the frames here, kept as each file lands, rather than a pass over
        # every frame of each new volume (one per landing) at its first draw, on the UI
        # thread. It is set before a volume is swapped in, so it covers what is shown.
        if not bool(self.volume.ready.all()):
            return None  # a placeholder's zeros are no stored value of the series
        return self._range_here

    # -- driven by the session -----------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def nudge(self) -> None:
        """Something arrived for the study: look at the cache (any thread)."""
        self._wake.set()

    def download_ended(self) -> None:
        """The download is over: what the cache holds now is all that comes."""
        self._ended.set()
        self._wake.set()

    def close(self) -> None:
        """Stop the loader, wait for it, then let the cache evict the study again."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()
        super().close()

    def set_slice(self, k: int) -> None:
        """Never half-way through a swap of the volume (which moves the shown frame's
        index with it); the event after the lock, as ArrivingSeries does."""
        with self._swap_lock:
            k = min(max(0, int(k)), self.slice_count - 1)
            changed = k != self.slice
            self.slice = k
        if changed:
            self.slice_changed.emit(k)

    # -- the loader thread -----------------------------------------------------------------
    def _taken(self) -> int:
        return len(self._frames.blocks) + len(self._left_out)

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                ended = self._ended.is_set()  # before the look: it then sees everything
                self._take_new()
                if self._stop.is_set():
                    return
                settled = self._taken() >= self._expected
                if settled or ended:
                    if settled:
                        self._settle()
                    break
                self._wake.wait(POLL_S)
                self._wake.clear()
            else:
                return  # closed: nothing more is said
        except Exception:  # a bug: logged, the frames so far stay as they are
            log.exception("a series of frames stopped arriving")
        finally:
            self.done.set()
        self.finished.emit(self.ready_count, self.expected)

    def _take_new(self) -> None:
        try:
            files, _layouts = self._store.series_files(self.study_uid, self.series_uid)
        except (QingyingError, RuntimeError):  # the cache closed under us: the end
            self._stop.set()
            return
        self._files = files
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
            self._land(Block(sop, path, Dataset(), 1, _reason(err, path)), None)
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
            self._land(Block(sop, path, header, count, _reason(err, path)), None)
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
            block.failed = _reason(err, block.path)
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

    def _swap(self, volume: Volume, shown: Callable[[int], int]) -> None:
        # No slice_changed for a moved index: it would come on this thread to slots that
        # draw (the viewport's); ``replaced`` says to re-read ``slice`` too.
        with self._swap_lock:
            self.volume = volume
            self.slice = min(max(0, shown(self.slice)), self.slice_count - 1)
        self.replaced.emit()

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
