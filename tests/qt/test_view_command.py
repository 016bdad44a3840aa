"""``python main.py view``: a cached study opened in the reading view from the command line.

The cache is a real one filled from generated files (a CD, through a session); the
command runs in this process through ``viewer.cli.run`` with the window's launcher, the
way ``main.py`` runs it. What the viewport draws at one-to-one is compared with
``export`` of the same image and window, pixel for pixel: the screen is the export.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("vtkmodules")

from PIL import Image
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.uid import (
    CTImageStorage,
    DigitalXRayImageStorageForPresentation,
    MRImageStorage,
    generate_uid,
)
from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QApplication

from tests.support.app_cache import app_store
from tests.support.colour_files import write_colour
from tests.support.dicom_files import new_instance
from tests.support.memory_keyring import MemoryKeyring
from viewer import secrets
from viewer.cli import run
from viewer.config import CacheConfig, Config, UiConfig
from viewer.dicomweb.qido import StudyQuery
from viewer.errors import ExitCode
from viewer.session.model import ReadingSession
from viewer.sources.folder import FolderSource
from widgets.app import run_gui
from widgets.main_window import MainWindow

pytestmark = pytest.mark.qt

REPO = Path(__file__).resolve().parents[2]
PATIENT = "320106198810300596"
ROWS, COLUMNS = 10, 14
CT_SLICES = 3
US_FRAMES = 4


REAL_KEYRING = bool(os.environ.get("QINGYING_REAL_KEYRING"))  # run-tests.sh's own


class Cache:
    """One study of four series in an offline cache, and the config file naming it."""

    def __init__(self, root: Path) -> None:
        self.config = root / "config.toml"
        self.study = generate_uid()
        self.mr, self.ct, self.dx, self.us = (generate_uid() for _ in range(4))
        self.keys: dict[tuple[str, str], str] = {}  # the keyring entry of the cache's key


def _image(sop_class: str, cache: Cache, series: str, number: int, modality: str) -> Dataset:
    ds = new_instance(sop_class)
    ds.StudyInstanceUID, ds.SeriesInstanceUID = cache.study, series
    ds.PatientName, ds.PatientID = "Wang^XiaoDong", PATIENT
    ds.StudyDate, ds.Modality, ds.SeriesNumber = "20241105", modality, number
    ds.Rows, ds.Columns = ROWS, COLUMNS
    ds.SamplesPerPixel = 1
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    return ds


def _ramp(k: int) -> np.ndarray:
    """Every pixel its own value, each slice another: a wrong pixel or slice shows."""
    return (np.arange(ROWS * COLUMNS, dtype=np.uint16).reshape(ROWS, COLUMNS) * 23 + 400 * k) % 4096


def _slices(folder: Path, ds_for: Any, count: int, stem: str) -> None:
    for k in range(count):
        ds = ds_for(k)
        ds.InstanceNumber = k + 1
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.ImagePositionPatient = [0, 0, 3.0 * k]  # ascending: stack order is file order
        ds.PixelSpacing = [0.6, 0.6]  # square: one to one is the native size
        ds.SliceThickness = 3
        ds.PixelData = _ramp(k).tobytes()
        ds.save_as(folder / f"{stem}{k}.dcm", enforce_file_format=True)


def write_study(folder: Path, cache: Cache) -> None:
    def mr(k: int) -> Dataset:
        ds = _image(MRImageStorage, cache, cache.mr, 1, "MR")
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.WindowCenter, ds.WindowWidth = 900, 1400
        return ds

    def ct(k: int) -> Dataset:
        ds = _image(CTImageStorage, cache, cache.ct, 2, "CT")
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.RescaleSlope, ds.RescaleIntercept = 1, -1024
        ds.WindowCenter, ds.WindowWidth = 40, 400
        return ds

    _slices(folder, mr, 2, "mr")
    _slices(folder, ct, CT_SLICES, "ct")
    dx = _image(DigitalXRayImageStorageForPresentation, cache, cache.dx, 3, "DX")
    dx.PhotometricInterpretation = "MONOCHROME1"
    dx.WindowCenter, dx.WindowWidth = 1500, 2500
    dx.InstanceNumber, dx.PixelData = 1, _ramp(1).tobytes()
    dx.save_as(folder / "dx.dcm", enforce_file_format=True)
    us = dcmread(write_colour(folder / "us.dcm", "RGB", frames=US_FRAMES))
    us.StudyInstanceUID, us.SeriesInstanceUID, us.SeriesNumber = cache.study, cache.us, 4
    us.PatientName, us.PatientID = "Wang^XiaoDong", PATIENT
    us.save_as(folder / "us.dcm", enforce_file_format=True)


@pytest.fixture(autouse=True)
def styled(qapp: Any) -> Iterator[None]:
    """The product's stylesheet, as ``main.py view`` has it: its bars, frames and sizes
    (a viewport of odd height, a bar as wide as it is on screen)."""
    from widgets import resources

    qapp.setStyleSheet(resources.stylesheet())
    yield
    qapp.setStyleSheet("")


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Cache:
    root = tmp_path_factory.mktemp("view")
    made = Cache(root)
    folder = root / "cd"
    folder.mkdir()
    write_study(folder, made)
    made.config.write_text(f'[cache]\ndir = "{root / "cache"}"\n', encoding="utf-8")
    config = Config(CacheConfig(root / "cache", 1 << 30), (), UiConfig(None))
    previous, kept = keyring.core._keyring_backend, MemoryKeyring()  # raw: see conftest
    keyring.set_keyring(kept)  # the cache's key, for every test of the module (below)
    try:
        store = app_store(config.cache.dir, config.cache.max_size)
        session = ReadingSession(
            config, store=store, open_sources=lambda: [FolderSource(folder, "cd")]
        )
        result = session.search(StudyQuery(patient_id=PATIENT))
        assert session.downloads is not None
        session.downloads.run(made.study, session.holder_of(result.histories[0].studies[0]))
        session.close()
    finally:
        keyring.core._keyring_backend = previous
    made.keys = kept.entries
    if REAL_KEYRING:  # for main.py run as a process: the test run's own Secret Service
        for (service, account), secret in made.keys.items():
            secrets.store_secret(service, account, secret, what="a test cache's key")
        keyring.core._keyring_backend = previous
    return made


@pytest.fixture(autouse=True)
def cache_key_kept(test_keyring: MemoryKeyring, cache: Cache) -> None:
    """The module's cache is sealed with a key each test's keyring holds, as the user's
    keyring keeps it from one run of the app to the next."""
    test_keyring.entries.update(cache.keys)


def view(cache: Cache, *args: str) -> int:
    return run(["--config", str(cache.config), "view", "--study", cache.study, *args], gui=run_gui)


def export(cache: Cache, series: str, out: Path, *args: str) -> np.ndarray:
    argv = ["--config", str(cache.config), "export", "--study", cache.study, "--series", series]
    assert run([*argv, *args, "--out", str(out)]) == 0
    return np.asarray(Image.open(out))


def viewport(cache: Cache, out: Path, *args: str) -> np.ndarray:
    assert view(cache, "--viewport-png", str(out), "--zoom", "1", "--size", "900x700", *args) == 0
    return np.asarray(Image.open(out))


@pytest.mark.parametrize(
    ("which", "view_args", "export_args"),
    [
        ("ct", [], []),
        ("dx", [], []),  # MONOCHROME1: inverted as export inverts it
        ("us", ["--slice", "3"], ["--frame", "3"]),  # a colour frame
        ("mr", ["--slice", "2"], ["--instance", "2"]),
    ],
)
def test_the_viewport_at_one_to_one_is_the_export_of_the_same_image(
    qapp: Any,
    cache: Cache,
    tmp_path: Path,
    which: str,
    view_args: list[str],
    export_args: list[str],
) -> None:
    series = getattr(cache, which)
    shown = viewport(cache, tmp_path / "view.png", "--series", series, *view_args)
    expected = export(cache, series, tmp_path / "export.png", *export_args)
    assert shown.shape == expected.shape  # the native size, grey as grey, colour as RGB
    assert np.array_equal(shown, expected)


def test_slice_n_shows_image_n_of_the_series(qapp: Any, cache: Cache, tmp_path: Path) -> None:
    images = [
        export(cache, cache.ct, tmp_path / f"{n}.png", "--instance", str(n)) for n in (1, 2, 3)
    ]
    shown = viewport(cache, tmp_path / "view.png", "--series", cache.ct, "--slice", "2")
    assert np.array_equal(shown, images[1])
    assert not np.array_equal(shown, images[0]) and not np.array_equal(shown, images[2])


def test_without_a_series_the_one_a_doctor_reads_first_opens(
    qapp: Any, cache: Cache, tmp_path: Path
) -> None:
    shown = viewport(cache, tmp_path / "view.png")
    assert np.array_equal(shown, export(cache, cache.mr, tmp_path / "mr.png"))  # series 1


@pytest.mark.parametrize(
    ("view_args", "export_args"),
    [
        (["--window", "-200", "900"], ["--window", "-200", "900"]),
        (["--preset", "Lung"], ["--preset", "ct-lung"]),
        (["--preset", "ct-bone"], ["--preset", "ct-bone"]),
    ],
)
def test_window_and_preset_give_the_pixels_export_gives_with_that_window(
    qapp: Any, cache: Cache, tmp_path: Path, view_args: list[str], export_args: list[str]
) -> None:
    shown = viewport(cache, tmp_path / "view.png", "--series", cache.ct, *view_args)
    assert np.array_equal(shown, export(cache, cache.ct, tmp_path / "w.png", *export_args))
    assert not np.array_equal(shown, export(cache, cache.ct, tmp_path / "file.png"))


@pytest.mark.parametrize("zoom", [2, 3])
@pytest.mark.parametrize("size", ["800x600", "801x601", "800x601"])
def test_a_whole_zoom_draws_each_image_pixel_as_a_block_whatever_the_viewports_size(
    qapp: Any, cache: Cache, tmp_path: Path, zoom: int, size: str
) -> None:
    """An odd or even viewport puts its centre on a pixel's centre or edge: the image's
    pixel edges must land on screen pixel edges either way, or a row is drawn twice."""
    out = tmp_path / "view.png"
    args = ("--series", cache.ct, "--viewport-png", str(out), "--zoom", str(zoom))
    assert view(cache, *args, "--size", size) == 0
    expected = export(cache, cache.ct, tmp_path / "e.png")
    blocks = expected.repeat(zoom, 0).repeat(zoom, 1)
    assert np.array_equal(np.asarray(Image.open(out)), blocks)


def test_a_screenshot_is_the_window_at_its_size_with_the_image_drawn(
    qapp: Any, cache: Cache, tmp_path: Path
) -> None:
    out = tmp_path / "shot.png"
    assert view(cache, "--series", cache.dx, "--screenshot", str(out), "--size", "1000x700") == 0
    shot = np.asarray(Image.open(out).convert("RGB"))
    assert shot.shape == (700, 1000, 3)
    # The viewport's middle holds the film, fitted: grey levels from the export, where
    # Qt's own grab leaves a VTK area black.
    film = export(cache, cache.dx, tmp_path / "dx.png")
    middle = shot[300:400, 450:550]
    assert middle.any() and set(np.unique(middle[..., 0])) <= set(np.unique(film))


@pytest.mark.parametrize("layout", ["1x2", "2x2", "3x3"])
def test_in_a_layout_the_viewport_png_is_the_active_viewport_alone(
    qapp: Any, cache: Cache, tmp_path: Path, layout: str
) -> None:
    shown = viewport(cache, tmp_path / "view.png", "--series", cache.ct, "--layout", layout)
    assert np.array_equal(shown, export(cache, cache.ct, tmp_path / "export.png"))


def test_a_screenshot_of_a_layout_shows_every_viewport_as_drawn(
    qapp: Any, cache: Cache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The series in the first viewport, the three others empty: black, as the screen
    draws them, not what their never-drawn buffers held."""
    from PySide6.QtCore import QPoint

    from widgets import view_command
    from widgets.vtk_qt import QVTKRenderWindowInteractor

    areas: list[tuple[int, int, int, int]] = []
    close = view_command.close

    def recording(window: MainWindow) -> None:
        for area in window.findChildren(QVTKRenderWindowInteractor):
            if area.isVisible():
                at = area.mapTo(window, QPoint(0, 0))
                areas.append((at.y(), at.x(), area.height(), area.width()))
        close(window)

    monkeypatch.setattr(view_command, "close", recording)
    out = tmp_path / "shot.png"
    args = ["--series", cache.ct, "--layout", "2x2", "--size", "1000x700", "--screenshot", str(out)]
    assert view(cache, *args) == 0
    shot = np.asarray(Image.open(out).convert("RGB"))
    assert len(areas) == 4
    first, *empty = sorted(areas)
    y, x, h, w = first
    assert shot[y : y + h, x : x + w].any()
    for y, x, h, w in empty:
        assert not shot[y : y + h, x : x + w].any()


