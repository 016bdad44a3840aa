"""Each measuring tool drawn with the mouse at known places on a real viewport: the value
read back is that of the points drawn, in the series' calibration; a point dragged moves
the value live and is one undo step; Esc drops a measurement half drawn; Delete removes
the selected one; the labels are drawn beside each."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication

from tests.support.stacks import open_stack
from viewer.measure.tools import Tool, measure
from viewer.session.reading import OpenSeries
from widgets.app import create_application

pytestmark = pytest.mark.qt

NONE = Qt.KeyboardModifier.NoModifier
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def view(qtbot: Any, tmp_path: Path) -> Any:
    """A 64 × 64 CT slice of 0.5 × 0.8 mm pixels (rows 0.5 mm apart, columns 0.8): not
    square, so a value taken with one factor would be wrong. Slice k holds k·100 − 1024 HU."""
    from widgets.reading_view import ReadingView

    create_application()
    made = ReadingView()
    qtbot.addWidget(made)
    made.resize(700, 560)
    made.show()
    series = open_stack(tmp_path / "ct", size=(64, 64), count=3)
    for header in series.volume.headers:
        header.PixelSpacing = [0.5, 0.8]
    made.show_series(series)
    return made


def screen_of(view: Any, x: float, y: float) -> QPointF:
    """Where image point (column x, row y) is on the viewport, in Qt's pixels."""
    scene = view.active.scene
    sx, sy, sz = scene.spacing
    renderer = scene.renderer
    renderer.SetWorldPoint(x * sx, y * sy, view.series.slice * sz, 1.0)
    renderer.WorldToDisplay()
    dx, dy, _ = renderer.GetDisplayPoint()
    _, height = renderer.GetSize()
    return QPointF(dx, height - 1 - dy)


def mouse(view: Any, kind: QEvent.Type, x: float, y: float) -> None:
    at = screen_of(view, x, y)
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else LEFT
    QApplication.sendEvent(view.viewport, QMouseEvent(kind, at, at, LEFT, buttons, NONE))


def drag(view: Any, *path: tuple[float, float]) -> None:
    mouse(view, QEvent.Type.MouseButtonPress, *path[0])
    for point in path[1:]:
        mouse(view, QEvent.Type.MouseMove, *point)
    mouse(view, QEvent.Type.MouseButtonRelease, *path[-1])


def click(view: Any, x: float, y: float) -> None:
    drag(view, (x, y))


def key(view: Any, which: Qt.Key, modifiers: Qt.KeyboardModifier = NONE) -> None:
    QApplication.sendEvent(view.viewport, QKeyEvent(QEvent.Type.KeyPress, which, modifiers))


def drawn(view: Any) -> list[Any]:
    series: OpenSeries = view.series
    return view.annotations_of(series.study_uid).items


def value_of(view: Any, index: int = -1) -> Any:
    annotation = drawn(view)[index]
    return measure(view.series.image_at(), annotation.tool, annotation.points)


def test_a_distance_is_a_drag_or_two_clicks_in_the_series_calibration(view: Any) -> None:
    key(view, Qt.Key.Key_D)
    assert view.tool is Tool.LINE and view.tools_button.isChecked()
    drag(view, (10, 10), (30, 10), (40, 10))  # 30 columns across: 24 mm
    done = value_of(view)
    assert done.value.value == pytest.approx(24.0, abs=0.2) and done.value.unit == "mm"
    click(view, 5, 15)  # (a press on a drawn point would take that point instead)
    click(view, 5, 55)  # 40 rows down: 20 mm, not 32
    assert value_of(view).value.value == pytest.approx(20.0, abs=0.2)
    labels = [d.label for d in view.active.measuring.layer.shown]
    assert any(label.startswith("20.0 mm") and "PixelSpacing" in label for label in labels)


