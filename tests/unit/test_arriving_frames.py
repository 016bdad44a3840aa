"""A colour or multi-frame series opened while it downloads: the first instance shows at
once, each later instance's frames as its file lands in a real cache (each let through by
the test), until the series is whole and is what load_frames gives for the same files.

The platform is the gated folder of tests/unit/test_arriving_series.py: the first image
comes alone, then the series in one answer (the first image again among it)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.encaps import encapsulate
from pydicom.uid import JPEGBaseline8Bit, generate_uid

from tests.support.colour_files import (
    ROWS,
    gray_cine,
    rgb_ramp,
    write_colour,
    write_gray_cine,
)
from tests.unit.test_arriving_series import Arrival, recorded, wait_until
from tests.unit.test_session_model import PATIENT, ct_slice
from viewer.imaging.display import grayscale_chain
from viewer.imaging.frames import load_frames
from viewer.imaging.geometry import GeometryIssue
from viewer.imaging.pixel_layout import PixelLayout
from viewer.instance_file import InstanceFile
from viewer.session.arriving_frames import ArrivingFrames
from viewer.session.frame_blocks import Block, FrameBuffer
from viewer.session.reading import OpenSeries

# An ultrasound study: a still, a cine of 3 frames, a still, a cine of 4 (frames per file).
FRAMES = (1, 3, 1, 4)


def us_folder(
    tmp_path: Path,
    frames: Sequence[int] = FRAMES,
    *,
    gray: bool = False,
    bad: int | None = None,
    smaller: int | None = None,
) -> tuple[Path, str, str]:
    """One series of colour (or ``gray``) instances of ``frames`` frames each, numbered
    in that order, each file's pixels its own; ``bad`` cannot be decoded, ``smaller`` is
    of another size."""
    folder = tmp_path / "us"
    folder.mkdir()
    study_uid, series_uid = generate_uid(), generate_uid()
    for k, count in enumerate(frames):
        path = folder / f"{k:03}.dcm"
        (write_gray_cine if gray else write_colour)(path, frames=count)
        ds = dcmread(path)
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study_uid, series_uid
        ds.PatientID, ds.IssuerOfPatientID = PATIENT.patient_id, PATIENT.issuer
        ds.StudyDate, ds.StudyTime, ds.SeriesNumber = "20241105", "101500", 2
        ds.InstanceNumber = k + 1
        if gray:
            ds.PixelData = (gray_cine(count) + 1000 * k).astype("<u2").tobytes()
        else:
            ds.PixelData = (rgb_ramp(count) + np.uint8(11 * k)).tobytes()
        if k == smaller:
            ds.Rows = ROWS // 2
            ds.PixelData = ds.PixelData[: len(ds.PixelData) // 2]
        if k == bad:  # whole to the cache, but its pixels cannot be decoded
            ds.file_meta.TransferSyntaxUID = JPEGBaseline8Bit
            ds.PixelData = encapsulate([b"\xff\xd8 not a JPEG stream"] * count)
            ds["PixelData"].VR = "OB"
        ds.save_as(path, enforce_file_format=True)
    return folder, study_uid, series_uid


def opened(made: Arrival) -> ArrivingFrames:
    """The download started, the first image let through, the series opened then."""
    made.session.download(made.study, first_series=made.series_uid)
    made.source.let()
    wait_until(lambda: made.store.series_files(made.study_uid, made.series_uid)[0] != [])
    assert made.session.opens_while_arriving(made.study_uid, made.series_uid)
    series = made.session.open_series(made.study_uid, made.series_uid)
    assert isinstance(series, ArrivingFrames)
    return series


def events(series: ArrivingFrames) -> dict[str, list[Any]]:
    """What the series says, recorded as an ArrivingSeries' (the same events)."""
    return recorded(series)  # type: ignore[arg-type]


def arrival(tmp_path: Path, **kwargs: Any) -> Arrival:
    return Arrival(tmp_path, *us_folder(tmp_path, **kwargs))


def loaded(made: Arrival) -> Any:
    return load_frames(made.store.series_files(made.study_uid, made.series_uid)[0])


def assert_is_load_frames(series: ArrivingFrames, made: Arrival) -> None:
    final, expected = series.volume, loaded(made)
    assert final.voxels.shape == expected.voxels.shape
    assert np.array_equal(final.voxels, expected.voxels)
    assert list(final.paths) == list(expected.paths) and final.stack == expected.stack
    assert [h.SOPInstanceUID for h in final.headers] == [h.SOPInstanceUID for h in expected.headers]
    assert final.warnings == expected.warnings and final.ready.all()


