"""The offline cache store: durable commits, safe paths, completeness, search, budget."""

from __future__ import annotations

import errno
import io
import os
import stat
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

from tests.unit.conftest import on_disk, stored
from viewer.cache import index_db
from viewer.cache.index import SCHEMA_VERSION, CacheIndex
from viewer.cache.index_db import sql
from viewer.cache.layout import INDEX_NAME
from viewer.cache.store import CacheStore
from viewer.cache.writer import try_lock
from viewer.dicomweb.qido import name_pattern
from viewer.errors import DiskFullError, InvalidDataError, NotFoundError, UsageError
from viewer.history.series import cached_series
from viewer.instance_file import InstanceFile, read_instance_bytes
from viewer.session.badges import badge_of

WANG = "Wang^XiaoDong=王^小东"
LI = "Li^Na=李^娜"


def make_instance(
    study: str,
    series: str,
    sop: str,
    *,
    name: str = WANG,
    patient_id: str = "320106198810300596",
    issuer: str = "JS-EMPI",
    modality: str = "CT",
    number: int = 1,
    study_date: str = "20240105",
    accession: str = "ACC1",
    birth_date: str = "19881030",
    sex: str = "M",
) -> bytes:
    """A small Part 10 CT image (16x16 pixels), its text in GB18030."""
    with warnings.catch_warnings():  # invalid UIDs are made on purpose in some tests
        warnings.simplefilter("ignore")
        return _make_instance(**locals())


def _make_instance(
    study: str,
    series: str,
    sop: str,
    *,
    name: str,
    patient_id: str,
    issuer: str,
    modality: str,
    number: int,
    study_date: str,
    accession: str,
    birth_date: str,
    sex: str,
) -> bytes:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CTImageStorage
    meta.MediaStorageSOPInstanceUID = sop or "1.2.3"
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SpecificCharacterSet = "GB18030"
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = sop
    ds.StudyInstanceUID = study
    ds.SeriesInstanceUID = series
    ds.PatientName = name
    ds.PatientID = patient_id
    ds.IssuerOfPatientID = issuer
    ds.PatientBirthDate = birth_date
    ds.PatientSex = sex
    ds.StudyDate = study_date
    ds.StudyTime = "101500"
    ds.StudyID = "1"
    ds.AccessionNumber = accession
    ds.StudyDescription = "胸部CT平扫"
    ds.InstitutionName = "江苏省人民医院"
    ds.BodyPartExamined = "CHEST"
    ds.Modality = modality
    ds.SeriesNumber = 2
    ds.InstanceNumber = number
    other = Dataset()
    other.PatientID = "GL20150872"
    other.IssuerOfPatientID = "NJGL"
    ds.OtherPatientIDsSequence = [other]
    ds.Rows = ds.Columns = 16
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 0
    ds.PixelData = (np.arange(256, dtype=np.uint16) * number).tobytes()
    buf = io.BytesIO()
    ds.save_as(buf, enforce_file_format=True)
    return buf.getvalue()


