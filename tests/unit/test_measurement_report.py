"""A study's measurements exported as a DICOM SR Imaging Measurement Report (TID 1500)
hold the values the screen shows, read back by highdicom; imported into a cache without
them, the report gives the same measurements on the same images; the CSV has a row each."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import highdicom as hd
import pydicom
import pytest

from tests.support.app_cache import app_store
from tests.support.stacks import open_stack
from viewer.cache.cache_key import cache_key
from viewer.cli import run
from viewer.measure.tools import Tool, measure
from viewer.session.annotation_file import AnnotationFile
from viewer.session.annotations import Annotation, StudyAnnotations

DRAWN = [
    (Tool.LINE, [(10.0, 10.0), (40.0, 10.0)], "nodule"),
    (Tool.POLYLINE, [(5.0, 5.0), (15.0, 5.0), (15.0, 25.0)], '=HYPERLINK("http://x")'),
    (Tool.ANGLE, [(40.0, 10.0), (10.0, 10.0), (10.0, 40.0)], ""),
    (Tool.COBB, [(12.0, 5.0), (52.0, 5.0), (52.0, 45.0), (12.0, 55.0)], ""),
    (Tool.BIDIRECTIONAL, [(14.0, 30.0), (54.0, 30.0), (34.0, 20.0), (34.0, 40.0)], "结节"),
    (Tool.RECTANGLE, [(10.0, 10.0), (30.0, 20.0)], ""),
    (Tool.ELLIPSE, [(20.0, 20.0), (50.0, 40.0)], ""),
    (Tool.FREEHAND, [(10.0, 40.0), (30.0, 40.0), (30.0, 60.0), (10.0, 60.0)], ""),
    (Tool.PROBE, [(5.0, 5.0)], ""),
]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(f'[cache]\ndir = "{tmp_path / "cache"}"\n', encoding="utf-8")
    return path


@pytest.fixture
def drawn(tmp_path: Path, config: Path) -> tuple[str, list[Annotation]]:
    """A 64 × 64 CT (0.5 × 0.8 mm pixels) in the cache, every tool drawn on its slice 2."""
    series = open_stack(tmp_path / "cd", size=(64, 64), count=3)
    for path in sorted((tmp_path / "cd").glob("*.dcm")):
        ds = pydicom.dcmread(path)
        ds.PixelSpacing = [0.5, 0.8]
        ds.save_as(path, enforce_file_format=True)
    with app_store(tmp_path / "cache") as store:
        store.import_path(tmp_path / "cd")
    sop = str(pydicom.dcmread(tmp_path / "cd" / "002.dcm").SOPInstanceUID)
    file = AnnotationFile(tmp_path / "cache", series.study_uid, cache_key(tmp_path / "cache"))
    study = StudyAnnotations(series.study_uid, file.load(), file.save)
    for tool, points, text in DRAWN:
        study.add(Annotation.new(tool, points, (series.series_uid, sop, 1), text=text))
    study.add(Annotation.key_image((series.series_uid, sop, 1)))
    return series.study_uid, study.items


def sr_of_folder(folder: Path, out: Path) -> str:
    """A measurement report (one distance) on the first image of ``folder``, written to
    ``out``; its series UID."""
    from viewer.measure.image import measured_image
    from viewer.measure.report import Reported, measurement_report

    image = pydicom.dcmread(sorted(folder.glob("*.dcm"))[0])
    shown = measured_image(image, 1)
    header = image.copy()
    del header.PixelData
    line = measure(shown, Tool.LINE, [(1.0, 1.0), (5.0, 1.0)])
    sr, _left = measurement_report([Reported("ab" * 16, "", header, 1, line)])
    sr.save_as(out, enforce_file_format=True)
    return str(sr.SeriesInstanceUID)


def cli(config: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = run(["--config", str(config), *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_the_report_holds_the_values_the_screen_shows_and_highdicom_reads_them(
    tmp_path: Path,
    config: Path,
    drawn: tuple[str, list[Annotation]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    study, items = drawn
    out = tmp_path / "report.dcm"
    assert "wrote" in cli(
        config, capsys, "measurements", "export", "--study", study, "--sr", str(out)
    )
    sr = hd.sr.Comprehensive3DSR.from_dataset(pydicom.dcmread(out))
    report = sr.content
    groups = [*report.get_image_measurement_groups(), *report.get_planar_roi_measurement_groups()]
    assert len(groups) == len(DRAWN) - 1  # the probe (and the key image) are no measurements
    image = pydicom.dcmread(tmp_path / "cd" / "002.dcm")
    from viewer.measure.image import measured_image

    shown = measured_image(image, 1)
    by_tool = {str(g.tracking_identifier).split()[0]: g for g in groups}
    for annotation in items[:-2]:
        values = {m.name.meaning: m.value for m in by_tool[str(annotation.tool)].get_measurements()}
        measured = measure(shown, annotation.tool, annotation.points)
        assert measured.value is not None
        first = values.get("Long axis", values.get("Area", next(iter(values.values()))))
        assert float(first) == pytest.approx(measured.value.value, rel=1e-9)
        if measured.stats is not None:
            assert float(values["Mean"]) == pytest.approx(measured.stats.mean)
            assert float(values["Standard Deviation"]) == pytest.approx(measured.stats.sd)
    assert str(sr.StudyInstanceUID) == study and sr.PatientID == image.PatientID


def test_a_report_imported_gives_the_same_measurements_on_the_same_images(
    tmp_path: Path,
    config: Path,
    drawn: tuple[str, list[Annotation]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    study, items = drawn
    out = tmp_path / "report.dcm"
    cli(config, capsys, "measurements", "export", "--study", study, "--sr", str(out))
    shutil.rmtree(tmp_path / "cache" / "measurements")  # another workstation: none yet
    said = cli(config, capsys, "measurements", "import", "--sr", str(out))
    assert said.startswith("kept 8 measurement(s)")
    back = {
        a.uid: a
        for a in AnnotationFile(tmp_path / "cache", study, cache_key(tmp_path / "cache")).load()
    }
    for annotation in items[:-2]:
        again = back[annotation.uid]
        assert (again.tool, again.sop_instance_uid, again.frame, again.text) == (
            annotation.tool, annotation.sop_instance_uid, annotation.frame, annotation.text,
        )  # fmt: skip
        flat = [v for p in again.points for v in p]
        assert flat == pytest.approx([v for p in annotation.points for v in p])
    line = back[items[0].uid]  # what the report stated comes with it, to compare
    assert dict(line.reported)["Length"] == pytest.approx(24.0)


def test_the_csv_has_a_row_a_measurement_with_its_calibration(
    tmp_path: Path,
    config: Path,
    drawn: tuple[str, list[Annotation]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    study, _items = drawn
    out = tmp_path / "m.csv"
    cli(config, capsys, "measurements", "export", "--study", study, "--csv", str(out))
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [r["tool"] for r in rows] == [str(t) for t, _p, _n in DRAWN] + ["key"]
    line = rows[0]
    assert float(line["value"]) == pytest.approx(24.0) and line["unit"] == "mm"
    assert line["calibration"] == "pixel-spacing" and line["note"] == "nodule"
    assert rows[1]["note"] == '\'=HYPERLINK("http://x")'  # a note is never a formula
    assert (out.stat().st_mode & 0o777) == 0o600  # it names a patient: the user's alone
    assert float(rows[-2]["probe"]) == -1024 + 200  # slice 2 holds 200 stored
    listed = json.loads(cli(config, capsys, "measurements", "list", "--study", study, "--json"))
    assert len(listed) == len(DRAWN) + 1


def test_key_images_go_in_a_key_object_selection_that_marks_them_again(
    tmp_path: Path,
    config: Path,
    drawn: tuple[str, list[Annotation]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    from viewer.measure.key_objects import key_images_of

    study, items = drawn
    key = items[-1]
    out = tmp_path / "key.dcm"
    assert "1 key image" in cli(
        config, capsys, "measurements", "export", "--study", study, "--ko", str(out)
    )
    ko = pydicom.dcmread(out)
    assert ko.Modality == "KO"
    assert key_images_of(ko) == [(key.series_uid, key.sop_instance_uid, key.frame)]
    shutil.rmtree(tmp_path / "cache" / "measurements")
    cli(config, capsys, "measurements", "import", "--sr", str(out))
    assert [
        a.uid
        for a in AnnotationFile(tmp_path / "cache", study, cache_key(tmp_path / "cache")).load()
    ] == [key.uid]


def test_a_calibration_line_kept_with_the_study_calibrates_the_command_line_too(
    tmp_path: Path,
    config: Path,
    drawn: tuple[str, list[Annotation]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    study, items = drawn
    where = ("--study", study, "--series", items[0].series_uid, "--instance", "3")
    line = ("measure", *where, "--line", "0", "5", "20", "5", "--json")
    assert json.loads(cli(config, capsys, *line))["value"] == pytest.approx(16.0)  # 0.8 mm
    cli(
        config,
        capsys,
        "measure",
        *where,
        "--calibrate",
        "0",
        "0",
        "10",
        "0",
        "--known",
        "20",
        "--save",
    )
    again = json.loads(cli(config, capsys, *line))
    assert again["value"] == pytest.approx(40.0) and again["calibration"]["basis"] == "manual"
    assert again["calibration"]["text"].startswith("manual: a drawn 20 mm")
    assert run(["--config", str(config), "measure", *where, "--calibrate", "0", "0", "1", "0"]) != 0
    assert "--known MM" in capsys.readouterr().err  # a calibration line needs its length


def test_a_manual_calibration_travels_with_the_report_and_its_values_stay_the_same(
    tmp_path: Path,
    config: Path,
    drawn: tuple[str, list[Annotation]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    study, items = drawn
    where = ("--study", study, "--series", items[0].series_uid, "--instance", "3")
    cli(
        config,
        capsys,
        "measure",
        *where,
        "--calibrate",
        "0",
        "60",
        "10",
        "60",
        "--known",
        "20",
        "--save",
    )
    listed = json.loads(cli(config, capsys, "measurements", "list", "--study", study, "--json"))
    here = {r["tool"]: r for r in listed}
    assert here["line"]["calibration"] == "manual" and float(
        here["line"]["value"]
    ) == pytest.approx(60.0)
    out = tmp_path / "report.dcm"
    cli(config, capsys, "measurements", "export", "--study", study, "--sr", str(out))
    shutil.rmtree(tmp_path / "cache" / "measurements")  # the next workstation
    cli(config, capsys, "measurements", "import", "--sr", str(out))
    again = json.loads(cli(config, capsys, "measurements", "list", "--study", study, "--json"))
    there = {r["tool"]: r for r in again}
    assert there["calibrate"]["value"] == pytest.approx(20.0)
    assert there["line"]["calibration"] == "manual"
    assert float(there["line"]["value"]) == pytest.approx(float(here["line"]["value"]))
