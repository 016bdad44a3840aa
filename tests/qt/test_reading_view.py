"""The reading view: gestures change the open series (the session's), the viewport
follows its events, and every corner says whose images these are."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from pydicom.uid import generate_uid
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from tests.qt.reading_support import opened_series, recording_view
from tests.support.screen import screen_rgb
from tests.unit.test_session_model import SLICES, ct_slice
from viewer.imaging.voi_lut import Window
from viewer.session.reading import OpenSeries
from widgets.app import create_application

pytestmark = pytest.mark.qt


@pytest.fixture
def series(tmp_path: Path) -> Iterator[OpenSeries]:
    folder = tmp_path / "cd"
    folder.mkdir()
    study_uid, series_uid = generate_uid(), generate_uid()
    for k in range(SLICES):
        ct_slice(folder, study_uid, series_uid, k)
    yield from opened_series(tmp_path, folder, "320106198810300596", study_uid, series_uid)


@pytest.fixture
def view(qtbot: Any, series: OpenSeries):  # type: ignore[no-untyped-def]
    return recording_view(qtbot, series, (500, 400))


def send_mouse(
    view: Any,
    kind: QEvent.Type,
    at: QPointF,
    button: Qt.MouseButton,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
    event = QMouseEvent(kind, at, at, button, buttons, modifiers)
    QApplication.sendEvent(view.viewport, event)


def drag(
    view: Any,
    start: QPointF,
    end: QPointF,
    button: Qt.MouseButton,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    send_mouse(view, QEvent.Type.MouseButtonPress, start, button, modifiers)
    send_mouse(view, QEvent.Type.MouseMove, end, button, modifiers)
    send_mouse(view, QEvent.Type.MouseButtonRelease, end, button, modifiers)


def wheel(view: Any, steps: int, modifiers: Qt.KeyboardModifier) -> None:
    at = QPointF(100, 100)
    event = QWheelEvent(
        at, at, QPoint(), QPoint(0, 120 * steps), Qt.MouseButton.NoButton, modifiers,
        Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(view.viewport, event)


def key(
    view: Any, which: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    QApplication.sendEvent(view.viewport, QKeyEvent(QEvent.Type.KeyPress, which, modifiers))


def grab(view: Any) -> np.ndarray:
    """The viewport's pixels as gray levels, row 0 at the top."""
    view.scene.render()
    return screen_rgb(view.viewport.GetRenderWindow())[:, :, 0].astype(int)


def test_every_corner_says_whose_images_these_are(view: Any) -> None:
    corners = view.corners
    assert "王小东" in corners["top-left"] and "320106198810300596" in corners["top-left"]
    assert "JS-EMPI" in corners["top-left"] and "1988-10-30" in corners["top-left"]
    assert "江苏省人民医院" in corners["top-right"] and "2024-11-05" in corners["top-right"]
    assert f"1 / {SLICES}" in corners["bottom-left"]
    assert "W 400  L 40" in corners["bottom-right"]


def test_a_right_drag_changes_the_series_window_and_the_corner_follows(view: Any) -> None:
    series: OpenSeries = view.series
    start = QPointF(200, 200)
    send_mouse(view, QEvent.Type.MouseButtonPress, start, Qt.MouseButton.RightButton)
    send_mouse(view, QEvent.Type.MouseMove, QPointF(300, 150), Qt.MouseButton.RightButton)
    send_mouse(view, QEvent.Type.MouseButtonRelease, QPointF(300, 150), Qt.MouseButton.RightButton)
    # 400 wide: 2 a pixel; right 100 px widens by 200, up 50 px raises the level by 100.
    assert series.window == Window(140.0, 600.0)
    assert "W 600  L 140" in view.corners["bottom-right"]
    send_mouse(view, QEvent.Type.MouseMove, QPointF(0, 0), Qt.MouseButton.NoButton)
    assert series.window == Window(140.0, 600.0)  # no drag after the release
    key(view, Qt.Key.Key_R)
    assert series.window == Window(40.0, 400.0)


