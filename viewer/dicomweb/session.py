"""One ``requests.Session`` per source: retries with backoff, timeouts, TLS verification.

Retries live on the transport adapter (urllib3 ``Retry``), not on each call, and only for
idempotent methods. Every request gets a connect and a read timeout; there is no deadline
for a whole transfer, so a slow but live link still completes.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import SSLError
from urllib3.util.retry import Retry

from viewer import __version__

RETRY_STATUSES = (429, 502, 503, 504)
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


class QuietRetry(Retry):
    """A Retry that gives up at once on certificate errors: trying again cannot help."""

    def increment(self, *args: Any, **kwargs: Any) -> Self:
        error = kwargs.get("error")
        if isinstance(error, SSLError):
            raise error
        return super().increment(*args, **kwargs)


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0  # seconds to open a connection
    read: float = 30.0  # seconds without a byte before giving up (idle, not total)


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


def retry_policy(total: int = 3, backoff: float = 0.5) -> Retry:
    """Retry connection errors and 429/502/503/504 on idempotent requests, with backoff."""
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
