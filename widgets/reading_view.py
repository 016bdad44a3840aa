"""The reading view: a grid of viewports (1×1 … 3×3), each showing one open series.

What is where is the session's :class:`viewer.session.layout.ReadingLayout` (the grid,
the series of each cell, the active cell); which viewports scroll together is its
:class:`viewer.session.linking.ScrollLink`. This widget mirrors the layout with
:class:`widgets.reading_viewport.Viewport` widgets (made when a grid first needs them:
each is a VTK window) and says in red when the viewports on screen show two patients.

Keys of the whole view (the viewport's own are in :mod:`widgets.reading_gestures`):
Ctrl+1 1×1, Ctrl+2 1×2, Ctrl+3 2×1, Ctrl+4 2×2, Ctrl+9 3×3; Tab / Shift+Tab the next or
previous viewport; L link or unlink scrolling; M MPR on or off; P compare with prior;
? or F1 help; Esc back to the history (the images stay open: F2 comes back).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from viewer.display import display_name
from viewer.history.series import SeriesListing
from viewer.measure.tools import Tool
from viewer.records import StudyRecord
from viewer.render.slice_scene import SliceScene
from viewer.session.annotations import StudyAnnotations
from viewer.session.layout import GRIDS, Grid, Kin, ReadingLayout
from viewer.session.linking import ScrollLink
from viewer.session.mpr import why_not_reformat
from viewer.session.reading import OpenSeries, SeriesIdentity, one_patient
from widgets.measure_palette import MeasureKeys, ToolsButton
from widgets.measure_panel import MeasurePanel, PanelFollower
from widgets.reading_bar import build_bar
from widgets.reading_help import ReadingHelp
from widgets.reading_viewport import Cine, Viewport
from widgets.series_strip import SeriesStrip
from widgets.vtk_qt import QVTKRenderWindowInteractor

CTRL = Qt.KeyboardModifier.ControlModifier
GRID_KEYS = {
    Qt.Key.Key_1: "1x1",
    Qt.Key.Key_2: "1x2",
    Qt.Key.Key_3: "2x1",
    Qt.Key.Key_4: "2x2",
    Qt.Key.Key_9: "3x3",
}


class ReadingView(MeasureKeys, QWidget):
    back_requested = Signal()
    series_released = Signal(object)  # an OpenSeries no viewport shows any more
    series_requested = Signal(str, str)  # study, series uid: from the strip (into the active)
    compare_requested = Signal()  # P or the Prior button: the prior beside the active series
    send_requested = Signal(str)  # study uid: its measurements to the platform (STOW-RS)
    # The bar's widgets (widgets.reading_bar.build_bar).
    back_button: QPushButton
    title: QLabel
    note: QLabel
    patients_warning: QLabel
    grid_buttons: dict[str, QPushButton]
    link_button: QPushButton
    mpr_button: QPushButton
    prior_button: QPushButton
    tools_button: ToolsButton

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReadingView")
        self.layout_model = ReadingLayout()
        self.link = ScrollLink()
        self.linking = True  # scroll together by position (within a frame of reference)
        self.help: ReadingHelp | None = None
        self.viewports: list[Viewport] = []
        self._following = False
        self._beside: tuple[str, str] | None = None  # (study, series) to open beside
        # Whether two series are one patient's: the window widens it to its history's
        # linked IDs (ReadingSession.one_patient).
        self.kin: Kin = one_patient
        # A study's measurements: the window gives the session's (kept in the cache);
        # alone (a test, no window) they are this view's, in memory.
        self.annotations_of: Callable[[str], StudyAnnotations] = self._own_annotations
        self._annotations: dict[str, StudyAnnotations] = {}
        self.tool: Tool | None = None  # the measuring tool chosen (None: reading)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        bar = build_bar(self)
        outer.addLayout(bar)
        self.patients_warning.setWordWrap(True)  # a whole line of its own, never cut
        outer.addWidget(self.patients_warning)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        self.strip = SeriesStrip(self)
        self.strip.series_requested.connect(self.series_requested)
        self.strip.hide()  # until a study's series are known (show_study)
        body.addWidget(self.strip)
        self.grid_area = QWidget(self)
        self.grid = QGridLayout(self.grid_area)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(2)
        body.addWidget(self.grid_area, 1)
        self.measure_panel = MeasurePanel(self)
        body.addWidget(self.measure_panel)
        outer.addLayout(body, 1)
        model = self.layout_model
        model.grid_changed.connect(self._on_grid_changed)
        model.cell_changed.connect(self._on_cell_changed)
        model.active_changed.connect(self._on_active_changed)
        model.released.connect(self._on_released)
        self._on_grid_changed(model.grid)
        self.panel_follower = PanelFollower(self, self.measure_panel)

    # -- the active viewport (what one-viewport callers and tests read) -----------------------
    @property
    def active(self) -> Viewport:
        return self.viewports[self.layout_model.active]

    @property
    def series(self) -> OpenSeries | None:
        return self.active.series

    @property
    def scene(self) -> SliceScene:
        return self.active.scene

    @property
    def viewport(self) -> QVTKRenderWindowInteractor:
        return self.active.vtk

    @property
    def cine(self) -> Cine:
        return self.active.cine

    def redraw(self) -> None:
        self.active.redraw()

    # -- what the doctor opens --------------------------------------------------------------
    def show_series(self, series: OpenSeries, cell: int | None = None) -> None:
        """Show ``series`` in ``cell`` (default: the active viewport; beside it when the
        series is the one :meth:`expect_beside` named)."""
        if cell is None and self._beside == (series.study_uid, series.series_uid):
            self._beside = None
            self.show_beside(series)
            return
        if cell is None and self.layout_model.open_for(series, self.kin):
            # Another patient: the last one's series are gone, and what went with them.
            self._beside = None
            self.strip.clear()
            self.strip.hide()
            self.note.clear()
            self.link.unlink()
        self.layout_model.place(series, cell)
        if cell is not None:
            self.layout_model.activate(cell)
        self.active.vtk.setFocus()

    def show_study(self, study: StudyRecord, listing: SeriesListing) -> None:
        """List ``study``'s series in the strip (a prior's beside the current's)."""
        self.strip.show_study(study, listing)
        self.strip.show()

    def expect_beside(self, study_uid: str, series_uid: str) -> None:
        """The series the window opens next goes beside the active one (a prior)."""
        self._beside = (study_uid, series_uid)

    def show_beside(self, series: OpenSeries) -> None:
        """Show ``series`` next to the active one (a prior beside the current study),
        opened as far through its stack as the active one is through its own: about the
        same level when the two cover the same region, for the doctor to line up exactly
        before linking them (nothing is linked across the two frames until then)."""
        current = self.series
        if current is not None and current.slice_count > 1 and series.slice_count > 1:
            share = current.slice / (current.slice_count - 1)
            series.set_slice(round(share * (series.slice_count - 1)))
        self.layout_model.place_beside(series)
        self.active.vtk.setFocus()

    def toggle_mpr(self) -> None:
        """MPR of the active series (its plane and two reformats, 1×3), or back to it
        alone; a series that cannot be reformatted says why in the bar."""
        model, series = self.layout_model, self.series
        self.note.clear()
        if model.cursor is not None:
            model.end_mpr()
        elif series is not None and not model.show_mpr(series):
            if why_not_reformat(series) == "arriving":
                self.note.setText(self.tr("MPR once every image of the series is here"))
            else:
                self.note.setText(
                    self.tr("MPR needs a grey-scale stack of several slices placed in the patient")
                )
        self._sync()
        self.active.vtk.setFocus()

    def set_grid(self, grid: Grid) -> None:
        self.layout_model.set_grid(grid)
        self.active.vtk.setFocus()

    def set_layout(self, rows: int, columns: int) -> None:
        grid = Grid(rows, columns)
        if grid not in GRIDS.values():
            raise ValueError(f"no layout {grid.name}: one of {', '.join(GRIDS)}")
        self.set_grid(grid)

    def release(self) -> None:
        """Every viewport emptied: each series is released."""
        self.layout_model.clear()

    def set_linking(self, on: bool) -> None:
        """Scroll together, or each viewport on its own. Turned on, the images on screen
        now are taken to show one level, across frames of reference too."""
        self.linking = on
        self.link_button.setChecked(on)
        self.link.unlink()
        if on and self.series is not None:
            self.link.link(self.series, self._others(self.active))

    def show_help(self) -> None:
        if self.help is None:
            self.help = ReadingHelp(self)
        self.help.show()
        self.help.raise_()

    def gestures_key(self, event: QEvent) -> bool:
        """The keys of the whole view, whichever viewport has the focus."""
        assert isinstance(event, QKeyEvent)
        key, ctrl = event.key(), bool(event.modifiers() & CTRL)
        others = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if not event.modifiers() & others and self._measure_key(key, ctrl, shift):
            return True
        if ctrl and key in GRID_KEYS:
            self.set_grid(GRIDS[GRID_KEYS[Qt.Key(key)]])
        elif key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            self.layout_model.next_cell(-1 if key == Qt.Key.Key_Backtab else 1)
        elif key == Qt.Key.Key_L and not ctrl:
            self.set_linking(not self.linking)
        elif key == Qt.Key.Key_M and not ctrl:
            self.toggle_mpr()
        elif key == Qt.Key.Key_P and not ctrl:
            self.compare_requested.emit()
        elif key in (Qt.Key.Key_Question, Qt.Key.Key_F1):
            self.show_help()
        elif key == Qt.Key.Key_Escape:
            self.back_requested.emit()
        else:
            return False
        return True

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        # Each VTK window lets go of its OpenGL context now, while its native window is
        # still there; after, the next window's first render may find it dangling.
        for viewport in self.viewports:
            viewport.cine.stop()
            viewport.vtk.Finalize()
        super().closeEvent(event)

    # -- following the layout -------------------------------------------------------------------
    def _viewport(self, index: int) -> Viewport:
        while len(self.viewports) <= index:
            made = Viewport(self, self.grid_area)
            made.pressed.connect(lambda vp: self.layout_model.activate(self.viewports.index(vp)))
            made.slice_moved.connect(self._on_slice_moved)
            made.dropped.connect(self._on_dropped)
            made.hide()
            self.viewports.append(made)
        return self.viewports[index]

    def _on_grid_changed(self, grid: Grid) -> None:
        for index in range(max(len(self.viewports), grid.cells)):
            viewport = self._viewport(index)
            self.grid.removeWidget(viewport)
            if index < grid.cells:
                self.grid.addWidget(viewport, index // grid.columns, index % grid.columns)
                viewport.show()
            else:
                viewport.cine.stop()
                viewport.hide()
        self._sync()
        for name, button in self.grid_buttons.items():
            button.setChecked(name == grid.name)
        self._on_active_changed(self.layout_model.active)
        self._say_patients()

    def _on_cell_changed(self, index: int, _series: OpenSeries | None) -> None:
        self._sync()
        self._say_patients()
        if index == self.layout_model.active:
            self._say_title()

    def _sync(self) -> None:
        """Each visible viewport shows its cell: the series, the plane, the MPR point."""
        model = self.layout_model
        cursor = model.cursor
        for index in range(model.grid.cells):
            series = model.cells[index]
            mpr = cursor if cursor is not None and series is cursor.series else None
            viewport = self._viewport(index)
            viewport.show_series(series, model.planes[index], mpr)
            if series is None:
                viewport.scene.render()  # black now: offscreen no paint event draws it
        self.mpr_button.setChecked(cursor is not None)

    def _on_active_changed(self, index: int) -> None:
        for i, viewport in enumerate(self.viewports):
            viewport.set_active(i == index)
        self.active.vtk.setFocus()
        self._say_title()

    def _on_dropped(self, viewport: Viewport, study_uid: str, series_uid: str) -> None:
        """A series dragged from the strip: its viewport becomes the active one, where the
        window opens it."""
        self.layout_model.activate(self.viewports.index(viewport))
        self.series_requested.emit(study_uid, series_uid)

    def _on_released(self, series: OpenSeries) -> None:
        for viewport in self.viewports:
            if viewport.series is series:
                viewport.show_series(None)
        self.series_released.emit(series)

    def _others(self, viewport: Viewport) -> list[OpenSeries]:
        return [
            s
            for v in self.viewports[: self.layout_model.grid.cells]
            if v is not viewport and (s := v.series) is not None
        ]

    def _on_slice_moved(self, viewport: Viewport) -> None:
        """The other viewports go to the same level, when linked (one move, no echo)."""
        if self._following or not self.linking or viewport.series is None:
            return
        shown = self.viewports[: self.layout_model.grid.cells]
        others = [v for v in shown if v is not viewport and v.series is not None]
        targets = self.link.follow(viewport.series, [v.series for v in others if v.series])
        self._following = True
        try:
            for i, k in targets.items():
                series = others[i].series
                if series is not None:
                    series.set_slice(k)
        finally:
            self._following = False

    def _say_title(self) -> None:
        series = self.series
        if series is None:
            self.title.setText("")
            return
        who = series.identity
        self.title.setText(
            " · ".join(
                x
                for x in (display_name(who.patient_name), who.patient_id, who.study_description)
                if x
            )
        )

    def _say_patients(self) -> None:
        """Two patients on screen: said in red, with who they are (name and ID)."""
        patients = self.layout_model.patients(self.kin)
        if len(patients) < 2:
            self.patients_warning.hide()
            return
        self.patients_warning.setText(
            self.tr("⚠ Different patients in this layout: %1").replace(
                "%1", "; ".join(_who(p) for p in patients)
            )
        )
        self.patients_warning.show()


def _who(identity: SeriesIdentity) -> str:
    """Name, ID and issuer: the same ID at two hospitals is two people."""
    who = " ".join(x for x in (identity.patient_id or "?", identity.issuer) if x)
    return f"{display_name(identity.patient_name)} ({who})"