def test_the_wheel_and_the_keys_scroll_within_the_series(view: Any) -> None:
    series: OpenSeries = view.series
    wheel(view, -1, Qt.KeyboardModifier.NoModifier)  # towards you: the next slice
    assert series.slice == 1
    key(view, Qt.Key.Key_End)
    assert series.slice == SLICES - 1 and f"{SLICES} / {SLICES}" in view.corners["bottom-left"]
    key(view, Qt.Key.Key_Down)
    assert series.slice == SLICES - 1
    key(view, Qt.Key.Key_PageUp)
    assert series.slice == 0
    zoom = view.scene.zoom_factor()
    wheel(view, 1, Qt.KeyboardModifier.ControlModifier)
    assert view.scene.zoom_factor() == pytest.approx(zoom * 1.1, rel=1e-3)
    assert series.slice == 0  # Ctrl+wheel zooms, it does not scroll


def test_escape_asks_for_the_history(qtbot: Any, view: Any) -> None:
    with qtbot.waitSignal(view.back_requested, timeout=1000):
        key(view, Qt.Key.Key_Escape)


def test_the_viewport_draws_the_slice(view: Any) -> None:
    pixels = screen_rgb(view.viewport.GetRenderWindow())
    assert pixels.max() > 0 and len(np.unique(pixels)) > 10  # an image, not a black square


def test_the_edges_say_the_patient_directions_and_a_bar_gives_the_scale(view: Any) -> None:
    # Axial, rows along +x (patient left), columns along +y (posterior): the screen's
    # left is the patient's right, its top anterior (PS3.3 C.7.6.2.1.1).
    assert view.drawn["set_edge_letters"] == ("R", "L", "A", "P")
    length, label = view.drawn["set_scale_bar"]
    assert label == f"{length:g} mm"
    # About 100 screen pixels long at the current zoom: 0.5 mm is the finer spacing.
    on_screen = length / 0.5 * view.scene.zoom_factor()
    assert 40 <= on_screen <= 250, on_screen


def test_without_pixel_spacing_there_is_no_bar_only_the_word_uncalibrated(
    series: OpenSeries,
) -> None:
    from dataclasses import replace

    from viewer.imaging.geometry import GeometryIssue, GeometryWarning
    from widgets.reading_overlay import scale_bar

    create_application()
    warning = GeometryWarning(GeometryIssue.NO_PIXEL_SPACING, "no PixelSpacing")
    series.volume = replace(series.volume, warnings=(warning,))
    assert scale_bar(series, 1.0) == (None, "uncalibrated")


def test_keys_1_to_9_choose_the_ct_presets_and_the_corner_names_them(view: Any) -> None:
    series: OpenSeries = view.series
    before = grab(view)
    key(view, Qt.Key.Key_4)
    assert series.window == Window(-600, 1500, explanation="ct-lung")
    assert view.corners["bottom-right"].startswith("Lung window\nW 1500  L -600")
    assert not np.array_equal(grab(view), before)  # the lung window drawn
    key(view, Qt.Key.Key_8)
    assert series.window is not None and (series.window.width, series.window.center) == (1800, 400)
    assert "Bone window" in view.corners["bottom-right"]
    key(view, Qt.Key.Key_9)  # free for CT: nothing changes
    assert "Bone window" in view.corners["bottom-right"]
    drag(view, QPointF(200, 200), QPointF(210, 200), Qt.MouseButton.RightButton)
    assert "window" not in view.corners["bottom-right"]  # a dragged window has no name