def test_angle_cobb_and_bidirectional_take_their_points_and_give_their_values(view: Any) -> None:
    key(view, Qt.Key.Key_G)
    drag(view, (40, 10), (10, 10))  # first ray, then the vertex
    click(view, 10, 40)  # 30 columns (24 mm) by 30 rows (15 mm): not 90° on screen
    angle = value_of(view).value.value
    assert angle == pytest.approx(90.0, abs=0.5)  # the rays are along the axes: 90°
    key(view, Qt.Key.Key_C)
    drag(view, (12, 5), (52, 5))
    drag(view, (52, 45), (12, 55))  # drawn right to left, falling 10 rows over 40 columns
    cobb = value_of(view).value.value
    assert cobb == pytest.approx(math.degrees(math.atan2(10 * 0.5, 40 * 0.8)), abs=0.5)
    key(view, Qt.Key.Key_B)
    drag(view, (14, 30), (54, 30))
    drag(view, (34, 20), (34, 40))
    done = value_of(view)
    assert (done.value.value, done.short.value) == (
        pytest.approx(32.0, abs=0.2),
        pytest.approx(10.0, abs=0.2),
    )


def test_regions_give_area_and_hu_statistics_and_the_probe_its_value(view: Any) -> None:
    view.series.set_slice(2)  # 200 - 1024 HU everywhere
    key(view, Qt.Key.Key_Q)
    drag(view, (10, 10), (30, 20))
    rect = value_of(view)
    assert rect.value.value == pytest.approx(20 * 0.8 * 10 * 0.5, rel=0.03)
    assert rect.stats.mean == -824 and rect.value_unit == "HU"
    key(view, Qt.Key.Key_E)
    drag(view, (20, 20), (50, 40))
    ellipse = value_of(view)
    assert ellipse.value.value == pytest.approx(math.pi * 12 * 5, rel=0.03)
    key(view, Qt.Key.Key_W)
    drag(view, (10, 40), (30, 40), (30, 60), (10, 60), (10, 41))
    freehand = value_of(view)
    assert freehand.value.value == pytest.approx(20 * 0.8 * 20 * 0.5, rel=0.1)
    key(view, Qt.Key.Key_X)
    click(view, 5, 5)
    assert value_of(view).probe == -824
    annotations = drawn(view)
    assert [a.tool for a in annotations] == [
        Tool.RECTANGLE,
        Tool.ELLIPSE,
        Tool.FREEHAND,
        Tool.PROBE,
    ]
    assert all(a.frame == 1 and a.sop_instance_uid for a in annotations)


def test_a_polyline_ends_with_a_double_click_and_esc_drops_one_half_drawn(view: Any) -> None:
    key(view, Qt.Key.Key_D, Qt.KeyboardModifier.ShiftModifier)
    assert view.tool is Tool.POLYLINE
    click(view, 10, 10)
    click(view, 20, 10)
    click(view, 20, 30)
    mouse(view, QEvent.Type.MouseButtonPress, 20, 30)
    mouse(view, QEvent.Type.MouseButtonDblClick, 20, 30)
    assert value_of(view).value.value == pytest.approx(10 * 0.8 + 20 * 0.5, abs=0.2)
    key(view, Qt.Key.Key_D)
    click(view, 5, 5)
    key(view, Qt.Key.Key_Escape)  # the half-drawn distance goes, the view stays
    assert len(drawn(view)) == 1 and view.tool is Tool.LINE
    key(view, Qt.Key.Key_Escape)  # nothing half drawn: the tool goes
    assert view.tool is None and not view.tools_button.isChecked()