def test_a_study_not_in_the_cache_is_one_line_and_not_found(
    qapp: Any, cache: Cache, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--config", str(cache.config), "view", "--study", generate_uid()]
    assert run(argv, gui=run_gui) == ExitCode.NOT_FOUND
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not in the offline cache" in err


def test_a_series_not_in_the_cache_is_one_line_and_not_found(
    qapp: Any, cache: Cache, capsys: pytest.CaptureFixture[str]
) -> None:
    assert view(cache, "--series", generate_uid()) == ExitCode.NOT_FOUND
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not in the offline cache" in err


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--series", "1.2.x"], ExitCode.INVALID_DATA, "not a valid DICOM UID"),
        (["--size", "800by600"], ExitCode.USAGE, "WIDTHxHEIGHT"),
        (["--size", "0x600"], ExitCode.USAGE, "WIDTHxHEIGHT"),
        (["--preset", "kidney"], ExitCode.USAGE, "known: brain, subdural"),
        (["--layout", "4x4"], ExitCode.USAGE, "(rows x columns)"),
    ],
)
def test_bad_arguments_are_one_line_with_their_exit_code(
    qapp: Any,
    cache: Cache,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: int,
    words: str,
) -> None:
    assert view(cache, *args) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--series", "US", "--slice", "9"], "the series has 4 images"),
        (["--series", "US", "--window", "40", "400"], "a colour series has no window"),
        (["--series", "MR", "--preset", "lung"], "this series is MR"),
        (["--series", "CT", "--size", "200x100", "--screenshot", "shot.png"], "at least"),
        (["--series", "US", "--mpr", "--screenshot", "shot.png"], "MPR needs a grey-scale"),
        (["--series", "CT", "--compare", "--screenshot", "shot.png"], "No earlier study"),
    ],
)
def test_what_only_the_opened_series_can_refuse_is_one_line_too(
    qapp: Any,
    cache: Cache,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    words: str,
) -> None:
    uids = {"US": cache.us, "MR": cache.mr, "CT": cache.ct}
    argv = [uids.get(a, str(tmp_path / a) if a.endswith(".png") else a) for a in args]
    assert view(cache, *argv) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err
    assert not (tmp_path / "shot.png").exists()


