"""The cache's instances are sealed at rest (issue 18 point 1): no byte of a patient in
clear on disk, every reader gives the plaintext, tampering is found by verify; a cache
from before is sealed once, in the background, resumably."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.conftest import CACHE_KEY
from tests.unit.test_cache_store import LI, Study, commit
from viewer.cache import seal_existing
from viewer.cache.layout import CacheLayout
from viewer.cache.leases import Leases
from viewer.cache.sealed import MAGIC
from viewer.cache.store import CacheStore
from viewer.imaging.volume import load_volume
from viewer.instance_file import read_instance_bytes

PATIENT_ID, BIRTH = "110105196502113317", "19650211"
NEEDLES = {
    "name (UTF-8)": "李^娜".encode(),
    "name (GB18030)": "李^娜".encode("gb18030"),
    "name (alphabetic)": b"Li^Na",
    "PatientID": PATIENT_ID.encode(),
    "birth date": BIRTH.encode(),
}


def fill(store: CacheStore, study: Study, numbers: range) -> list[bytes]:
    """Instances of the patient: the first in a file of its own, the rest in a pack."""
    made = [
        study.instance(number=n, name=LI, patient_id=PATIENT_ID, birth_date=BIRTH)[1]
        for n in numbers
    ]
    commit(store, made[0])
    with store.pack_sinks(study.uid) as pack:
        for data in made[1:]:
            part = pack.begin_instance()
            part.write(data)
            part.commit()
    return made


def instance_files_on_disk(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in {".pack", ".dcm"} and p.is_file())


def found_in_clear(root: Path) -> list[str]:
    """Which of the patient's data any file of the cache holds in clear (file, what)."""
    return [
        f"{path.relative_to(root)}: {what}"
        for path in sorted(root.rglob("*"))
        if path.is_file()
        for what, needle in NEEDLES.items()
        if needle in path.read_bytes()
    ]


def test_no_file_of_a_sealed_cache_holds_the_patient_in_clear(tmp_path: Path) -> None:
    study = Study()
    with CacheStore(tmp_path / "cache", 10**9, key=CACHE_KEY) as store:
        made = fill(store, study, range(1, 5))
        files = store.instance_files(study.uid)
        assert [read_instance_bytes(f) for f in files] == made  # every reader: plaintext
        assert store.verify().ok
    on_disk = instance_files_on_disk(tmp_path / "cache")
    assert len(on_disk) == 2  # one file of its own, one pack
    assert all(path.read_bytes().startswith(MAGIC) for path in on_disk)
    assert found_in_clear(tmp_path / "cache") == []


def test_a_sealed_series_loads_into_the_same_volume_as_in_clear(tmp_path: Path) -> None:
    study = Study()
    volumes = []
    for key in (None, CACHE_KEY):
        with CacheStore(tmp_path / f"cache-{key is None}", 10**9, key=key) as store:
            made = [study.instance(number=n)[1] for n in range(1, 4)]
            with store.pack_sinks(study.uid) as pack:
                for data in made:
                    part = pack.begin_instance()
                    part.write(data)
                    part.commit()
            files, layouts = store.series_files(study.uid, study.series)
            volumes.append(load_volume(files, layouts=layouts).voxels.copy())
    assert (volumes[0] == volumes[1]).all()


def test_a_changed_byte_of_a_sealed_instance_is_found_by_verify(tmp_path: Path) -> None:
    study = Study()
    with CacheStore(tmp_path / "cache", 10**9, key=CACHE_KEY) as store:
        fill(store, study, range(1, 4))
        second = store.instance_files(study.uid)[1]
        with second.path.open("r+b") as fh:
            fh.seek(second.offset + 200)
            byte = fh.read(1)
            fh.seek(second.offset + 200)
            fh.write(bytes([byte[0] ^ 1]))
        report = store.verify()
        assert [d.problem for d in report.damaged] == ["checksum mismatch"]
        assert len(store.instance_files(study.uid)) == 2
    # The damaged copy kept in quarantine is kept sealed, as it lay.
    assert found_in_clear(tmp_path / "cache") == []


