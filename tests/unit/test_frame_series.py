"""Colour and multi-frame series open as stacks of frames (viewer.imaging.frames): the
display of each frame is what export writes (display_image), a cine has every frame."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.support.colour_files import (
    gray_cine,
    rgb_ramp,
    write_colour,
    write_gray_cine,
    write_palette,
)
from viewer.imaging.decode import read_dataset
from viewer.imaging.export import display_image
from viewer.imaging.frames import load_frames, shown_as_frames
from viewer.session.reading import OpenSeries


def opened(*paths: Path) -> OpenSeries:
    assert shown_as_frames(paths[0])
    volume = load_frames(list(paths))
    return OpenSeries("1.2", "1.2.3", volume)


@pytest.mark.parametrize("photometric", ["RGB", "YBR_FULL"])
def test_a_colour_image_displays_as_export_writes_it(tmp_path: Path, photometric: str) -> None:
    path = write_colour(tmp_path / "c.dcm", photometric)
    series = opened(path)
    shown = series.display_slice()
    assert shown.shape == (*rgb_ramp().shape[1:],)
    assert np.array_equal(shown, display_image(read_dataset(path)))
    # Not tinted nor swapped: YBR round-trips to the RGB it was made of within 1.
    assert np.abs(shown.astype(int) - rgb_ramp()[0]).max() <= 1


def test_a_palette_colour_image_displays_as_export_writes_it(tmp_path: Path) -> None:
    path = write_palette(tmp_path / "p.dcm")
    series = opened(path)
    expected = display_image(read_dataset(path))
    assert expected.ndim == 3
    assert np.array_equal(series.display_slice(), expected)


def test_a_colour_cine_opens_frame_by_frame_in_frame_order(tmp_path: Path) -> None:
    path = write_colour(tmp_path / "c.dcm", "RGB", frames=3)
    series = opened(path)
    assert series.slice_count == 3
    ds = read_dataset(path)
    for k in range(3):
        assert np.array_equal(series.display_slice(k), display_image(ds, frame=k + 1))


def test_a_grayscale_multiframe_file_opens_as_one_slice_a_frame(tmp_path: Path) -> None:
    path = write_gray_cine(tmp_path / "g.dcm", frames=5)
    series = opened(path)
    assert series.slice_count == 5
    assert np.array_equal(series.volume.voxels, gray_cine(5))
    ds = read_dataset(path)
    for k in range(5):
        assert np.array_equal(series.display_slice(k), display_image(ds, frame=k + 1))


def test_a_grayscale_cine_keeps_its_window(tmp_path: Path) -> None:
    series = opened(write_gray_cine(tmp_path / "g.dcm"))
    assert not series.colour and series.window is not None
    series.set_window(500, 200)
    assert series.window is not None and series.window.center == 500


def test_a_colour_series_has_no_window_preset_or_inversion(tmp_path: Path) -> None:
    series = opened(write_colour(tmp_path / "c.dcm"))
    before = series.display_slice().copy()
    events: list[object] = []
    series.window_changed.connect(events.append)
    series.inverted_changed.connect(events.append)
    series.set_window(10, 20)
    series.reset_window()
    series.auto_window()
    series.invert()
    assert not any(series.choose_preset(i) for i in range(9))
    assert series.colour and series.window is None and not series.inverted
    assert series.display_table() is None and series.preset is None and not events
    assert np.array_equal(series.display_slice(), before)


def test_a_single_frame_grayscale_image_is_left_to_the_volume_loader(tmp_path: Path) -> None:
    path = write_gray_cine(tmp_path / "g.dcm", frames=1)
    assert not shown_as_frames(path)
