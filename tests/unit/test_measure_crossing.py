"""A measurement drawn on a slice, seen on an MPR reformat through the same volume: the
chord of a region, the mark where a line passes, nothing where it does not reach."""

from __future__ import annotations

import math

import pytest

from viewer.measure.crossing import crossing
from viewer.measure.outline import outline
from viewer.measure.tools import Tool

COLUMN, ROW = 0, 1  # the index a reformat holds fixed: sagittal, coronal of an axial stack


def met(tool: Tool, points: list[tuple[float, float]], axis: int, at: float, k: int = 7) -> object:
    return crossing(tool, outline(tool, points), points, axis, at, k)


def test_an_ellipse_shows_its_chord_at_the_slice_height_as_long_as_the_ellipse_is_wide_there() -> (
    None
):
    # Centre (40, 30), radii 10 across and 6 down; the coronal plane at row 33.
    (segment,) = met(Tool.ELLIPSE, [(30, 24), (50, 36)], ROW, 33.0).segments
    (u0, v0), (u1, v1) = segment
    half = 10 * math.sqrt(1 - (3 / 6) ** 2)  # the ellipse's half width 3 rows off centre
    assert v0 == v1 == 7
    assert u0 == pytest.approx(40 - half, abs=0.1) and u1 == pytest.approx(40 + half, abs=0.1)


def test_a_rectangle_on_a_sagittal_plane_shows_its_rows_there() -> None:
    (segment,) = met(Tool.RECTANGLE, [(10, 20), (30, 50)], COLUMN, 12.0).segments
    assert segment == ((20.0, 7.0), (50.0, 7.0))


def test_a_region_the_plane_passes_beside_shows_nothing() -> None:
    assert not met(Tool.ELLIPSE, [(30, 24), (50, 36)], ROW, 40.0)
    assert not met(Tool.RECTANGLE, [(10, 20), (30, 50)], COLUMN, 31.0)


def test_a_concave_outline_shows_each_stretch_inside_it() -> None:
    # A U: two arms from row 0 to 20, joined below row 20; the plane at row 10 cuts both.
    u_shape = [(0, 0), (5, 0), (5, 15), (15, 15), (15, 0), (20, 0), (20, 20), (0, 20)]
    found = met(Tool.FREEHAND, u_shape, ROW, 10.0).segments
    assert found == (((0.0, 7.0), (5.0, 7.0)), ((15.0, 7.0), (20.0, 7.0)))


def test_a_distance_through_the_plane_is_marked_where_it_passes() -> None:
    found = met(Tool.LINE, [(10, 10), (30, 50)], ROW, 20.0)
    assert found.points == ((15.0, 7.0),) and not found.segments


def test_a_distance_short_of_the_plane_is_not_on_it() -> None:
    assert not met(Tool.LINE, [(10, 10), (30, 50)], ROW, 51.0)


def test_a_distance_along_the_plane_is_drawn_whole() -> None:
    found = met(Tool.LINE, [(10, 20), (30, 20)], ROW, 20.0)
    assert found.segments == (((10.0, 7.0), (30.0, 7.0)),)
    # Drawn a third of a pixel off the plane's row: within its pixel, as a probe would be.
    off = met(Tool.LINE, [(10, 20.3), (30, 20.3)], ROW, 20.0)
    assert off.segments == (((10.0, 7.0), (30.0, 7.0)),) and not off.points


def test_an_angle_is_marked_on_each_ray_it_crosses_with() -> None:
    # Vertex (20, 20), rays to (10, 40) and (30, 40): the plane at row 30 crosses both.
    found = met(Tool.ANGLE, [(10, 40), (20, 20), (30, 40)], ROW, 30.0)
    assert found.points == ((15.0, 7.0), (25.0, 7.0))


def test_a_probe_shows_within_half_a_pixel_of_the_plane_only() -> None:
    assert met(Tool.PROBE, [(12, 40)], COLUMN, 12.4).points == ((40.0, 7.0),)
    assert not met(Tool.PROBE, [(12, 40)], COLUMN, 12.6)


def test_an_arrow_or_a_note_measures_nothing_there() -> None:
    assert not met(Tool.ARROW, [(10, 10), (10, 40)], COLUMN, 10.0)
    assert not met(Tool.TEXT, [(10, 10)], COLUMN, 10.0)


def test_the_stack_plane_is_no_reformat() -> None:
    with pytest.raises(ValueError):
        met(Tool.LINE, [(10, 10), (30, 50)], 2, 7.0)
