"""Rotating, flipping and inverting in the slice scene: pixels read back from an
offscreen VTK window against the series' own display values, turned with numpy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.unit.test_render_slice_scene import (
    COLUMNS,
    ROWS,
    gray,
    offscreen,
    open_series,
    ramp,
    screen,
    write_series,
)
from viewer.render.slice_scene import SliceScene
from viewer.render.view_turns import ViewTurns
from viewer.session.reading import OpenSeries

pytestmark = pytest.mark.render


@pytest.fixture
def ct(tmp_path: Path) -> OpenSeries:
    return open_series(write_series(tmp_path / "ct", ramp()))


def square_scene(series: OpenSeries, turns: ViewTurns) -> SliceScene:
    """A window big enough for the image either way round, at 1:1."""
    side = max(ROWS, COLUMNS)
    scene = SliceScene(offscreen(side, side))
    scene.show(series)
    scene.turn(turns)
    scene.one_to_one()
    return scene


def shown_image(scene: SliceScene) -> np.ndarray:
    """The lit part of the screen (the ramp has no black pixel inside the image)."""
    shown = gray(screen(scene))
    rows = np.flatnonzero(shown.any(axis=1))
    columns = np.flatnonzero(shown.any(axis=0))
    return shown[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (ViewTurns().rotated(), lambda a: np.rot90(a, -1)),
        (ViewTurns().rotated(clockwise=False), lambda a: np.rot90(a, 1)),
        (ViewTurns().rotated().rotated(), lambda a: np.rot90(a, 2)),
        (ViewTurns().flipped_horizontally(), np.fliplr),
        (ViewTurns().flipped_vertically(), np.flipud),
        # A turn then a flip: the flip is the screen's, whatever the turn.
        (ViewTurns().rotated().flipped_horizontally(), lambda a: np.fliplr(np.rot90(a, -1))),
        (ViewTurns().flipped_horizontally().rotated(), lambda a: np.rot90(np.fliplr(a), -1)),
        (ViewTurns().rotated().flipped_vertically(), lambda a: np.flipud(np.rot90(a, -1))),
    ],
)
def test_a_turned_or_flipped_view_shows_the_image_turned_or_flipped_as_asked(
    ct: OpenSeries, turns: ViewTurns, expected: object
) -> None:
    scene = square_scene(ct, turns)
    assert scene.zoom_factor() == pytest.approx(1.0)
    assert np.array_equal(shown_image(scene), expected(ct.display_slice()))  # type: ignore[operator]


def test_four_turns_or_two_flips_are_the_image_as_stored() -> None:
    turns = ViewTurns()
    assert turns.rotated().rotated().rotated().rotated() == turns
    assert turns.flipped_vertically().flipped_vertically() == turns
    assert turns.flipped_horizontally().flipped_vertically() == turns.rotated().rotated()


def test_fit_after_a_quarter_turn_fits_the_image_lying_the_other_way(ct: OpenSeries) -> None:
    scene = SliceScene(offscreen(100, 60))
    scene.show(ct)
    scene.turn(ViewTurns().rotated())
    # 32 columns now run down the screen: height-bound at 60 / 32 screen pixels a pixel.
    assert scene.zoom_factor() == pytest.approx(60 / COLUMNS)
    lit = np.flatnonzero(gray(screen(scene)).any(axis=1))
    assert (lit[0], lit[-1]) == (0, 59)


def test_a_drag_moves_the_turned_image_the_way_the_hand_goes(ct: OpenSeries) -> None:
    scene = square_scene(ct, ViewTurns().rotated().flipped_horizontally())
    before = gray(screen(scene))
    scene.pan(3, 2)  # 3 pixels right, 2 down on screen
    after = gray(screen(scene))
    assert np.array_equal(after[2:, 3:], before[:-2, :-3])


def test_an_inverted_series_shows_the_inverted_export(ct: OpenSeries) -> None:
    scene = square_scene(ct, ViewTurns())
    before = shown_image(scene)
    ct.invert()
    scene.refresh_window()
    shown = shown_image(scene)
    assert ct.chain.inverted
    assert np.array_equal(shown, ct.display_slice())  # screen == export, through the chain
    assert np.array_equal(shown.astype(int), 255 - before.astype(int))


def test_one_to_one_after_a_quarter_turn_puts_pixel_centres_on_screen_pixel_centres(
    ct: OpenSeries,
) -> None:
    # Even across, odd down: the stored columns now run down the screen, so they are the
    # ones to centre on a pixel of an odd height (else each would straddle two).
    scene = SliceScene(offscreen(ROWS + 2, COLUMNS + 1))
    scene.show(ct)
    scene.turn(ViewTurns().rotated())
    scene.one_to_one()
    assert np.array_equal(shown_image(scene), np.rot90(ct.display_slice(), -1))
