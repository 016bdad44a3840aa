"""A measurement's label stays inside its viewport: one drawn near the right edge has
its label moved left until it ends inside, so its value is never cut off."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from PySide6.QtCore import Qt

from tests.qt.test_measuring_tools import drag, key, view  # noqa: F401 (fixture)
from viewer.render.annotation_layer import EDGE_PX

pytestmark = pytest.mark.qt


def label_span(viewport: Any) -> tuple[float, float]:
    """(left, right) of the first label on screen, in display pixels."""
    renderer = viewport.scene.renderer
    actor = viewport.measuring.layer._labels[0]
    box = [0.0] * 4
    actor.GetBoundingBox(renderer, box)
    left = actor.GetPositionCoordinate().GetComputedDoubleDisplayValue(renderer)[0]
    return left, left + box[1] - box[0]


def test_a_label_by_the_right_edge_is_moved_inside_the_viewport(view: Any) -> None:  # noqa: F811
    viewport = view.active
    key(view, Qt.Key.Key_D)
    drag(view, (30, 30), (60, 30))
    viewport.redraw()
    width = viewport.scene.renderer.GetSize()[0]
    left, right = label_span(viewport)
    assert right <= width - EDGE_PX + 1  # fitted: the label already inside

    viewport.scene.zoom(3.0)  # the line's right end now near the viewport's right edge
    viewport.redraw()
    left, right = label_span(viewport)
    assert right <= width - EDGE_PX + 1 and left >= EDGE_PX - 1
    assert viewport.measuring.layer.shown[0].label.startswith("24.0 mm")