def test_a_colour_series_opens_on_its_first_instance_while_the_rest_arrive(
    tmp_path: Path,
) -> None:
    made = arrival(tmp_path)
    try:
        series = opened(made)
        assert series.colour and series.slice_count == FRAMES[0] and series.slice == 0
        assert np.array_equal(series.display_slice(), rgb_ramp(1)[0])
        assert series.volume.ready.all() and series.volume.headers[0].InstanceNumber == 1
        assert (series.ready_count, series.expected) == (1, len(FRAMES))
        assert not series.whole
    finally:
        made.session.close()


def test_each_instance_landing_adds_its_frames_in_file_order_until_whole(
    tmp_path: Path,
) -> None:
    made = arrival(tmp_path)
    try:
        series = opened(made)
        seen = events(series)
        made.source.let(2)  # the first image again, then the second instance
        wait_until(lambda: series.ready_count == 2)
        volume = series.volume
        assert series.slice_count == FRAMES[0] + FRAMES[1]
        numbers = [int(h.InstanceNumber) for h in volume.headers]
        assert numbers == [1, 2, 2, 2]
        assert np.array_equal(volume.voxels[1:], rgb_ramp(3) + np.uint8(11))
        made.source.let(len(FRAMES))
        wait_until(lambda: bool(seen["finished"]))
        n = len(FRAMES)
        assert seen["arrived"] == [(k, n) for k in range(2, n + 1)]
        assert seen["finished"] == [(n, n)] and seen["failed"] == []
        assert series.whole and seen["replaced"][-1] is series.volume
        assert_is_load_frames(series, made)
    finally:
        made.session.close()


def test_the_frame_shown_stays_the_same_as_the_volume_grows(tmp_path: Path) -> None:
    made = arrival(tmp_path)
    try:
        series = opened(made)
        made.source.let(2)
        wait_until(lambda: series.ready_count == 2)
        series.set_slice(2)  # the second frame of instance 2
        shown = series.display_slice().copy()
        held = series.volume.voxels
        before = held.copy()
        made.source.let(len(FRAMES))
        wait_until(lambda: series.whole)
        assert np.array_equal(series.display_slice(), shown) and series.slice == 2
        assert np.array_equal(held, before)  # the array shown before was never rewritten
    finally:
        made.session.close()


class Listed:
    """A cache whose listing of the series is what the test says (files in its order)."""

    def __init__(self, *files: Path) -> None:
        self.files = [InstanceFile(f) for f in files]

    def series_files(
        self, study_uid: str, series_uid: str
    ) -> tuple[list[InstanceFile], list[PixelLayout | None]]:
        return list(self.files), [None] * len(self.files)


def test_an_earlier_instance_landing_later_goes_before_and_the_frame_shown_stays(
    tmp_path: Path,
) -> None:
    folder, _study, _series = us_folder(tmp_path)
    first, second = sorted(folder.iterdir())[:2]
    store = Listed(second)  # instance 2 (three frames) is here before instance 1
    series = ArrivingFrames("s", "t", store, expected=2)
    series.start()
    try:
        series.set_slice(2)
        shown = series.display_slice().copy()
        store.files = [InstanceFile(first), InstanceFile(second)]
        series.nudge()
        wait_until(lambda: series.whole)
        assert series.slice == 3 and np.array_equal(series.display_slice(), shown)
        expected = load_frames([first, second])
        assert np.array_equal(series.volume.voxels, expected.voxels)
        assert list(series.volume.paths) == list(expected.paths)
    finally:
        series.close()


def test_a_block_landing_before_others_goes_into_new_memory_the_shown_frame_with_it() -> None:
    def block(sop: str, count: int) -> Block:
        return Block(sop, InstanceFile(Path(sop)), Dataset(), count)

    buffer = FrameBuffer((2, 2), np.dtype(np.uint16), expected_files=3)
    buffer.add(block("b", 2), np.full((2, 2, 2), 5, np.uint16), 0)
    held = buffer.voxels
    moved = buffer.add(block("a", 3), np.full((3, 2, 2), 7, np.uint16), 0)
    assert [b.sop for b in buffer.blocks] == ["a", "b"] and buffer.frames == 5
    assert [moved(k) for k in range(2)] == [3, 4]
    assert held.tolist() == np.full((2, 2, 2), 5).tolist()  # left as the viewport holds it
    assert buffer.voxels[:3].max() == 7 and buffer.voxels[3:].min() == 5
    wider = buffer.add(block("c", 1), np.full((1, 2, 2), -1, np.int16), 2)
    assert buffer.voxels.dtype == np.int32 and wider(4) == 4  # numpy's rule, as concatenate


