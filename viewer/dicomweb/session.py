"""One ``requests.Session`` per source: retries with backoff, timeouts, TLS verification.

Retries live on the transport adapter (urllib3 ``Retry``), not on each call, and only for
idempotent methods. Every request gets a connect and a read timeout; there is no deadline
for a whole transfer, so a slow but live link still completes.

A stalled link (a cable pulled) is noticed within 30 s of the stall, as promised: the
idle read timeout is 20 s, leaving room for what came before the stall in the same
command, and a read that timed out is not sent again (each try would wait as long
again). A cable pulled before connecting costs at most four 5 s connects and 3 s of
backoff.

A server's ``Retry-After`` is honoured for at most :data:`RETRY_AFTER_CAP_S` in all per
request; a server that asks for longer is not waited for (its answer is returned, and
becomes a ServerError). Every wait between tries can be cancelled: inside
:func:`cancel_scope` the wait asks the scope's ``cancelled()`` every
:data:`CANCEL_POLL_S` and raises CancelledError once it says yes. The scope is per
thread, since the fetch's requests run on worker threads.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import ConnectionPool
from urllib3.exceptions import (
    InvalidHeader,
    MaxRetryError,
    ReadTimeoutError,
    ResponseError,
    SSLError,
)
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from viewer import __version__
from viewer.errors import CancelledError

RETRY_STATUSES = (429, 502, 503, 504)
RETRY_AFTER_CAP_S = 30.0  # Retry-After honoured per request, all tries together
CANCEL_POLL_S = 0.1  # how often a wait between tries asks whether it was cancelled
_QUERY_RE = re.compile(r"\?[^\s'\")]*")


class RedactQueries(logging.Filter):
    """Removes query strings from log lines: they hold patient IDs and names.

    urllib3 logs each retry with the request's URL; the path is kept for diagnosis.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _QUERY_RE.sub("?…", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


for _name in ("urllib3.connectionpool", "urllib3.util.retry", "urllib3.connection"):
    logging.getLogger(_name).addFilter(RedactQueries())


CancelCheck = Callable[[], bool]
_scope = threading.local()  # .checks: the cancel checks of the thread's open scopes


@contextmanager
def cancel_scope(cancelled: CancelCheck) -> Iterator[None]:
    """Requests made in this thread inside the scope stop waiting between tries (for a
    Retry-After or a backoff) once ``cancelled()`` says yes: they raise CancelledError."""
    checks: list[CancelCheck] = getattr(_scope, "checks", [])
    _scope.checks = [*checks, cancelled]
    try:
        yield
    finally:
        _scope.checks = checks


def _cancelled() -> bool:
    return any(check() for check in getattr(_scope, "checks", ()))


def wait_unless_cancelled(seconds: float) -> None:
    """Sleep ``seconds``; CancelledError as soon as the thread's cancel scope says so."""
    deadline = time.monotonic() + seconds
    while True:
        if _cancelled():
            raise CancelledError("cancelled while waiting to try again")
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, CANCEL_POLL_S))


