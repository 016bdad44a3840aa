"""WADO-RS retrieval of a study, a series or one instance into the cache (PS3.18 §10.4).

Every request asks ``multipart/related; type="application/dicom"; transfer-syntax=*``:
the server sends each instance in the encoding it stores, and Qingying decodes locally
(Orthanc, for one, cannot transcode JPEG 2000 and answers 500 when asked to).

The answer is streamed: large reads from the socket go through the multipart parser
straight into one :class:`~viewer.cache.sink.InstanceSink` per part, so memory stays at
about one read (1 MiB) whatever the size of the study. Each part is committed when the
delimiter after it has arrived; a connection that drops mid-part aborts that part and
raises NetworkError, and the instances committed before it stay in the cache (the fetch
asks only for what is still missing next time). There is a connect timeout and an idle
read timeout (from the session), but no deadline for the whole transfer.

When the sink offers ``commit_async`` (the cache's does, see
:mod:`viewer.cache.sink`), each part is handed over at its end and the next one is read
while it becomes durable; the retrieval tells the sink factory that no more parts come
(``flush``, when it has one: a pack would otherwise wait for more before its next sync)
and waits for all of them before it returns or raises, so the summary is exact and
nothing is left in flight. A commit that fails for another reason than bad data
(DiskFullError, say) stops the transfer and is raised.

Progress and cancellation are plain callbacks, called on the retrieving thread:
``on_instance(CachedInstance)`` once per instance after it is durable and indexed,
``on_bytes(n)`` after each read, and ``cancelled()`` polled before each read and before
each part begins. After a cancel, the part being received ends only if the bytes in hand
complete it (else it is aborted) and no part begins: one read can hold a megabyte of
whole small instances, which would otherwise all be committed after the cancel. While a
read waits, a watch thread also asks ``cancelled()`` and shuts the socket once it says
yes, so a Cancel on a stalled link does not wait for the read timeout.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import closing
from dataclasses import dataclass, field

import requests

from viewer.cache.sink import (
    Accept,
    BatchingSinkFactory,
    CachedInstance,
    ForeignInstanceError,
    InstanceSink,
    SinkFactory,
)
from viewer.dicomweb.client import DicomwebClient
from viewer.dicomweb.errors_map import READ_ERRORS, raise_for_status, read_error, request_error
from viewer.dicomweb.multipart import (
    MultipartParser,
    TruncatedError,
    boundary_from_content_type,
    content_type_params,
)
from viewer.dicomweb.session import cancel_scope
from viewer.errors import CancelledError, InvalidDataError, NetworkError
from viewer.uids import require_uid

ACCEPT_ANY_TRANSFER_SYNTAX = 'multipart/related; type="application/dicom"; transfer-syntax=*'
DICOM_MEDIA_TYPE = "application/dicom"
READ_SIZE = 1 << 20  # bytes per socket read: large reads keep Python's share small
CANCEL_POLL_S = 0.2  # how often a read in progress looks whether it was cancelled

InstanceCallback = Callable[[CachedInstance], None]
BytesCallback = Callable[[int], None]
CancelCheck = Callable[[], bool]


def _ignore(_value: object) -> None:
    pass


def _never() -> bool:
    return False


class _CancelWatch:
    """While an answer is read, asks every :data:`CANCEL_POLL_S` whether the retrieval
    was cancelled and, once it was, shuts the connection's socket: a read waiting on a
    stalled link then returns at once, not after the read timeout (20 s by default),
    and the doctor's Cancel takes effect when pressed. ``cancelled`` is therefore also
    called from this watch's thread."""

    def __init__(self, response: requests.Response, cancelled: CancelCheck) -> None:
        self._response = response
        self._cancelled = cancelled
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wado-cancel-watch", daemon=True)

    def __enter__(self) -> _CancelWatch:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(CANCEL_POLL_S):
            if self._cancelled():
                self._shut()
                return

    def _shut(self) -> None:
        """Shut the answer's socket through a duplicate of its descriptor (http.client
        keeps the socket in the response, not in the connection, once the server says it
        will close; shutting down is what wakes a read waiting in another thread)."""
        with contextlib.suppress(OSError, ValueError, AttributeError):
            fd = self._response.raw.fileno()
            with socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM) as duplicate:
                duplicate.shutdown(socket.SHUT_RDWR)


@dataclass(frozen=True)
class RetrievalSummary:
    """What one WADO-RS request brought into the cache."""

    instances: int  # committed
    bytes: int  # of the multipart body received
    sop_uids: tuple[str, ...]  # of the committed instances, in the order they came


class RejectedInstancesError(InvalidDataError):
    """Some parts were refused and discarded (not whole, valid DICOM, or instances the
    request did not ask for: ``foreign`` counts those); the others were committed."""

    def __init__(self, message: str, summary: RetrievalSummary, foreign: int = 0) -> None:
        super().__init__(message)
        self.summary = summary
        self.foreign = foreign


