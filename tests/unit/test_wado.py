"""WADO-RS retrieval against a scripted local server: what is asked, what gets committed."""

from __future__ import annotations

import errno
import io
import os
import stat
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pydicom
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

from tests.support.http_server import Reply, Seen, scripted_server
from tests.unit.test_cache_store import half_written
from viewer.cache.sink import Accept, CachedInstance
from viewer.cache.store import CacheStore
from viewer.dicomweb.client import DicomwebClient
from viewer.dicomweb.session import Timeouts, make_session, retry_policy
from viewer.dicomweb.wado import RejectedInstancesError, RetrievalSummary, WadoRetriever
from viewer.errors import (
    AuthError,
    CancelledError,
    DiskFullError,
    InvalidDataError,
    NetworkError,
    NotFoundError,
    ServerError,
)
from viewer.instance_file import read_instance_bytes
from viewer.uids import require_uid

STUDY = "1.2.826.0.1.3680043.8.498.1"
SERIES = "1.2.826.0.1.3680043.8.498.2"
BOUNDARY = "wado-7f3a"
MULTIPART = f'multipart/related; type="application/dicom"; boundary="{BOUNDARY}"'
ACCEPT = 'multipart/related; type="application/dicom"; transfer-syntax=*'


# -- a cache sink for tests: temp file, fsync, atomic rename (what the cache does) ----------
class DirSink:
    def __init__(self, factory: DirSinks) -> None:
        self.factory = factory
        fd, name = tempfile.mkstemp(dir=factory.temp_dir, suffix=".part")
        self.temp = Path(name)
        self.file = os.fdopen(fd, "wb")

    def write(self, data: bytes | memoryview) -> None:
        self.file.write(data)

    def commit(self) -> CachedInstance:
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        try:
            ds = pydicom.dcmread(self.temp, stop_before_pixels=True)
            uids = [require_uid(ds.get(k)) for k in ("StudyInstanceUID", "SeriesInstanceUID")]
            sop = require_uid(ds.get("SOPInstanceUID"))
            syntax = str(ds.file_meta.TransferSyntaxUID)
        except Exception as err:
            self.temp.unlink()
            raise InvalidDataError(f"not a DICOM file: {type(err).__name__}") from err
        final = self.factory.root / uids[0] / uids[1] / f"{sop}.dcm"
        final.parent.mkdir(parents=True, exist_ok=True)
        self.temp.replace(final)
        self.factory.committed.append(sop)
        return CachedInstance(*uids, sop, final, final.stat().st_size, "", syntax)

    def abort(self) -> None:
        self.file.close()
        self.temp.unlink(missing_ok=True)
        self.factory.aborted += 1


class DirSinks:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.temp_dir = root / ".tmp"
        self.temp_dir.mkdir(parents=True)
        self.committed: list[str] = []
        self.aborted = 0
        self.accepts: list[Accept] = []  # what each sink was told it may accept

    def begin_instance(self, accept: Accept) -> DirSink:
        self.accepts.append(accept)
        return DirSink(self)

    def stored(self, sop: str, series: str = SERIES) -> bytes:
        return (self.root / STUDY / series / f"{sop}.dcm").read_bytes()

    def leftovers(self) -> list[Path]:
        return list(self.temp_dir.iterdir())


@pytest.fixture
def sinks(tmp_path: Path) -> DirSinks:
    return DirSinks(tmp_path / "cache")