class QuietRetry(Retry):
    """The sources' Retry: gives up at once where trying again cannot help or would cost
    more than the promised time, caps Retry-After, and waits in a cancellable way.

    - a certificate error is raised at once (trying again cannot help);
    - a read that timed out is raised at once: on a stalled link each try would wait
      the whole read timeout again (a connection error is still retried: Orthanc closes
      idle kept-alive connections, and a request sent on one as it closes fails);
    - Retry-After counts against ``retry_after_cap`` seconds for the whole request; an
      answer asking for more is returned as it is (the caller makes it a ServerError)
      rather than waited for: a server asking for 6 hours would otherwise hold a fetch
      that long, three times.
    """

    def __init__(
        self,
        *args: Any,
        retry_after_cap: float = RETRY_AFTER_CAP_S,
        retry_after_used: float = 0.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after_cap = retry_after_cap
        self.retry_after_used = retry_after_used  # seconds granted so far to this request

    def new(self, **kw: Any) -> Self:
        kw.setdefault("retry_after_cap", self.retry_after_cap)
        kw.setdefault("retry_after_used", self.retry_after_used)
        return super().new(**kw)

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Self:
        if isinstance(error, (SSLError, ReadTimeoutError)):
            raise error
        asked = self._asked_wait(response)
        if asked is not None and self.retry_after_used + asked > self.retry_after_cap:
            # With raise_on_status off, urllib3 then returns this answer to the caller.
            too_long = ResponseError(f"Retry-After {asked:.0f} s is too long")
            raise MaxRetryError(_pool, url, too_long)  # type: ignore[arg-type]
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        if asked is not None:
            retry.retry_after_used = self.retry_after_used + asked
        return retry

    def _asked_wait(self, response: BaseHTTPResponse | None) -> float | None:
        """The Retry-After of ``response`` in seconds; None when absent or unreadable
        (then the backoff applies)."""
        if response is None or not self.respect_retry_after_header:
            return None
        try:
            return self.get_retry_after(response)
        except (InvalidHeader, ValueError, OverflowError):
            return None

    def sleep_for_retry(self, response: BaseHTTPResponse) -> bool:
        asked = self._asked_wait(response)
        if not asked:
            return False
        wait_unless_cancelled(min(asked, self.retry_after_cap))
        return True

    def _sleep_backoff(self) -> None:
        wait_unless_cancelled(self.get_backoff_time())


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0  # seconds to open a connection
    # Seconds without a byte before giving up (idle, not total: a slow link that still
    # delivers never hits it). 20, not 30: a stall is promised to be noticed within 30 s,
    # and the command has done some work before the stall (30 gave 30.6-30.8 s).
    read: float = 20.0


class TimeoutAdapter(HTTPAdapter):
    """An adapter that applies default timeouts to requests that name none."""

    def __init__(self, timeouts: Timeouts, **kwargs: Any) -> None:
        self._timeouts = timeouts
        super().__init__(**kwargs)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = (self._timeouts.connect, self._timeouts.read)
        return super().send(request, **kwargs)


class SourceSession(requests.Session):
    """A session whose own TLS setting wins over the environment.

    requests lets ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` replace the session's
    ``verify`` on every request, which would silently drop a site's configured CA bundle.
    Proxies from the environment still apply (hospital networks use them).
    """

    def merge_environment_settings(
        self, url: str, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> dict[str, Any]:
        settings: dict[str, Any] = super().merge_environment_settings(
            url, proxies, stream, verify if verify is not None else self.verify, cert
        )
        if verify is None:
            settings["verify"] = self.verify
        return settings


def retry_policy(
    total: int = 3, backoff: float = 0.5, retry_after_cap: float = RETRY_AFTER_CAP_S
) -> Retry:
    """Retry connection errors and 429/502/503/504 on idempotent requests, with backoff
    (or the server's Retry-After, capped: see :class:`QuietRetry`)."""
    return QuietRetry(
        total=total,
        connect=total,
        read=total,
        status=total,
        backoff_factor=backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD", "OPTIONS"}),
        respect_retry_after_header=True,
        raise_on_status=False,  # the caller turns the final status into a typed error
        retry_after_cap=retry_after_cap,
    )


def make_session(
    *,
    ca_bundle: Path | None = None,
    timeouts: Timeouts | None = None,
    retries: Retry | None = None,
    pool_size: int = 8,
) -> requests.Session:
    """A session whose TLS verification is always on (with the site CA bundle if given)."""
    session = SourceSession()
    adapter = TimeoutAdapter(
        timeouts or Timeouts(),
        max_retries=retries if retries is not None else retry_policy(),
        pool_connections=pool_size,
        pool_maxsize=pool_size,
    )
    # Mounted on both schemes, never on "": other schemes must fail, not pass through.
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.verify = str(ca_bundle) if ca_bundle else True
    session.headers["User-Agent"] = f"Qingying/{__version__}"
    return session
