"""An instance lands in the cache only where the request and the cache say it belongs:
never another study's instance in answer to a request, never into another patient's
study, never over an instance cached in another study; and only when it is whole."""

from __future__ import annotations

import io

import pydicom
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, RLELossless, generate_uid

from tests.support.http_server import Reply, Seen, scripted_server
from viewer.cache.checksum import file_checksum
from viewer.cache.sink import Accept, ForeignInstanceError
from viewer.cache.store import CacheStore
from viewer.dicomweb.session import make_session, retry_policy
from viewer.dicomweb.wado import RejectedInstancesError, WadoRetriever
from viewer.errors import InvalidDataError
from viewer.instance_file import read_instance_bytes

BOUNDARY = "hostile-0a1b"
MULTIPART = f'multipart/related; type="application/dicom"; boundary="{BOUNDARY}"'


def make_instance(
    study: str,
    series: str,
    sop: str,
    *,
    patient: tuple[str, str, str] = ("P1", "HOSP", "Li^Lei"),
    others: tuple[tuple[str, str], ...] = (),
    rows: int = 8,
    encapsulated: bool = False,
) -> bytes:
    """A small CT-like Part 10 instance (16-bit pixels), native or one RLE fragment."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = RLELossless if encapsulated else ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds.file_meta.MediaStorageSOPInstanceUID = sop
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds.SOPInstanceUID, ds.StudyInstanceUID, ds.SeriesInstanceUID = sop, study, series
    ds.PatientID, ds.IssuerOfPatientID, ds.PatientName = patient
    if others:
        ds.OtherPatientIDsSequence = Sequence([Dataset() for _ in others])
        for item, (pid, issuer) in zip(ds.OtherPatientIDsSequence, others, strict=True):
            item.PatientID, item.IssuerOfPatientID = pid, issuer
    ds.Modality, ds.InstanceNumber = "CT", 1
    ds.Rows = ds.Columns = rows
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
    pixels = bytes(range(256)) * (rows * rows * 2 // 256 + 1)
    if encapsulated:
        ds.PixelData = encapsulate([pixels[:64]])  # what the fragment holds is not checked here
        ds["PixelData"].VR = "OB"
    else:
        ds.PixelData = pixels[: rows * rows * 2]
        ds["PixelData"].VR = "OW"
    out = io.BytesIO()
    pydicom.dcmwrite(out, ds, enforce_file_format=True)
    return out.getvalue()


def multipart(*parts: bytes) -> bytes:
    body = b"".join(
        b"--%s\r\nContent-Type: application/dicom\r\n\r\n%s\r\n" % (BOUNDARY.encode(), p)
        for p in parts
    )
    return body + b"--%s--\r\n" % BOUNDARY.encode()


def serve(body: bytes) -> Reply:
    return Reply(200, headers={"Content-Type": MULTIPART}, body=body)


def retriever(url: str) -> WadoRetriever:
    return WadoRetriever(make_session(retries=retry_policy(total=0)), url + "/dicom-web", "hostile")


def commit(store: CacheStore, data: bytes, accept: Accept | None = None) -> None:
    sink = store.begin_instance(accept) if accept else store.begin_instance()
    sink.write(data)
    sink.commit()


def cached_bytes(store: CacheStore, study: str) -> list[bytes]:
    return sorted(read_instance_bytes(f) for f in store.instance_files(study))


class Patient:
    """Study B of patient Li Lei, already in the cache; study A is being fetched."""

    def __init__(self, store: CacheStore) -> None:
        self.study_a, self.series_a = generate_uid(), generate_uid()
        self.study_b, self.series_b, self.sop_b = generate_uid(), generate_uid(), generate_uid()
        commit(store, make_instance(self.study_b, self.series_b, self.sop_b))
        self.before = cached_bytes(store, self.study_b)
        self.evil = make_instance(
            self.study_b, self.series_b, self.sop_b, patient=("X9", "HOSP", "EVIL^REPLACED")
        )


@pytest.mark.parametrize("request_kind", ["study", "series", "instance"])
def test_an_answer_with_another_studys_instance_is_refused_and_the_cache_is_unchanged(
    store: CacheStore, request_kind: str
) -> None:
    b = Patient(store)
    with scripted_server(lambda _s: serve(multipart(b.evil))) as server:
        wado = retriever(server.url)
        with pytest.raises(RejectedInstancesError) as raised:
            if request_kind == "study":
                with store.pack_sinks(b.study_a) as pack:
                    wado.retrieve_study(b.study_a, pack)
            elif request_kind == "series":
                with store.pack_sinks(b.study_a) as pack:
                    wado.retrieve_series(b.study_a, b.series_a, pack)
            else:
                wado.retrieve_instance(b.study_a, b.series_a, generate_uid(), store)
    assert raised.value.foreign == 1
    assert str(raised.value).startswith("hostile: ") and "did not ask for" in str(raised.value)
    assert cached_bytes(store, b.study_b) == b.before
    assert store.study(b.study_a) is None
    assert [s.patient_name for s in store.studies()] == ["Li^Lei"]


def test_an_instance_answer_with_another_instance_of_the_series_is_refused(
    store: CacheStore,
) -> None:
    study, series = generate_uid(), generate_uid()
    other = make_instance(study, series, generate_uid())
    with scripted_server(lambda _s: serve(multipart(other))) as server:
        with pytest.raises(RejectedInstancesError, match="did not ask for"):
            retriever(server.url).retrieve_instance(study, series, generate_uid(), store)
    assert store.studies() == []


def test_a_series_answer_may_not_bring_another_series_of_the_study(store: CacheStore) -> None:
    study, asked, other = generate_uid(), generate_uid(), generate_uid()
    good = make_instance(study, asked, generate_uid())
    stray = make_instance(study, other, generate_uid())
    with scripted_server(lambda _s: serve(multipart(good, stray))) as server:
        with store.pack_sinks(study) as pack, pytest.raises(RejectedInstancesError) as raised:
            retriever(server.url).retrieve_series(study, asked, pack)
    assert raised.value.summary.instances == 1  # what was asked for is kept
    assert store.cached_sop_uids(study, other) == set()


def test_a_sink_refuses_what_its_request_did_not_name(store: CacheStore) -> None:
    study, series, sop = generate_uid(), generate_uid(), generate_uid()
    accept = Accept("platform", study, series, sop)
    with pytest.raises(ForeignInstanceError, match=r"^platform: "):
        commit(store, make_instance(study, series, generate_uid()), accept)
    commit(store, make_instance(study, series, sop), accept)
    assert store.cached_sop_uids(study) == {sop}


def test_an_instance_of_a_cached_study_with_another_patient_is_refused(store: CacheStore) -> None:
    b = Patient(store)
    stranger = make_instance(
        b.study_b, b.series_b, generate_uid(), patient=("X9", "HOSP", "Li^Lei")
    )
    with pytest.raises(ForeignInstanceError, match="cached for another patient"):
        commit(store, stranger)
    assert cached_bytes(store, b.study_b) == b.before


def test_a_name_alone_never_makes_the_same_patient(store: CacheStore) -> None:
    b = Patient(store)  # Li^Lei, P1 of HOSP
    same_name = make_instance(
        b.study_b, b.series_b, generate_uid(), patient=("P2", "HOSP", "Li^Lei")
    )
    with pytest.raises(ForeignInstanceError):
        commit(store, same_name)


def test_the_same_study_from_a_source_that_links_the_id_joins_it(store: CacheStore) -> None:
    b = Patient(store)  # the platform's copy: P1 of HOSP
    pacs_copy = make_instance(
        b.study_b,
        b.series_b,
        generate_uid(),
        patient=("MRN7", "PACS", "Li^Lei"),
        others=(("P1", "HOSP"),),
    )
    commit(store, pacs_copy)
    assert len(store.cached_sop_uids(b.study_b)) == 2


def test_an_instance_cached_in_one_study_is_never_moved_into_another(store: CacheStore) -> None:
    b = Patient(store)
    moved = make_instance(b.study_a, b.series_a, b.sop_b)  # same patient, B's SOP UID
    with pytest.raises(ForeignInstanceError, match="cached in another study"):
        commit(store, moved)
    assert cached_bytes(store, b.study_b) == b.before
    assert store.study(b.study_a) is None


def test_a_series_cached_in_one_study_is_never_joined_to_another(store: CacheStore) -> None:
    b = Patient(store)
    with pytest.raises(ForeignInstanceError, match=r"series .* is cached in another study"):
        commit(store, make_instance(b.study_a, b.series_b, generate_uid()))


# -- whole as DICOM ---------------------------------------------------------------------------
def whole() -> bytes:
    return make_instance(generate_uid(), generate_uid(), generate_uid())


def cut_pixel_length(data: bytes, by: int) -> bytes:
    """The instance with its Pixel Data declared (and holding) ``by`` bytes fewer."""
    at = data.rindex(b"\xe0\x7f\x10\x00OW")
    length = int.from_bytes(data[at + 8 : at + 12], "little")
    return data[: at + 8] + (length - by).to_bytes(4, "little") + data[at + 12 : len(data) - by]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda d: d[: len(d) - 100], id="cut-inside-pixel-data"),
        pytest.param(lambda d: cut_pixel_length(d, 2), id="pixel-data-shorter-than-its-image"),
        pytest.param(lambda d: d + b"\x08\x00\x30\x10LO\x20\x00abc", id="cut-element-after-pixels"),
        pytest.param(
            lambda d: make_instance(
                generate_uid(), generate_uid(), generate_uid(), encapsulated=True
            )[:-8],
            id="encapsulated-without-its-delimiter",
        ),
    ],
)
def test_an_instance_that_is_not_whole_is_never_committed(
    store: CacheStore, damage: object
) -> None:
    data = damage(whole())  # type: ignore[operator]
    with pytest.raises(InvalidDataError, match=r"cut short|needs|not a whole|no end"):
        commit(store, data)
    assert store.studies() == []


def test_a_cut_off_instance_that_ends_at_its_boundary_is_refused_by_retrieval(
    store: CacheStore,
) -> None:
    study, series = generate_uid(), generate_uid()
    good = make_instance(study, series, generate_uid())
    cut = make_instance(study, series, generate_uid())[:-50]  # inside its pixel data
    with scripted_server(lambda _s: serve(multipart(good, cut))) as server:
        with store.pack_sinks(study) as pack, pytest.raises(RejectedInstancesError) as raised:
            retriever(server.url).retrieve_series(study, series, pack)
    assert raised.value.summary.instances == 1 and raised.value.foreign == 0
    assert len(store.cached_sop_uids(study)) == 1


@pytest.mark.parametrize("encapsulated", [False, True])
def test_a_whole_instance_with_trailing_padding_is_committed(
    store: CacheStore, encapsulated: bool
) -> None:
    data = make_instance(generate_uid(), generate_uid(), generate_uid(), encapsulated=encapsulated)
    padding = b"\xfc\xff\xfc\xffOB\x00\x00" + (4).to_bytes(4, "little") + b"\x00" * 4
    commit(store, data + padding)
    assert len(store.studies()) == 1


def test_verify_finds_a_cut_off_copy_that_an_older_version_committed(store: CacheStore) -> None:
    # Such a copy has the checksum of what arrived, so the checksum alone calls it sound.
    study = generate_uid()
    commit(store, make_instance(study, generate_uid(), generate_uid()))
    (cached,) = store.instance_files(study)
    cut = read_instance_bytes(cached)[:-50]
    cached.path.write_bytes(cut)  # in clear: older versions did not seal
    with store._index.transaction() as conn:  # what an older version indexed
        conn.execute(
            "UPDATE instance SET size = ?, checksum = ?", (len(cut), file_checksum(cached.path))
        )
    report = store.verify()
    assert [d.kind for d in report.damaged] == ["unreadable"]
    assert "not a whole DICOM instance" in report.damaged[0].detail
    assert store.instance_files(study) == []


def test_a_fetch_from_a_source_that_answers_with_another_study_fails_naming_it(
    store: CacheStore,
) -> None:
    # The whole path a user runs (inventory, the series request, then the per-instance
    # fallback): every answer is study B's instance; study B's cached copy is untouched.
    from viewer.dicomweb.client import DicomwebClient
    from viewer.retrieve.fetch import fetch_into_cache
    from viewer.sources.dicomweb import DicomwebSource

    b = Patient(store)
    sop_a = generate_uid()

    def script(seen: Seen) -> Reply:
        path = seen.path.split("?")[0]
        if path.endswith(f"/studies/{b.study_a}/series"):
            return Reply(200, [{"0020000E": {"vr": "UI", "Value": [b.series_a]}}])
        if path.endswith("/instances"):
            return Reply(200, [{"00080018": {"vr": "UI", "Value": [sop_a]}}])
        return serve(multipart(b.evil))

    with scripted_server(script) as server:
        client = DicomwebClient(server.url + "/dicom-web", make_session(), name="hostile")
        with pytest.raises(RejectedInstancesError, match=r"^hostile: .*did not ask for"):
            fetch_into_cache(DicomwebSource("hostile", "", client), store, b.study_a)
        asked = [s.path.split("?")[0] for s in server.seen]
    assert any(p.endswith(f"/instances/{sop_a}") for p in asked)  # the fallback ran too
    assert cached_bytes(store, b.study_b) == b.before
    assert store.cached_sop_uids(b.study_a) == set()


def with_syntax(data: bytes, syntax: str) -> bytes:
    """``data`` re-encoded by pydicom in the implicit VR or the deflated syntax."""
    from pydicom.uid import DeflatedExplicitVRLittleEndian, ImplicitVRLittleEndian

    ds = pydicom.dcmread(io.BytesIO(data))
    implicit = syntax == "implicit"
    ds.file_meta.TransferSyntaxUID = (
        ImplicitVRLittleEndian if implicit else DeflatedExplicitVRLittleEndian
    )
    out = io.BytesIO()
    ds.save_as(out, implicit_vr=implicit, enforce_file_format=True)
    return out.getvalue()


def test_a_deflated_instance_the_walk_cannot_read_is_checked_by_pydicom(store: CacheStore) -> None:
    data = with_syntax(whole(), "deflated")
    commit(store, data)
    with pytest.raises(InvalidDataError):
        commit(store, data[: len(data) * 2 // 3])
    assert len(store.studies()) == 1
