"""Which plane of a volume a viewport shows, and how it lies on the screen.

World coordinates are the volume's index space scaled by its spacing (x by column, y by
row, z by slice; :mod:`viewer.render.slice_scene`). A viewport shows the plane that holds
one index axis fixed: the stack's own plane (``axis`` 2, the slices as acquired) or a
reformat through the stack (``axis`` 1: one row of every slice; ``axis`` 0: one column).
``right`` and ``up`` are the world directions (each ± one world axis) that point to the
screen's right and top; the camera looks along ``up × right``.

The stack's own plane lies as stored, turned as :class:`ViewTurns` say. A reformat lies
as radiologists read that kind of plane, whatever the acquisition: axial with the
patient's anterior up and left on the screen's right, coronal with the head up and the
left on the right, sagittal with the head up and the anterior on the left (the patient
seen from the feet, from the front, from the left: PS3.3 C.7.6.1.1.1 directions, LPS).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from viewer.render.view_turns import ViewTurns

Vec3 = tuple[float, float, float]
AXIAL, CORONAL, SAGITTAL = "axial", "coronal", "sagittal"
# The patient's (screen right, screen up) for each kind of plane, in LPS.
_READ_AS: dict[str, tuple[Vec3, Vec3]] = {
    AXIAL: ((1.0, 0.0, 0.0), (0.0, -1.0, 0.0)),  # left to the right, anterior up
    CORONAL: ((1.0, 0.0, 0.0), (0.0, 0.0, 1.0)),  # left to the right, superior up
    SAGITTAL: ((0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),  # posterior to the right, superior up
}
_KIND_OF_NORMAL = (SAGITTAL, CORONAL, AXIAL)  # the plane whose normal is mostly x, y, z


def _unit(axis: int, sign: float = 1.0) -> Vec3:
    v = [0.0, 0.0, 0.0]
    v[axis] = 1.0 if sign >= 0 else -1.0
    return (v[0], v[1], v[2])


@dataclass(frozen=True)
class ViewPlane:
    axis: int  # the index axis held fixed: 0 column, 1 row, 2 slice
    right: Vec3
    up: Vec3

    @property
    def toward(self) -> Vec3:
        """The direction the camera looks along (right = toward × up on screen)."""
        u, r = np.asarray(self.up), np.asarray(self.right)
        t = np.cross(u, r)
        return (float(t[0]), float(t[1]), float(t[2]))

    @property
    def across(self) -> int:
        """The world axis running along the screen's width."""
        return int(np.argmax(np.abs(self.right)))

    @property
    def down(self) -> int:
        """The world axis running along the screen's height."""
        return int(np.argmax(np.abs(self.up)))

    @classmethod
    def stack(cls, turns: ViewTurns) -> ViewPlane:
        """The slices as acquired, turned and mirrored as ``turns`` say."""
        (rx, ry), (ux, uy) = turns.right, turns.up
        return cls(2, (float(rx), float(ry), 0.0), (float(ux), float(uy), 0.0))


def index_directions(
    row_cosine: npt.ArrayLike, column_cosine: npt.ArrayLike, slice_step: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """3×3, column a: the patient direction (LPS) of index axis a (C.7.6.2.1.1: a column
    step runs along the row cosine, a row step along the column cosine)."""
    row = np.asarray(row_cosine, dtype=float)
    column = np.asarray(column_cosine, dtype=float)
    step = np.asarray(slice_step, dtype=float)
    norm = float(np.linalg.norm(step))
    return np.column_stack([row, column, step / norm if norm > 0 else np.cross(row, column)])


def plane_kind(directions: npt.NDArray[np.float64], axis: int) -> str:
    """Axial, coronal or sagittal: the plane holding index axis ``axis`` fixed, named by
    the patient axis its normal is closest to."""
    normal = directions[:, axis]
    return _KIND_OF_NORMAL[int(np.argmax(np.abs(normal)))]


def reformat(directions: npt.NDArray[np.float64], axis: int) -> ViewPlane:
    """The plane holding index axis ``axis`` fixed, laid as its kind is read."""
    want_right, want_up = (np.asarray(v) for v in _READ_AS[plane_kind(directions, axis)])
    a, b = (i for i in range(3) if i != axis)
    # The in-plane index axis nearer the wanted right goes right; the other goes up.
    if abs(directions[:, a] @ want_right) < abs(directions[:, b] @ want_right):
        a, b = b, a
    right_sign = float(np.sign(directions[:, a] @ want_right) or 1.0)
    up_sign = float(np.sign(directions[:, b] @ want_up) or 1.0)
    return ViewPlane(axis, _unit(a, right_sign), _unit(b, up_sign))