def commit(store: CacheStore, data: bytes) -> Path:
    sink = store.begin_instance()
    sink.write(data[: len(data) // 2])
    sink.write(data[len(data) // 2 :])
    return sink.commit().path


def half_written(root: Path) -> list[Path]:
    """Temp files with anything in them (the store keeps a few empty ones made ahead)."""
    return sorted(p for p in (root / ".tmp").iterdir() if p.is_file() and p.stat().st_size > 0)


def visible_files(root: Path) -> list[Path]:
    """Files under the study folders (what a reader could see)."""
    return sorted(
        p for p in root.rglob("*") if p.is_file() and p.relative_to(root).parts[0][0].isdigit()
    )


class Study:
    """UIDs of a made-up study with one series."""

    def __init__(self) -> None:
        self.uid = generate_uid()
        self.series = generate_uid()

    def instance(self, number: int = 1, **kw: object) -> tuple[str, bytes]:
        sop = generate_uid()
        return sop, make_instance(self.uid, self.series, sop, number=number, **kw)  # type: ignore[arg-type]


class TestCommit:
    def test_commit_makes_instance_visible_only_after_it_is_durable(
        self, store: CacheStore, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        study = Study()
        sop, data = study.instance()
        events: list[str] = []
        real_fsync, real_replace, real_add = os.fsync, os.replace, CacheIndex.add_instances

        def fsync(fd: int) -> None:
            is_dir = stat.S_ISDIR(os.fstat(fd).st_mode)
            events.append("fsync-dir" if is_dir else "fsync-file")
            real_fsync(fd)

        def replace(src: object, dst: object) -> None:
            events.append("rename")
            real_replace(src, dst)  # type: ignore[arg-type]

        def add_instances(self: CacheIndex, conn, entries):  # type: ignore[no-untyped-def]
            for entry in entries:
                target = store.root / entry.rel
                complete = on_disk(store, len(data))
                assert target.stat().st_size == complete, "indexed before the file was complete"
            events.append("index")
            real_add(self, conn, entries)

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", replace)
        monkeypatch.setattr(CacheIndex, "add_instances", add_instances)

        sink = store.begin_instance()
        sink.write(data)
        assert store.cached_sop_uids(study.uid) == set()
        assert visible_files(store.root) == []
        cached = sink.commit()

        assert events.index("fsync-file") < events.index("rename") < events.index("index")
        assert "fsync-dir" in events[events.index("rename") : events.index("index")]
        assert store.cached_sop_uids(study.uid) == {sop}
        assert stored(store, cached.path) == data
        assert cached.path == store.root / study.uid / study.series / f"{sop}.dcm"
        assert half_written(store.root) == []

    def test_aborted_write_leaves_nothing(self, store: CacheStore) -> None:
        study = Study()
        _, data = study.instance()
        sink = store.begin_instance()
        sink.write(data[:100])
        sink.abort()
        with pytest.raises(RuntimeError), store.begin_instance() as sink2:
            sink2.write(data[:100])
            raise RuntimeError("the transfer broke")
        assert visible_files(store.root) == []
        assert half_written(store.root) == []
        assert store.studies() == [] and store.size() == 0

    def test_non_dicom_part_is_refused_and_leaves_nothing(self, store: CacheStore) -> None:
        sink = store.begin_instance()
        sink.write(b"<html>502 Bad Gateway</html>" * 10)
        with pytest.raises(InvalidDataError, match="not a DICOM"):
            sink.commit()
        assert visible_files(store.root) == []
        assert half_written(store.root) == []

    @pytest.mark.filterwarnings("ignore:Invalid value for VR UI")
    @pytest.mark.filterwarnings("ignore:The value length")
    @pytest.mark.parametrize("bad", ["../../x", "1.2/3", "1.2.03", "", "1." * 40 + "1"])
    @pytest.mark.parametrize("which", ["sop", "study", "series"])
    def test_uid_with_path_characters_is_refused(
        self, store: CacheStore, tmp_path: Path, bad: str, which: str
    ) -> None:
        uids = {"study": generate_uid(), "series": generate_uid(), "sop": generate_uid()}
        uids[which] = bad
        data = make_instance(uids["study"], uids["series"], uids["sop"])
        sink = store.begin_instance()
        sink.write(data)
        with pytest.raises(InvalidDataError, match="not a valid DICOM UID"):
            sink.commit()
        assert visible_files(store.root) == []
        assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]  # nothing escaped
        assert half_written(store.root) == []

    def test_recommitting_an_instance_replaces_it(self, store: CacheStore) -> None:
        study = Study()
        sop, first = study.instance(number=1)
        second = make_instance(study.uid, study.series, sop, number=7)
        commit(store, first)
        path = commit(store, second)
        assert stored(store, path) == second
        assert store.cached_sop_uids(study.uid) == {sop}
        assert store.size() == on_disk(store, len(second))
        assert store.verify().ok


class TestCompleteness:
    def test_state_partial_then_complete(self, store: CacheStore) -> None:
        study = Study()
        made = [study.instance(number=n) for n in (1, 2, 3)]
        assert store.study_state(study.uid) == "none"
        store.set_expected(study.uid, study.series, [sop for sop, _ in made])
        assert store.study_state(study.uid) == "none"
        assert store.missing_instances(study.uid) == {sop for sop, _ in made}

        commit(store, made[0][1])
        assert store.study_state(study.uid) == "partial"
        assert store.missing_instances(study.uid, study.series) == {made[1][0], made[2][0]}
        for _, data in made[1:]:
            commit(store, data)
        assert store.study_state(study.uid) == "complete"
        assert store.missing_instances(study.uid) == set()
        assert [s.state for s in store.studies()] == ["complete"]

    def test_a_study_nothing_says_has_more_images_is_complete_as_its_series_badges_say(
        self, store: CacheStore
    ) -> None:
        # Imported from a CD, adopted at start-up or cached while offline: no source
        # count, no expected rows. Its series badges say "cached"; the study must not
        # say "partial" when nothing tells of an image it lacks.
        study = Study()
        commit(store, study.instance(number=1)[1])
        commit(store, study.instance(number=2)[1])
        tiles = cached_series(store, study.uid)  # what the tiles show with no source
        assert [badge_of(t.cached, t.expected).kind for t in tiles] == ["cached"]
        assert store.study_state(study.uid) == "complete"
        (listed,) = store.studies()
        assert (listed.state, listed.expected_instance_count) == ("complete", 0)

    def test_a_source_that_says_it_holds_more_makes_the_study_partial(
        self, store: CacheStore
    ) -> None:
        # One series imported from a patient's CD; the platform's QIDO says 3 images.
        study = Study()
        commit(store, study.instance(number=1)[1])
        assert store.study_state(study.uid) == "complete"  # nothing else known
        assert store.study_state(study.uid, source_count=3) == "partial"
        assert store.study_state(study.uid, source_count=1) == "complete"

    def test_expected_count_beyond_what_is_cached_is_partial(self, store: CacheStore) -> None:
        study = Study()
        commit(store, study.instance()[1])
        store.set_expected_counts(study.uid, 2)
        assert store.study_state(study.uid) == "partial"
        commit(store, study.instance(number=2)[1])
        assert store.study_state(study.uid) == "complete"


class TestSearch:
    @pytest.fixture
    def two_patients(self, store: CacheStore) -> tuple[Study, Study]:
        wang, li = Study(), Study()
        commit(store, wang.instance()[1])
        commit(
            store,
            li.instance(
                name=LI,
                patient_id="P-LI",
                modality="MR",
                study_date="20200301",
                accession="ACC2",
                birth_date="19700101",
                sex="F",
            )[1],
        )
        return wang, li

    def test_search_by_chinese_name_pattern(
        self, store: CacheStore, two_patients: tuple[Study, Study]
    ) -> None:
        wang, li = two_patients
        for typed in ("王小东", "Wang XiaoDong", "wang xiao", "王"):
            found = store.search(name=name_pattern(typed))
            assert [s.study_uid for s in found] == [wang.uid], typed
        assert [s.study_uid for s in store.search(name="*李^娜*")] == [li.uid]
        assert [s.study_uid for s in store.search(name="LI^NA=李^娜")] == [li.uid]
        assert store.search(name="Li") == []  # no wildcard: the whole value must match
        assert store.search(name=name_pattern("张")) == []
        found = store.search(name=name_pattern("王小东"))[0]
        assert found.patient_name == WANG
        assert found.institution == "江苏省人民医院"
        assert found.description == "胸部CT平扫"
        assert found.other_patient_ids == (("GL20150872", "NJGL"),)

    def test_search_by_other_keys(
        self, store: CacheStore, two_patients: tuple[Study, Study]
    ) -> None:
        wang, li = two_patients

        def uids(**filters: str) -> list[str]:
            return [s.study_uid for s in store.search(**filters)]

        assert uids(patient_id="320106198810300596", issuer="JS-EMPI") == [wang.uid]
        assert uids(patient_id="320106198810300596", issuer="NJGL") == []
        assert uids(modality="mr") == [li.uid]
        assert uids(date_from="20230101") == [wang.uid]
        assert uids(date_to="20201231") == [li.uid]
        assert uids(date_from="20200301", date_to="20240105") == [wang.uid, li.uid]
        assert uids(accession_number="ACC2") == [li.uid]
        assert uids(birth_date="19881030", sex="M") == [wang.uid]
        assert uids(sex="F") == [li.uid]
        with pytest.raises(UsageError):
            store.search(colour="blue")

    def test_index_survives_reopen(self, tmp_path: Path) -> None:
        root = tmp_path / "cache"
        study = Study()
        with CacheStore(root, 10**9) as store:
            sop, data = study.instance()
            commit(store, data)
            store.set_expected(study.uid, study.series, [sop])
            store.pin(study.uid)
            before = store.studies()
        with CacheStore(root, 10**9) as store:
            assert store.studies() == before
            assert store.study_state(study.uid) == "complete"
            assert before[0].pinned
            assert read_instance_bytes(store.instance_files(study.uid)[0]) == data


class TestStartup:
    def test_stale_temp_files_are_removed_on_open(self, tmp_path: Path) -> None:
        root = tmp_path / "cache"
        CacheStore(root, 10**9).close()
        (root / ".tmp" / "4242-deadbeef.part").write_bytes(b"half an instance")
        with CacheStore(root, 10**9, temp_grace_s=0):
            assert list((root / ".tmp").iterdir()) == []

    def test_a_file_committed_without_its_row_is_adopted(self, tmp_path: Path) -> None:
        root = tmp_path / "cache"
        study = Study()
        sop, data = study.instance()
        target = root / study.uid / study.series / f"{sop}.dcm"
        target.parent.mkdir(parents=True)
        target.write_bytes(data)  # as if killed between the rename and the index row
        with CacheStore(root, 10**9) as store:
            assert store.cached_sop_uids(study.uid) == {sop}
            assert store.verify().ok

    def test_a_row_whose_file_is_gone_is_dropped(self, tmp_path: Path) -> None:
        root = tmp_path / "cache"
        study = Study()
        sop, data = study.instance()
        with CacheStore(root, 10**9) as store:
            commit(store, data).unlink()
        with CacheStore(root, 10**9) as store:
            assert store.cached_sop_uids(study.uid) == set()
            assert store.missing_instances(study.uid) == {sop}


def test_a_study_still_open_when_the_cache_closes_lets_go_without_its_index(
    tmp_path: Path,
) -> None:
    """The window's teardown closes a series after the session closed the cache: the
    study was let go as the cache closed, so closing the series asks nothing of it."""
    study = Study()
    store = CacheStore(tmp_path / "cache", 10**9)
    commit(store, study.instance()[1])
    with store.open_study(study.uid):
        store.close()
    with CacheStore(tmp_path / "cache", 10**9) as again:
        assert again._index.connection().execute("SELECT * FROM lease").fetchall() == []


class TestBudget:
    def test_eviction_keeps_the_budget_and_spares_pins_and_open_studies(
        self, store: CacheStore
    ) -> None:
        studies = [Study() for _ in range(5)]
        for n, study in enumerate(studies):
            commit(store, study.instance()[1])
            store._index.set_study_flag(study.uid, "last_access", 1000.0 + n)  # 0 oldest
        sizes = {s.study_uid: s.size for s in store.studies()}
        kept = sizes[studies[0].uid] + sizes[studies[1].uid]
        store.pin(studies[0].uid)
        with store.open_study(studies[1].uid):
            store._index.set_study_flag(studies[1].uid, "last_access", 1001.0)
            report = store.evict(to_size=kept - 1)
            assert report.evicted == [studies[2].uid, studies[3].uid, studies[4].uid]
            assert report.kept_pinned == [studies[0].uid]
            assert report.kept_open == [studies[1].uid]
            assert not report.within_budget  # what is left is pinned or open
            assert store.size() == kept == report.size_after
            with pytest.raises(UsageError):
                store.delete_study(studies[1].uid)
        assert {s.study_uid for s in store.studies()} == {studies[0].uid, studies[1].uid}
        assert len(visible_files(store.root)) == 2
        report = store.evict(to_size=sizes[studies[0].uid])
        assert report.evicted == [studies[1].uid] and report.within_budget
        assert store.study_state(studies[2].uid) == "none"

    def test_eviction_defaults_to_max_size(self, tmp_path: Path) -> None:
        with CacheStore(tmp_path / "c", max_size=0) as store:
            study = Study()
            commit(store, study.instance()[1])
            assert store.evict().evicted == [study.uid]
            assert store.size() == 0

    def test_pin_of_a_study_not_cached_is_refused(self, store: CacheStore) -> None:
        with pytest.raises(NotFoundError):
            store.pin(Study().uid)


class TestVerify:
    def test_verify_reports_and_removes_a_damaged_file(self, store: CacheStore) -> None:
        study = Study()
        made = [study.instance(number=n) for n in (1, 2, 3)]
        paths = [commit(store, data) for _, data in made]
        store.set_expected(study.uid, study.series, [sop for sop, _ in made])
        assert store.study_state(study.uid) == "complete"
        damaged = bytearray(paths[1].read_bytes())
        damaged[-10] ^= 0xFF  # one flipped pixel byte: still readable, but wrong
        paths[1].write_bytes(bytes(damaged))
        paths[2].unlink()

        report = store.verify()

        assert report.checked == 3
        assert {(d.sop_uid, d.problem) for d in report.damaged} == {
            (made[1][0], "checksum mismatch"),
            (made[2][0], "missing"),
        }
        assert not paths[1].exists()
        assert len(list((store.root / ".quarantine").iterdir())) == 1
        assert store.study_state(study.uid) == "partial"
        assert store.missing_instances(study.uid) == {made[1][0], made[2][0]}
        assert store.instance_files(study.uid) == [InstanceFile(paths[0])]
        assert store.verify().ok


def test_instance_files_are_sorted_by_instance_number(store: CacheStore) -> None:
    study = Study()
    for n in (3, 1, 2):
        commit(store, study.instance(number=n)[1])
    numbers = [read_instance_bytes(f) for f in store.instance_files(study.uid, study.series)]
    assert numbers == sorted(numbers, key=lambda b: int.from_bytes(b[-510:-508], "little"))
    assert len(numbers) == 3


def test_delete_study_removes_its_files_and_rows(store: CacheStore) -> None:
    study = Study()
    commit(store, study.instance()[1])
    store.delete_study(study.uid)
    assert store.studies() == [] and store.size() == 0
    assert not (store.root / study.uid).exists()
    assert half_written(store.root) == []


def test_commits_from_several_threads_are_all_indexed(store: CacheStore) -> None:
    from concurrent.futures import ThreadPoolExecutor

    study = Study()
    made = [study.instance(number=n) for n in range(1, 41)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda item: commit(store, item[1]), made))
    assert store.cached_sop_uids(study.uid) == {sop for sop, _ in made}
    assert store.verify().ok


class TestDiskFull:
    """ENOSPC while writing or syncing: a typed error naming the cache, nothing left."""

    @staticmethod
    def no_space(*_args: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def assert_nothing_left(self, store: CacheStore, study: Study) -> None:
        assert visible_files(store.root) == []
        assert half_written(store.root) == []
        assert store.cached_sop_uids(study.uid) == set()

    def test_while_writing(self, store: CacheStore, monkeypatch: pytest.MonkeyPatch) -> None:
        study = Study()
        _, data = study.instance()
        sink = store.begin_instance()
        monkeypatch.setattr(os, "write", self.no_space)
        with pytest.raises(DiskFullError, match="disk holding the cache is full") as caught:
            # A sealed cache writes a small instance whole when it ends (its one chunk).
            sink.write(data)
            sink.commit()
        assert str(store.root) in str(caught.value)
        sink.abort()  # what a caller does after an error: harmless
        self.assert_nothing_left(store, study)

    def test_while_syncing(self, store: CacheStore, monkeypatch: pytest.MonkeyPatch) -> None:
        study = Study()
        _, data = study.instance()
        sink = store.begin_instance()
        sink.write(data)
        monkeypatch.setattr(os, "fsync", self.no_space)
        with pytest.raises(DiskFullError, match=str(store.root)):
            sink.commit()
        self.assert_nothing_left(store, study)
        monkeypatch.undo()
        commit(store, data)  # space again: the cache goes on
        assert len(store.cached_sop_uids(study.uid)) == 1

    def test_handed_over_instances_fail_alone(
        self, store: CacheStore, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        study = Study()
        good, bad = study.instance(number=1), study.instance(number=2)
        real_fsync = os.fsync
        sinks = []
        for _, data in (good, bad):
            sink = store.begin_instance()
            sink.write(data)
            sinks.append(sink)
        first = sinks[0].commit_async()
        assert first.result().sop_uid == good[0]
        monkeypatch.setattr(
            os,
            "fsync",
            lambda fd: (
                self.no_space() if not stat.S_ISDIR(os.fstat(fd).st_mode) else real_fsync(fd)
            ),
        )
        second = sinks[1].commit_async()
        assert isinstance(second.exception(), DiskFullError)
        assert store.cached_sop_uids(study.uid) == {good[0]}
        assert half_written(store.root) == []


def test_a_batch_of_handed_over_instances_is_published_whole(store: CacheStore) -> None:
    """commit_async: many instances in flight at once, the same one twice among them."""
    study = Study()
    made = [study.instance(number=n) for n in range(1, 31)]
    futures = []
    for _, data in [*made, made[0]]:
        sink = store.begin_instance()
        sink.write(data)
        futures.append(sink.commit_async())
    done = [f.result(timeout=30) for f in futures]
    assert [d.sop_uid for d in done] == [sop for sop, _ in made] + [made[0][0]]
    assert store.cached_sop_uids(study.uid) == {sop for sop, _ in made}
    assert store.verify().ok
    assert half_written(store.root) == []


class TestPixelLayouts:
    """The index keeps each instance's pixel layout, and forgets it with the instance."""

    def layout_rows(self, store: CacheStore) -> int:
        conn = index_db.connect(store.root / INDEX_NAME, store.key, timeout=5)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM pixel_layout").fetchone()[0])
        finally:
            conn.close()

    def test_a_committed_instance_has_its_layout_in_the_index(self, store: CacheStore) -> None:
        study = Study()
        for number in (2, 1):
            commit(store, study.instance(number=number)[1])
        paths, layouts = store.series_files(study.uid, study.series)
        assert [p.path.exists() for p in paths] == [True, True]
        assert all(layout is not None for layout in layouts)
        first = layouts[0]
        assert first is not None and (first.rows, first.columns) == (16, 16)
        data = read_instance_bytes(paths[0])
        pixels = data[first.pixel_offset : first.pixel_offset + first.pixel_length]
        assert np.array_equal(np.frombuffer(pixels, "<u2"), np.arange(256))  # number 1

    def test_deleting_a_study_forgets_its_layouts(self, store: CacheStore) -> None:
        study = Study()
        commit(store, study.instance()[1])
        assert self.layout_rows(store) == 1
        store.delete_study(study.uid)
        assert self.layout_rows(store) == 0

    def test_a_damaged_instance_loses_its_layout(self, store: CacheStore) -> None:
        study = Study()
        path = commit(store, study.instance()[1])
        path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
        store.verify()
        assert self.layout_rows(store) == 0
        assert store.series_files(study.uid, study.series) == ([], [])


class TestTempFilesMadeAhead:
    def test_they_are_empty_locked_and_gone_after_close(self, tmp_path: Path) -> None:
        root = tmp_path / "cache"
        with CacheStore(root, 10**9) as store:
            study = Study()
            commit(store, study.instance()[1])
            deadline = time.monotonic() + 5
            while not list((root / ".tmp").iterdir()) and time.monotonic() < deadline:
                time.sleep(0.01)
            ahead = list((root / ".tmp").iterdir())
            assert ahead, "no temp file was made ahead"
            assert half_written(root) == []
            fd = os.open(ahead[0], os.O_RDONLY)
            try:
                assert not try_lock(fd), "a temp file made ahead must be held by its maker"
            finally:
                os.close(fd)
        assert list((root / ".tmp").iterdir()) == []

    def test_a_failing_maker_leaves_the_error_to_the_instance(
        self, store: CacheStore, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real_open = os.open

        def full(path: object, flags: int, *args: object) -> int:
            if str(path).endswith(".part"):
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_open(path, flags, *args)  # type: ignore[arg-type]

        store.close()
        with CacheStore(store.root, 10**9, key=store.key) as fresh:
            monkeypatch.setattr(os, "open", full)
            with pytest.raises(DiskFullError, match="full"):
                fresh.begin_instance()
            monkeypatch.setattr(os, "open", real_open)
            study = Study()
            commit(fresh, study.instance()[1])  # the disk has room again: all goes on
            assert len(fresh.cached_sop_uids(study.uid)) == 1


def test_a_study_missing_a_damaged_instance_is_known_to_have_all_it_had(
    store: CacheStore,
) -> None:
    study = Study()
    paths = [commit(store, study.instance(number=n)[1]) for n in (1, 2, 3)]  # no source known
    paths[1].write_bytes(paths[1].read_bytes()[:-8] + b"\xff" * 8)
    assert len(store.verify().damaged) == 1
    cached = store.study(study.uid)
    assert cached is not None and cached.state == "partial"
    assert (cached.instance_count, cached.expected_instance_count) == (2, 3)


def as_version_2(path: Path) -> None:
    """Make an index what version 2 left: this version's tables less those added since."""
    conn = sql.connect(path)
    for drop in ("TABLE unfinished_import", "TABLE pack", "INDEX instance_own_file"):
        conn.execute(f"DROP {drop}")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()


def test_an_index_at_version_2_is_brought_to_this_version_and_keeps_its_rows(
    tmp_path: Path,
) -> None:
    root = tmp_path / "cache"
    study = Study()
    made = [study.instance(number=n) for n in (1, 2, 3)]
    with CacheStore(root, 10**9) as store:
        with store.pack_sinks(study.uid) as pack:
            for _sop, data in made[:2]:
                part = pack.begin_instance()
                part.write(data)
                part.commit()
        commit(store, made[2][1])
        pack_path = store.instance_files(study.uid)[0].path
    as_version_2(root / INDEX_NAME)
    with pack_path.open("ab") as fh:  # left by a writer killed before its next sync
        fh.write(b"\0" * 1000)
    index = CacheIndex(root / INDEX_NAME)  # the migration alone knows what the rows say
    try:
        assert index.connection().execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        packed = len(made[0][1]) + len(made[1][1])
        assert list(index.pack_sizes().values()) == [packed]
        assert index.total_size() == packed + len(made[2][1])
    finally:
        index.close()
    with CacheStore(root, 10**9) as store:  # start-up: the pack's size is its file's
        assert store.cached_sop_uids(study.uid) == {sop for sop, _d in made}
        assert store.size() == packed + 1000 + len(made[2][1])
        store._index.mark_unfinished_import(study.uid)  # a table version 2 did not have
        assert store.study_state(study.uid) == "partial"
