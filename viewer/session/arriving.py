"""A series opened while it is still arriving in the cache: each slice appears as its
instance lands, until the series is whole.

Through a slow link a 300-slice CT takes tens of seconds; the doctor reads its first
image at once and the rest as it comes. What keeps that right:

- **One allocation.** The volume is (expected, rows, columns) zeros of the first image's
  stored type, ``expected`` being the instances the source listed for the series. A
  slice not yet arrived is zeros and ``volume.ready[k]`` is False; one whose instance
  cannot be read stays zeros and not ready, with why in ``volume.failed[k]``. The
  other slices go on arriving.
- **Slots** (:mod:`viewer.session.arriving_slots`): the instances in InstanceNumber order
  as the source listed them, turned over once two placed slices say the numbers run down
  the normal, so the arriving order is load_volume's in the usual case.
- **Whole**: once every slot is settled, the series is planned as
  :func:`~viewer.imaging.volume.load_volume` plans it (from the cache's layouts, no
  pixel read again) and the slots are put in that order if they are not (a series whose
  numbers do not follow its positions); a series that is not one stack of the first
  image's size (a localizer in it, more instances than listed) is loaded afresh by
  load_volume. The final volume is load_volume's, same order, same voxels.
- **Never rearranged under the viewport.** A new order goes into new memory, swapped in
  as a new :class:`~viewer.imaging.volume.Volume` with ``replaced``; the array shown
  before is left as it was. The slice shown stays on the same instance.
- **The window** is the file's own, else the range of the first image's values (not
  of every slice, as for a series opened whole): a window that moved as slices came
  would change the picture under the doctor's eyes.
- **One loader thread** per series, events on it as every arriving series has
  (:mod:`viewer.session.arrival_loop`): ``arrived(ready, expected)`` after each slice
  lands; ``slice_failed(k, reason)``; ``replaced()`` when ``volume`` is a new
  :class:`~viewer.imaging.volume.Volume` (re-read its voxels, stack, warnings and
  ``slice``: the shown instance may have moved to another index); ``finished(ready,
  count)`` once nothing more will arrive (whole, or the download ended short).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset

from viewer.errors import InvalidDataError, QingyingError
from viewer.imaging.geometry import SliceGeometry, Stack, slice_geometry
from viewer.imaging.headers import LazyHeaders, read_header
from viewer.imaging.pixel_layout import PixelLayout
from viewer.imaging.volume import (
    Volume,
    load_volume,
    plan_volume,
    read_slice,
    stored_dtype,
    zeroed_volume,
)
from viewer.instance_file import InstanceFile
from viewer.session.arrival_loop import ArrivalLoop, ArrivalStore, reason
from viewer.session.arriving_slots import SlotHeaders, Slots

log = logging.getLogger(__name__)


class ArrivingSeries(ArrivalLoop):
    """A series open while its instances arrive; see the module's docstring."""

    def __init__(
        self,
        study_uid: str,
        series_uid: str,
        store: ArrivalStore,
        *,
        expected: int,
        order: Sequence[str] = (),
    ) -> None:
        """Read the series' first cached instance into a volume of ``expected`` slices
        (at least the instances ``order`` lists); the loader starts with :meth:`start`."""
        files, layouts = store.series_files(study_uid, series_uid)
        if not files:
            raise InvalidDataError("nothing of the series has arrived yet")
        first_file, first_layout = files[0], layouts[0]
        first = read_header(first_file)
        count = max(expected, len(order), 1)
        rows, columns = int(first.get("Rows", 0)), int(first.get("Columns", 0))
        pixels = zeroed_volume((1, rows, columns), stored_dtype(first_layout, first))
        read_slice(first_file, first_layout, pixels[0], first)
        self._first_geometry = _geometry(first_layout, first)
        self._slots = Slots(count, order, first, self._first_geometry)
        voxels = zeroed_volume((count, rows, columns), pixels.dtype)
        self._sop_of: dict[InstanceFile, str] = {}
        self._seen: set[InstanceFile] = set()
        self._unplaced = 0  # instances beyond the slots listed: the series is loaded anew
        stack = self._slots.stack(rows, columns, self._first_geometry)
        volume = Volume(
            voxels,
            stack,
            SlotHeaders(self._slots.headers),
            self._slots.paths,
            stack.warnings,
            np.zeros(count, dtype=bool),
        )
        k = self._landed_first(volume, first_file, first, pixels[0])
        volume.stack = self._slots.stack(rows, columns, self._first_geometry)  # its distance
        super().__init__(study_uid, series_uid, volume, first=first, window_pixels=pixels)
        self.slice = k  # the first image: what the doctor sees first
        self._start_loop(store, "arriving")

    def _landed_first(
        self, volume: Volume, path: InstanceFile, header: Dataset, pixels: npt.NDArray[Any]
    ) -> int:
        sop = str(header.get("SOPInstanceUID", ""))
        k = self._slots.slot_for(sop)
        assert k is not None  # no slot is taken yet
        self._slots.fill(k, sop, header, path, self._first_geometry)
        volume.voxels[k] = pixels
        volume.ready[k] = True
        self._sop_of[path] = sop
        self._seen.add(path)
        return k

    # -- what the viewport reads --------------------------------------------------------
    @property
    def ready_count(self) -> int:
        return int(np.count_nonzero(self.volume.ready))

    @property
    def expected(self) -> int:
        return self.slice_count

    @property
    def whole(self) -> bool:
        """Every slice arrived (or failed for good) and the final order is in place."""
        return self.done.is_set() and self.ready_count + len(self.volume.failed) == self.expected

    # -- the loader thread (viewer.session.arrival_loop) ------------------------------------
    def _all_here(self) -> bool:
        return self.ready_count + len(self.volume.failed) >= self.expected

    def _take_new(self) -> None:
        found = self._files_now()
        if found is None:
            return
        files, layouts = found
        for path, layout in zip(files, layouts, strict=True):
            if self._stop.is_set():
                return
            if path not in self._seen:
                self._seen.add(path)
                self._arrive(path, layout)

    def _arrive(self, path: InstanceFile, layout: PixelLayout | None) -> None:
        try:
            header = read_header(path)
        except InvalidDataError:
            # Replaced meanwhile (a first image sent again: it is listed anew), or, which
            # the cache does not let in, unreadable: then the series is loaded anew once
            # whole, and load_volume says why it cannot be.
            self._unplaced += int(path.path.exists())
            return
        sop = str(header.get("SOPInstanceUID", ""))
        self._sop_of[path] = sop
        if sop in self._slots.sops:
            return  # a second copy of an instance already here
        k = self._slots.slot_for(sop)
        if k is None:
            self._unplaced += 1
            return
        self._slots.fill(k, sop, header, path, _geometry(layout, header))
        volume = self.volume
        try:
            if (int(header.get("Rows", 0)), int(header.get("Columns", 0))) != volume.voxels.shape[
                1:
            ]:
                raise InvalidDataError("an image of another size than the series' first")
            read_slice(path, layout, volume.voxels[k], header)
        except InvalidDataError as err:
            volume.voxels[k] = 0  # whatever the reader left: never shown as an image
            self._fail(k, reason(err, path))
            return
        volume.ready[k] = True
        if self._slots.direction():
            self._rearrange(self._slots.turned_over())
        self.volume.stack = self._provisional_stack()
        self.arrived.emit(self.ready_count, self.expected)

    def _fail(self, k: int, reason: str) -> None:
        self.volume.failed[k] = reason
        self.slice_failed.emit(k, reason)
        self.arrived.emit(self.ready_count, self.expected)

    def _provisional_stack(self) -> Stack:
        rows, columns = self.volume.voxels.shape[1:]
        return self._slots.stack(rows, columns, self._first_geometry)

    def _rearrange(self, new_of_old: Sequence[int]) -> None:
        """The slots moved (``new_of_old``): a new volume in new memory, swapped in."""
        voxels, ready, failed = self._permuted(new_of_old)
        stack = self._provisional_stack()
        volume = Volume(
            voxels, stack, SlotHeaders(self._slots.headers), self._slots.paths,
            stack.warnings, ready, failed,
        )  # fmt: skip
        self._swap(volume, lambda k: new_of_old[k])

    def _permuted(
        self, new_of_old: Sequence[int]
    ) -> tuple[npt.NDArray[Any], npt.NDArray[np.bool_], dict[int, str]]:
        old = self.volume
        voxels = zeroed_volume(old.voxels.shape, old.voxels.dtype)
        ready = np.zeros_like(old.ready)
        for k, new in enumerate(new_of_old):
            if old.ready[k]:
                voxels[new] = old.voxels[k]
                ready[new] = True
        return voxels, ready, {new_of_old[k]: why for k, why in old.failed.items()}

    def _settle(self) -> None:
        """Every slot is settled: the order load_volume gives, in place or loaded anew."""
        files, layouts = self._store.series_files(self.study_uid, self.series_uid)
        sops = [self._sop_of.get(f) for f in files]
        try:
            plan = plan_volume(files, layouts)
        except InvalidDataError as err:
            log.info("a whole series could not be planned (%s)", type(err).__name__)
            return
        final = [sops[i] for i in plan.stack.indices]
        here = self._slots.sops
        voxels = self.volume.voxels
        if (
            not self._unplaced
            and None not in final
            and sorted(final, key=str) == sorted(here, key=str)
            and (plan.stack.rows, plan.stack.columns) == voxels.shape[1:]
            and plan.dtype == voxels.dtype
        ):
            place = {sop: k for k, sop in enumerate(final)}
            new_of_old = [place[sop] for sop in here if sop is not None]
            old = self.volume
            voxels, ready, failed = old.voxels, old.ready, old.failed
            if new_of_old != list(range(len(new_of_old))):  # numbers against positions
                voxels, ready, failed = self._permuted(new_of_old)
                self._slots.rearrange(new_of_old)
            known = {f: h for f, h in zip(files, (self._header_of(f) for f in files), strict=True)}
            headers = LazyHeaders(files, {f: h for f, h in known.items() if h is not None})
            ordered = [files[i] for i in plan.stack.indices]
            volume = Volume(
                voxels, plan.stack, headers.reordered(plan.stack.indices), ordered,
                plan.warnings, ready, failed,
            )  # fmt: skip
            self._swap(volume, lambda k: new_of_old[k])
            return
        self._load_anew(files, layouts, sops)

    def _header_of(self, path: InstanceFile) -> Dataset | None:
        sop = self._sop_of.get(path)
        if sop is None or sop not in self._slots.sops:
            return None
        return self._slots.headers[self._slots.sops.index(sop)]

    def _load_anew(
        self, files: list[InstanceFile], layouts: list[PixelLayout | None], sops: list[str | None]
    ) -> None:
        """Not one stack of the slots' shape: load_volume over the whole series."""
        try:
            volume = load_volume(files, layouts=layouts, cancelled=self._stop.is_set)
        except QingyingError as err:  # an instance load_volume cannot read: kept as it is
            log.info("a whole series could not be loaded anew (%s)", type(err).__name__)
            return
        order = [sops[i] for i in volume.stack.indices]
        here = list(self._slots.sops)

        def shown(k: int) -> int:
            sop = here[k]
            return order.index(sop) if sop in order else min(k, len(order) - 1)

        self._swap(volume, shown)


def _geometry(layout: PixelLayout | None, header: Dataset) -> SliceGeometry | None:
    return layout.geometry() if layout is not None else slice_geometry(header)