def test_mpr_draws_the_series_plane_and_its_two_reformats(
    qapp: Any, cache: Cache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from widgets import view_command

    planes: list[int] = []
    close = view_command.close

    def recording(window: MainWindow) -> None:
        reading = window.reading_view
        if reading is not None:
            planes.extend(v.axis for v in reading.viewports if v.isVisible())
        close(window)

    monkeypatch.setattr(view_command, "close", recording)
    out = tmp_path / "mpr.png"
    args = ["--series", cache.ct, "--mpr", "--size", "1200x500", "--screenshot", str(out)]
    assert view(cache, *args) == 0
    assert planes == [2, 1, 0]  # the acquired plane, then the two reformats
    assert np.asarray(Image.open(out).convert("RGB")).any()


def test_without_a_picture_the_window_stays_on_the_series_until_it_is_closed(
    qapp: Any, cache: Cache
) -> None:
    seen: list[tuple[bool, str, int]] = []

    def look() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        window = next((w for w in shown if w.isVisible()), None)
        reading = window.reading_view if window is not None else None
        if reading is None or reading.series is None or reading.series.slice != 2:
            return  # still opening (in its own loop), or --slice not yet applied
        if QThread.currentThread().loopLevel() != 1:
            return  # settling (processEvents), not yet the window's own loop
        assert window is not None
        on_page = window.pages.currentWidget() is reading
        seen.append((on_page, reading.series.series_uid, reading.series.slice))
        timer.stop()
        window.close()
        qapp.quit()

    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(20)
    # Only the quit below ends the window's loop: the last window closing would post a
    # quit of its own that, still pending, ends the next test's first event loop at once.
    qapp.setQuitOnLastWindowClosed(False)
    try:
        assert view(cache, "--series", cache.ct, "--slice", "3", "--size", "900x600") == 0
    finally:
        qapp.setQuitOnLastWindowClosed(True)
    assert seen == [(True, cache.ct, 2)]  # image 3 of 3


def _main_py(cache: Cache, *args: str) -> subprocess.CompletedProcess[str]:
    """``python main.py view`` as the hospital system starts it: a process of its own, no
    display and nothing in the environment about Qt's platform or VTK's window. It reads
    the cache's key from the keyring: only the test run's own (never a developer's)."""
    if not REAL_KEYRING:
        pytest.skip("main.py as a process needs the Secret Service of scripts/run-tests.sh")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "VTK_DEFAULT_OPENGL_WINDOW")
    }
    argv = [sys.executable, "main.py", "--config", str(cache.config), "view"]
    return subprocess.run(
        [*argv, "--study", cache.study, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_main_py_writes_the_screenshot_offscreen_and_ends(cache: Cache, tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    done = _main_py(cache, "--series", cache.ct, "--screenshot", str(out), "--size", "800x600")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"wrote {out} (800x600)\n"
    assert Image.open(out).size == (800, 600)


def test_main_py_says_what_the_opened_series_refuses_in_one_line(
    cache: Cache, tmp_path: Path
) -> None:
    out = tmp_path / "shot.png"
    done = _main_py(cache, "--series", cache.ct, "--slice", "9", "--screenshot", str(out))
    assert done.returncode == ExitCode.USAGE
    assert done.stderr == "qingying: --slice 9: the series has 3 images\n"
    assert not out.exists()