def test_a_file_of_another_size_is_left_out_and_said_as_load_frames_says(
    tmp_path: Path,
) -> None:
    made = arrival(tmp_path, smaller=2)
    try:
        series = opened(made)
        seen = events(series)
        made.source.let(len(FRAMES))
        wait_until(lambda: bool(seen["finished"]))
        (warning,) = [w for w in series.warnings if w.issue == GeometryIssue.MIXED_SIZE]
        assert warning.slices == (2,)
        assert series.slice_count == sum(FRAMES) - FRAMES[2]
        assert series.whole and seen["finished"] == [(len(FRAMES), len(FRAMES))]
        assert_is_load_frames(series, made)
    finally:
        made.session.close()


def test_an_instance_that_cannot_be_decoded_is_a_placeholder_and_the_others_arrive(
    tmp_path: Path,
) -> None:
    made = arrival(tmp_path, bad=1)
    try:
        series = opened(made)
        seen = events(series)
        made.source.let(len(FRAMES))
        wait_until(lambda: bool(seen["finished"]), timeout=60)
        volume = series.volume
        placeholder = [1, 2, 3]  # instance 2's three frames, after instance 1's one
        assert sorted(volume.failed) == placeholder == [k for k, _ in seen["failed"]]
        why = volume.failed[1]
        assert why and "cache" not in why and str(tmp_path) not in why
        assert not volume.ready[placeholder].any() and not volume.voxels[placeholder].any()
        assert volume.ready.sum() == sum(FRAMES) - FRAMES[1]
        assert np.array_equal(volume.voxels[4], rgb_ramp(1)[0] + np.uint8(22))
        assert seen["finished"] == [(len(FRAMES) - 1, len(FRAMES))] and series.whole
    finally:
        made.session.close()


def test_a_grayscale_cine_keeps_the_first_instances_window_as_frames_come(
    tmp_path: Path,
) -> None:
    made = arrival(tmp_path, frames=(3, 3, 3), gray=True)
    try:
        series = opened(made)
        at_open = series.window
        assert at_open is not None and not series.colour
        first_only = grayscale_chain(series.volume.headers[0], pixels=series.volume.voxels)
        assert at_open == first_only.voi
        seen = events(series)
        made.source.let(3)
        wait_until(lambda: bool(seen["finished"]))
        assert series.window == at_open  # not moved under the doctor's eyes
        whole = OpenSeries("s", "t", loaded(made))
        assert whole.window != at_open  # what a window over every frame would have been
        assert_is_load_frames(series, made)
        wide = whole.window  # over every frame: the later ones' values are not clipped
        assert wide is not None
        series.set_window(wide.center, wide.width)  # the same window: the same pixels
        for k in range(series.slice_count):
            assert np.array_equal(series.display_slice(k), whole.display_slice(k))
    finally:
        made.session.close()


def test_closing_mid_arrival_stops_the_loader_and_releases_the_cache_lease(
    tmp_path: Path,
) -> None:
    made = arrival(tmp_path)
    try:
        series = opened(made)
        seen = events(series)
        made.source.let(2)
        wait_until(lambda: series.ready_count == 2)
        assert made.study_uid in made.store._leases.busy()
        made.session.close_series(made.series_uid)
        assert series.done.is_set()  # the loader has ended: no frame is being written
        before = list(seen["arrived"])
        made.source.let(len(FRAMES))
        assert made.session.downloads is not None
        made.session.downloads.wait(20)
        time.sleep(0.6)  # longer than the loader's poll: it would have looked by now
        assert seen["arrived"] == before
        assert made.study_uid not in made.store._leases.busy()
    finally:
        made.session.close()


@pytest.mark.parametrize("frames", [1, 4])
def test_a_one_instance_series_opens_whole_as_soon_as_it_is_cached(
    tmp_path: Path, frames: int
) -> None:
    """A cine (or a colour still) is retrieved whole: it opens as a cached series does,
    with load_frames, while the study's other series still download."""
    folder, study_uid, series_uid = us_folder(tmp_path, (frames,))
    ct, ct_series = tmp_path / "ct", generate_uid()
    ct.mkdir()
    for k in range(3):  # a CT of the same study, fetched after the cine
        ct_slice(ct, study_uid, ct_series, k)
        (ct / f"{k:03}.dcm").rename(folder / f"ct{k}.dcm")
    made = Arrival(tmp_path, folder, study_uid, series_uid, held=frozenset({ct_series}))
    try:
        made.session.download(made.study, first_series=series_uid)
        made.source.let()  # the cine's: the CT's worker waits at the held gate
        wait_until(lambda: made.session.series_cached(study_uid, series_uid))
        assert made.session.downloads is not None
        assert made.session.downloads.active(study_uid) is not None  # the CT still to come
        assert not made.session.opens_while_arriving(study_uid, series_uid)
        series = made.session.open_series(study_uid, series_uid)
        assert type(series) is OpenSeries and series.slice_count == frames
        assert np.array_equal(series.volume.voxels, loaded(made).voxels)
        made.source.let_held(10)
    finally:
        made.session.close()
