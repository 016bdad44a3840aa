"""Measurements drawn on the series' slices show on its MPR reformats where those planes
pass through them: a region's chord, a mark where a line crosses, each labelled with its
value and the image it was measured on; nothing where a plane misses them. Pixels read
back from each VTK window."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from tests.qt.test_reading_layouts import view  # noqa: F401 (fixture)
from tests.qt.test_reading_mpr import mpr, pixels  # noqa: F401 (fixture)
from viewer.measure.tools import Tool
from viewer.session.annotations import Annotation

pytestmark = pytest.mark.qt

SLICE = 10  # the slice measured on (z = 20 mm: the stack's slices are 2 mm apart)


def on_screen(viewport: Any, column: float, row: float, slice_: float) -> tuple[int, int]:
    """Where voxel (column, row, slice) is on ``viewport``'s window: (x, y from the top)."""
    scene = viewport.scene
    sx, sy, sz = scene.spacing
    renderer = scene.renderer
    renderer.SetWorldPoint(column * sx, row * sy, slice_ * sz, 1.0)
    renderer.WorldToDisplay()
    x, y, _ = renderer.GetDisplayPoint()
    _, height = renderer.GetSize()
    return round(x), round(height - 1 - y)


def yellow_near(rgb: np.ndarray, at: tuple[int, int], reach: int = 2) -> bool:
    """A measurement's yellow (255, 214, 10) within ``reach`` pixels of ``at`` — not the
    sagittal crosshair's paler yellow (242, 217, 64)."""
    x, y = at
    patch = rgb[max(0, y - reach) : y + reach + 1, max(0, x - reach) : x + reach + 1]
    r, g, b = patch[..., 0], patch[..., 1], patch[..., 2]
    return bool(((r > 230) & (g > 180) & (b < 40)).any())


def measured(mpr: Any, tool: Tool, points: list[tuple[float, float]]) -> Annotation:  # noqa: F811
    series = mpr.layout_model.cursor.series
    sop, frame = series.image_key(SLICE)
    annotation = Annotation.new(tool, points, (series.series_uid, sop, frame))
    mpr.annotations_of(series.study_uid).add(annotation)
    return annotation


def test_an_ellipse_on_a_slice_shows_its_chord_on_the_coronal_through_it(mpr: Any) -> None:  # noqa: F811
    _axial, coronal, _sagittal = mpr.viewports[:3]
    cursor = mpr.layout_model.cursor
    measured(mpr, Tool.ELLIPSE, [(8, 10), (24, 22)])  # centre (16, 16), 8 across, 6 down
    cursor.set(1, 16)  # the coronal plane through its centre row
    coronal.redraw()
    (shown,) = coronal.measuring.layer.shown
    assert shown.label.endswith("measured on image 11")
    assert shown.label.startswith("Area 1.51 cm²")  # π · 8 · 6 mm², as on its slice
    assert "PixelSpacing" in shown.label  # and the calibration it was measured in
    assert "Mean" not in shown.label  # its statistics are of its slice: said there
    rgb = pixels(coronal)
    assert yellow_near(rgb, on_screen(coronal, 12, 16, SLICE))  # on the chord, 8 to 24
    assert yellow_near(rgb, on_screen(coronal, 20, 16, SLICE))
    assert not yellow_near(rgb, on_screen(coronal, 4, 16, SLICE))  # beside the ellipse
    assert not yellow_near(rgb, on_screen(coronal, 12, 16, SLICE + 4))  # above: no mark there

    cursor.set(1, 25)  # below the ellipse: this plane does not meet it
    coronal.redraw()
    assert coronal.measuring.layer.shown == []
    assert not yellow_near(pixels(coronal), on_screen(coronal, 12, 25, SLICE))


def test_a_distance_is_marked_on_the_sagittal_where_it_crosses_it(mpr: Any) -> None:  # noqa: F811
    _axial, _coronal, sagittal = mpr.viewports[:3]
    cursor = mpr.layout_model.cursor
    line = measured(mpr, Tool.LINE, [(6, 10), (26, 20)])
    cursor.set(0, 16)  # the sagittal plane at column 16: the line crosses it at row 15
    sagittal.redraw()
    (shown,) = sagittal.measuring.layer.shown
    assert shown.uid == line.uid and shown.label.startswith("22.4 mm")  # √(20² + 10²) mm
    assert yellow_near(pixels(sagittal), on_screen(sagittal, 16, 15, SLICE))

    cursor.set(0, 28)  # past its end
    sagittal.redraw()
    assert sagittal.measuring.layer.shown == []


def test_the_slice_view_of_the_mpr_layout_shows_the_measurement_as_drawn(mpr: Any) -> None:  # noqa: F811
    axial, _coronal, _sagittal = mpr.viewports[:3]
    measured(mpr, Tool.LINE, [(6, 10), (26, 20)])
    axial.series.set_slice(SLICE)
    axial.redraw()
    (shown,) = axial.measuring.layer.shown
    assert "measured on image" not in shown.label  # it is on this image itself
    assert yellow_near(pixels(axial), on_screen(axial, 16, 15, SLICE))


def test_labels_of_measurements_met_side_by_side_are_not_written_over_each_other(
    mpr: Any,  # noqa: F811
) -> None:
    _axial, coronal, _sagittal = mpr.viewports[:3]
    measured(mpr, Tool.ELLIPSE, [(4, 10), (14, 22)])
    measured(mpr, Tool.RECTANGLE, [(9, 12), (20, 20)])  # overlapping it, across
    measured(mpr, Tool.LINE, [(12, 4), (13, 28)])
    mpr.layout_model.cursor.set(1, 16)
    assert_labels_apart(coronal, 3)


def test_labels_of_measurements_on_neighbouring_slices_are_not_written_over_each_other(
    mpr: Any,  # noqa: F811
) -> None:
    _axial, coronal, _sagittal = mpr.viewports[:3]
    series = mpr.layout_model.cursor.series
    study = mpr.annotations_of(series.study_uid)
    for k in (SLICE, SLICE + 1, SLICE - 1):  # a pixel or two apart on the reformat
        sop, frame = series.image_key(k)
        study.add(Annotation.new(Tool.LINE, [(6, 10), (26, 20)], (series.series_uid, sop, frame)))
    mpr.layout_model.cursor.set(1, 15)
    assert_labels_apart(coronal, 3)


def assert_labels_apart(viewport: Any, count: int) -> None:
    """``count`` labels drawn on ``viewport``, one under another: no two share rows."""
    viewport.redraw()
    layer = viewport.measuring.layer
    assert len(layer.shown) == count
    viewport.scene.render()
    renderer = viewport.scene.renderer
    placed = []  # each label's centre height on screen, and its height
    for actor in layer._labels[:count]:
        box = [0.0] * 4
        actor.GetBoundingBox(renderer, box)
        _x, y = actor.GetPositionCoordinate().GetComputedDisplayValue(renderer)
        placed.append((y, box[3] - box[2]))
    for i, (ya, ha) in enumerate(placed):
        for yb, hb in placed[i + 1 :]:
            assert abs(ya - yb) >= (ha + hb) / 2 - 1, placed