@dataclass
class _Progress:
    on_instance: InstanceCallback
    on_bytes: BytesCallback
    cancelled: CancelCheck
    committed: list[str] = field(default_factory=list)
    rejected: list[InvalidDataError] = field(default_factory=list)  # why each part was
    received: int = 0
    pending: deque[Future[CachedInstance]] = field(default_factory=deque)  # in order

    def harvest(self, *, wait: bool) -> BaseException | None:
        """Report the handed-over instances that are done (all of them with ``wait``), in
        the order they came; the first failure other than bad data, if any."""
        failure: BaseException | None = None
        while self.pending and (wait or self.pending[0].done()):
            future = self.pending.popleft()
            try:
                instance = future.result()
            except InvalidDataError as err:
                self.rejected.append(err)
                continue
            except BaseException as err:  # raised by the caller
                failure = failure or err
                continue
            self.committed.append(instance.sop_uid)
            self.on_instance(instance)
        return failure


class _InstancePart:
    """The parser's writer for one part: the bytes go to a cache sink."""

    def __init__(self, sink: InstanceSink, progress: _Progress) -> None:
        self._sink = sink
        self._progress = progress
        self.write = sink.write  # the hot path: no extra call per chunk

    def end(self) -> None:
        commit_async = getattr(self._sink, "commit_async", None)
        if commit_async is not None:
            try:
                self._progress.pending.append(commit_async())
            except InvalidDataError as err:
                self._progress.rejected.append(err)
            failure = self._progress.harvest(wait=False)
            if failure is not None:
                raise failure
            return
        try:
            instance = self._sink.commit()
        except InvalidDataError as err:
            # The sink has discarded the bytes; the following parts may still be good.
            self._progress.rejected.append(err)
            return
        self._progress.committed.append(instance.sop_uid)
        self._progress.on_instance(instance)

    def abort(self) -> None:
        self._sink.abort()


