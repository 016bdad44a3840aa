"""The slice scene draws what export writes: pixels read back from an offscreen VTK window.

Each test renders a small generated series at one screen pixel per image pixel (or a
known zoom) and compares the framebuffer with the series' own display values, so a
LUT, orientation or aspect mistake shows as pixels that differ.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from pydicom.uid import (
    CTImageStorage,
    DigitalXRayImageStorageForPresentation,
    generate_uid,
)
from vtkmodules.vtkRenderingCore import vtkRenderWindow

from tests.support.dicom_files import new_instance
from tests.support.screen import offscreen_window, screen_rgb
from viewer.imaging.volume import load_volume
from viewer.render.fonts import find_cjk_font
from viewer.render.slice_scene import SliceScene
from viewer.session.reading import OpenSeries

pytestmark = pytest.mark.render

ROWS, COLUMNS, SLICES = 24, 32, 4


def write_series(
    folder: Path,
    pixels: npt.NDArray[np.int16],
    *,
    spacing: tuple[float, float] = (0.7, 0.7),
    photometric: str = "MONOCHROME2",
) -> Path:
    """A CT-like series (slices, rows, columns) of signed stored values, one file per
    slice, 2 mm apart, rescaled to HU, with the file's window 40/400."""
    folder.mkdir()
    study, series = generate_uid(), generate_uid()
    sop_class = (
        CTImageStorage if photometric == "MONOCHROME2" else DigitalXRayImageStorageForPresentation
    )
    for k, stored in enumerate(pixels):
        ds = new_instance(sop_class)
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
        ds.PatientName, ds.PatientID, ds.Modality = "Test^Render", "R1", "CT"
        ds.InstanceNumber = k + 1
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.ImagePositionPatient = [0, 0, 2.0 * k]
        ds.PixelSpacing = list(spacing)
        ds.WindowCenter, ds.WindowWidth = 40, 400
        ds.RescaleSlope, ds.RescaleIntercept = 1, -1024
        ds.Rows, ds.Columns = stored.shape
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, photometric
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        ds.PixelData = stored.astype("<i2").tobytes()
        ds.save_as(folder / f"{k:03}.dcm", enforce_file_format=True)
    return folder


def ramp(rows: int = ROWS, columns: int = COLUMNS, slices: int = SLICES) -> npt.NDArray[np.int16]:
    """Stored values spanning the 40/400 window (824 … 1224 after rescale to -200 … 200
    HU) and beyond, different in every pixel and slice."""
    k, j, i = np.meshgrid(np.arange(slices), np.arange(rows), np.arange(columns), indexing="ij")
    return (700 + 17 * i + 11 * j + 29 * k).astype(np.int16)


def open_series(folder: Path) -> OpenSeries:
    volume = load_volume(sorted(folder.glob("*.dcm")))
    return OpenSeries(
        volume.headers[0].StudyInstanceUID, volume.headers[0].SeriesInstanceUID, volume
    )


def offscreen(width: int, height: int) -> vtkRenderWindow:
    return offscreen_window(width, height)


def screen(scene: SliceScene) -> npt.NDArray[np.uint8]:
    """The rendered RGB, (rows, columns, 3), row 0 at the top of the screen."""
    scene.render()
    return screen_rgb(scene.window)


