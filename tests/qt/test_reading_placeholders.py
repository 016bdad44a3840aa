"""A slice with no image never passes for one: a slice that cannot be decoded says why,
one still on its way says so, over the middle of the viewport; the others show as ever."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from PySide6.QtCore import Qt

from tests.qt.test_reading_layouts import key, shown_grey, view, wide  # noqa: F401 (fixture)
from tests.support.screen import screen_rgb
from tests.support.stacks import open_stack

pytestmark = pytest.mark.qt


def test_a_slice_without_an_image_shows_why_and_the_others_their_image(
    view: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    series = wide(open_stack(tmp_path / "ct", count=6, size=(32, 32)))
    series.volume.ready[2] = False
    series.volume.failed[3] = "JPEG data cut short"
    series.set_slice(4)
    view.show_series(series)
    viewport = view.viewports[0]
    placeholder = viewport.scene.overlay._placeholder
    assert not placeholder.GetVisibility() and shown_grey(viewport) > 50  # slice 4's image
    key(view.viewport, Qt.Key.Key_Up)
    assert placeholder.GetVisibility()
    assert placeholder.GetInput().strip() == "Image 4 cannot be shown: JPEG data cut short"
    viewport.scene.render()
    rgb = screen_rgb(viewport.scene.window).astype(int)
    middle = rgb[rgb.shape[0] // 2 - 10 : rgb.shape[0] // 2 + 10]
    assert ((middle[..., 0] - middle[..., 2]) > 100).any()  # amber words, not the image
    key(view.viewport, Qt.Key.Key_Up)
    assert placeholder.GetInput().strip() == "Image 3 not yet received"
    viewport.scene.set_overlays_visible(False)  # an image area read back: still said
    viewport.redraw()
    assert placeholder.GetVisibility()
    key(view.viewport, Qt.Key.Key_Up)
    assert not placeholder.GetVisibility()
    assert np.array_equal(series.volume.voxels[1], np.full((32, 32), 100))