def test_a_cache_from_before_is_sealed_once_and_reads_the_same(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    study = Study()
    with CacheStore(root, 10**9) as plain:  # an earlier version: in clear
        made = fill(plain, study, range(1, 5))
    assert found_in_clear(root) != []
    with CacheStore(root, 10**9, key=CACHE_KEY) as store:
        assert store.wait_sealed(timeout=30)
        assert [read_instance_bytes(f) for f in store.instance_files(study.uid)] == made
        assert store.verify().ok
        assert store.size() == sum(p.stat().st_size for p in instance_files_on_disk(root))
    assert found_in_clear(root) == []
    assert all(path.read_bytes().startswith(MAGIC) for path in instance_files_on_disk(root))
    assert seal_existing.all_sealed(CacheLayout(root))


def test_sealing_stopped_midway_goes_on_at_the_next_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "cache"
    studies = [Study(), Study()]
    with CacheStore(root, 10**9) as plain:
        made = {s.uid: fill(plain, s, range(1, 4)) for s in studies}
    real = seal_existing._write_again
    done: list[str] = []

    def first_only(layout, study_uid, clear, publish):  # type: ignore[no-untyped-def]
        if done:  # the app closed after the first study
            raise RuntimeError("the app was closed")
        real(layout, study_uid, clear, publish)
        done.append(study_uid)

    monkeypatch.setattr(seal_existing, "_write_again", first_only)
    with CacheStore(root, 10**9, key=CACHE_KEY) as store:
        store.wait_sealed(timeout=30)
        assert not seal_existing.all_sealed(CacheLayout(root))
        for study in studies:  # half sealed, half in clear: both read
            files = store.instance_files(study.uid)
            assert [read_instance_bytes(f) for f in files] == made[study.uid]
    monkeypatch.setattr(seal_existing, "_write_again", real)
    with CacheStore(root, 10**9, key=CACHE_KEY) as store:
        assert store.wait_sealed(timeout=30)
        assert store.verify().ok
    assert found_in_clear(root) == []


def test_a_study_open_in_a_window_is_sealed_at_a_later_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "cache"
    study = Study()
    with CacheStore(root, 10**9) as plain:
        fill(plain, study, range(1, 3))
    # Another process's window holds the study (its lease): its readers hold the places
    # of the clear copies.
    monkeypatch.setattr(Leases, "busy", lambda _self: {study.uid})
    with CacheStore(root, 10**9, key=CACHE_KEY) as store:
        assert not store.wait_sealed(timeout=30)
    assert found_in_clear(root) != []  # left as it was
    monkeypatch.undo()
    with CacheStore(root, 10**9, key=CACHE_KEY) as store:
        assert store.wait_sealed(timeout=30)
    assert found_in_clear(root) == []


def test_a_clear_instance_damaged_since_is_never_sealed_as_sound(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    study = Study()
    with CacheStore(root, 10**9) as plain:
        commit(plain, study.instance(number=1)[1])
        (own,) = plain.instance_files(study.uid)
    damaged = bytearray(own.path.read_bytes())
    damaged[-10] ^= 0xFF  # a pixel changed on disk, the file still whole as DICOM
    own.path.write_bytes(bytes(damaged))
    with CacheStore(root, 10**9, key=CACHE_KEY) as store:
        assert not store.wait_sealed(timeout=30)  # left, and said so: walked again
        report = store.verify()
        assert [d.problem for d in report.damaged] == ["checksum mismatch"]
    with CacheStore(root, 10**9, key=CACHE_KEY) as store:
        assert store.wait_sealed(timeout=30)  # nothing in clear is left now


def test_sealing_a_study_is_no_use_of_it(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    older, newer = Study(), Study()
    with CacheStore(root, 10**9) as plain:
        fill(plain, older, range(1, 3))
        fill(plain, newer, range(1, 3))
        plain.touch(newer.uid)
        used = {s.study_uid: s.last_access for s in plain.studies()}
    with CacheStore(root, 10**9, key=CACHE_KEY) as store:
        assert store.wait_sealed(timeout=30)
        assert {s.study_uid: s.last_access for s in store.studies()} == used


def test_verify_leaves_an_instance_written_again_while_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from viewer.cache import housekeeping

    study = Study()
    with CacheStore(tmp_path / "cache", 10**9, key=CACHE_KEY) as store:
        sop, data = study.instance(number=1)
        commit(store, data)
        real = housekeeping._problem_of

        def fetched_again_meanwhile(item, size, checksum):  # type: ignore[no-untyped-def]
            with store.pack_sinks(study.uid) as pack:  # a fetch writes it again ...
                part = pack.begin_instance()
                part.write(data)
                part.commit()
            item.path.unlink(missing_ok=True)  # ... and the old copy is gone
            return real(item, size, checksum)

        monkeypatch.setattr(housekeeping, "_problem_of", fetched_again_meanwhile)
        assert store.verify().ok
        assert store.cached_sop_uids(study.uid) == {sop}
        (now,) = store.instance_files(study.uid)
        assert read_instance_bytes(now) == data
