"""A study's measurements: every step undoable and redoable, a drag one step, each step
kept in the study's file at once and read back after a restart; a damaged file gives
what can be read, never a measurement that was not drawn."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from pydicom.uid import generate_uid

from viewer.measure.tools import Tool
from viewer.session.annotation_file import AnnotationFile, parse
from viewer.session.annotations import Annotation, StudyAnnotations

STUDY, SERIES, SOP = generate_uid(), generate_uid(), generate_uid()
IMAGE = (SERIES, SOP, 1)


def line(x: float = 0.0) -> Annotation:
    return Annotation.new(Tool.LINE, [(x, 0.0), (x + 10.0, 0.0)], IMAGE)


def test_every_step_can_be_undone_and_redone_and_a_new_step_forgets_the_undone() -> None:
    study = StudyAnnotations(STUDY)
    heard: list[tuple[object, object]] = []
    study.changed.connect(lambda before, after: heard.append((before, after)))
    a, b = line(), line(50)
    study.add(a)
    study.add(b)
    moved = a.with_point(1, (30.0, 5.0))
    study.change(moved)
    study.remove(b.uid)
    assert study.items == [moved]
    study.undo()  # b back
    study.undo()  # a's point back
    assert study.items == [a, b] and study.can_redo
    study.redo()
    assert study.get(a.uid) == moved
    study.add(line(90))  # a new step: the undone removal is forgotten
    assert not study.can_redo
    assert heard[0] == (None, a) and heard[3] == (b, None) and heard[4] == (None, b)


def test_a_drag_shows_each_move_and_records_one_step() -> None:
    study = StudyAnnotations(STUDY)
    saved: list[list[Annotation]] = []
    a = line()
    study.add(a)
    study._save = lambda items, _removed: saved.append(items)  # counting the writes
    for x in (12.0, 14.0, 16.0):
        study.change(a.with_point(1, (x, 0.0)), record=False)
    assert saved == []  # moves are shown, not written
    study.change(a.with_point(1, (16.0, 0.0)), before=a)
    assert len(saved) == 1
    study.undo()
    assert study.get(a.uid) == a  # one undo takes the whole drag back


def test_measurements_are_kept_in_the_cache_and_read_back_after_a_restart(tmp_path: Path) -> None:
    file = AnnotationFile(tmp_path, STUDY)
    study = StudyAnnotations(STUDY, file.load(), file.save)
    note = Annotation.new(Tool.TEXT, [(5.0, 5.0)], IMAGE, text="结节 nodule")
    study.add(line().with_label_offset((3.5, -2.0)))  # a label the doctor moved
    study.add(note)
    again = StudyAnnotations(STUDY, AnnotationFile(tmp_path, STUDY).load())
    assert again.items == study.items and again.items[1].text == "结节 nodule"
    mode = stat.S_IMODE(file.path.stat().st_mode)
    assert mode == 0o600 and stat.S_IMODE(file.folder.stat().st_mode) == 0o700
    assert not list(file.folder.glob("*.part"))  # written whole, nothing left half


def test_a_damaged_file_gives_what_can_be_read_and_nothing_else(tmp_path: Path) -> None:
    good = line()
    body = {
        "version": 1,
        "study": STUDY,
        "measurements": [
            json.loads(json.dumps({"uid": good.uid, "tool": "line", "points": [[0, 0], [10, 0]],
                                   "series": SERIES, "instance": SOP, "frame": 1})),
            {"uid": "x1", "tool": "line", "points": [[0, 0]], "series": SERIES,
             "instance": SOP, "frame": 1},  # one point: no line
            {"uid": "x2", "tool": "laser", "points": [], "series": SERIES,
             "instance": SOP, "frame": 1},
            {"uid": "x3", "tool": "probe", "points": [[1e309, 0]], "series": SERIES,
             "instance": SOP, "frame": 1},
            {"uid": "../x", "tool": "probe", "points": [[1, 1]], "series": SERIES,
             "instance": SOP, "frame": 1},
            {"uid": "x5", "tool": "probe", "points": [[1, 1]], "series": "../../etc",
             "instance": SOP, "frame": 1},
        ],
    }  # fmt: skip
    parsed = parse(json.dumps(body).encode(), STUDY)
    assert [a.uid for a in parsed.found] == [good.uid] and parsed.skipped == 5
    assert len(parsed.unread) == 5  # kept as they are, to be written back, not lost
    assert not parse(json.dumps(body).encode(), generate_uid()).ours  # another study's
    assert not parse(b"\xff\xfe not json", STUDY).ours
    with pytest.raises(Exception, match="not a valid DICOM UID"):
        AnnotationFile(tmp_path, "../../home")


def test_a_file_that_cannot_be_read_is_set_aside_and_unread_entries_are_written_back(
    tmp_path: Path,
) -> None:
    file = AnnotationFile(tmp_path, STUDY)
    file.folder.mkdir()
    file.path.write_text(json.dumps({"version": 99, "study": STUDY, "measurements": []}))
    assert file.load() == []  # a later version's: not read, and not written over
    (aside,) = file.folder.glob("*.unreadable-*.json")
    assert '"version": 99' in aside.read_text()
    later = {"uid": "f1", "tool": "spline", "points": [[0, 0]], "series": SERIES,
             "instance": SOP, "frame": 1}  # fmt: skip
    body = {"version": 1, "study": STUDY, "measurements": [later], "removed": ["gone1"]}
    file.path.write_text(json.dumps(body))
    study = file.studied()
    study.add(line())
    written = json.loads(file.path.read_text())
    assert later in written["measurements"] and written["removed"] == ["gone1"]
    study.remove(study.items[0].uid)
    assert len(json.loads(file.path.read_text())["removed"]) == 2
