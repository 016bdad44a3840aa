"""Packs: a retrieval's instances in one file, published only once durable, read as ranges."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import numpy as np
import pydicom
import pytest

from tests.support.demo_files import platform_series_files
from tests.unit import test_wado as wado
from tests.unit.conftest import CACHE_KEY, on_disk
from tests.unit.test_cache_store import Study
from viewer.cache import pack as pack_module
from viewer.cache.index import CacheIndex
from viewer.cache.index_db import sql
from viewer.cache.layout import is_pack_relpath
from viewer.cache.store import CacheStore
from viewer.cache.writer import try_lock
from viewer.errors import InvalidDataError, NetworkError
from viewer.imaging.decode import read_dataset
from viewer.imaging.volume import load_volume
from viewer.instance_file import InstanceFile, open_instance, read_instance_bytes


@pytest.fixture(params=["clear", "sealed"])
def store(tmp_path: Path, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    key = CACHE_KEY if request.param == "sealed" else None
    s = CacheStore(tmp_path / "cache", max_size=10**9, temp_grace_s=0, key=key)
    yield s
    s.close()


def put(pack: pack_module.PackWriter, data: bytes, chunk: int = 1000) -> pack_module.PackPart:
    part = pack.begin_instance()
    for i in range(0, len(data), chunk):
        part.write(data[i : i + chunk])
    return part


def packs_of(store: CacheStore) -> list[Path]:
    return sorted(store.root.rglob("*.pack"))


def test_packed_instances_are_indexed_only_after_their_bytes_are_synced(
    store: CacheStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = Study()
    gate = threading.Event()
    synced: list[int] = []

    def datasync(fd: int) -> None:
        gate.wait(10)
        os.fsync(fd)
        synced.append(fd)

    monkeypatch.setattr(pack_module, "_datasync", datasync)
    made = [study.instance(number=n) for n in (1, 2, 3)]
    with store.pack_sinks(study.uid) as pack:
        futures = [put(pack, data).commit_async() for _sop, data in made]
        assert store.cached_sop_uids(study.uid) == set()  # written, not yet durable
        assert not any(f.done() for f in futures)
        gate.set()
        results = [f.result(10) for f in futures]
    assert synced, "published without a sync"
    assert store.cached_sop_uids(study.uid) == {sop for sop, _data in made}
    files = store.instance_files(study.uid)
    assert len({f.path for f in files}) == 1 and is_pack_relpath(
        "/".join(files[0].path.relative_to(store.root).parts)
    )
    assert [read_instance_bytes(f) for f in files] == [data for _sop, data in made]
    assert [r.file for r in results] == files


def test_many_fast_instances_share_syncs(
    store: CacheStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = Study()
    calls: list[int] = []
    real = pack_module._datasync
    monkeypatch.setattr(pack_module, "_datasync", lambda fd: (calls.append(fd), real(fd)))
    monkeypatch.setattr(pack_module, "SYNC_DELAY_S", 5.0)
    with store.pack_sinks(study.uid) as pack:
        for n in range(1, 41):
            put(pack, study.instance(number=n)[1]).commit_async()
    assert len(store.cached_sop_uids(study.uid)) == 40
    assert len(calls) == 1  # a sync covers every instance written before it


def test_what_waits_during_a_sync_goes_in_one_more_sync_and_one_transaction(
    store: CacheStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each instance asks for a sync (SYNC_BYTES of 1), and the retrieval flushes too:
    # those asking while a sync runs are all answered by the next one, not one each.
    study = Study()
    first_sync_began, go_on = threading.Event(), threading.Event()
    syncs: list[int] = []
    rounds: list[int] = []
    real_sync, real_publish = pack_module._datasync, CacheStore._publish_batch

    def datasync(fd: int) -> None:
        first_sync_began.set()
        go_on.wait(10)
        syncs.append(fd)
        real_sync(fd)

    def publish(self: CacheStore, batch: list[pack_module.Packed]) -> None:
        rounds.append(len(batch))
        real_publish(self, batch)

    monkeypatch.setattr(pack_module, "_datasync", datasync)
    monkeypatch.setattr(CacheStore, "_publish_batch", publish)
    monkeypatch.setattr(pack_module, "SYNC_BYTES", 1)
    monkeypatch.setattr(pack_module, "SYNC_MIN_BYTES", 1 << 40)
    with store.pack_sinks(study.uid) as pack:
        put(pack, study.instance(number=1)[1]).commit_async()
        assert first_sync_began.wait(10)
        later = [put(pack, study.instance(number=n)[1]).commit_async() for n in range(2, 12)]
        pack.flush()
        go_on.set()
        for future in later:
            future.result(10)
        assert (len(syncs), rounds) == (2, [1, 10])
    assert len(store.cached_sop_uids(study.uid)) == 11


def test_flush_starts_the_write_back_on_the_callers_thread_through_its_own_descriptor(
    store: CacheStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = Study()
    calls: list[tuple[int, int]] = []
    real = os.fdatasync

    def spy(fd: int) -> None:
        calls.append((threading.get_ident(), fd))
        real(fd)

    monkeypatch.setattr(os, "fdatasync", spy)  # the flusher's own sync is not this one
    with store.pack_sinks(study.uid) as pack:
        future = put(pack, study.instance(number=1)[1]).commit_async()
        pack.flush()
        assert calls, "flush did not sync on the caller's thread"
        assert {thread for thread, _fd in calls} == {threading.get_ident()}
        assert pack._fd not in {fd for _thread, fd in calls}
        other = os.open(pack._path, os.O_RDONLY)  # type: ignore[arg-type]
        try:
            assert not try_lock(other), "closing the extra descriptor let go of the lock"
        finally:
            os.close(other)
        future.result(10)


def test_a_failed_hurrying_sync_leaves_the_decision_to_the_flusher(
    store: CacheStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = Study()

    def failing(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fdatasync", failing)
    with store.pack_sinks(study.uid) as pack:
        future = put(pack, study.instance(number=1)[1]).commit_async()
        pack.flush()
        future.result(10)
    assert len(store.cached_sop_uids(study.uid)) == 1


def test_an_aborted_part_gives_its_bytes_back(store: CacheStore) -> None:
    study = Study()
    (_a, first), (_b, cut), (_c, last) = (study.instance(number=n) for n in (1, 2, 3))
    with store.pack_sinks(study.uid) as pack:
        put(pack, first).commit()
        put(pack, cut[:500]).abort()
        put(pack, last).commit()
    files = store.instance_files(study.uid)
    one, two = on_disk(store, len(first)), on_disk(store, len(last))
    assert [(f.offset, f.size) for f in files] == [(0, one), (one, two)]
    assert files[0].path.stat().st_size == one + two
    assert [read_instance_bytes(f) for f in files] == [first, last]


def test_parts_that_are_not_dicom_or_of_another_study_are_refused(store: CacheStore) -> None:
    study, other = Study(), Study()
    sop, good = study.instance()
    with store.pack_sinks(study.uid) as pack:
        with pytest.raises(InvalidDataError):
            put(pack, b"not DICOM at all" * 100).commit_async()
        with pytest.raises(InvalidDataError, match="did not ask for"):
            put(pack, other.instance()[1]).commit_async()
        put(pack, good).commit()
    assert store.cached_sop_uids(study.uid) == {sop}
    assert store.studies()[0].study_uid == study.uid and len(store.studies()) == 1
    assert store.instance_files(study.uid)[0].offset == 0  # the refused bytes were reused


def test_a_pack_nothing_was_published_from_is_removed(store: CacheStore) -> None:
    study = Study()
    with store.pack_sinks(study.uid) as pack:
        put(pack, study.instance()[1][:300]).abort()
    assert packs_of(store) == []


def test_rows_reaching_past_a_cut_pack_are_dropped_at_start_up(tmp_path: Path) -> None:
    study = Study()
    made = [study.instance(number=n) for n in (1, 2, 3)]
    with CacheStore(tmp_path / "c", 10**9) as store:
        store.set_expected(study.uid, study.series, [sop for sop, _d in made])
        with store.pack_sinks(study.uid) as pack:
            for _sop, data in made:
                put(pack, data).commit()
        (path,) = packs_of(store)
    with path.open("r+b") as fh:  # the last instance loses its tail behind the cache's back
        fh.truncate(path.stat().st_size - 10)
    with CacheStore(tmp_path / "c", 10**9) as store:
        assert store.cached_sop_uids(study.uid) == {made[0][0], made[1][0]}
        assert store.missing_instances(study.uid) == {made[2][0]}
        assert store.verify().ok


def test_a_pack_no_row_names_is_removed_at_start_up_unless_a_writer_holds_it(
    tmp_path: Path,
) -> None:
    study = Study()
    root = tmp_path / "c"
    CacheStore(root, 10**9).close()
    folder = root / study.uid / "packs"
    folder.mkdir(parents=True)
    crashed = folder / "1-00.pack"
    crashed.write_bytes(study.instance()[1])  # a writer died before its first sync
    live = folder / "2-00.pack"
    live.write_bytes(b"")
    with live.open("rb") as held:
        assert try_lock(held.fileno())
        CacheStore(root, 10**9, temp_grace_s=0).close()
        assert not crashed.exists()
        assert live.exists()


def test_verify_finds_one_damaged_instance_in_a_pack_and_keeps_the_others(
    store: CacheStore,
) -> None:
    study = Study()
    made = [study.instance(number=n) for n in (1, 2, 3)]
    with store.pack_sinks(study.uid) as pack:
        for _sop, data in made:
            put(pack, data).commit()
    middle = store.instance_files(study.uid)[1]
    with middle.path.open("r+b") as fh:
        fh.seek(middle.offset + (middle.size or 0) - 20)
        fh.write(b"\xff" * 8)
    report = store.verify()
    assert [(d.sop_uid, d.problem) for d in report.damaged] == [(made[1][0], "checksum mismatch")]
    assert store.cached_sop_uids(study.uid) == {made[0][0], made[2][0]}
    assert len(list((store.root / ".quarantine").iterdir())) == 1
    assert [read_instance_bytes(f) for f in store.instance_files(study.uid)] == [
        made[0][1],
        made[2][1],
    ]
    assert store.verify().ok


def test_export_writes_each_packed_instance_as_a_file_of_its_own(
    store: CacheStore, tmp_path: Path
) -> None:
    study = Study()
    made = [study.instance(number=n) for n in (1, 2)]
    with store.pack_sinks(study.uid) as pack:
        for _sop, data in made:
            put(pack, data).commit()
    written = store.export_study(study.uid, tmp_path / "out")
    assert [p.read_bytes() for p in written] == [data for _sop, data in made]


def test_an_instance_fetched_again_into_a_pack_replaces_its_own_file(store: CacheStore) -> None:
    study = Study()
    _sop, data = study.instance()
    sink = store.begin_instance()
    sink.write(data)
    own = sink.commit().path
    with store.pack_sinks(study.uid) as pack:
        put(pack, data).commit()
    assert not own.exists()
    (packed,) = store.instance_files(study.uid)
    assert packed.is_range and read_instance_bytes(packed) == data
    # ... and back: a file of its own again; the pack, with nothing else in it, goes.
    sink = store.begin_instance()
    sink.write(data)
    sink.commit()
    assert not packed.path.exists()
    assert store.instance_files(study.uid) == [InstanceFile(own)]
    assert store.size() == on_disk(store, len(data))


def test_a_packed_series_loads_and_decodes_as_its_files_do(
    store: CacheStore, demo_data: object
) -> None:
    paths = platform_series_files(demo_data, "CT")[:12]  # type: ignore[arg-type]
    study = pydicom.dcmread(paths[0], stop_before_pixels=True)
    with store.pack_sinks(study.StudyInstanceUID) as pack:
        for path in paths:
            put(pack, path.read_bytes(), chunk=1 << 16).commit()
    files, layouts = store.series_files(study.StudyInstanceUID, study.SeriesInstanceUID)
    assert all(f.is_range for f in files) and all(layouts)
    packed = load_volume(files, layouts=layouts)
    plain = load_volume(paths)
    assert np.array_equal(packed.voxels, plain.voxels)
    # A header read from a pack reads its deferred values from its own range.
    header = packed.headers[3]
    assert header.SOPInstanceUID == plain.headers[3].SOPInstanceUID
    assert header.PixelData == plain.headers[3].PixelData
    from_pack = read_dataset(files[5])
    by_sop = {p.stem: p for p in paths}
    from_file = read_dataset(by_sop[from_pack.SOPInstanceUID])
    assert np.array_equal(from_pack.pixel_array, from_file.pixel_array)
    # Without layouts (read from each range's first bytes) the volume is the same.
    assert np.array_equal(load_volume(files).voxels, plain.voxels)


def test_an_index_written_before_packs_gains_the_start_column(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    old = sql.connect(path)
    old.execute(
        "CREATE TABLE instance (sop_uid TEXT PRIMARY KEY, study_uid TEXT NOT NULL,"
        " series_uid TEXT NOT NULL, instance_number INTEGER, path TEXT NOT NULL,"
        " size INTEGER NOT NULL, checksum TEXT NOT NULL, transfer_syntax TEXT NOT NULL,"
        " sop_class TEXT NOT NULL, stored REAL NOT NULL)"
    )
    old.execute(
        "INSERT INTO instance VALUES ('1.2', '1', '1.1', 1, '1/1.1/1.2.dcm', 5, 'x', '', '', 0)"
    )
    old.commit()
    old.close()
    index = CacheIndex(path)
    try:
        assert index.instance_ranges("1", None) == [("1/1.1/1.2.dcm", 0, 5)]
    finally:
        index.close()


class TestInstanceFile:
    def test_a_range_reader_sees_its_range_alone(self, tmp_path: Path) -> None:
        path = tmp_path / "f"
        path.write_bytes(bytes(range(256)) * 1000)
        item = InstanceFile(path, 1000, 70_000)
        with open_instance(item) as fh:
            assert fh.read(4) == bytes([1000 % 256 + i for i in range(4)])
            fh.seek(0, os.SEEK_END)
            assert fh.tell() == 70_000 and fh.read(10) == b""
            fh.seek(69_998)
            assert fh.read(10) == (bytes(range(256)) * 1000)[70_998:71_000]
            fh.seek(0)
            assert fh.read() == path.read_bytes()[1000:71_000]

    def test_a_whole_file_is_read_whole(self, tmp_path: Path) -> None:
        path = tmp_path / "f"
        path.write_bytes(b"abc")
        assert read_instance_bytes(path) == b"abc"
        assert not InstanceFile(path).is_range

    def test_it_is_not_path_like(self, tmp_path: Path) -> None:
        with pytest.raises(TypeError):
            open(InstanceFile(tmp_path / "f", 10, 5), "rb")  # type: ignore[call-overload]  # noqa: PTH123, SIM115


class TestRetrievalIntoAPack:
    """The WADO-RS retriever with a pack as its sink factory, against a scripted server."""

    def test_the_end_of_an_answer_is_published_without_waiting_for_the_delay(
        self, store: CacheStore, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(pack_module, "SYNC_DELAY_S", 30.0)  # only flush() can end it
        monkeypatch.setattr(pack_module, "SYNC_BYTES", 1 << 40)
        made = [wado.instance(n) for n in range(1, 4)]
        body = wado.multipart([data for _sop, data in made])
        with wado.scripted_server(lambda _s: wado.stream_reply(body)) as server:
            started = time.monotonic()
            with store.pack_sinks(wado.STUDY) as pack:
                summary = wado.retriever_for(server.url).retrieve_series(
                    wado.STUDY, wado.SERIES, pack
                )
                took = time.monotonic() - started
        assert took < 10, "the retrieval waited for the pack's delay"
        assert summary.instances == 3
        assert store.cached_sop_uids(wado.STUDY) == {sop for sop, _data in made}
        assert [read_instance_bytes(f) for f in store.instance_files(wado.STUDY)] == [
            data for _sop, data in made
        ]

    def test_a_cut_mid_part_keeps_the_instances_before_it_and_gives_back_its_bytes(
        self, store: CacheStore
    ) -> None:
        made = [wado.instance(n) for n in range(1, 4)]
        body = wado.multipart([data for _sop, data in made])
        cut = body.index(made[2][1]) + 1500
        reply = wado.stream_reply(body[:cut], cut=True)
        with wado.scripted_server(lambda _s: reply) as server:
            with store.pack_sinks(wado.STUDY) as pack, pytest.raises(NetworkError):
                wado.retriever_for(server.url).retrieve_series(wado.STUDY, wado.SERIES, pack)
        assert store.cached_sop_uids(wado.STUDY) == {made[0][0], made[1][0]}
        (path,) = packs_of(store)
        assert path.stat().st_size == sum(on_disk(store, len(d)) for _s, d in made[:2])


def test_a_pack_is_written_the_same_where_the_os_has_no_pwrite(
    store: CacheStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pack_module, "_pwrite", pack_module._seek_and_write)  # Windows
    study = Study()
    (_a, first), (_b, cut), (_c, last) = (study.instance(number=n) for n in (1, 2, 3))
    with store.pack_sinks(study.uid) as pack:
        put(pack, first).commit()
        put(pack, cut[:700]).abort()
        put(pack, last).commit()
    assert [read_instance_bytes(f) for f in store.instance_files(study.uid)] == [first, last]


def test_after_a_failed_sync_nothing_more_of_the_pack_is_published(
    store: CacheStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = Study()
    started, release = threading.Event(), threading.Event()
    syncs: list[int] = []

    def failing_first(fd: int) -> None:
        syncs.append(fd)
        if len(syncs) == 1:
            started.set()
            release.wait(10)
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(pack_module, "_datasync", failing_first)
    with store.pack_sinks(study.uid) as pack:
        first = put(pack, study.instance(number=1)[1]).commit_async()
        pack.flush()
        assert started.wait(10)
        # Committed while the failing sync runs: its later sync would succeed (Linux
        # reports a lost write-back once), but its bytes may share the lost pages.
        second = put(pack, study.instance(number=2)[1]).commit_async()
        release.set()
        with pytest.raises(OSError):
            first.result(10)
    with pytest.raises(OSError):
        second.result(10)
    assert store.cached_sop_uids(study.uid) == set()
    assert len(syncs) == 1
    assert packs_of(store) == []


def test_opening_an_index_at_this_version_takes_no_write_lock(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    CacheIndex(path).close()
    writer = sql.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process writing for a long time
    opened: list[CacheIndex] = []
    thread = threading.Thread(target=lambda: opened.append(CacheIndex(path)), daemon=True)
    thread.start()
    thread.join(5)
    waited = not opened
    writer.execute("ROLLBACK")
    writer.close()
    thread.join(40)
    assert opened
    opened[0].close()
    assert not waited, "opening waited for the writer"


class TestWhatPacksHoldOnDisk:
    """The cache's size is what its packs take on disk, with what stays in them of
    instances replaced or removed; a pack no instance is left in goes at once."""

    @staticmethod
    def packed(store: CacheStore, study: Study, made: list[tuple[str, bytes]]) -> Path:
        with store.pack_sinks(study.uid) as pack:
            for _sop, data in made:
                put(pack, data).commit()
        return store.instance_files(study.uid)[0].path

    def test_a_pack_whose_instances_were_all_fetched_again_elsewhere_goes_at_once(
        self, store: CacheStore
    ) -> None:
        study = Study()
        made = [study.instance(number=n) for n in (1, 2, 3)]
        first = self.packed(store, study, made)
        again = self.packed(store, study, made)  # the series fetched again
        assert packs_of(store) == [again] and not first.exists()
        assert store.size() == again.stat().st_size == sum(on_disk(store, len(d)) for _s, d in made)

    def test_eviction_counts_what_instances_replaced_leave_in_their_pack(
        self, store: CacheStore
    ) -> None:
        study = Study()
        made = [study.instance(number=n) for n in (1, 2, 3)]
        pack = self.packed(store, study, made)
        live = sum(on_disk(store, len(d)) for _s, d in made)
        sink = store.begin_instance()  # the second one fetched again, a file of its own
        sink.write(made[1][1])
        sink.commit()
        assert pack.exists()  # it holds the first and the third
        held = pack.stat().st_size + on_disk(store, len(made[1][1]))
        assert store.size() == held > live
        (listed,) = store.studies()
        assert listed.size == held > sum(s.size for s in listed.series)
        report = store.evict(to_size=live)  # the instances fit, the disk does not
        assert report.evicted == [study.uid] and report.size_before == held
        assert store.size() == 0 and packs_of(store) == []

    def test_a_pack_whose_last_instance_verify_removes_goes(self, store: CacheStore) -> None:
        study = Study()
        made = [study.instance(number=n) for n in (1, 2)]
        pack = self.packed(store, study, made)
        with pack.open("r+b") as fh:  # both damaged
            for item in store.instance_files(study.uid):
                fh.seek(item.offset + (item.size or 0) - 8)
                fh.write(b"\xff" * 8)
        assert len(store.verify().damaged) == 2
        assert packs_of(store) == []
        copies = store.quarantined()  # what is left on disk: their copies, counted
        assert len(copies) == 2 and store.size() == sum(q.size for q in copies)

    def test_a_pack_its_writer_still_holds_stays_and_counts_until_start_up(
        self, tmp_path: Path
    ) -> None:
        study = Study()
        sop, data = study.instance()
        root = tmp_path / "c"
        with CacheStore(root, 10**9, temp_grace_s=0) as store:
            with store.pack_sinks(study.uid) as pack:
                put(pack, data).commit()
                sink = store.begin_instance()  # fetched again meanwhile, elsewhere
                sink.write(data)
                sink.commit()
                (held,) = packs_of(store)
                assert store.size() == 2 * len(data)  # it is still on disk
            assert held.exists()  # (its writer let go of it, published: start-up's)
        with CacheStore(root, 10**9, temp_grace_s=0) as store:
            assert packs_of(store) == [] and store.size() == len(data)
            assert store.cached_sop_uids(study.uid) == {sop}

    def test_start_up_counts_what_a_crashed_writer_left_past_its_last_instance(
        self, tmp_path: Path
    ) -> None:
        study = Study()
        made = [study.instance(number=n) for n in (1, 2)]
        root = tmp_path / "c"
        with CacheStore(root, 10**9) as store:
            pack = self.packed(store, study, made)
        with pack.open("ab") as fh:  # an instance written, never synced nor published
            fh.write(study.instance(number=3)[1])
        with CacheStore(root, 10**9) as store:
            assert store.size() == pack.stat().st_size > sum(len(d) for _s, d in made)
            assert store.studies()[0].size == pack.stat().st_size

    def test_a_pack_cut_before_its_first_instance_ends_goes_when_its_rows_do(
        self, tmp_path: Path
    ) -> None:
        study = Study()
        made = [study.instance(number=n) for n in (1, 2)]
        root = tmp_path / "c"
        with CacheStore(root, 10**9) as store:
            pack = self.packed(store, study, made)
        with pack.open("r+b") as fh:
            fh.truncate(100)
        with CacheStore(root, 10**9, temp_grace_s=0) as store:
            assert store.cached_sop_uids(study.uid) == set()
            assert packs_of(store) == [] and store.size() == 0
