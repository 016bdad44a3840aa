"""An HTTP reverse proxy in front of a loopback server that answers a *storm* of errors.

A platform under load answers 503 or 429 with a ``Retry-After`` for a while, or 500s
without end. The proxy forwards GET requests to its target (an Orthanc), except those
its ``storm`` says to refuse: ``storm(n)`` for the n-th request (from 0) returns None to
forward it, or the status to answer instead (with ``Retry-After: 1`` for 429 and 503).
Answers are streamed back as they come, the connection closed after each (HTTP/1.0), so
no length needs knowing ahead.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit, urlunsplit

Storm = Callable[[int], int | None]
FORWARDED = ("Accept", "Authorization", "User-Agent")


class StormProxy:
    def __init__(self, target_url: str, storm: Storm) -> None:
        self.target = urlsplit(target_url)
        if self.target.hostname not in ("127.0.0.1", "localhost"):
            raise ValueError("the storm proxy only fronts a loopback server")
        self.storm = storm
        self.requests = 0
        self.refused: list[int] = []  # the statuses answered instead, in order
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self) -> None:
                proxy._serve(self)

            def log_message(self, *_args: object) -> None:  # quiet tests
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url_for(self, url: str) -> str:
        """``url`` (the target's) as reached through the proxy."""
        parts = urlsplit(url)
        return urlunsplit(parts._replace(netloc=f"127.0.0.1:{self.port}"))

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            number = self.requests
            self.requests += 1
        status = self.storm(number)
        if status is not None:
            with self._lock:
                self.refused.append(status)
            handler.send_response(status)
            if status in (429, 503):
                handler.send_header("Retry-After", "1")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        upstream = http.client.HTTPConnection(
            self.target.hostname or "", self.target.port, timeout=60
        )
        try:
            headers = {k: v for k in FORWARDED if (v := handler.headers.get(k)) is not None}
            upstream.request("GET", handler.path, headers=headers)
            answer = upstream.getresponse()
            handler.send_response(answer.status)
            for key, value in answer.getheaders():
                if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                    handler.send_header(key, value)
            handler.end_headers()
            while chunk := answer.read1(1 << 20):
                handler.wfile.write(chunk)
        except OSError:
            pass  # the client went away: nothing to tell it
        finally:
            upstream.close()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> StormProxy:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