def test_a_point_dragged_is_one_step_undone_and_redone_and_delete_removes(view: Any) -> None:
    key(view, Qt.Key.Key_D)
    drag(view, (10, 10), (40, 10))
    key(view, Qt.Key.Key_D)  # back to reading: a press on a point still takes it
    assert view.tool is None
    drag(view, (40, 10), (45, 10), (50, 10))
    assert value_of(view).value.value == pytest.approx(32.0, abs=0.2)
    key(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert value_of(view).value.value == pytest.approx(24.0, abs=0.2)  # the whole drag
    key(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert value_of(view).value.value == pytest.approx(32.0, abs=0.2)
    click(view, 50, 10)  # selects it
    key(view, Qt.Key.Key_Delete)
    assert drawn(view) == []
    key(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(drawn(view)) == 1


def test_without_a_tool_the_left_drag_still_scrolls(view: Any) -> None:
    assert view.tool is None
    before = view.series.slice
    drag(view, (30, 10), (30, 60))  # no measurement point there: the reading gesture
    assert view.series.slice != before and drawn(view) == []


def test_an_arrow_points_at_its_first_point_and_a_note_asks_for_its_words(
    view: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import widgets.measuring

    key(view, Qt.Key.Key_K)
    drag(view, (20, 20), (40, 35))  # pressed at what it shows, let go at its tail
    (arrow,) = drawn(view)
    assert arrow.tool is Tool.ARROW and arrow.points[0] == pytest.approx((20, 20), abs=0.2)
    asked: list[str] = []

    def answer(_parent: object, _title: str, prompt: str) -> tuple[str, bool]:
        asked.append(prompt)
        return ("  结节 nodule ", True)

    monkeypatch.setattr(widgets.measuring.QInputDialog, "getText", answer)
    key(view, Qt.Key.Key_T)
    click(view, 10, 50)
    note = drawn(view)[-1]
    assert note.tool is Tool.TEXT and note.text == "结节 nodule" and len(asked) == 1
    assert "结节 nodule" in [d.label for d in view.active.measuring.layer.shown]
    monkeypatch.setattr(widgets.measuring.QInputDialog, "getText", lambda *_a: ("", False))
    click(view, 30, 55)  # the doctor cancels: no empty note
    assert len(drawn(view)) == 2


def test_the_panel_lists_every_measurement_and_a_click_shows_its_image(view: Any) -> None:
    panel = view.measure_panel
    assert panel.isHidden()  # nothing measured yet: the viewports keep the room
    key(view, Qt.Key.Key_D)
    view.series.set_slice(0)
    drag(view, (10, 10), (40, 10))
    view.series.set_slice(2)
    key(view, Qt.Key.Key_X)
    click(view, 5, 5)
    rows = [panel.list.item(i).text() for i in range(panel.list.count())]
    assert not panel.isHidden() and len(rows) == 2
    assert rows[0].startswith("1. Distance · image 1") and "24.0 mm" in rows[0]
    assert rows[1].startswith("2. Probe · image 3") and "-824 HU" in rows[1]
    panel.list.itemClicked.emit(panel.list.item(0))
    assert view.series.slice == 0
    assert view.active.measuring.selected == drawn(view)[0].uid


def test_star_marks_the_image_a_key_image_said_in_its_corner_and_listed(view: Any) -> None:
    corners: dict[str, str] = {}
    scene = view.active.scene
    original = scene.set_corner_text

    def record(corner: str, text: str) -> None:
        corners[corner] = text
        original(corner, text)

    scene.set_corner_text = record  # type: ignore[method-assign]
    view.series.set_slice(1)
    key(view, Qt.Key.Key_Asterisk)
    (mark,) = drawn(view)
    assert mark.tool is Tool.KEY and mark.sop_instance_uid == view.series.image_key(1)[0]
    assert corners["bottom-left"].startswith("★ Key image")
    assert view.measure_panel.list.item(0).text() == "1. Key image · image 2"
    view.series.set_slice(0)
    assert not corners["bottom-left"].startswith("★")  # another image: not a key image
    view.series.set_slice(1)
    key(view, Qt.Key.Key_Asterisk)  # again: no longer
    assert drawn(view) == [] and not corners["bottom-left"].startswith("★")
    key(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert drawn(view) == [mark]


def test_a_line_of_known_length_calibrates_the_series_said_on_every_value(
    view: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import widgets.measuring

    key(view, Qt.Key.Key_D)
    drag(view, (10, 10), (30, 10))  # 20 columns: 16 mm by PixelSpacing
    before = view.active.measuring.layer.shown[0].label
    assert before.startswith("16.0 mm") and "PixelSpacing" in before
    offered: list[float] = []

    def say(
        _parent: object, _title: str, _prompt: str, value: float, *_a: object
    ) -> tuple[float, bool]:
        offered.append(value)
        return (40.0, True)  # the ruler on the film says 40 mm for those 40 columns

    monkeypatch.setattr(widgets.measuring.QInputDialog, "getDouble", say)
    key(view, Qt.Key.Key_C, Qt.KeyboardModifier.ShiftModifier)
    assert view.tool is Tool.CALIBRATE
    drag(view, (10, 40), (50, 40))
    assert offered == [pytest.approx(32.0, abs=0.2)]  # what it measured till now, offered
    labels = {d.label.split("\n")[0]: d.label for d in view.active.measuring.layer.shown}
    assert "Calibration: 40 mm" in labels
    after = next(label for label in labels.values() if "mm" in label and "manual" in label)
    assert after.startswith("20.0 mm") and "manual: 40 mm drawn" in after  # 1 mm a column
    bar = view.active.scene.overlay
    assert "(manual calibration)" in _scale_label(view)  # the bar says so too
    view.series.set_slice(1)  # another image: its own calibration, not the one drawn
    key(view, Qt.Key.Key_D)
    drag(view, (10, 20), (30, 20))
    other = [d.label for d in view.active.measuring.layer.shown]
    assert other[0].startswith("16.0 mm") and "PixelSpacing" in other[0]
    assert "(manual calibration)" not in _scale_label(view)
    assert bar is view.active.scene.overlay
    view.series.set_slice(0)
    key(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the last distance
    key(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the calibration undone
    assert view.active.measuring.layer.shown[0].label == before


def test_a_label_dragged_stays_where_it_is_put_and_the_move_is_one_step(view: Any) -> None:
    key(view, Qt.Key.Key_D)
    drag(view, (10, 10), (30, 10))
    key(view, Qt.Key.Key_D)  # back to reading
    layer = view.active.measuring.layer
    scene = view.active.scene
    actor = layer._labels[0]  # the label drawn: where is it on screen
    box = [0.0, 0.0, 0.0, 0.0]
    actor.GetBoundingBox(scene.renderer, box)
    _w, height = scene.renderer.GetSize()
    at = QPointF((box[0] + box[1]) / 2, height - 1 - (box[2] + box[3]) / 2)
    to = at + QPointF(0, 40)  # 40 screen pixels down
    for kind, where in (
        (QEvent.Type.MouseButtonPress, at),
        (QEvent.Type.MouseMove, to),
        (QEvent.Type.MouseButtonRelease, to),
    ):
        buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else LEFT
        QApplication.sendEvent(view.viewport, QMouseEvent(kind, where, where, LEFT, buttons, NONE))
    (moved,) = drawn(view)
    zoom = scene.zoom_factor()  # screen pixels an image pixel (along the finer spacing)
    assert moved.points == ((pytest.approx(10, abs=0.2), pytest.approx(10, abs=0.2)),
                            (pytest.approx(30, abs=0.2), pytest.approx(10, abs=0.2)))  # fmt: skip
    assert moved.label_offset[0] == pytest.approx(0, abs=0.2)
    assert moved.label_offset[1] == pytest.approx(40 / zoom, abs=0.2)  # rows: the finer axis
    key(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert drawn(view)[0].label_offset == (0.0, 0.0)


def _scale_label(view: Any) -> str:
    from widgets.reading_overlay import scale_bar

    shown = view.active.measuring.calibration()
    return scale_bar(view.series, view.active.scene.zoom_factor(), None, shown)[1]


def test_delete_removes_only_a_measurement_on_the_image_shown(view: Any) -> None:
    key(view, Qt.Key.Key_D)
    drag(view, (10, 10), (30, 10))
    key(view, Qt.Key.Key_D)
    click(view, 30, 10)  # selected
    view.series.set_slice(2)  # scrolled away: it is not on screen any more
    key(view, Qt.Key.Key_Delete)
    key(view, Qt.Key.Key_Backspace)  # the view's reset, never a removal
    assert len(drawn(view)) == 1
    view.series.set_slice(0)
    click(view, 30, 10)
    key(view, Qt.Key.Key_Delete)
    assert drawn(view) == []


def test_a_value_a_report_stated_otherwise_is_said_beside_ours(view: Any) -> None:
    """A report read back from another workstation said 30 mm where this image measures
    24 mm (another calibration there): both are on screen, neither passes for the other."""
    from viewer.session.annotations import Annotation

    series = view.series
    image = (series.series_uid, *series.image_key())
    theirs = Annotation.new(Tool.LINE, [(10, 10), (40, 10)], image)
    stated = replace(theirs, reported=(("Length", 30.0),))
    agreeing = replace(
        Annotation.new(Tool.LINE, [(10, 20), (40, 20)], image), reported=(("Length", 24.1),)
    )
    study = view.annotations_of(series.study_uid)
    study.add(stated)
    study.add(agreeing)
    labels = {d.uid: d.label for d in view.active.measuring.layer.shown}
    assert labels[stated.uid].startswith("24.0 mm")
    assert "⚠ the report read back says 30.0 mm" in labels[stated.uid]
    assert "⚠" not in labels[agreeing.uid]  # within 1%: the same measurement
    moved = stated.with_point(1, (40.0, 12.0))
    assert moved.reported == ()  # moved here: no longer the one the report stated
