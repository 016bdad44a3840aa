"""The slice scene shows colour frames as they are: at 1:1 the screen is the RGB export,
pixel for pixel (no lookup table, no blending), row 0 at the top; scrolling shows the
next frame."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.support.colour_files import COLUMNS, ROWS, write_colour
from tests.unit.test_render_slice_scene import offscreen, screen
from viewer.imaging.frames import load_frames
from viewer.render.slice_scene import SliceScene
from viewer.session.reading import OpenSeries

pytestmark = pytest.mark.render


@pytest.fixture(params=["RGB", "YBR_FULL"])
def cine(tmp_path: Path, request: pytest.FixtureRequest) -> OpenSeries:
    volume = load_frames([write_colour(tmp_path / "c.dcm", request.param, frames=3)])
    return OpenSeries("1.2", "1.2.3", volume)


def shown_at_one_to_one(series: OpenSeries) -> SliceScene:
    scene = SliceScene(offscreen(COLUMNS, ROWS))
    scene.show(series)
    scene.one_to_one()
    return scene


def test_a_colour_frame_at_one_to_one_is_its_export_pixel_for_pixel(cine: OpenSeries) -> None:
    scene = shown_at_one_to_one(cine)
    assert scene.zoom_factor() == pytest.approx(1.0)
    assert np.array_equal(screen(scene), cine.display_slice())


def test_scrolling_a_colour_cine_shows_the_next_frame(cine: OpenSeries) -> None:
    scene = shown_at_one_to_one(cine)
    cine.set_slice(2)
    scene.refresh_slice()
    assert np.array_equal(screen(scene), cine.display_slice(2))
    assert not np.array_equal(cine.display_slice(2), cine.display_slice(0))


def test_a_grayscale_series_shown_after_a_colour_one_gets_its_table_back(
    cine: OpenSeries, tmp_path: Path
) -> None:
    from tests.unit.test_render_slice_scene import gray, open_series, ramp, write_series

    scene = shown_at_one_to_one(cine)
    ct = open_series(write_series(tmp_path / "ct", ramp(ROWS, COLUMNS)))
    scene.show(ct)
    scene.one_to_one()
    assert np.array_equal(gray(screen(scene)), ct.display_slice())
