"""Two writers of one study's measurements — the window with the study open and a
``measure --save`` from a script — never lose each other's work: each save reads the
file again under the study's lock and keeps what the other added."""

from __future__ import annotations

import multiprocessing
import stat
from pathlib import Path

from tests.unit.test_annotations import STUDY, line
from viewer.session.annotation_file import AnnotationFile
from viewer.session.annotations import Annotation, StudyAnnotations


def opened(root: Path) -> StudyAnnotations:
    return AnnotationFile(root, STUDY).studied()


def test_a_measurement_saved_elsewhere_meanwhile_is_kept_and_shown(tmp_path: Path) -> None:
    window = opened(tmp_path)
    heard: list[tuple[object, object]] = []
    window.changed.connect(lambda before, after: heard.append((before, after)))
    drawn = line(0)
    window.add(drawn)

    script = opened(tmp_path)  # measure --save, while the window has the study open
    scripted = line(40)
    script.add(scripted)

    mine = line(80)
    window.add(mine)  # the window's whole-list save must not drop the script's
    on_disk = {a.uid for a in opened(tmp_path).items}
    assert on_disk == {drawn.uid, scripted.uid, mine.uid}
    assert {a.uid for a in window.items} == on_disk  # taken in, shown
    assert (None, scripted) in heard
    window.undo()  # the doctor's last step, not the script's measurement
    assert {a.uid for a in opened(tmp_path).items} == {drawn.uid, scripted.uid}


def test_a_removal_elsewhere_stays_unless_this_writer_still_has_it(tmp_path: Path) -> None:
    a, b = line(0), line(40)
    window = opened(tmp_path)
    window.add(a)
    window.add(b)
    script = opened(tmp_path)
    script.remove(b.uid)  # removed by the other writer
    script.add(c := line(80))
    window.remove(a.uid)  # this writer's own step: b is still here, and stays
    kept = opened(tmp_path)
    assert {x.uid for x in kept.items} == {b.uid, c.uid}
    assert a.uid in kept.removed and b.uid not in kept.removed


def _add_many(root: str, worker: int, count: int) -> None:
    for k in range(count):
        study = AnnotationFile(Path(root), STUDY).studied()
        study.add(line(worker * 100 + k))


def test_writers_in_several_processes_at_once_lose_nothing(tmp_path: Path) -> None:
    workers, each = 4, 6
    context = multiprocessing.get_context("fork")
    processes = [
        context.Process(target=_add_many, args=(str(tmp_path), w, each)) for w in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    items: list[Annotation] = opened(tmp_path).items
    assert len(items) == workers * each
    lock = next(tmp_path.joinpath("measurements").glob(".*.lock"))
    assert stat.S_IMODE(lock.stat().st_mode) == 0o600  # a study's UID in its name


def test_a_file_no_writer_of_ours_made_is_set_aside_by_a_save_not_written_over(
    tmp_path: Path,
) -> None:
    window = opened(tmp_path)
    window.add(line(0))
    path = AnnotationFile(tmp_path, STUDY).path
    path.write_bytes(b"\x00 not measurements")  # something else wrote there meanwhile
    window.add(mine := line(40))
    (aside,) = path.parent.glob("*.unreadable-*.json")
    assert aside.read_bytes() == b"\x00 not measurements"
    assert mine in opened(tmp_path).items
