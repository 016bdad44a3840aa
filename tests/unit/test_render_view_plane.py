"""Reformatted planes lie as radiologists read them, whatever the acquisition: axial
anterior up, coronal and sagittal head up, the patient's left on the screen's right in
axial and coronal, anterior on the left in sagittal (LPS directions)."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.render.view_plane import (
    AXIAL,
    CORONAL,
    SAGITTAL,
    ViewPlane,
    index_directions,
    plane_kind,
    reformat,
)
from viewer.render.view_turns import ViewTurns

AXIAL_STACK = index_directions((1, 0, 0), (0, 1, 0), (0, 0, 2.5))  # feet to head
AXIAL_DOWNWARDS = index_directions((1, 0, 0), (0, 1, 0), (0, 0, -2.5))  # head to feet
SAGITTAL_STACK = index_directions((0, 1, 0), (0, 0, -1), (1, 0, 0))
CORONAL_STACK = index_directions((1, 0, 0), (0, 0, -1), (0, 1, 0))


def patient(directions: np.ndarray, world: tuple[float, float, float]) -> np.ndarray:
    """The patient direction (LPS) a world direction shows."""
    return directions @ np.asarray(world)


@pytest.mark.parametrize("stack", [AXIAL_STACK, AXIAL_DOWNWARDS, SAGITTAL_STACK, CORONAL_STACK])
def test_each_reformat_lies_as_its_kind_is_read(stack: np.ndarray) -> None:
    read_as = {
        AXIAL: ((1, 0, 0), (0, -1, 0)),
        CORONAL: ((1, 0, 0), (0, 0, 1)),
        SAGITTAL: ((0, 1, 0), (0, 0, 1)),
    }
    kinds = set()
    for axis in range(3):
        plane = reformat(stack, axis)
        kind = plane_kind(stack, axis)
        kinds.add(kind)
        right, up = read_as[kind]
        assert np.allclose(patient(stack, plane.right), right), (kind, plane)
        assert np.allclose(patient(stack, plane.up), up), (kind, plane)
        assert plane.axis == axis and plane.across != axis and plane.down != axis
    assert kinds == {AXIAL, CORONAL, SAGITTAL}  # three orthogonal planes, one of each


def test_the_camera_looks_along_up_cross_right() -> None:
    plane = ViewPlane.stack(ViewTurns())
    assert plane.toward == (0.0, 0.0, 1.0)  # as stored: row 0 at the top, from the front
    mirrored = ViewPlane.stack(ViewTurns().flipped_horizontally())
    assert mirrored.toward == (0.0, 0.0, -1.0)  # from behind
    coronal = reformat(AXIAL_STACK, 1)
    assert np.allclose(np.cross(coronal.toward, coronal.up), coronal.right)
