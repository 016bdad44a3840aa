"""A measurement's label stays inside its viewport: one drawn near the right edge has
its label moved left until it ends inside, so its value is never cut off."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from PySide6.QtCore import Qt

from tests.qt.test_measuring_tools import drag, key, screen_of, view  # noqa: F401 (fixture)
from viewer.render.annotation_layer import EDGE_PX

pytestmark = pytest.mark.qt


def label_box(viewport: Any) -> tuple[float, float, float, float]:
    """(left, right, bottom, top) of the first label on screen, display pixels (y from
    the bottom; the label is centred on its position's height)."""
    renderer = viewport.scene.renderer
    actor = viewport.measuring.layer._labels[0]
    box = [0.0] * 4
    actor.GetBoundingBox(renderer, box)
    left, centre = actor.GetPositionCoordinate().GetComputedDoubleDisplayValue(renderer)[:2]
    half = (box[3] - box[2]) / 2
    return left, left + box[1] - box[0], centre - half, centre + half


def label_span(viewport: Any) -> tuple[float, float]:
    return label_box(viewport)[:2]


def test_a_label_by_the_right_edge_is_moved_inside_the_viewport(view: Any) -> None:  # noqa: F811
    viewport = view.active
    key(view, Qt.Key.Key_D)
    drag(view, (30, 30), (60, 30))
    viewport.redraw()
    width = viewport.scene.renderer.GetSize()[0]
    left, right = label_span(viewport)
    assert right <= width - EDGE_PX + 1  # fitted: the label already inside

    viewport.scene.zoom(2.0)
    at = screen_of(view, 60, 30)  # the line's right end, where its label starts
    viewport.scene.pan(width - 40 - at.x(), 0)  # now 40 pixels from the right edge
    viewport.redraw()
    left, right = label_span(viewport)
    assert right <= width - EDGE_PX + 1 and left >= EDGE_PX - 1
    assert viewport.measuring.layer.shown[0].label.startswith("24.0 mm")


def test_a_label_by_the_bottom_edge_is_moved_up_inside_the_viewport(view: Any) -> None:  # noqa: F811
    viewport = view.active
    key(view, Qt.Key.Key_E)  # an ellipse: a label of five lines
    drag(view, (20, 50), (40, 63))  # along the image's last rows
    viewport.redraw()
    _w, height = viewport.scene.renderer.GetSize()
    at = screen_of(view, 40, 56.5)  # the ellipse's label anchor: its right, half down
    viewport.scene.pan(0, height - 12 - at.y())  # now 12 pixels above the bottom
    viewport.redraw()
    _left, _right, bottom, top = label_box(viewport)
    assert bottom >= EDGE_PX - 1 and top <= height
    assert viewport.measuring.layer.shown[0].label.startswith("Area")


def test_the_label_of_a_measurement_off_screen_stays_with_it(view: Any) -> None:  # noqa: F811
    viewport = view.active
    key(view, Qt.Key.Key_D)
    drag(view, (30, 30), (60, 30))
    viewport.redraw()
    width, _h = viewport.scene.renderer.GetSize()
    viewport.scene.pan(-3 * width, 0)  # the measurement far off to the left
    viewport.redraw()
    left, _right = label_span(viewport)
    assert left < 0  # not pulled onto the screen beside unrelated anatomy
