"""The reading layout: how many viewports, which series each shows, which one is active.

A viewport shows one series or nothing, so the images of two patients never share a
viewport; a layout may still hold two patients side by side (a doctor comparing a case
with a teaching case), and :meth:`ReadingLayout.patients` says so, so the screen can
say it in red. Patients are told apart by (PatientID, IssuerOfPatientID), never by name.

The grid has up to nine cells (3×3); a smaller layout shows the first ``rows × columns``
and keeps the rest, as a doctor going from 2×2 to 1×1 and back expects to find the other
three series where they were.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from psygnal import Signal

from viewer.session.mpr import STACK_AXIS, MprCursor, can_reformat
from viewer.session.reading import OpenSeries, SeriesIdentity, one_patient


@dataclass(frozen=True)
class Grid:
    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    @property
    def name(self) -> str:
        """ "1x2": one row of two viewports side by side (rows × columns)."""
        return f"{self.rows}x{self.columns}"


GRIDS = {
    g.name: g for g in (Grid(1, 1), Grid(1, 2), Grid(2, 1), Grid(2, 2), Grid(1, 3), Grid(3, 3))
}
MPR_GRID = GRIDS["1x3"]  # the stack's plane and its two reformats side by side
MAX_CELLS = 9
# Whether two series are one patient's: :func:`one_patient`, or wider where the history
# links a patient's IDs at several hospitals (:meth:`ReadingSession.one_patient`).
Kin = Callable[[OpenSeries, OpenSeries], bool]


def grid_named(name: str) -> Grid:
    """The grid of "1x1", "1x2", "2x1", "2x2", "1x3" or "3x3" (rows x columns; "×" also)."""
    found = GRIDS.get(name.strip().lower().replace("×", "x"))
    if found is None:
        raise ValueError(f"no layout {name!r}: one of {', '.join(GRIDS)}")
    return found


class ReadingLayout:
    """The viewports of the reading view and what each shows.

    Events: ``grid_changed(Grid)``, ``cell_changed(index, OpenSeries | None)``,
    ``active_changed(index)``. ``released(OpenSeries)`` fires when a series leaves the
    last cell that showed it (the session may close it then).

    A cell shows its series' own plane (``planes[index]`` 2) or, in MPR, a reformat
    through the point of :attr:`cursor` (``planes[index]`` 1: a row of every slice, 0: a
    column; :mod:`viewer.session.mpr`).
    """

    grid_changed = Signal(object)
    cell_changed = Signal(int, object)
    active_changed = Signal(int)
    released = Signal(object)

    def __init__(self, grid: Grid = GRIDS["1x1"]) -> None:
        self.grid = grid
        self.cells: list[OpenSeries | None] = [None] * MAX_CELLS
        self.planes: list[int] = [STACK_AXIS] * MAX_CELLS
        self.cursor: MprCursor | None = None
        self.active = 0

    # -- what is shown --------------------------------------------------------------------
    @property
    def shown(self) -> list[OpenSeries | None]:
        """The series of the visible cells, in reading order (left to right, top down)."""
        return self.cells[: self.grid.cells]

    @property
    def active_series(self) -> OpenSeries | None:
        return self.cells[self.active]

    def patients(self, kin: Kin = one_patient) -> list[SeriesIdentity]:
        """One identity per patient among the visible cells (in their order): more than
        one means this layout shows two patients, and the screen must say so. Series not
        known to be one patient's (``kin``) count as two."""
        found: list[OpenSeries] = []
        for series in self.shown:
            if series is not None and not any(kin(series, f) for f in found):
                found.append(series)
        return [f.identity for f in found]

    def holds(self, series: OpenSeries) -> bool:
        return any(s is series for s in self.cells)

    def open_series(self) -> list[OpenSeries]:
        """Every series some cell holds, visible or not, each once."""
        unique: list[OpenSeries] = []
        for series in self.cells:
            if series is not None and not any(series is u for u in unique):
                unique.append(series)
        return unique

    # -- what the doctor changes -------------------------------------------------------------
    def set_grid(self, grid: Grid) -> None:
        if grid == self.grid:
            return
        self.grid = grid
        self.grid_changed.emit(grid)
        if self.active >= grid.cells:
            self.activate(0)

    def activate(self, index: int) -> None:
        if not 0 <= index < self.grid.cells:
            raise IndexError(f"cell {index} is not in a {self.grid.name} layout")
        if index != self.active:
            self.active = index
            self.active_changed.emit(index)

    def next_cell(self, step: int = 1) -> None:
        """The next visible cell becomes active (Tab), around the end."""
        self.activate((self.active + step) % self.grid.cells)

    def place(
        self, series: OpenSeries | None, index: int | None = None, plane: int = STACK_AXIS
    ) -> None:
        """Show ``series`` in cell ``index`` (default: the active one); None empties it.
        ``plane`` other than the stack's needs the MPR :attr:`cursor` of that series."""
        index = self.active if index is None else index
        if not 0 <= index < MAX_CELLS:
            raise IndexError(f"no cell {index}")
        if plane != STACK_AXIS and (self.cursor is None or self.cursor.series is not series):
            raise ValueError("a reformat shows the series of the MPR cursor")
        before = self.cells[index]
        if before is series and self.planes[index] == plane:
            return
        self.cells[index], self.planes[index] = series, plane
        if self.cursor is not None and not any(
            p != STACK_AXIS and c is self.cursor.series
            for c, p in zip(self.cells, self.planes, strict=True)
        ):
            self.cursor.close()  # no reformat left: MPR is over
            self.cursor = None
        self.cell_changed.emit(index, series)
        if before is not None and not self.holds(before):
            self.released.emit(before)

    def show_mpr(self, series: OpenSeries) -> bool:
        """MPR of ``series``: its own plane, then the two reformats through the middle of
        the volume, in the first three cells of a 2×2 or larger grid (the fourth keeps
        what it showed: a prior, say), else side by side (1×3) — or, when a smaller grid
        shows another series beside it, a 2×2 with that one in the fourth cell. False
        when it cannot be reformatted."""
        if not can_reformat(series):
            return False
        others = [c for c in self.shown if c is not None and c is not series]
        if self.grid.cells < 4 and others:
            # A prior beside it stays on screen: 2×2, the prior in the fourth viewport.
            self.set_grid(GRIDS["2x2"])
            self.place(others[0], 3)
        elif self.grid.cells < 4:
            self.set_grid(MPR_GRID)
        old, self.cursor = self.cursor, MprCursor(series)
        if old is not None:
            old.close()
        # The reformats first: the series is never out of every cell (never released).
        for index, plane in ((1, 1), (2, 0), (0, STACK_AXIS)):
            self.place(series, index, plane)
        self.activate(0)
        return True

    def end_mpr(self) -> None:
        """Back from MPR to the series alone: its own plane in the first cell, the
        reformats' cells emptied; from 1×3, one viewport; from a 2×2 whose fourth cell
        held a prior, the two side by side again (1×2); a larger grid is kept."""
        cursor = self.cursor
        if cursor is None:
            return
        kept = cursor.series
        beside = self.cells[3] if self.grid == GRIDS["2x2"] else None
        for index in range(MAX_CELLS):
            if self.planes[index] != STACK_AXIS:
                self.place(kept, index)  # its own plane for now: never released
        self.place(kept, 0)
        if self.grid == MPR_GRID:
            self.set_grid(GRIDS["1x1"])
        elif beside is not None and beside is not kept:
            self.place(beside, 1)
            self.set_grid(GRIDS["1x2"])
        for index in (1, 2, 3):
            if self.cells[index] is kept and index < MAX_CELLS:
                self.place(None, index)
        self.activate(0)

    def place_beside(self, series: OpenSeries) -> int:
        """Show ``series`` next to the active one: the next empty visible cell, else the
        next cell, widening a 1×1 to 1×2. Returns the cell used (it becomes active)."""
        if self.grid.cells == 1:
            self.set_grid(GRIDS["1x2"])
        cells = self.grid.cells
        order = [(self.active + i) % cells for i in range(1, cells)]
        index = next((i for i in order if self.cells[i] is None), order[0])
        self.place(series, index)
        self.activate(index)
        return index

    def open_for(self, series: OpenSeries, kin: Kin = one_patient) -> bool:
        """Before ``series``, opened from a history, is shown in the active cell: a layout
        holding another patient's series (not ``kin`` to it) starts afresh — every cell
        emptied, each series released, MPR over, one viewport — so a new patient's images
        never come up beside the last patient's, nor wait in a hidden cell to be shown
        with them. True when it did. The same patient's series stay where they are."""
        if all(kin(series, held) for held in self.open_series()):
            return False
        self.clear()
        self.set_grid(GRIDS["1x1"])
        self.activate(0)
        return True

    def clear(self) -> None:
        """Every cell emptied (a new patient, or the reading view closed)."""
        for index in range(MAX_CELLS):
            self.place(None, index)