class WadoRetriever:
    """Retrieves from one DICOMweb source (its root URL) through a prepared session.

    ``source`` is a :class:`DicomwebClient` (its session, URL and name are used) or a
    ``requests.Session`` from :func:`viewer.dicomweb.session.make_session`, given with
    ``base_url``. The session brings retries, timeouts, TLS and authentication.
    """

    def __init__(
        self,
        source: DicomwebClient | requests.Session,
        base_url: str | None = None,
        name: str = "",
        *,
        read_size: int = READ_SIZE,
    ) -> None:
        if isinstance(source, DicomwebClient):
            self.session = source.session
            self.base_url = (base_url or source.base_url).rstrip("/")
            self.name = name or source.name
        else:
            if base_url is None:
                raise ValueError("base_url is needed with a bare session")
            self.session = source
            self.base_url = base_url.rstrip("/")
            self.name = name or self.base_url
        self.read_size = read_size

    def retrieve_study(
        self,
        study_uid: str,
        sinks: SinkFactory,
        *,
        on_instance: InstanceCallback = _ignore,
        on_bytes: BytesCallback = _ignore,
        cancelled: CancelCheck = _never,
    ) -> RetrievalSummary:
        """Every instance of a study (``/studies/{uid}``)."""
        path = f"/studies/{require_uid(study_uid, 'StudyInstanceUID')}"
        accept = Accept(self.name, study_uid)
        return self._retrieve(path, accept, sinks, _Progress(on_instance, on_bytes, cancelled))

    def retrieve_series(
        self,
        study_uid: str,
        series_uid: str,
        sinks: SinkFactory,
        *,
        on_instance: InstanceCallback = _ignore,
        on_bytes: BytesCallback = _ignore,
        cancelled: CancelCheck = _never,
    ) -> RetrievalSummary:
        """Every instance of a series (``/studies/{uid}/series/{uid}``)."""
        path = "/studies/{}/series/{}".format(
            require_uid(study_uid, "StudyInstanceUID"),
            require_uid(series_uid, "SeriesInstanceUID"),
        )
        accept = Accept(self.name, study_uid, series_uid)
        return self._retrieve(path, accept, sinks, _Progress(on_instance, on_bytes, cancelled))

    def retrieve_instance(
        self,
        study_uid: str,
        series_uid: str,
        sop_uid: str,
        sinks: SinkFactory,
        *,
        on_instance: InstanceCallback = _ignore,
        on_bytes: BytesCallback = _ignore,
        cancelled: CancelCheck = _never,
    ) -> RetrievalSummary:
        """One instance (``/studies/{uid}/series/{uid}/instances/{uid}``)."""
        path = "/studies/{}/series/{}/instances/{}".format(
            require_uid(study_uid, "StudyInstanceUID"),
            require_uid(series_uid, "SeriesInstanceUID"),
            require_uid(sop_uid, "SOPInstanceUID"),
        )
        accept = Accept(self.name, study_uid, series_uid, sop_uid)
        return self._retrieve(path, accept, sinks, _Progress(on_instance, on_bytes, cancelled))

    # -- plumbing -----------------------------------------------------------------------
    def _retrieve(
        self, path: str, accept: Accept, sinks: SinkFactory, progress: _Progress
    ) -> RetrievalSummary:
        """The answer to ``path``, each part into a sink that accepts only what
        ``accept`` allows (the UIDs the request named): another study's instance never
        replaces what the cache holds of it."""
        if progress.cancelled():
            raise CancelledError("retrieval cancelled")
        try:
            # A Cancel also ends a wait between tries (a Retry-After, a backoff).
            with cancel_scope(progress.cancelled):
                response = self.session.get(
                    self.base_url + path,
                    headers={"Accept": ACCEPT_ANY_TRANSFER_SYNTAX},
                    stream=True,
                )
        except requests.exceptions.RequestException as err:
            raise request_error(self.name, err) from err
        with closing(response):
            raise_for_status(self.name, response)
            if response.status_code == 204:  # nothing to send
                return self._summary(progress)
            try:
                boundary = boundary_from_content_type(response.headers.get("Content-Type", ""))
            except InvalidDataError as err:
                raise InvalidDataError(f"{self.name}: {err}") from err
            parser = MultipartParser(
                boundary, lambda headers: self._begin_part(headers, accept, sinks, progress)
            )
            try:
                try:
                    with _CancelWatch(response, progress.cancelled):
                        self._pump(response, parser, progress)
                finally:
                    if isinstance(sinks, BatchingSinkFactory):
                        sinks.flush()  # nothing more comes: what waits for a group goes now
            except BaseException:
                progress.harvest(wait=True)  # what was handed over ends first, reported
                raise
            failure = progress.harvest(wait=True)
            if failure is not None:
                raise failure
        summary = self._summary(progress)
        if progress.rejected:
            foreign = [e for e in progress.rejected if isinstance(e, ForeignInstanceError)]
            first = (foreign or progress.rejected)[0]
            raise RejectedInstancesError(
                f"{self.name}: {len(progress.rejected)} instance(s) were refused and "
                f"discarded ({str(first).removeprefix(self.name + ': ')})",
                summary,
                len(foreign),
            )
        return summary

    def _pump(
        self, response: requests.Response, parser: MultipartParser, progress: _Progress
    ) -> None:
        """Reads the body into the parser until the closing delimiter, a cut or a cancel."""
        read1 = response.raw.read1  # what has arrived, up to size: nothing lost on a cut
        size = self.read_size
        try:
            while not parser.done:
                if progress.cancelled():
                    parser.abort()
                    raise CancelledError("retrieval cancelled")
                try:
                    chunk = read1(size, decode_content=True)
                except READ_ERRORS as err:
                    parser.abort()
                    if progress.cancelled():  # the watch cut a read that waited
                        raise CancelledError("retrieval cancelled") from err
                    raise read_error(self.name, err) from err
                if not chunk:
                    if progress.cancelled() and not parser.done:
                        parser.abort()
                        raise CancelledError("retrieval cancelled")
                    parser.close()  # raises TruncatedError unless the body was complete
                    return
                progress.received += len(chunk)
                progress.on_bytes(len(chunk))
                parser.feed(chunk)
        except TruncatedError as err:
            raise NetworkError(
                f"{self.name}: the connection dropped during the transfer ({err})"
            ) from err
        except InvalidDataError as err:
            raise InvalidDataError(f"{self.name}: {err}") from err

    def _begin_part(
        self, headers: dict[str, str], accept: Accept, sinks: SinkFactory, progress: _Progress
    ) -> _InstancePart:
        # The cancel may have come while the read now being parsed waited: the part in
        # flight then may still end in it, but none begins.
        if progress.cancelled():
            raise CancelledError("retrieval cancelled")
        media_type, _ = content_type_params(headers.get("content-type", DICOM_MEDIA_TYPE))
        if media_type != DICOM_MEDIA_TYPE:
            raise InvalidDataError(f"a part is {media_type!r}, not {DICOM_MEDIA_TYPE}")
        return _InstancePart(sinks.begin_instance(accept), progress)

    @staticmethod
    def _summary(progress: _Progress) -> RetrievalSummary:
        return RetrievalSummary(
            len(progress.committed), progress.received, tuple(progress.committed)
        )


__all__ = [
    "ACCEPT_ANY_TRANSFER_SYNTAX",
    "RejectedInstancesError",
    "RetrievalSummary",
    "WadoRetriever",
]
