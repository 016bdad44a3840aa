"""MPR in the slice scene: a reformat through the shared volume shows each slice's row
(or column) where the patient's anatomy is, head up; the crosshair marks the point."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.support.screen import offscreen_window, screen_rgb
from tests.support.stacks import open_stack
from viewer.render.slice_scene import SliceScene
from viewer.render.view_plane import index_directions, plane_kind, reformat

pytestmark = pytest.mark.render


def visible_rows(rgb: np.ndarray) -> np.ndarray:
    """The grey of the middle column, top to bottom, where the image is (not black)."""
    column = rgb[:, rgb.shape[1] // 2, 0].astype(int)
    return column[column > 0]


def test_a_coronal_reformat_of_an_axial_stack_puts_the_head_up(tmp_path: Path) -> None:
    # Slice k at z = 2k mm (feet to head), all its pixels k * 100: brighter towards the head.
    series = open_stack(tmp_path / "ct", count=6, step=2.0, size=(8, 8))
    series.set_window(-424.0, 1200.0)  # slice 0 black … slice 5 bright
    stack = series.volume.stack
    directions = index_directions(stack.row_cosine, stack.column_cosine, stack.slice_step)
    assert plane_kind(directions, 1) == "coronal"
    scene = SliceScene(offscreen_window(200, 200))
    scene.set_plane(reformat(directions, 1))
    scene.show(series)
    scene.refresh_slice(4)
    scene.render()
    greys = visible_rows(screen_rgb(scene.window))
    runs = [g for i, g in enumerate(greys) if i == 0 or g != greys[i - 1]]
    assert runs == sorted(runs, reverse=True) and len(runs) == 5  # head (bright) on top
    # 6 slices 2 mm apart, 8 columns 1 mm apart: the image is 12 mm high and 8 mm wide.
    assert scene.plane.down == 2 and scene.plane.across == 0


def test_a_click_on_a_reformat_names_the_voxel_under_it_and_the_crosshair_draws(
    tmp_path: Path,
) -> None:
    series = open_stack(tmp_path / "ct", count=6, step=2.0, size=(8, 8))
    series.set_window(-424.0, 1200.0)
    stack = series.volume.stack
    directions = index_directions(stack.row_cosine, stack.column_cosine, stack.slice_step)
    scene = SliceScene(offscreen_window(160, 240))  # 12 mm high: 20 screen pixels a mm
    scene.set_plane(reformat(directions, 1))
    scene.show(series)
    scene.refresh_slice(3)
    column, row, slice_ = scene.index_at(80, 20)  # the middle, near the top
    assert row == pytest.approx(3.0)  # the plane's own row
    assert column == pytest.approx(3.5, abs=0.1)  # 8 columns, the centre between 3 and 4
    assert round(slice_) == 5  # the top of the screen is the head: the last slice
    scene.render()
    plain = screen_rgb(scene.window)
    scene.show_crosshair((2, 3, 1), {0: "sagittal", 2: "axial"})
    scene.render()
    drawn = screen_rgb(scene.window).astype(int)
    changed = (drawn != plain).any(axis=2)
    assert changed.any()
    red = (drawn[..., 0] - drawn[..., 1] > 100) & changed  # the axial line: red
    yellow = (drawn[..., 0] > 150) & (drawn[..., 1] > 150) & (drawn[..., 2] < 120) & changed
    assert red.any(axis=1).sum() <= 3 and red.any()  # one horizontal line …
    assert yellow.any(axis=0).sum() <= 3 and yellow.any()  # … and one vertical
    scene.show_crosshair(None, {})
    scene.render()
    assert np.array_equal(screen_rgb(scene.window), plain)
