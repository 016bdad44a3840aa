"""What the checks of an arriving instance must let through, and the holes a review found:
YBR_FULL_422 pixels, zero padding, headers longer than the first bytes walked, the IDs a
study learns through links, a race between two processes, deflate bombs, big-endian cuts."""

from __future__ import annotations

import io
import threading
import zlib
from pathlib import Path

import pydicom
import pytest
from pydicom.uid import (
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    generate_uid,
)

from tests.unit.test_instances_land_only_where_asked import commit, make_instance
from viewer.cache import identity, whole
from viewer.cache.sink import ForeignInstanceError
from viewer.cache.store import CacheStore
from viewer.errors import InvalidDataError


def reencoded(data: bytes, change: object = None, syntax: str = ExplicitVRLittleEndian) -> bytes:
    ds = pydicom.dcmread(io.BytesIO(data))
    if callable(change):
        change(ds)
    ds.file_meta.TransferSyntaxUID = syntax
    out = io.BytesIO()
    if syntax == ExplicitVRBigEndian:  # the pixel bytes stay as they are: not checked here
        pydicom.dcmwrite(out, ds, implicit_vr=False, little_endian=False, force_encoding=True)
    else:
        ds.save_as(out, enforce_file_format=True)
    return out.getvalue()


def uids() -> tuple[str, str, str]:
    return generate_uid(), generate_uid(), generate_uid()


def test_native_ybr_full_422_is_two_samples_a_pixel_and_is_committed(store: CacheStore) -> None:
    def ybr(ds: pydicom.Dataset) -> None:
        ds.SamplesPerPixel, ds.PhotometricInterpretation, ds.PlanarConfiguration = (
            3,
            "YBR_FULL_422",
            0,
        )
        ds.BitsAllocated = ds.BitsStored = 8
        ds.HighBit = 7
        ds.PixelData = bytes(8 * 8 * 2)  # 4:2:2: two samples a pixel (PS3.3 C.7.6.3.1.2)
        ds["PixelData"].VR = "OB"

    commit(store, reencoded(make_instance(*uids()), ybr))
    assert len(store.studies()) == 1


@pytest.mark.parametrize("padding", [6, 2048])
def test_zero_bytes_after_the_data_set_are_padding(store: CacheStore, padding: int) -> None:
    commit(store, make_instance(*uids()) + bytes(padding))
    assert len(store.studies()) == 1


def test_a_header_longer_than_the_first_bytes_is_walked_to_its_end(store: CacheStore) -> None:
    def long_header(ds: pydicom.Dataset) -> None:
        ds.add_new(0x00091010, "LO", "PRIVATE")  # a private creator, then 100 KB
        ds.add_new(0x00091011, "OB", bytes(100_000))

    data = reencoded(make_instance(*uids()), long_header)
    commit(store, data)
    with pytest.raises(InvalidDataError, match=r"cut short|needs"):
        commit(store, reencoded(make_instance(*uids()), long_header)[:-40])
    assert len(store.studies()) == 1


def test_the_walk_never_reads_more_than_a_window_at_a_time() -> None:
    data = reencoded(
        make_instance(*uids()), lambda ds: ds.add_new(0x00091011, "OB", bytes(300_000))
    )
    biggest = [0]

    def read_at(offset: int, count: int) -> bytes:
        biggest[0] = max(biggest[0], count)
        return data[offset : offset + count]

    whole.require_whole(read_at, len(data), None)
    assert biggest[0] <= 1 << 16


def test_an_id_a_study_learned_through_a_link_admits_the_next_instances(store: CacheStore) -> None:
    study, series = generate_uid(), generate_uid()
    platform = ("P-PLAT", "PLATFORM", "Li^Lei")
    commit(store, make_instance(study, series, generate_uid(), patient=platform))
    hospital = ("H123", "HOSP", "Li^Lei")
    linked = make_instance(
        study, series, generate_uid(), patient=hospital, others=(("P-PLAT", "PLATFORM"),)
    )
    commit(store, linked)
    commit(store, make_instance(study, series, generate_uid(), patient=hospital))  # no link
    assert len(store.cached_sop_uids(study)) == 3
    (cached,) = store.studies()
    assert ("P-PLAT", "PLATFORM") not in cached.other_patient_ids  # its own ID is not "other"


