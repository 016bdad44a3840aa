"""A source's Retry-After is honoured up to a cap and the wait can be cancelled; a read
that timed out is not tried again. Against a real HTTP server on loopback."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from tests.support.http_server import Reply, Seen, scripted_server
from viewer.dicomweb.client import DicomwebClient
from viewer.dicomweb.qido import StudyQuery
from viewer.dicomweb.session import (
    RETRY_AFTER_CAP_S,
    Timeouts,
    cancel_scope,
    make_session,
    retry_policy,
)
from viewer.errors import CancelledError, NetworkError, ServerError

SIX_HOURS = "21600"


def busy(retry_after: str, then: Reply | None = None) -> Callable[[Seen], Reply]:
    """503 with ``retry_after``; from the second request on ``then`` if given."""

    def script(seen: Seen) -> Reply:
        if then is not None and len(seen_paths) >= 1:
            return then
        seen_paths.append(seen.path)
        return Reply(503, "busy", {"Retry-After": retry_after})

    seen_paths: list[str] = []
    return script


def test_the_default_cap_is_about_30_s() -> None:
    assert 10 <= RETRY_AFTER_CAP_S <= 30


def test_a_retry_after_of_six_hours_is_not_waited_for() -> None:
    with scripted_server(busy(SIX_HOURS)) as server:
        client = DicomwebClient(server.url, make_session(), name="busy-source")
        started = time.monotonic()
        with pytest.raises(ServerError, match=r"busy.*try again in 21600 s") as caught:
            client.search_studies(StudyQuery(name="Wang"))
        elapsed = time.monotonic() - started
    assert elapsed < 3
    assert len(server.seen) == 1  # given up at once: a try after the cap would be early
    assert "Wang" not in str(caught.value)


def test_a_retry_after_within_the_cap_is_waited_for_then_tried_again() -> None:
    with scripted_server(busy("1", then=Reply(200, []))) as server:
        session = make_session(retries=retry_policy(backoff=0))
        started = time.monotonic()
        answer = session.get(server.url + "/dicom-web/studies")
        elapsed = time.monotonic() - started
    assert answer.status_code == 200
    assert len(server.seen) == 2
    assert 0.9 <= elapsed < 5


def test_retry_after_counts_against_the_cap_over_all_tries_of_a_request() -> None:
    # 1 s granted, then 1 s more would pass the 1.5 s cap: the 503 is returned.
    with scripted_server(busy("1")) as server:
        session = make_session(retries=retry_policy(total=3, backoff=0, retry_after_cap=1.5))
        started = time.monotonic()
        answer = session.get(server.url + "/dicom-web/studies")
        elapsed = time.monotonic() - started
    assert answer.status_code == 503
    assert len(server.seen) == 2
    assert elapsed < 2.5


def test_a_cancel_during_a_retry_after_wait_ends_it_within_a_second() -> None:
    cancel = threading.Event()
    with scripted_server(busy("25")) as server:
        session = make_session()
        threading.Timer(0.5, cancel.set).start()
        started = time.monotonic()
        with cancel_scope(cancel.is_set), pytest.raises(CancelledError):
            session.get(server.url + "/dicom-web/studies")
        elapsed = time.monotonic() - started
    assert elapsed < 1.5  # the cancel came at 0.5 s
    assert len(server.seen) == 1


def test_a_cancel_scope_is_the_calling_thread_s_only() -> None:
    # Another thread's cancelled fetch must not stop this thread's wait.
    other_entered, release = threading.Event(), threading.Event()

    def other() -> None:
        with cancel_scope(lambda: True):
            other_entered.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    other_entered.wait(5)
    try:
        with scripted_server(busy("1", then=Reply(200, []))) as server:
            answer = make_session(retries=retry_policy(backoff=0)).get(server.url + "/x")
        assert answer.status_code == 200
    finally:
        release.set()
        thread.join()


def test_a_backoff_between_tries_is_cancellable_too() -> None:
    cancel = threading.Event()
    with scripted_server(lambda _s: Reply(502, "bad gateway")) as server:
        session = make_session(retries=retry_policy(total=3, backoff=20))
        threading.Timer(0.5, cancel.set).start()
        started = time.monotonic()
        with cancel_scope(cancel.is_set), pytest.raises(CancelledError):
            session.get(server.url + "/dicom-web/studies")
        elapsed = time.monotonic() - started
    assert elapsed < 1.5


def test_a_read_that_timed_out_is_not_sent_again() -> None:
    # On a stalled link each try would wait the whole read timeout again.
    with scripted_server(lambda _s: Reply(200, [], delay=2.0)) as server:
        client = DicomwebClient(
            server.url, make_session(timeouts=Timeouts(connect=1, read=0.3)), name="t"
        )
        started = time.monotonic()
        with pytest.raises(NetworkError):
            client.search_studies(StudyQuery(name="Wang"))
        elapsed = time.monotonic() - started
    assert len(server.seen) == 1
    assert elapsed < 1.5


def test_a_cancel_reaches_a_retrievals_retry_after_wait() -> None:
    from viewer.dicomweb.wado import WadoRetriever

    class NoSinks:
        def begin_instance(self, accept: object) -> object:
            raise AssertionError("nothing is sent")

    asked = time.monotonic()
    with scripted_server(busy("20")) as server:
        wado = WadoRetriever(make_session(), server.url + "/dicom-web", "busy-source")
        with pytest.raises(CancelledError):
            wado.retrieve_series(
                "1.2.3",
                "1.2.3.4",
                NoSinks(),  # type: ignore[arg-type]
                cancelled=lambda: time.monotonic() - asked > 0.5,
            )
    assert time.monotonic() - asked < 2