def test_i_inverts_through_the_series_chain_and_a_windows_on_this_slice(view: Any) -> None:
    series: OpenSeries = view.series
    before = grab(view)
    key(view, Qt.Key.Key_I)
    assert series.chain.inverted and "Inverted" in view.corners["bottom-right"]
    after = grab(view)
    image = before > 20  # the image area, not the black background or the text
    assert (after[image] < before[image]).mean() > 0.5  # light became dark
    key(view, Qt.Key.Key_I)
    assert not series.chain.inverted and "Inverted" not in view.corners["bottom-right"]
    key(view, Qt.Key.Key_End)
    key(view, Qt.Key.Key_A)
    stored = series.volume.voxels[series.slice].astype(float) - 1024
    low, high = np.percentile(stored, [1, 99])
    assert series.window is not None
    assert series.window.center == pytest.approx((low + high + 1) / 2)
    assert view.corners["bottom-right"].startswith("Auto window")


def test_middle_or_shift_left_drag_pans_ctrl_left_drag_zooms_left_drag_scrolls(
    view: Any,
) -> None:
    camera = view.scene.renderer.GetActiveCamera()
    left = Qt.MouseButton.LeftButton
    for button, modifiers in (
        (Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier),
        (left, Qt.KeyboardModifier.ShiftModifier),
    ):
        view.scene.fit()
        x, y, _ = camera.GetFocalPoint()
        mm_per_px = 1 / view.scene.zoom_factor() * 0.5  # 0.5 mm: the finer spacing
        drag(view, QPointF(100, 100), QPointF(140, 120), button, modifiers)
        # The image follows the hand: 40 px right and 20 down, so the camera goes left, up.
        moved = np.subtract(camera.GetFocalPoint()[:2], (x, y))
        assert moved == pytest.approx((-40 * mm_per_px, -20 * mm_per_px), rel=1e-3)
        assert view.series.slice == 0 and view.series.window == Window(40, 400)
    zoom = view.scene.zoom_factor()
    drag(view, QPointF(100, 200), QPointF(100, 130), left, Qt.KeyboardModifier.ControlModifier)
    assert view.scene.zoom_factor() == pytest.approx(zoom * 1.01**70, rel=1e-3)
    assert f"Zoom {view.scene.zoom_factor():.2f}" in view.corners["bottom-right"]
    drag(view, QPointF(100, 100), QPointF(100, 113), left)  # 13 px down: two slices on
    assert view.series.slice == 2 and view.scene.zoom_factor() == pytest.approx(zoom * 1.01**70)