def test_a_study_cached_for_another_patient_by_another_process_meanwhile_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Store 1 checks ALICE's instance, then store 2 (a nightly prefetch, say) caches the
    # same study for BOB before store 1 writes its rows: the check under the index's
    # write lock must refuse ALICE's.
    study, series = generate_uid(), generate_uid()
    with CacheStore(tmp_path / "c", 10**9) as one, CacheStore(tmp_path / "c", 10**9) as two:
        early = identity.refusals
        checked = threading.Event()

        def check_then_let_the_other_in(conn: object, headers: object) -> dict[int, str]:
            found = early(conn, headers)  # type: ignore[arg-type]
            if not checked.is_set():
                checked.set()
                commit(
                    two, make_instance(study, series, generate_uid(), patient=("B2", "H", "BOB"))
                )
            return found

        monkeypatch.setattr(identity, "refusals", check_then_let_the_other_in)
        with pytest.raises(ForeignInstanceError, match="another patient"):
            commit(one, make_instance(study, series, generate_uid(), patient=("A1", "H", "ALICE")))
        monkeypatch.undo()
        (cached,) = one.studies()
        assert cached.patient_name == "BOB" and len(one.cached_sop_uids(study)) == 1


def deflated_zeros(count: int) -> bytes:
    bomb = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return bomb.compress(bytes(count)) + bomb.flush()


@pytest.fixture(autouse=True)
def small_deflate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(whole, "DEFLATE_LIMIT", 8 << 20)  # 1 GiB in use: the rule is the same


def test_a_deflate_bomb_is_refused_before_it_is_inflated() -> None:
    body = deflated_zeros(20 << 20)
    assert len(body) < 40_000
    with pytest.raises(InvalidDataError, match="inflates beyond"):
        whole.require_bounded_inflation(body)
    whole.require_bounded_inflation(zlib.compress(b"x" * 1000)[2:-4])


def test_a_deflated_bomb_instance_is_refused_before_a_reader_inflates_it(
    store: CacheStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from viewer.cache import incoming

    def inflating_reader(_source: object) -> None:
        raise AssertionError("pydicom would inflate it whole")

    monkeypatch.setattr(incoming, "read_header", inflating_reader)
    data = reencoded(make_instance(*uids()), syntax=DeflatedExplicitVRLittleEndian)
    _syntax, meta_end = whole._meta_syntax(data)  # the deflated data set follows the meta
    with pytest.raises(InvalidDataError, match="inflates beyond"):
        commit(store, data[:meta_end] + deflated_zeros(20 << 20))
    assert store.studies() == []


def test_a_big_endian_instance_cut_short_is_refused(store: CacheStore) -> None:
    data = reencoded(make_instance(*uids()), syntax=ExplicitVRBigEndian)
    with pytest.raises(InvalidDataError):
        commit(store, data[:-40])
    commit(store, data)
    assert len(store.studies()) == 1


def test_a_file_left_by_a_crash_is_not_adopted_into_another_patients_study(tmp_path: Path) -> None:
    # A writer killed between its rename and its row; meanwhile the study was cached for
    # another patient: start-up quarantines the file instead of indexing it.
    root, study, series = tmp_path / "cache", generate_uid(), generate_uid()
    with CacheStore(root, 10**9) as store:
        commit(store, make_instance(study, series, generate_uid(), patient=("B2", "H", "BOB")))
    sop = generate_uid()
    left = root / study / series / f"{sop}.dcm"
    left.write_bytes(make_instance(study, series, sop, patient=("A1", "H", "ALICE")))
    with CacheStore(root, 10**9) as store:
        assert sop not in store.cached_sop_uids(study)
        assert [s.patient_name for s in store.studies()] == ["BOB"]
    assert not left.exists()
