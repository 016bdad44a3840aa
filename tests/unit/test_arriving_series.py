"""A series opened while it downloads: slices appear as their instances land in a real
cache, each one let through by the test, until the series is whole.

The source is a folder of generated CT slices (a CD, to the session a source like any
other) whose every copy into the cache waits at a gate; the session's download is the
real fetch, so the first image comes alone, then the series in one answer (the first
image again among it), as from a platform.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydicom import dcmread
from pydicom.encaps import encapsulate
from pydicom.uid import JPEGLosslessSV1, generate_uid

from tests.unit.test_session_model import PATIENT, ct_slice
from viewer.cache.sink import Accept, SinkFactory
from viewer.cache.store import CacheStore
from viewer.config import CacheConfig, Config, UiConfig
from viewer.dicomweb.qido import StudyQuery
from viewer.errors import CancelledError
from viewer.imaging.volume import load_volume
from viewer.session.arriving import ArrivingSeries
from viewer.session.model import ReadingSession
from viewer.sources.folder import FolderInstance, FolderSource
from viewer.sources.protocol import Transfer

SLICES = 6


class GatedFolder(FolderSource):
    """A folder whose every instance waits for :meth:`let` before it is copied; those of
    the ``held`` series wait at their own gate (:meth:`let_held`), so that a series
    worker copying them cannot take a let meant for another series."""

    def __init__(self, folder: Path, name: str, held: frozenset[str] = frozenset()) -> None:
        super().__init__(folder, name)
        self.gate = threading.Semaphore(0)
        self.held, self.held_gate = held, threading.Semaphore(0)

    def let(self, n: int = 1) -> None:
        for _ in range(n):
            self.gate.release()

    def let_held(self, n: int = 1) -> None:
        for _ in range(n):
            self.held_gate.release()

    def _copy(
        self, instance: FolderInstance, sinks: SinkFactory, accept: Accept, transfer: Transfer
    ) -> None:
        gate = self.held_gate if instance.header.series_uid in self.held else self.gate
        while not gate.acquire(timeout=0.05):
            if transfer.cancelled():
                raise CancelledError("retrieval cancelled")
        super()._copy(instance, sinks, accept, transfer)


class Arrival:
    """A session downloading a study of SLICES slices through a gated folder."""

    def __init__(
        self,
        tmp_path: Path,
        folder: Path,
        study_uid: str,
        series_uid: str,
        held: frozenset[str] = frozenset(),
    ) -> None:
        config = Config(CacheConfig(tmp_path / "cache", 1 << 30), (), UiConfig(None))
        self.store = CacheStore(config.cache.dir, config.cache.max_size)
        self.source = GatedFolder(folder, "cd", held)
        self.session = ReadingSession(config, store=self.store, open_sources=lambda: [self.source])
        self.study_uid, self.series_uid = study_uid, series_uid
        result = self.session.search(StudyQuery(patient_id=PATIENT.patient_id))
        self.study = result.histories[0].studies[0]

    def open_after_first(self) -> ArrivingSeries:
        """Download, let the first image through, open the series once it is cached."""
        self.session.download(self.study, first_series=self.series_uid)
        self.source.let()
        wait_until(lambda: self.store.series_files(self.study_uid, self.series_uid)[0] != [])
        series = self.session.open_series(self.study_uid, self.series_uid)
        assert isinstance(series, ArrivingSeries)
        return series


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.01)


def study_folder(
    tmp_path: Path, bad: int | None = None, tweak: Callable[[Any, int], None] | None = None
) -> tuple[Path, str, str]:
    """SLICES slices of a CT; ``bad`` cannot be decoded; ``tweak(ds, k)`` changes slice k."""
    folder = tmp_path / "cd"
    folder.mkdir()
    study_uid, series_uid = generate_uid(), generate_uid()
    for k in range(SLICES):
        ct_slice(folder, study_uid, series_uid, k)
        if tweak is not None:
            path = folder / f"{k:03}.dcm"
            ds = dcmread(path)
            tweak(ds, k)
            ds.save_as(path, enforce_file_format=True)
    if bad is not None:  # whole to the cache, but its pixels cannot be decoded
        path = folder / f"{bad:03}.dcm"
        ds = dcmread(path)
        ds.file_meta.TransferSyntaxUID = JPEGLosslessSV1
        ds.PixelData = encapsulate([b"\xff\xd8 not a JPEG stream"])
        ds["PixelData"].VR = "OB"
        ds.save_as(path, enforce_file_format=True)
    return folder, study_uid, series_uid


@pytest.fixture
def arrival(tmp_path: Path) -> Iterator[Arrival]:
    made = Arrival(tmp_path, *study_folder(tmp_path))
    yield made
    made.session.close()


def recorded(series: ArrivingSeries) -> dict[str, list[Any]]:
    seen: dict[str, list[Any]] = {"arrived": [], "failed": [], "replaced": [], "finished": []}
    series.arrived.connect(lambda ready, expected: seen["arrived"].append((ready, expected)))
    series.slice_failed.connect(lambda k, why: seen["failed"].append((k, why)))
    series.replaced.connect(lambda: seen["replaced"].append(series.volume))
    series.finished.connect(lambda ready, count: seen["finished"].append((ready, count)))
    return seen


def test_the_series_opens_on_its_first_image_with_every_other_slice_zero_and_not_ready(
    arrival: Arrival,
) -> None:
    series = arrival.open_after_first()
    volume = series.volume
    assert series.slice_count == SLICES  # allocated once, for every listed instance
    assert int(volume.ready.sum()) == 1
    k = series.slice
    assert volume.ready[k] and volume.headers[k].InstanceNumber == 1
    assert np.array_equal(volume.voxels[k], np.arange(48, dtype=np.uint16).reshape(6, 8) * 20)
    others = [i for i in range(SLICES) if i != k]
    assert not volume.ready[others].any() and not volume.voxels[others].any()
    assert all("SliceThickness" not in volume.headers[i] for i in others)  # no other's answer
    assert volume.stack.distances[k] == 0.0  # where it lies is known; the others' is not
    assert all(math.isnan(volume.stack.distances[i]) for i in others)


def test_each_arrival_says_how_many_slices_are_ready_of_how_many(arrival: Arrival) -> None:
    series = arrival.open_after_first()
    seen = recorded(series)
    arrival.source.let(SLICES)  # the series answer: the first image again, then the rest
    wait_until(lambda: bool(seen["finished"]))
    assert seen["arrived"] == [(n, SLICES) for n in range(2, SLICES + 1)]
    assert seen["finished"] == [(SLICES, SLICES)] and seen["failed"] == []
    assert series.whole


def test_slices_not_yet_arrived_stay_zero_and_not_ready_while_others_land(
    arrival: Arrival,
) -> None:
    series = arrival.open_after_first()
    arrival.source.let(3)  # the first again, then two more
    wait_until(lambda: series.ready_count == 3)
    volume = series.volume
    unready = ~volume.ready
    assert unready.sum() == SLICES - 3 and not volume.voxels[unready].any()
    # The positions of the first two say the slices run down the normal: turned over,
    # so the order while arriving is already the final one (ascending along the normal).
    arrived = [k for k in range(SLICES) if volume.ready[k]]
    numbers = [int(volume.headers[k].InstanceNumber) for k in arrived]
    assert numbers == sorted(numbers, reverse=True)
    assert arrived == [SLICES - 3, SLICES - 2, SLICES - 1]
    arrival.source.let(SLICES)


def test_the_whole_series_is_the_volume_load_volume_gives(arrival: Arrival) -> None:
    series = arrival.open_after_first()
    seen = recorded(series)
    shown = series.volume.headers[series.slice].SOPInstanceUID
    arrival.source.let(SLICES)
    wait_until(lambda: bool(seen["finished"]))
    files, layouts = arrival.store.series_files(arrival.study_uid, arrival.series_uid)
    loaded = load_volume(files, layouts=layouts)
    final = series.volume
    assert final.voxels.shape == loaded.voxels.shape
    assert np.array_equal(final.voxels, loaded.voxels)
    assert list(final.paths) == list(loaded.paths) and final.stack == loaded.stack
    assert final.warnings == loaded.warnings and final.ready.all()
    assert series.volume.headers[series.slice].SOPInstanceUID == shown  # the same image


def test_an_instance_that_cannot_be_decoded_is_marked_failed_and_the_others_arrive(
    tmp_path: Path,
) -> None:
    made = Arrival(tmp_path, *study_folder(tmp_path, bad=3))
    try:
        series = made.open_after_first()
        seen = recorded(series)
        made.source.let(SLICES)
        wait_until(lambda: bool(seen["finished"]), timeout=60)
        ((k, why),) = seen["failed"]
        volume = series.volume
        assert volume.failed == {k: why} and why and "cache" not in why
        assert int(volume.headers[k].InstanceNumber) == 4
        assert not volume.ready[k] and not volume.voxels[k].any()
        assert int(volume.ready.sum()) == SLICES - 1
        assert seen["finished"] == [(SLICES - 1, SLICES)]
    finally:
        made.session.close()


def test_closing_mid_arrival_stops_the_loader_and_releases_the_cache_lease(
    arrival: Arrival,
) -> None:
    series = arrival.open_after_first()
    seen = recorded(series)
    arrival.source.let(2)
    wait_until(lambda: series.ready_count == 2)
    assert arrival.study_uid in arrival.store._leases.busy()
    arrival.session.close_series(arrival.series_uid)
    assert series.done.is_set()  # the loader has ended: no slice is being written
    before = list(seen["arrived"])
    arrival.source.let(SLICES)
    assert arrival.session.downloads is not None
    arrival.session.downloads.wait(20)
    time.sleep(0.6)  # longer than the loader's poll: it would have looked by now
    assert seen["arrived"] == before
    assert arrival.study_uid not in arrival.store._leases.busy()


def test_a_download_cancelled_mid_arrival_finishes_the_series_short(arrival: Arrival) -> None:
    series = arrival.open_after_first()
    seen = recorded(series)
    arrival.source.let(2)
    wait_until(lambda: series.ready_count == 2)
    assert arrival.session.downloads is not None
    arrival.session.downloads.cancel(arrival.study_uid)
    wait_until(lambda: bool(seen["finished"]))
    ready, count = seen["finished"][0]
    assert count == SLICES and ready < SLICES and not series.whole
    # Only whole instances reached the cache, and the series shows exactly those.
    cached = arrival.store.cached_sop_uids(arrival.study_uid, arrival.series_uid)
    shown = {
        series.volume.headers[k].SOPInstanceUID for k in range(SLICES) if series.volume.ready[k]
    }
    assert shown == cached
    unready = ~series.volume.ready
    assert not series.volume.voxels[unready].any()


def whole_series_is_load_volumes(made: Arrival) -> tuple[ArrivingSeries, Any]:
    series = made.open_after_first()
    seen = recorded(series)
    shown = series.volume.headers[series.slice].SOPInstanceUID
    made.source.let(SLICES)
    wait_until(lambda: bool(seen["finished"]))
    files, layouts = made.store.series_files(made.study_uid, made.series_uid)
    loaded = load_volume(files, layouts=layouts)
    final = series.volume
    assert np.array_equal(final.voxels, loaded.voxels)
    assert list(final.paths) == list(loaded.paths) and final.stack == loaded.stack
    assert final.warnings == loaded.warnings and final.ready.all()
    assert final.headers[series.slice].SOPInstanceUID == shown  # still the image shown
    assert seen["replaced"] and seen["replaced"][-1] is final
    return series, loaded


def test_numbers_that_do_not_follow_the_positions_end_in_load_volumes_order(
    tmp_path: Path,
) -> None:
    places = [0, 3, 1, 5, 2, 4]  # InstanceNumber k + 1 lies at place places[k]

    def shuffle(ds: Any, k: int) -> None:
        ds.ImagePositionPatient = [0, 0, 2.0 * places[k]]

    made = Arrival(tmp_path, *study_folder(tmp_path, tweak=shuffle))
    try:
        series, _loaded = whole_series_is_load_volumes(made)
        numbers = [int(series.volume.headers[k].InstanceNumber) for k in range(SLICES)]
        assert numbers == [1, 3, 5, 2, 6, 4]  # by place, ascending
    finally:
        made.session.close()


def test_a_series_that_is_not_one_stack_ends_as_load_volume_loads_it(tmp_path: Path) -> None:
    def localizer(ds: Any, k: int) -> None:  # the last image: a sagittal localizer
        if k == SLICES - 1:
            ds.ImageOrientationPatient = [0, 1, 0, 0, 0, -1]

    made = Arrival(tmp_path, *study_folder(tmp_path, tweak=localizer))
    try:
        series, loaded = whole_series_is_load_volumes(made)
        assert series.slice_count == SLICES - 1 == loaded.voxels.shape[0]
    finally:
        made.session.close()
