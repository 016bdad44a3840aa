"""A study's measurements are sealed with a key derived from the cache's (issue 18 point
1): nothing of a note reaches the disk in clear, a file of another study or key opens as
nothing and is kept aside, a file from before is sealed at its next save, and a lost key
takes the sealed files it can no longer open (never one in clear)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydicom.uid import generate_uid

from tests.support.memory_keyring import MemoryKeyring
from viewer.cache import file_seal
from viewer.cache.lost_key import empty_unreadable_cache
from viewer.measure.tools import Tool
from viewer.session.annotation_file import AnnotationFile
from viewer.session.annotations import Annotation

STUDY, SERIES, SOP = generate_uid(), generate_uid(), generate_uid()
NOTE = "李^娜 right lower lobe nodule"
KEY = os.urandom(32)


def noted() -> Annotation:
    return Annotation.new(Tool.TEXT, [(5.0, 5.0)], (SERIES, SOP, 1), text=NOTE)


def test_a_saved_measurement_is_sealed_on_disk_and_read_back_with_the_key(
    tmp_path: Path,
) -> None:
    file = AnnotationFile(tmp_path, STUDY, KEY)
    note = noted()
    file.studied().add(note)
    data = file.path.read_bytes()
    assert file_seal.is_sealed(data)
    assert NOTE.encode() not in data and "李^娜".encode("gb18030") not in data
    assert STUDY.encode() not in data and SOP.encode() not in data
    assert [a.text for a in AnnotationFile(tmp_path, STUDY, KEY).load()] == [NOTE]


def test_a_file_of_another_key_or_study_opens_as_nothing_and_is_kept_aside(
    tmp_path: Path,
) -> None:
    AnnotationFile(tmp_path, STUDY, KEY).studied().add(noted())
    other = AnnotationFile(tmp_path, STUDY, os.urandom(32))
    assert other.load() == []
    aside = list(other.folder.glob(f"{STUDY}.unreadable-*.json"))
    assert len(aside) == 1 and not other.path.exists()  # set aside whole, never written over
    # The same sealed bytes under another study's name: bound to their study, nothing.
    elsewhere = generate_uid()
    moved = AnnotationFile(tmp_path, elsewhere, KEY)
    moved.path.write_bytes(aside[0].read_bytes())
    assert moved.load() == []


def test_a_file_in_clear_from_before_is_read_then_sealed_at_its_next_save(
    tmp_path: Path,
) -> None:
    plain = AnnotationFile(tmp_path, STUDY)  # as the version before wrote it
    plain.studied().add(noted())
    assert json.loads(plain.path.read_bytes())["study"] == STUDY
    sealed = AnnotationFile(tmp_path, STUDY, KEY)
    kept = sealed.studied()
    assert [a.text for a in kept.items] == [NOTE]
    kept.add(Annotation.new(Tool.LINE, [(0.0, 0.0), (9.0, 0.0)], (SERIES, SOP, 1)))
    assert file_seal.is_sealed(sealed.path.read_bytes())
    assert len(AnnotationFile(tmp_path, STUDY, KEY).load()) == 2


def test_a_lost_key_takes_the_sealed_measurements_and_keeps_those_in_clear(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    AnnotationFile(tmp_path, STUDY, KEY).studied().add(noted())
    before = generate_uid()
    AnnotationFile(tmp_path, before).studied().add(noted())  # never saved since sealing
    empty_unreadable_cache(tmp_path)
    assert not AnnotationFile(tmp_path, STUDY).path.exists()
    assert [a.text for a in AnnotationFile(tmp_path, before).load()] == [NOTE]
