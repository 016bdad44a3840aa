"""``view`` on the command line's side: what it parses into (a plain request the window
launcher is handed) and what it refuses before any window exists, in one line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pydicom.uid import CTImageStorage, generate_uid

from tests.support.dicom_files import new_instance
from viewer.cache.store import CacheStore
from viewer.cli import run
from viewer.cli.view_cmd import ViewRequest, parse_layout, parse_size, preset_name
from viewer.errors import ExitCode, UsageError
from viewer.session.layout import GRIDS


class Launcher:
    """A window launcher that records what it is handed and writes a 3x2 picture."""

    def __init__(self) -> None:
        self.calls: list[tuple[Path | None, ViewRequest | None]] = []

    def __call__(self, config: Path | None, view: ViewRequest | None) -> int:
        self.calls.append((config, view))
        if view is not None and view.output is not None:
            Image.fromarray(np.zeros((2, 3), np.uint8)).save(view.output)
        return 0


class Study:
    def __init__(self, root: Path) -> None:
        self.uid = generate_uid()
        self.scout, self.axial = generate_uid(), generate_uid()
        folder = root / "cd"
        folder.mkdir()
        # The axial series comes first in the folder; the scout first in acquisition.
        for name, series, number in (("a", self.axial, 2), ("s", self.scout, 1)):
            ds = new_instance(CTImageStorage)
            ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SeriesNumber = self.uid, series, number
            ds.PatientID, ds.Modality, ds.InstanceNumber = "P1", "CT", 1
            ds.Rows, ds.Columns, ds.SamplesPerPixel = 2, 2, 1
            ds.PhotometricInterpretation = "MONOCHROME2"
            ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
            ds.PixelData = np.arange(4, dtype=np.uint16).tobytes()
            ds.save_as(folder / f"{name}.dcm", enforce_file_format=True)
        with CacheStore(root / "cache", 1 << 30) as store:
            store.import_path(folder)
        self.config = root / "config.toml"
        self.config.write_text(f'[cache]\ndir = "{root / "cache"}"\n', encoding="utf-8")

    def view(self, *args: str, gui: Launcher | None = None) -> int:
        argv = ["--config", str(self.config), "view", "--study", self.uid, *args]
        return run(argv, gui=gui)


@pytest.fixture
def study(tmp_path: Path) -> Study:
    return Study(tmp_path)


def test_layout_is_rows_by_columns_among_the_reading_views_own() -> None:
    assert parse_layout("1x2") == (1, 2) and parse_layout("2X1") == (2, 1)
    assert parse_layout("3x3") == (3, 3)
    known = ", ".join(GRIDS)
    for bad in ("4x4", "0x1", "1", "x", "one by two"):
        with pytest.raises(UsageError, match=rf"one of {known} \(rows x columns\)"):
            parse_layout(bad)


def test_size_is_width_by_height_in_whole_pixels() -> None:
    assert parse_size("1280x800") == (1280, 800) and parse_size("640X480") == (640, 480)
    for bad in ("0x600", "800", "800x", "-800x600", "800.5x600", "axb", "99999x10"):
        with pytest.raises(UsageError, match="--size"):
            parse_size(bad)


def test_a_preset_is_named_as_the_ct_keys_in_any_case_with_or_without_ct() -> None:
    assert preset_name("lung") == preset_name("LUNG") == preset_name("ct-Lung") == "ct-lung"
    assert preset_name("Brain") == "ct-brain" and preset_name("bone") == "ct-bone"
    with pytest.raises(UsageError, match=r"'kidney'; known: brain, subdural, stroke, lung"):
        preset_name("kidney")


def test_view_hands_the_launcher_a_plain_request_and_says_what_was_written(
    study: Study, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gui, out = Launcher(), tmp_path / "v.png"
    args = ["--series", study.axial, "--preset", "Lung", "--slice", "2", "--zoom", "1.5"]
    args += ["--size", "800x600", "--layout", "1x1", "--viewport-png", str(out)]
    assert study.view(*args, gui=gui) == 0
    expected = ViewRequest(
        study.uid, study.axial, (1, 1), None, "ct-lung", 2, 1.5, (800, 600), None, out
    )
    assert gui.calls == [(study.config, expected)]
    assert capsys.readouterr().out == f"wrote {out} (3x2)\n"


def test_view_with_a_window_hands_it_on_as_center_and_width(study: Study) -> None:
    gui = Launcher()
    assert study.view("--series", study.axial, "--window", "-600", "1500", gui=gui) == 0
    request = gui.calls[0][1]
    assert request is not None and request.window == (-600.0, 1500.0) and request.preset is None


def test_without_a_series_the_request_names_the_one_a_doctor_reads_first(study: Study) -> None:
    gui = Launcher()
    assert study.view(gui=gui) == 0
    request = gui.calls[0][1]
    assert request is not None and request.series_uid == study.scout  # series 1


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--series", "1.2.x"], ExitCode.INVALID_DATA, "not a valid DICOM UID"),
        (["--series", "1.2.3"], ExitCode.NOT_FOUND, "not in the offline cache"),
        (["--window", "40", "0"], ExitCode.USAGE, "WIDTH must be at least 1"),
        (["--window", "40", "nan"], ExitCode.USAGE, "WIDTH must be at least 1"),
        (["--slice", "0"], ExitCode.USAGE, "--slice counts from 1"),
        (["--zoom", "0"], ExitCode.USAGE, "--zoom must be"),
        (["--zoom", "1000"], ExitCode.USAGE, "--zoom must be"),
        (["--size", "12"], ExitCode.USAGE, "WIDTHxHEIGHT"),
        (["--layout", "4x4"], ExitCode.USAGE, "rows x columns"),
        (["--preset", "kidney"], ExitCode.USAGE, "known: brain"),
        (["--screenshot", "shot.jpg"], ExitCode.USAGE, "name it .png"),
        (["--viewport-png", "/nonexistent/folder/v.png"], ExitCode.NOT_FOUND, "no such folder"),
    ],
)
def test_what_view_refuses_is_one_line_with_its_exit_code_and_no_window(
    study: Study, capsys: pytest.CaptureFixture[str], args: list[str], code: int, words: str
) -> None:
    gui = Launcher()
    assert study.view(*args, gui=gui) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err
    assert gui.calls == []


def test_a_study_not_in_the_cache_is_not_found_before_any_window(
    study: Study, capsys: pytest.CaptureFixture[str]
) -> None:
    gui = Launcher()
    argv = ["--config", str(study.config), "view", "--study", generate_uid()]
    assert run(argv, gui=gui) == ExitCode.NOT_FOUND
    assert "not in the offline cache (fetch it first)" in capsys.readouterr().err
    assert gui.calls == []


def test_view_without_a_window_to_open_is_a_usage_error(
    study: Study, capsys: pytest.CaptureFixture[str]
) -> None:
    assert study.view(gui=None) == ExitCode.USAGE
    assert "opens the window" in capsys.readouterr().err


def test_no_command_hands_the_launcher_no_request(study: Study) -> None:
    gui = Launcher()
    assert run(["--config", str(study.config)], gui=gui) == 0
    assert gui.calls == [(study.config, None)]
