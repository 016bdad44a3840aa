"""Multiplanar reformatting: one series seen in three orthogonal planes that share a point.

The point is an index (column, row, slice) of the series' volume: the stack's own plane
shows the series' slice (its ``slice``, so scrolling it is scrolling the series), and the
two reformats show the column and the row through the point. Moving any plane moves the
point, and the other two planes draw their crosshair through it. The planes' names and
how they lie on the screen are :mod:`viewer.render.view_plane`'s.

A stack with a gantry tilt, missing slices or uneven spacing reformats with the slice
step the stack has (the geometry's warnings stay on screen); a single image or colour
frames have no planes to reformat (:func:`can_reformat`).
"""

from __future__ import annotations

from typing import Literal

from psygnal import Signal

from viewer.session.reading import OpenSeries

STACK_AXIS = 2  # the index axis of the slices: the stack's own plane holds it fixed


def why_not_reformat(series: OpenSeries) -> Literal["arriving", "not-a-stack"] | None:
    """Why ``series`` cannot be reformatted, as data for the screen to put in words:
    "arriving" (a slice is not here: a series still arriving, or one that cannot be
    decoded; its missing slices would be zeros), "not-a-stack" (colour, a single image,
    or images not placed in the patient); None when it can."""
    stack = series.volume.stack
    if series.colour or series.slice_count < 2 or not (stack.placed and stack.oriented):
        return "not-a-stack"
    ready = series.volume.ready
    if ready.size == series.slice_count and not bool(ready.all()):
        return "arriving"
    return None


def can_reformat(series: OpenSeries) -> bool:
    """A grayscale stack of several slices placed in the patient, every slice here."""
    return why_not_reformat(series) is None


class MprCursor:
    """The point the three planes go through; ``moved(axis)`` when its ``axis``
    coordinate changed (2: the series' slice)."""

    moved = Signal(int)

    def __init__(self, series: OpenSeries) -> None:
        self.series = series
        slices, rows, columns = series.volume.voxels.shape[:3]
        self.counts = (int(columns), int(rows), int(slices))
        self._at = [columns // 2, rows // 2]
        series.slice_changed.connect(self._slice_changed)

    def position(self, axis: int) -> int:
        return self.series.slice if axis == STACK_AXIS else self._at[axis]

    def set(self, axis: int, index: int) -> None:
        """Move the point along ``axis`` to ``index``, kept within the volume."""
        if axis == STACK_AXIS:
            self.series.set_slice(index)  # the series says so: _slice_changed
            return
        index = min(max(0, int(index)), self.counts[axis] - 1)
        if index != self._at[axis]:
            self._at[axis] = index
            self.moved.emit(axis)

    def set_point(self, column: float, row: float, slice_: float) -> None:
        """Move the point to the voxel nearest (column, row, slice) index coordinates."""
        for axis, value in enumerate((column, row, slice_)):
            self.set(axis, round(value))

    def stepper(self, axis: int) -> AxisStepper:
        return AxisStepper(self, axis)

    def close(self) -> None:
        self.series.slice_changed.disconnect(self._slice_changed)

    def _slice_changed(self, _k: int) -> None:
        self.moved.emit(STACK_AXIS)


class AxisStepper:
    """One axis of the point, read and moved as a series' slice is (``slice``,
    ``slice_count``, ``set_slice``, ``step``): what scrolling a reformat moves."""

    def __init__(self, cursor: MprCursor, axis: int) -> None:
        self.cursor, self.axis = cursor, axis

    @property
    def slice(self) -> int:
        return self.cursor.position(self.axis)

    @property
    def slice_count(self) -> int:
        return self.cursor.counts[self.axis]

    def set_slice(self, k: int) -> None:
        self.cursor.set(self.axis, k)

    def step(self, delta: int) -> None:
        self.set_slice(self.slice + delta)
