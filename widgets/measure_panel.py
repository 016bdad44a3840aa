"""The measurement panel: every measurement of the study read, one line each — what it
is, its value and calibration, on which image — beside the viewports while there are
any. A click on a line shows its image: in the viewport already showing its series, or
its series opened in the active one (the jump waits for it to open).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from viewer.measure.tools import Tool
from viewer.session.annotations import Annotation, StudyAnnotations
from viewer.session.reading import OpenSeries
from widgets.measure_drawing import measured_words
from widgets.measure_words import calibration_line_words, tool_name

if TYPE_CHECKING:
    from widgets.reading_view import ReadingView

WIDTH_PX = 230


class MeasurePanel(QFrame):
    chosen = Signal(object)  # the Annotation clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MeasurePanel")
        self.setFixedWidth(WIDTH_PX)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.heading = QLabel(QCoreApplication.translate("Measure", "Measurements"), self)
        self.heading.setObjectName("MeasurePanelHeading")
        layout.addWidget(self.heading)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.itemClicked.connect(self._clicked)
        layout.addWidget(self.list, 1)
        self.study: StudyAnnotations | None = None
        self.hide()

    def show_study(
        self, study: StudyAnnotations | None, open_series: Callable[[str], OpenSeries | None]
    ) -> None:
        """List ``study``'s measurements; ``open_series(series_uid)`` gives a series open
        on screen (for the values and the image numbers), None for one not open."""
        self.study = study
        self.list.clear()
        items = study.items if study is not None else []
        for number, annotation in enumerate(items, 1):
            shown = open_series(annotation.series_uid)
            row = QListWidgetItem(f"{number}. {_line(study, annotation, shown)}")
            row.setData(Qt.ItemDataRole.UserRole, annotation.uid)
            self.list.addItem(row)
        self.setVisible(bool(items))

    def _clicked(self, item: QListWidgetItem) -> None:
        uid = item.data(Qt.ItemDataRole.UserRole)
        found = self.study.get(uid) if self.study is not None else None
        if found is not None:
            self.chosen.emit(found)


def _line(study: StudyAnnotations, annotation: Annotation, series: OpenSeries | None) -> str:
    """What it is, its value where its series is open, and on which image."""
    name = tool_name(annotation.tool)
    if series is None:
        return name + " · " + QCoreApplication.translate("Measure", "series not open")
    k = series.slice_of(annotation.sop_instance_uid, annotation.frame)
    if k is None:
        return name
    where = QCoreApplication.translate("Measure", "image %1").replace("%1", str(k + 1))
    image = series.image_at(k)
    if image is None or annotation.tool in (Tool.ARROW, Tool.KEY):
        return f"{name} · {where}"
    if annotation.tool is Tool.TEXT:
        return f"{annotation.text} · {where}"
    if annotation.tool is Tool.CALIBRATE and annotation.known_mm is not None:
        return f"{name} · {where}\n{calibration_line_words(annotation.known_mm)}"
    words = measured_words(study.calibrated(image, annotation.series_uid), annotation)
    return f"{name} · {where}\n{words}"


class PanelFollower:
    """Keeps ``panel`` on the active series' study in ``view`` (a ReadingView) and shows
    the image of a line clicked."""

    def __init__(self, view: ReadingView, panel: MeasurePanel) -> None:
        self.view, self.panel = view, panel
        self.study: StudyAnnotations | None = None
        self.pending: Annotation | None = None  # a jump waiting for its series to open
        panel.chosen.connect(self.jump)
        model = view.layout_model
        model.active_changed.connect(lambda _i: self.refresh())
        model.cell_changed.connect(lambda _i, _s: self._cell_changed())

    def refresh(self) -> None:
        series = self.view.series
        study = self.view.annotations_of(series.study_uid) if series is not None else None
        if study is not self.study:
            if self.study is not None:
                self.study.changed.disconnect(self._changed)
            if study is not None:
                study.changed.connect(self._changed)
            self.study = study
        self.panel.show_study(study, self._open_series)

    def _changed(self, _before: object, _after: object) -> None:
        if self.view.tool is None or not any(v.measuring.points for v in self.view.viewports):
            self.refresh()

    def _open_series(self, series_uid: str) -> OpenSeries | None:
        return next(
            (s for s in self.view.layout_model.open_series() if s.series_uid == series_uid), None
        )

    def _cell_changed(self) -> None:
        pending = self.pending
        if pending is not None:
            series = self._open_series(pending.series_uid)
            if series is not None:
                self.pending = None
                self._show(series, pending)
        self.refresh()

    def jump(self, annotation: Annotation) -> None:
        series = self._open_series(annotation.series_uid)
        if series is None:  # its series opens in the active viewport, then the jump
            self.pending = annotation
            study = self.study.study_uid if self.study is not None else ""
            self.view.series_requested.emit(study, annotation.series_uid)
            return
        self._show(series, annotation)

    def _show(self, series: OpenSeries, annotation: Annotation) -> None:
        model = self.view.layout_model
        shown = [i for i, s in enumerate(model.shown) if s is series]
        if shown and model.active not in shown:
            model.activate(shown[0])
        k = series.slice_of(annotation.sop_instance_uid, annotation.frame)
        if k is not None:
            series.set_slice(k)
        for viewport in self.view.viewports:
            if viewport.series is series:
                viewport.measuring.selected = annotation.uid
                viewport.redraw()