def edges_by_brightness(view: Any) -> list[str]:
    """The edge letters drawn, from the brightest edge of the image on screen to the
    darkest (letters and corners hidden to read the image alone)."""
    letters = dict(
        zip(("left", "right", "top", "bottom"), view.drawn["set_edge_letters"], strict=True)
    )
    scene = view.scene
    scene.set_edge_letters("", "", "", "")
    for corner in ("top-left", "top-right", "bottom-left", "bottom-right"):
        scene.set_corner_text(corner, "")
    scene.set_scale_bar(None, "")
    shown = grab(view)
    rows, columns = np.flatnonzero(shown.any(axis=1)), np.flatnonzero(shown.any(axis=0))
    image = shown[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]
    h, w = max(1, image.shape[0] // 10), max(1, image.shape[1] // 10)
    strips = {
        "left": image[:, :w],
        "right": image[:, -w:],
        "top": image[:h],
        "bottom": image[-h:],
    }
    view.redraw()
    view.scene.set_edge_letters(*view.drawn["set_edge_letters"])
    order = sorted(strips, key=lambda edge: -float(np.mean(strips[edge])))
    return [letters[edge] for edge in order]


@pytest.mark.parametrize(
    ("keys", "letters"),
    [
        ([], ("R", "L", "A", "P")),
        ([(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)], ("P", "A", "R", "L")),
        (
            [
                (
                    Qt.Key.Key_R,
                    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
                )
            ],
            ("A", "P", "L", "R"),
        ),
        ([(Qt.Key.Key_H, Qt.KeyboardModifier.NoModifier)], ("L", "R", "A", "P")),
        ([(Qt.Key.Key_V, Qt.KeyboardModifier.NoModifier)], ("R", "L", "P", "A")),
        (
            [
                (Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier),
                (Qt.Key.Key_H, Qt.KeyboardModifier.NoModifier),
            ],
            ("A", "P", "R", "L"),
        ),
    ],
)
def test_after_a_rotation_or_a_flip_each_edge_letter_names_what_the_image_shows_there(
    view: Any, keys: list[tuple[Qt.Key, Qt.KeyboardModifier]], letters: tuple[str, ...]
) -> None:
    # Stored values grow down the rows (posterior, +y) 8x faster than along a row (the
    # patient's left, +x): on screen the posterior edge is the brightest, then the left,
    # the right, the anterior edge the darkest, however the image is turned.
    view.series.set_window(-500, 1200)
    for which, modifiers in keys:
        key(view, which, modifiers)
    assert view.drawn["set_edge_letters"] == letters
    assert edges_by_brightness(view) == ["P", "L", "R", "A"]


def test_space_plays_the_slices_in_a_loop_and_plus_minus_set_the_speed_shown(
    qtbot: Any, view: Any
) -> None:
    series: OpenSeries = view.series
    key(view, Qt.Key.Key_End)
    key(view, Qt.Key.Key_Space)
    assert view.cine.playing and view.cine.timer.interval() == 100  # 10 fps
    assert "Cine 10 fps" in view.corners["bottom-left"]
    qtbot.waitUntil(lambda: series.slice == 1, timeout=3000)  # past the last: the first
    key(view, Qt.Key.Key_Plus)
    assert view.cine.fps == 12 and "Cine 12 fps" in view.corners["bottom-left"]
    for _ in range(30):
        key(view, Qt.Key.Key_Plus)
    assert view.cine.fps == 60 and view.cine.timer.interval() == 17
    for _ in range(30):
        key(view, Qt.Key.Key_Minus)
    assert view.cine.fps == 1 and view.cine.timer.interval() == 1000
    key(view, Qt.Key.Key_Space)
    assert not view.cine.playing and "fps" not in view.corners["bottom-left"]
    stopped_at = series.slice
    qtbot.wait(250)
    assert series.slice == stopped_at


def test_question_mark_and_f1_open_a_help_panel_listing_every_key(qtbot: Any, view: Any) -> None:
    key(view, Qt.Key.Key_Question, Qt.KeyboardModifier.ShiftModifier)
    assert view.help is not None and view.help.isVisible()
    text = view.help.text()
    for listed in (
        "Right-drag", "1 – 9", "A\t", "R\t", "I\t", "Wheel", "PgUp / PgDn", "Home / End",
        "Space", "+ / −", "Ctrl+wheel", "Middle-drag, Shift+left-drag", "F\t", "0\t",
        "Ctrl+R / Ctrl+Shift+R", "H / V", "Ctrl+1 / 2 / 3 / 4 / 9", "Tab / Shift+Tab",
        "L\t", "M\t", "P\t", "? / F1", "Esc",
    ):  # fmt: skip
        assert listed in text, listed
    view.help.close()
    key(view, Qt.Key.Key_F1)
    assert view.help.isVisible()
    view.help.close()


def test_the_help_panel_and_the_preset_names_are_chinese_on_a_chinese_screen(
    view: Any,
) -> None:
    from widgets.app import install_translation
    from widgets.reading_help import ReadingHelp

    translator = install_translation(QApplication.instance(), "zh_CN")  # type: ignore[arg-type]
    assert translator is not None
    try:
        panel = ReadingHelp()
        text = panel.text()
        for word in ("窗宽", "窗位", "反相", "电影播放", "旋转", "翻转", "平移", "缩放"):
            assert word in text, word
        assert panel.windowTitle() and not any(
            c.isascii() and c.isalpha() for c in panel.windowTitle()
        )
        key(view, Qt.Key.Key_4)
        key(view, Qt.Key.Key_I)
        corner = view.corners["bottom-right"]
        assert corner.startswith("肺窗\n窗宽 1500  窗位 -600") and "反相" in corner
        panel.close()
    finally:
        QApplication.removeTranslator(translator)


def test_a_files_own_window_on_a_key_is_named_by_its_explanation_else_its_number() -> None:
    from viewer.session.presets import FILE_PRESET, KeyPreset
    from widgets.reading_overlay import preset_label

    create_application()
    named = KeyPreset(FILE_PRESET, Window(300, 600, explanation="T2 FLAIR"), 1)
    unnamed = KeyPreset(FILE_PRESET, Window(300, 600), 2)
    assert preset_label(named) == "T2 FLAIR"
    assert preset_label(unnamed) == "Window 2 of the file"


def test_a_stack_without_its_own_orientation_shows_no_edge_letter_however_turned(
    series: OpenSeries,
) -> None:
    from dataclasses import replace

    from viewer.render.view_turns import ViewTurns
    from widgets.reading_overlay import orientation_letters

    turned = ViewTurns().rotated().flipped_horizontally()
    assert orientation_letters(series, turned) == ("A", "P", "R", "L")
    # A film without Patient Orientation: its stack's cosines are placeholders.
    series.volume = replace(series.volume, stack=replace(series.volume.stack, oriented=False))
    assert orientation_letters(series, ViewTurns()) == ("", "", "", "")
    assert orientation_letters(series, turned) == ("", "", "", "")


def test_the_zoom_and_scale_bar_follow_the_viewport_when_it_is_shown_or_resized(
    qtbot: Any, series: OpenSeries
) -> None:
    create_application()
    from widgets.reading_view import ReadingView

    made = ReadingView()
    qtbot.addWidget(made)
    corners: dict[str, str] = {}
    original = made.scene.set_corner_text
    made.scene.set_corner_text = lambda corner, text: (  # type: ignore[method-assign]
        corners.__setitem__(corner, text),
        original(corner, text),
    )
    made.show_series(series)  # still hidden, as when a fetched series opens on its own
    for size in ((500, 400), (900, 700)):
        made.resize(*size)
        made.show()
        qtbot.waitExposed(made)

        def says_the_zoom_drawn() -> bool:
            made.scene.follow_viewport()
            return f"Zoom {made.scene.zoom_factor():.2f}" in corners["bottom-right"]

        qtbot.waitUntil(says_the_zoom_drawn, timeout=3000)
        assert made.scene.zoom_factor() > 1  # 8 x 6 pixels fill hundreds of screen pixels


def test_an_image_without_a_position_shows_no_location_or_thickness(
    series: OpenSeries,
) -> None:
    from dataclasses import replace

    from widgets.reading_overlay import corner_texts

    create_application()
    assert "Location" in corner_texts(series, 1.0)["bottom-left"]
    # A radiograph's stack (viewer.imaging.projection): images in file order, unplaced.
    series.volume = replace(series.volume, stack=replace(series.volume.stack, placed=False))
    assert corner_texts(series, 1.0)["bottom-left"] == f"Image 1 / {SLICES}"


def test_backspace_puts_the_image_back_as_it_opened_but_keeps_the_slice(view: Any) -> None:
    series: OpenSeries = view.series
    opened_letters = view.drawn["set_edge_letters"]
    opened_zoom = view.scene.zoom_factor()
    key(view, Qt.Key.Key_End)
    key(view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    key(view, Qt.Key.Key_H)
    key(view, Qt.Key.Key_I)
    key(view, Qt.Key.Key_4)
    key(view, Qt.Key.Key_0)
    assert view.drawn["set_edge_letters"] != opened_letters and series.inverted

    key(view, Qt.Key.Key_Backspace)
    assert view.drawn["set_edge_letters"] == opened_letters
    assert view.scene.zoom_factor() == pytest.approx(opened_zoom)
    assert series.window == Window(40.0, 400.0) and not series.inverted
    assert series.slice == SLICES - 1