def gray(rgb: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    assert (rgb[..., 0] == rgb[..., 1]).all() and (rgb[..., 1] == rgb[..., 2]).all()
    return rgb[..., 0]


@pytest.fixture
def ct(tmp_path: Path) -> OpenSeries:
    return open_series(write_series(tmp_path / "ct", ramp()))


@pytest.fixture
def scene_1to1(ct: OpenSeries) -> SliceScene:
    scene = SliceScene(offscreen(COLUMNS, ROWS))
    scene.show(ct)
    scene.one_to_one()
    return scene


def test_the_screen_at_one_to_one_equals_export(ct: OpenSeries, scene_1to1: SliceScene) -> None:
    assert scene_1to1.zoom_factor() == pytest.approx(1.0)
    shown = gray(screen(scene_1to1))
    assert np.array_equal(shown, ct.display_slice())
    assert len(np.unique(shown)) > 20  # a real ramp, not a flat field that equals by luck


def test_a_new_window_shows_the_new_display_values(ct: OpenSeries, scene_1to1: SliceScene) -> None:
    before = gray(screen(scene_1to1))
    ct.set_window(-100, 150)
    scene_1to1.refresh_window()
    shown = gray(screen(scene_1to1))
    assert np.array_equal(shown, ct.display_slice())
    assert not np.array_equal(shown, before)


def test_another_slice_shows_its_own_display_values(ct: OpenSeries, scene_1to1: SliceScene) -> None:
    for k in (SLICES - 1, 1):
        ct.set_slice(k)
        scene_1to1.refresh_slice()
        assert np.array_equal(gray(screen(scene_1to1)), ct.display_slice(k))
    assert not np.array_equal(ct.display_slice(1), ct.display_slice(SLICES - 1))


def test_row_0_column_0_is_drawn_at_the_top_left(tmp_path: Path) -> None:
    pixels = np.full((1, ROWS, COLUMNS), 1024, np.int16)  # 0 HU: mid-gray
    pixels[0, 0, 0] = 3000  # white marker at row 0, column 0
    pixels[0, 0, COLUMNS - 1] = -1000  # black marker at row 0, last column
    scene = SliceScene(offscreen(COLUMNS, ROWS))
    scene.show(open_series(write_series(tmp_path / "marker", pixels)))
    scene.one_to_one()
    shown = gray(screen(scene))
    assert shown[0, 0] == 255 and shown[0, COLUMNS - 1] == 0
    assert (shown[1:] == shown[ROWS // 2, COLUMNS // 2]).all()  # only the two markers differ


def test_non_square_pixels_keep_their_physical_aspect(tmp_path: Path) -> None:
    """Pixel Spacing 1.0 \\ 0.5: rows 1 mm apart, columns 0.5 mm, so a square of 8 rows ×
    16 columns is 8 mm × 8 mm and must look square; unscaled it would be twice as wide."""
    pixels = np.full((1, ROWS, COLUMNS), 0, np.int16)
    pixels[0, 8:16, 8:24] = 3000
    scene = SliceScene(offscreen(200, 200))
    scene.show(open_series(write_series(tmp_path / "aspect", pixels, spacing=(1.0, 0.5))))
    shown = gray(screen(scene))
    bright_rows = np.flatnonzero((shown == 255).any(axis=1))
    bright_columns = np.flatnonzero((shown == 255).any(axis=0))
    height, width = len(bright_rows), len(bright_columns)
    assert width == pytest.approx(height, abs=1)
    # Fitted: the image is 16 mm wide and 24 mm tall, so the window's height fills.
    assert height == pytest.approx(200 * 8 / 24, abs=1)


def test_monochrome1_is_shown_inverted(tmp_path: Path) -> None:
    pixels = ramp(slices=1)
    normal = open_series(write_series(tmp_path / "m2", pixels))
    inverted = open_series(write_series(tmp_path / "m1", pixels, photometric="MONOCHROME1"))
    shown = {}
    for name, series in (("m2", normal), ("m1", inverted)):
        scene = SliceScene(offscreen(COLUMNS, ROWS))
        scene.show(series)
        scene.one_to_one()
        shown[name] = gray(screen(scene))
    assert np.array_equal(shown["m1"], inverted.display_slice())
    assert np.array_equal(shown["m1"].astype(int), 255 - shown["m2"].astype(int))


def test_fit_shows_the_whole_image_centred(ct: OpenSeries) -> None:
    scene = SliceScene(offscreen(100, 60))
    scene.show(ct)
    scene.zoom(3.0)
    scene.pan(17, -5)
    scene.fit()
    shown = gray(screen(scene))
    lit = np.flatnonzero(shown.any(axis=0))  # every column of the ramp has a lit pixel
    # 32 × 24 pixels into 100 × 60: height-bound, 2.5 screen pixels per image pixel.
    assert scene.zoom_factor() == pytest.approx(2.5)
    assert (lit[0], lit[-1]) == (10, 89)


def test_zoom_and_pan_move_the_image_as_asked(ct: OpenSeries, scene_1to1: SliceScene) -> None:
    scene_1to1.zoom(2.0)
    assert scene_1to1.zoom_factor() == pytest.approx(2.0)
    # About the centre, each of the middle 16 × 12 image pixels now covers 2 × 2 screen
    # pixels of its own display value (nearest neighbour: no blend at the edges).
    middle = ct.display_slice()[ROWS // 4 : -ROWS // 4, COLUMNS // 4 : -COLUMNS // 4]
    assert np.array_equal(gray(screen(scene_1to1)), middle.repeat(2, 0).repeat(2, 1))
    scene_1to1.one_to_one()
    scene_1to1.pan(3, 2)  # 3 pixels right, 2 down
    shown = gray(screen(scene_1to1))
    assert np.array_equal(shown[2:, 3:], ct.display_slice()[:-2, :-3])
    assert (shown[:2] == 0).all() and (shown[:, :3] == 0).all()  # background uncovered


def test_a_chinese_font_is_found_where_fontconfig_or_the_folders_have_one(
    tmp_path: Path,
) -> None:
    fonts = tmp_path / "fonts"
    (fonts / "deep").mkdir(parents=True)
    for name in ("simsun.ttc", "wqy-microhei.ttc", "unrelated.ttf"):
        (fonts / "deep" / name).write_bytes(b"")
    assert find_cjk_font(None, [fonts]) == str(fonts / "deep" / "wqy-microhei.ttc")
    assert find_cjk_font(None, [tmp_path / "none"]) is None
    assert find_cjk_font("no-such-fc-list", [tmp_path / "none"]) is None
    found = find_cjk_font()  # this machine's fontconfig, when it has a CJK font
    assert found is None or Path(found).is_file()


def test_overlay_text_and_banner_draw_on_the_screen(ct: OpenSeries) -> None:
    scene = SliceScene(offscreen(320, 240))
    scene.show(ct)
    plain = screen(scene)
    scene.set_corner_text("top-left", "王小东\nR1")
    scene.set_banner("missing slices")
    scene.set_scale_bar(10.0, "1 cm")
    drawn = screen(scene)
    changed = (drawn != plain).any(axis=2)
    assert changed[:40, :60].any()  # corner text
    assert changed[:30, 120:200].any()  # banner
    assert changed[-40:, 120:200].any()  # scale bar and its label
    banner = drawn[:30, 100:220].reshape(-1, 3).astype(int)
    assert ((banner[:, 0] - banner[:, 2]) > 100).any()  # amber: red well above blue
    scene.set_banner("")
    scene.set_corner_text("top-left", "")
    scene.set_scale_bar(None, "")
    assert np.array_equal(screen(scene), plain)
    with pytest.raises(ValueError, match="corner"):
        scene.set_corner_text("centre", "x")


def test_overlays_off_leave_the_image_alone_and_come_back_as_they_were(ct: OpenSeries) -> None:
    scene = SliceScene(offscreen(320, 240))
    scene.show(ct)
    plain = screen(scene)
    scene.set_corner_text("top-left", "王小东\nR1")
    scene.set_edge_letters("R", "L", "A", "P")
    scene.set_banner("missing slices")
    scene.set_scale_bar(10.0, "1 cm")
    scene.set_progress(0.5, "12 of 24")
    drawn = screen(scene)
    scene.set_overlays_visible(False)
    assert np.array_equal(screen(scene), plain)
    scene.set_corner_text("top-right", "W 400 L 40")  # changed while hidden: still hidden
    assert np.array_equal(screen(scene), plain)
    scene.set_corner_text("top-right", "")
    scene.set_overlays_visible(True)
    assert np.array_equal(screen(scene), drawn)


def test_the_progress_line_is_as_long_as_the_share_arrived(ct: OpenSeries) -> None:
    scene = SliceScene(offscreen(320, 240))
    scene.show(ct)
    scene.set_progress(0.25, "")
    bottom = screen(scene)[-2:].astype(int)  # the line along the bottom edge
    blue = (bottom[..., 2] - bottom[..., 0] > 80).any(axis=0)
    columns = np.flatnonzero(blue)
    assert columns.size and columns.min() <= 1 and 70 <= columns.max() <= 90  # a quarter of 320
    scene.set_progress(None, "")
    bottom = screen(scene)[-2:].astype(int)
    assert not (bottom[..., 2] - bottom[..., 0] > 80).any()