# -- synthetic instances and answers ---------------------------------------------------------
def instance(n: int, pixel_bytes: int = 4000, series: str = SERIES) -> tuple[str, bytes]:
    """A small Part 10 file whose pixel data is full of CRLFs and dashes."""
    sop = f"1.2.826.0.1.3680043.8.498.3.{n}"
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.file_meta.MediaStorageSOPInstanceUID = sop
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.SOPInstanceUID = sop
    ds.StudyInstanceUID = STUDY
    ds.SeriesInstanceUID = series
    ds.InstanceNumber = n
    pattern = b"\r\n--" + BOUNDARY.encode()[:-1] + b"\r\r\n-"
    ds.PixelData = (pattern * (pixel_bytes // len(pattern) + 1))[: pixel_bytes & ~1]
    ds["PixelData"].VR = "OB"
    buffer = io.BytesIO()
    pydicom.dcmwrite(buffer, ds, enforce_file_format=True)
    return sop, buffer.getvalue()


def multipart(files: list[bytes], *, close: bool = True) -> bytes:
    out = b""
    for data in files:
        out += b"--%s\r\nContent-Type: application/dicom\r\n\r\n%s\r\n" % (BOUNDARY.encode(), data)
    return out + (b"--%s--\r\n" % BOUNDARY.encode() if close else b"")


def pieces(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def stream_reply(data: bytes, size: int = 1000, **kwargs: object) -> Reply:
    return Reply(200, headers={"Content-Type": MULTIPART}, stream=pieces(data, size), **kwargs)  # type: ignore[arg-type]


def retriever_for(url: str, **session_args: object) -> WadoRetriever:
    session_args.setdefault("retries", retry_policy(total=0))
    session = make_session(**session_args)  # type: ignore[arg-type]
    return WadoRetriever(session, url + "/dicom-web", "test")


def cut_in_two(body: bytes, split: int) -> Reply:
    """The body in two pieces, the second a while after the first: the client's second
    read waits for it, then takes all of it at once."""
    return Reply(
        200,
        headers={"Content-Type": MULTIPART},
        stream=[body[:split], body[split:]],
        piece_delay=0.3,
    )


def cancel_after(received: int) -> dict[str, object]:
    """Callbacks that say "cancelled" once more than ``received`` bytes have come: the
    cancel came during the read that brought them (before its bytes are parsed)."""
    seen = [0]

    def on_bytes(count: int) -> None:
        seen[0] += count

    return {"on_bytes": on_bytes, "cancelled": lambda: seen[0] > received}


@pytest.fixture
def three() -> list[tuple[str, bytes]]:
    return [instance(n) for n in range(1, 4)]


# -- tests ---------------------------------------------------------------------------------
class TestRequest:
    def test_series_is_asked_in_any_transfer_syntax_at_its_path(
        self, sinks: DirSinks, three: list[tuple[str, bytes]]
    ) -> None:
        body = multipart([f for _, f in three])
        with scripted_server(lambda _s: stream_reply(body)) as server:
            retriever_for(server.url).retrieve_series(STUDY, SERIES, sinks)
        assert server.seen[0].path == f"/dicom-web/studies/{STUDY}/series/{SERIES}"
        assert server.seen[0].headers["accept"] == ACCEPT

    def test_study_and_instance_paths(self, sinks: DirSinks) -> None:
        sop, data = instance(1)
        with scripted_server(lambda _s: stream_reply(multipart([data]))) as server:
            retriever = retriever_for(server.url)
            retriever.retrieve_study(STUDY, sinks)
            retriever.retrieve_instance(STUDY, SERIES, sop, sinks)
        assert [s.path for s in server.seen] == [
            f"/dicom-web/studies/{STUDY}",
            f"/dicom-web/studies/{STUDY}/series/{SERIES}/instances/{sop}",
        ]

    @pytest.mark.parametrize("bad", ["", "1.2.abc", "../1.2", "1.2/../../etc", "01.2"])
    def test_a_bad_uid_is_refused_before_any_request(self, sinks: DirSinks, bad: str) -> None:
        with scripted_server(lambda _s: Reply(500)) as server:
            retriever = retriever_for(server.url)
            with pytest.raises(InvalidDataError):
                retriever.retrieve_study(bad, sinks)
            with pytest.raises(InvalidDataError):
                retriever.retrieve_instance(STUDY, SERIES, bad, sinks)
        assert server.seen == []

    def test_a_dicomweb_client_can_be_the_source(self, sinks: DirSinks) -> None:
        _, data = instance(1)
        with scripted_server(lambda _s: stream_reply(multipart([data]))) as server:
            session = make_session(retries=retry_policy(total=0))
            client = DicomwebClient(server.url + "/dicom-web/", session, name="platform")
            summary = WadoRetriever(client).retrieve_series(STUDY, SERIES, sinks)
        assert summary.instances == 1


class TestCommitted:
    @pytest.mark.parametrize("chunked", [False, True])
    @pytest.mark.parametrize("size", [1, 7, 1000, 1 << 20])
    def test_every_instance_is_stored_byte_for_byte(
        self, sinks: DirSinks, three: list[tuple[str, bytes]], chunked: bool, size: int
    ) -> None:
        if size == 1:
            three = three[:1]  # one byte per network write is slow; one instance suffices
        body = multipart([f for _, f in three])
        with scripted_server(lambda _s: stream_reply(body, size, chunked=chunked)) as server:
            summary = retriever_for(server.url).retrieve_series(STUDY, SERIES, sinks)
        assert (summary.instances, summary.sop_uids) == (len(three), tuple(s for s, _ in three))
        # Reading stops at the closing delimiter: its CRLF may be left unread.
        assert len(body) - 2 <= summary.bytes <= len(body)
        for sop, data in three:
            assert sinks.stored(sop) == data
        assert sinks.leftovers() == []

    def test_progress_reports_each_instance_and_every_byte(
        self, sinks: DirSinks, three: list[tuple[str, bytes]]
    ) -> None:
        body = multipart([f for _, f in three])
        seen: list[CachedInstance] = []
        counted: list[int] = []
        with scripted_server(lambda _s: stream_reply(body, 997)) as server:
            retriever_for(server.url).retrieve_series(
                STUDY, SERIES, sinks, on_instance=seen.append, on_bytes=counted.append
            )
        assert [i.sop_uid for i in seen] == [s for s, _ in three]
        assert len(body) - 2 <= sum(counted) <= len(body)

    def test_no_content_means_no_instances(self, sinks: DirSinks) -> None:
        with scripted_server(lambda _s: Reply(204)) as server:
            summary = retriever_for(server.url).retrieve_study(STUDY, sinks)
        assert summary == RetrievalSummary(0, 0, ())


class TestDroppedConnection:
    @pytest.mark.parametrize("chunked", [False, True])
    def test_a_cut_mid_part_aborts_it_and_keeps_the_committed_ones(
        self, sinks: DirSinks, three: list[tuple[str, bytes]], chunked: bool
    ) -> None:
        body = multipart([f for _, f in three])
        cut = body.index(three[2][1]) + 1500  # inside the third instance
        reply = stream_reply(body[:cut], chunked=chunked, cut=True)
        with scripted_server(lambda _s: reply) as server:
            with pytest.raises(NetworkError, match="dropped"):
                retriever_for(server.url).retrieve_series(STUDY, SERIES, sinks)
        assert sinks.committed == [three[0][0], three[1][0]]
        assert sinks.aborted == 1
        assert sinks.leftovers() == []

    def test_a_cut_between_parts_commits_all_complete_parts(
        self, sinks: DirSinks, three: list[tuple[str, bytes]]
    ) -> None:
        # The delimiter after the last part has come, its closing "--" has not.
        body = multipart([f for _, f in three], close=False) + b"--" + BOUNDARY.encode()
        with scripted_server(lambda _s: stream_reply(body, cut=True)) as server:
            with pytest.raises(NetworkError):
                retriever_for(server.url).retrieve_series(STUDY, SERIES, sinks)
        assert sinks.committed == [s for s, _ in three]

    def test_a_stalled_server_hits_the_idle_timeout(self, sinks: DirSinks) -> None:
        _, data = instance(1, pixel_bytes=20_000)
        reply = stream_reply(multipart([data]), 5000, piece_delay=1.5)
        with scripted_server(lambda _s: reply) as server:
            retriever = retriever_for(server.url, timeouts=Timeouts(connect=1, read=0.3))
            with pytest.raises(NetworkError):
                retriever.retrieve_series(STUDY, SERIES, sinks)
        assert sinks.committed == []
        assert sinks.aborted == 1

    def test_a_slow_transfer_has_no_overall_deadline(self, sinks: DirSinks) -> None:
        sop, data = instance(1, pixel_bytes=20_000)
        reply = stream_reply(multipart([data]), 2000, piece_delay=0.1)  # ~1.1 s in all
        with scripted_server(lambda _s: reply) as server:
            retriever = retriever_for(server.url, timeouts=Timeouts(connect=1, read=0.4))
            retriever.read_size = 4096  # reads return as data comes, not once 1 MiB is in
            summary = retriever.retrieve_series(STUDY, SERIES, sinks)
        assert summary.sop_uids == (sop,)

    def test_refused_connection_is_a_network_error(self, sinks: DirSinks) -> None:
        with scripted_server(lambda _s: Reply()) as server:
            url = server.url
        with pytest.raises(NetworkError, match="cannot reach"):
            retriever_for(url).retrieve_study(STUDY, sinks)


class TestCancel:
    def test_cancel_aborts_the_open_part_and_keeps_the_committed_ones(
        self, sinks: DirSinks, three: list[tuple[str, bytes]]
    ) -> None:
        body = multipart([f for _, f in three])
        inside_second = body.index(three[1][1]) + 2000  # the cancel comes in its middle
        done: list[CachedInstance] = []
        with scripted_server(lambda _s: stream_reply(body, 1000)) as server:
            retriever = retriever_for(server.url)
            retriever.read_size = 1000
            with pytest.raises(CancelledError):
                retriever.retrieve_series(
                    STUDY, SERIES, sinks, on_instance=done.append, **cancel_after(inside_second)
                )
        assert [c.sop_uid for c in done] == [three[0][0]]
        assert sinks.committed == [three[0][0]]
        assert sinks.aborted == 1
        assert sinks.leftovers() == []

    def test_a_cancel_during_a_read_lets_only_the_part_in_flight_end(self, sinks: DirSinks) -> None:
        """The cancel comes while a read waits; that read brings the rest of the instance
        in flight and nine more whole ones (a read takes up to 1 MiB: twenty small
        instances). Only the one in flight is committed; no part begins after the cancel."""
        made = [instance(n) for n in range(1, 11)]
        body = multipart([f for _, f in made])
        split = body.index(made[0][1]) + 1000  # inside the first instance
        done: list[CachedInstance] = []
        with scripted_server(lambda _s: cut_in_two(body, split)) as server:
            with pytest.raises(CancelledError):
                retriever_for(server.url).retrieve_series(
                    STUDY, SERIES, sinks, on_instance=done.append, **cancel_after(split)
                )
        assert [c.sop_uid for c in done] == sinks.committed == [made[0][0]]
        assert sinks.aborted == 0  # the second part was never begun
        assert sinks.leftovers() == []

    def test_a_cancel_while_a_read_waits_on_a_stalled_link_ends_it_at_once(
        self, sinks: DirSinks, three: list[tuple[str, bytes]]
    ) -> None:
        body = multipart([f for _, f in three])
        split = body.index(three[1][1]) + 1000  # then the link stalls inside the second
        stalled = Reply(
            200,
            headers={"Content-Type": MULTIPART},
            stream=[body[:split], body[split:]],
            piece_delay=60,
        )
        pressed = threading.Event()
        threading.Timer(0.5, pressed.set).start()  # the doctor presses Cancel
        done: list[CachedInstance] = []
        with scripted_server(lambda _s: stalled) as server:
            started = time.monotonic()
            with pytest.raises(CancelledError):
                retriever_for(server.url).retrieve_series(
                    STUDY, SERIES, sinks, on_instance=done.append, cancelled=pressed.is_set
                )
            took = time.monotonic() - started
        assert took < 5, f"the cancel waited for the stalled read ({took:.1f} s)"
        assert [c.sop_uid for c in done] == sinks.committed == [three[0][0]]
        assert sinks.leftovers() == []

    def test_cancelled_before_the_start_sends_nothing(self, sinks: DirSinks) -> None:
        with scripted_server(lambda _s: Reply(500)) as server:
            with pytest.raises(CancelledError):
                retriever_for(server.url).retrieve_study(STUDY, sinks, cancelled=lambda: True)
        assert server.seen == []


class TestErrors:
    @pytest.mark.parametrize(
        ("status", "error"),
        [(401, AuthError), (403, AuthError), (404, NotFoundError), (500, ServerError)],
    )
    def test_error_statuses_are_typed_errors(
        self, sinks: DirSinks, status: int, error: type[Exception]
    ) -> None:
        with scripted_server(lambda _s: Reply(status, "no")) as server:
            with pytest.raises(error, match=f"HTTP {status}"):
                retriever_for(server.url).retrieve_study(STUDY, sinks)

    def test_an_answer_that_is_not_multipart_is_invalid_data(self, sinks: DirSinks) -> None:
        with scripted_server(lambda _s: Reply(200, [])) as server:
            with pytest.raises(InvalidDataError, match="test: expected a multipart"):
                retriever_for(server.url).retrieve_study(STUDY, sinks)

    def test_a_malformed_body_is_invalid_data_and_leaves_nothing_half(
        self, sinks: DirSinks
    ) -> None:
        _, data = instance(1)
        body = multipart([data]).replace(b"Content-Type: application/dicom", b"broken", 1)
        with scripted_server(lambda _s: stream_reply(body)) as server:
            with pytest.raises(InvalidDataError, match="header"):
                retriever_for(server.url).retrieve_study(STUDY, sinks)
        assert sinks.leftovers() == []

    def test_a_part_that_is_not_dicom_is_refused(self, sinks: DirSinks) -> None:
        body = multipart([b"x"]).replace(b"application/dicom", b"application/octet-stream")
        with scripted_server(lambda _s: stream_reply(body)) as server:
            with pytest.raises(InvalidDataError, match="octet-stream"):
                retriever_for(server.url).retrieve_study(STUDY, sinks)
        assert sinks.committed == []

    def test_a_broken_instance_is_discarded_and_the_others_still_committed(
        self, sinks: DirSinks, three: list[tuple[str, bytes]]
    ) -> None:
        files = [three[0][1], b"not DICOM at all", three[2][1]]
        with scripted_server(lambda _s: stream_reply(multipart(files))) as server:
            with pytest.raises(RejectedInstancesError, match="1 instance") as caught:
                retriever_for(server.url).retrieve_series(STUDY, SERIES, sinks)
        assert caught.value.summary.sop_uids == (three[0][0], three[2][0])
        assert sinks.leftovers() == []


def test_the_seen_request_carries_no_query_string(sinks: DirSinks) -> None:
    """WADO-RS paths hold only UIDs; nothing else about the patient goes on the wire."""
    _, data = instance(1)
    requests_seen: list[Seen] = []

    def script(seen: Seen) -> Reply:
        requests_seen.append(seen)
        return stream_reply(multipart([data]))

    with scripted_server(script) as server:
        retriever_for(server.url).retrieve_study(STUDY, sinks)
    assert "?" not in requests_seen[0].path


@pytest.fixture(autouse=True)
def _no_stray_files(tmp_path: Path) -> Iterator[None]:
    yield
    temp = tmp_path / "cache" / ".tmp"
    if temp.exists():
        assert list(temp.iterdir()) == []


# -- into the real cache: commits handed over (commit_async) while the next part arrives ----
class TestIntoTheCache:
    def test_every_instance_is_reported_once_after_it_is_indexed(self, store: CacheStore) -> None:
        made = [instance(n, pixel_bytes=20_000) for n in range(1, 13)]
        seen: list[str] = []

        def on_instance(cached: CachedInstance) -> None:
            assert cached.sop_uid in store.cached_sop_uids(STUDY), "reported before indexed"
            assert read_instance_bytes(cached.file) == dict(made)[cached.sop_uid]
            seen.append(cached.sop_uid)

        body = multipart([f for _, f in made])
        with scripted_server(lambda _s: stream_reply(body, size=7000)) as server:
            summary = retriever_for(server.url).retrieve_series(
                STUDY, SERIES, store, on_instance=on_instance
            )
        assert seen == list(summary.sop_uids) == [sop for sop, _ in made]
        assert store.cached_sop_uids(STUDY) == set(seen)

    def test_a_broken_instance_is_discarded_and_the_others_indexed(
        self, store: CacheStore, three: list[tuple[str, bytes]]
    ) -> None:
        files = [three[0][1], b"not DICOM at all", three[2][1]]
        with scripted_server(lambda _s: stream_reply(multipart(files))) as server:
            with pytest.raises(RejectedInstancesError, match="1 instance") as caught:
                retriever_for(server.url).retrieve_series(STUDY, SERIES, store)
        assert caught.value.summary.sop_uids == (three[0][0], three[2][0])
        assert store.cached_sop_uids(STUDY) == {three[0][0], three[2][0]}

    def test_a_full_disk_stops_the_retrieval_with_a_typed_error(
        self, store: CacheStore, three: list[tuple[str, bytes]], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            if not stat.S_ISDIR(os.fstat(fd).st_mode):
                raise OSError(errno.ENOSPC, "No space left on device")
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)
        body = multipart([f for _, f in three])
        seen: list[CachedInstance] = []
        with scripted_server(lambda _s: stream_reply(body)) as server:
            with pytest.raises(DiskFullError, match="full"):
                retriever_for(server.url).retrieve_series(
                    STUDY, SERIES, store, on_instance=seen.append
                )
        assert seen == []
        assert store.cached_sop_uids(STUDY) == set()
        assert half_written(store.root) == []

    def test_a_cancel_during_a_read_commits_and_reports_only_the_part_in_flight(
        self, store: CacheStore
    ) -> None:
        made = [instance(n, pixel_bytes=20_000) for n in range(1, 11)]
        body = multipart([f for _, f in made])
        split = body.index(made[0][1]) + 1000
        seen: list[CachedInstance] = []
        with scripted_server(lambda _s: cut_in_two(body, split)) as server:
            with pytest.raises(CancelledError):
                retriever_for(server.url).retrieve_series(
                    STUDY, SERIES, store, on_instance=seen.append, **cancel_after(split)
                )
        # Handed over before the cancel was noticed: waited for, durable, reported.
        assert [c.sop_uid for c in seen] == [made[0][0]]
        assert store.cached_sop_uids(STUDY) == {made[0][0]}
        assert half_written(store.root) == []

    def test_a_cut_keeps_the_instances_handed_over_before_it(
        self, store: CacheStore, three: list[tuple[str, bytes]]
    ) -> None:
        body = multipart([f for _, f in three])
        cut = body[: body.index(three[2][1]) + 1500]  # inside the third instance
        seen: list[CachedInstance] = []
        with scripted_server(lambda _s: stream_reply(cut, cut=True)) as server:
            with pytest.raises(NetworkError, match="dropped"):
                retriever_for(server.url).retrieve_series(
                    STUDY, SERIES, store, on_instance=seen.append
                )
        assert [c.sop_uid for c in seen] == [three[0][0], three[1][0]]
        assert store.cached_sop_uids(STUDY) == {three[0][0], three[1][0]}
        assert half_written(store.root) == []
