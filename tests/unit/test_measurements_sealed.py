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
from viewer.cache.lost_key import forget_lost_key
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


def test_a_sealed_file_is_bound_to_its_study(tmp_path: Path) -> None:
    """Study B's own (valid) body sealed as if it were study A's file, put at B's path:
    it names B inside, and only the binding of the seal to A refuses it."""
    elsewhere = generate_uid()
    AnnotationFile(tmp_path, elsewhere).save([noted()])  # a valid body naming B, in clear
    body = AnnotationFile(tmp_path, elsewhere).path.read_bytes()
    measurements_key = file_seal.purpose_key(KEY, "measurements")
    as_a = file_seal.seal(measurements_key, body, STUDY.encode("ascii"))
    target = AnnotationFile(tmp_path, elsewhere, KEY)
    target.path.write_bytes(as_a)
    assert target.load() == []
    assert file_seal.unseal(measurements_key, as_a, elsewhere.encode("ascii")) is None
    assert file_seal.unseal(measurements_key, as_a, STUDY.encode("ascii")) == body


def test_files_in_clear_from_before_are_sealed_as_the_cache_opens_then_clear_is_refused(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    from viewer.config import CacheConfig, Config, UiConfig
    from viewer.workspace import open_store

    root = tmp_path / "cache"
    plain = AnnotationFile(root, STUDY)  # as the version before wrote it
    plain.studied().add(noted())
    assert json.loads(plain.path.read_bytes())["study"] == STUDY
    config = Config(CacheConfig(root, 1 << 30), (), UiConfig(None))
    with open_store(config) as store:
        assert file_seal.is_sealed(plain.path.read_bytes())
        assert [a.text for a in AnnotationFile(root, STUDY, store.key).load()] == [NOTE]
        # A file in clear put there afterwards is not believed: it could say anything.
        forged = generate_uid()
        AnnotationFile(root, forged).studied().add(noted())
        assert AnnotationFile(root, forged, store.key).load() == []
        assert list(plain.folder.glob(f"{forged}.unreadable-*.json"))


def test_a_lost_key_takes_the_sealed_measurements_and_keeps_those_in_clear(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    AnnotationFile(tmp_path, STUDY, KEY).studied().add(noted())
    before = generate_uid()
    AnnotationFile(tmp_path, before).studied().add(noted())  # left in clear
    assert forget_lost_key(tmp_path, None)
    assert not AnnotationFile(tmp_path, STUDY).path.exists()
    assert [a.text for a in AnnotationFile(tmp_path, before).load()] == [NOTE]
