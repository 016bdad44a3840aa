"""Layouts of the reading view: several viewports, one active, scrolling together by
position, and two patients on screen said in red. Driven with real key, mouse and wheel
events; what each viewport shows is read back from its VTK window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from tests.support.screen import screen_rgb
from tests.support.stacks import open_stack
from viewer.display import display_name
from viewer.session.layout import GRIDS
from viewer.session.reading import OpenSeries

pytestmark = pytest.mark.qt

NONE = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def view(qtbot: Any) -> Any:
    from widgets.app import create_application
    from widgets.reading_view import ReadingView

    create_application()
    made = ReadingView()
    qtbot.addWidget(made)
    made.resize(900, 600)
    made.show()
    qtbot.waitExposed(made)
    return made


def key(target: Any, which: Qt.Key, modifiers: Qt.KeyboardModifier = NONE) -> None:
    QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, which, modifiers))


def click(target: Any) -> None:
    at = QPointF(20, 20)
    for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
        buttons = (
            Qt.MouseButton.NoButton
            if kind == QEvent.Type.MouseButtonRelease
            else Qt.MouseButton.LeftButton
        )
        event = QMouseEvent(kind, at, at, Qt.MouseButton.LeftButton, buttons, NONE)
        QApplication.sendEvent(target, event)


def wheel_down(target: Any, steps: int = 1) -> None:
    at = QPointF(20, 20)
    for _ in range(steps):
        event = QWheelEvent(
            at, at, QPoint(), QPoint(0, -120), Qt.MouseButton.NoButton, NONE,
            Qt.ScrollPhase.NoScrollPhase, False,
        )  # fmt: skip
        QApplication.sendEvent(target, event)


def shown_grey(viewport: Any) -> int:
    """The grey level at the middle of a viewport's VTK window, as rendered."""
    viewport.scene.render()
    rgb = screen_rgb(viewport.scene.window)
    return int(rgb[rgb.shape[0] // 2, rgb.shape[1] // 2, 0])


def wide(series: OpenSeries) -> OpenSeries:
    """A window from slice 0's value up (slice k holds k * 100 stored, k * 100 - 1024
    HU): slice 0 is black, each later slice brighter."""
    series.set_window(-424.0, 1200.0)
    return series


def test_ctrl_digits_choose_the_grid_and_a_click_chooses_the_viewport_a_series_goes_to(
    view: Any, tmp_path: Path
) -> None:
    first, second = wide(open_stack(tmp_path / "a")), wide(open_stack(tmp_path / "b"))
    first.set_slice(4)
    view.show_series(first)
    key(view.viewport, Qt.Key.Key_4, CTRL)
    assert view.layout_model.grid == GRIDS["2x2"] and view.grid_buttons["2x2"].isChecked()
    visible = [v for v in view.viewports if v.isVisible()]
    assert len(visible) == 4
    assert shown_grey(visible[0]) > 50  # slice 4: grey in the wide window
    assert shown_grey(visible[3]) == 0  # empty: black
    click(visible[3].vtk)
    assert view.layout_model.active == 3 and visible[3].property("active")
    assert not visible[0].property("active")
    view.show_series(second)  # opened now: into the active viewport
    assert visible[3].series is second and visible[0].series is first
    assert shown_grey(visible[3]) == 0  # slice 0 of the second: the window's bottom
    key(view.viewport, Qt.Key.Key_Tab)
    assert view.layout_model.active == 0
    key(view.viewport, Qt.Key.Key_1, CTRL)
    assert [v.isVisible() for v in view.viewports] == [True, False, False, False]
    key(view.viewport, Qt.Key.Key_9, CTRL)  # 3x3: the four cells back where they were
    assert sum(v.isVisible() for v in view.viewports) == 9
    assert view.viewports[3].series is second


def test_wheel_in_one_viewport_scrolls_the_other_to_the_same_position(
    view: Any, tmp_path: Path
) -> None:
    thin = wide(open_stack(tmp_path / "thin", step=2.0, count=10, frame="1.2.840.1"))
    thick = wide(open_stack(tmp_path / "thick", step=4.0, count=5, frame="1.2.840.1"))
    view.set_layout(1, 2)
    view.show_series(thin, 0)
    view.show_series(thick, 1)
    left, right = view.viewports[:2]
    before = shown_grey(right)
    wheel_down(left.vtk, 4)  # thin to 8 mm: thick's slice 2
    assert thin.slice == 4 and thick.slice == 2
    assert shown_grey(right) > before  # the right viewport drew its new slice
    key(right.vtk, Qt.Key.Key_L)  # unlinked: each on its own
    assert not view.link_button.isChecked()
    wheel_down(left.vtk)
    assert thin.slice == 5 and thick.slice == 2


def test_a_prior_from_another_frame_follows_once_lined_up_and_linked(
    view: Any, tmp_path: Path
) -> None:
    current = wide(open_stack(tmp_path / "now", z0=300.0, count=20))
    prior = wide(open_stack(tmp_path / "prior", z0=-40.0, count=20))
    view.show_series(current)
    view.show_beside(prior)  # 1x1 becomes 1x2, the prior on the right
    assert view.layout_model.grid == GRIDS["1x2"] and view.viewports[1].series is prior
    left, right = view.viewports[:2]
    wheel_down(left.vtk, 3)
    assert prior.slice == 0  # no shared frame: the prior stays
    wheel_down(right.vtk, 7)  # the doctor finds the same level in the prior …
    assert current.slice == 3
    key(right.vtk, Qt.Key.Key_L)
    key(right.vtk, Qt.Key.Key_L)  # … and links again: the images now on screen match
    wheel_down(left.vtk, 2)
    assert (current.slice, prior.slice) == (5, 9)


def test_two_patients_in_one_layout_are_said_in_red_with_their_ids(
    view: Any, tmp_path: Path
) -> None:
    one = open_stack(tmp_path / "a", patient=("P1", "HOSP-A"), name="王^伟")
    namesake = open_stack(tmp_path / "b", patient=("P1", "HOSP-B"), name="王^伟")
    view.show_series(one)
    assert view.patients_warning.isHidden()
    view.show_beside(namesake)
    warning = view.patients_warning
    assert warning.isVisible() and "Different patients" in warning.text()
    assert "P1 HOSP-A" in warning.text() and "P1 HOSP-B" in warning.text()
    assert warning.text().count(display_name("王^伟")) == 2
    assert warning.objectName() == "TwoPatientsWarning"
    shot = warning.grab().toImage()  # as drawn, with the dark theme's style sheet
    corner = shot.pixelColor(shot.width() // 2, 1)
    assert corner.red() > 150 and corner.green() < 80 and corner.blue() < 80  # red
    key(view.viewport, Qt.Key.Key_1, CTRL)  # one patient on screen again
    assert warning.isHidden()


def test_a_series_no_viewport_shows_any_more_is_released(view: Any, tmp_path: Path) -> None:
    released: list[object] = []
    view.series_released.connect(released.append)
    a, b = open_stack(tmp_path / "a"), open_stack(tmp_path / "b")
    view.show_series(a)
    view.show_series(b)  # the same viewport: a is no longer shown
    assert released == [a]
    view.release()
    assert released == [a, b]
    assert np.all([v.series is None for v in view.viewports])


def test_a_prior_opens_beside_as_far_through_its_stack_as_the_current(
    view: Any, tmp_path: Path
) -> None:
    current = open_stack(tmp_path / "now", count=21)
    prior = open_stack(tmp_path / "prior", count=11)
    current.set_slice(10)  # half way
    view.show_series(current)
    view.show_beside(prior)
    assert prior.slice == 5 and current.slice == 10  # half way too; nothing linked


def test_a_prior_asked_for_opens_beside_even_after_a_scroll_meanwhile(
    view: Any, tmp_path: Path
) -> None:
    current, prior = open_stack(tmp_path / "now", count=9), open_stack(tmp_path / "old")
    view.show_series(current)
    view.expect_beside(prior.study_uid, prior.series_uid)  # P: the prior is being fetched
    wheel_down(view.viewport, 2)  # the doctor reads on meanwhile
    view.show_series(prior)  # it has arrived
    assert [v.series for v in view.viewports[:2]] == [current, prior]


def test_a_series_shown_in_place_of_an_arriving_one_has_no_progress_line(
    view: Any, tmp_path: Path
) -> None:
    arriving, whole = open_stack(tmp_path / "a"), open_stack(tmp_path / "b")
    view.show_series(arriving)
    view.scene.set_progress(0.4, "2 of 5 images received")
    view.show_series(whole)
    assert view.scene.overlay._share is None
    assert not view.scene.overlay._progress_label.GetVisibility()
