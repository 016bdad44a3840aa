"""A real HTTP(S) server on loopback whose answers a test scripts, for client tests."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | list[object] | dict[str, object] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    # A body sent piece by piece, each written and flushed on its own (``body`` is then
    # ignored): how a test makes the client see a boundary split across network reads.
    stream: Iterable[bytes] | None = None
    chunked: bool = False  # Transfer-Encoding: chunked; else ended by closing (as Orthanc)
    piece_delay: float = 0.0  # seconds between pieces: a slow (or, longer, a stalled) link
    cut: bool = False  # drop the connection after the pieces, the body left unfinished


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


Script = Callable[[Seen], Reply]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        server: ScriptedServer = self.server.owner  # type: ignore[attr-defined]
        seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
        server.seen.append(seen)
        reply = server.script(seen)
        if reply.delay:
            threading.Event().wait(reply.delay)
        if reply.stream is not None:
            self._send_stream(reply, reply.stream)
            return
        body = reply.body
        if isinstance(body, (list, dict)):
            body = json.dumps(body).encode()
            reply.headers.setdefault("Content-Type", "application/dicom+json")
        elif isinstance(body, str):
            body = body.encode()
        self.send_response(reply.status)
        for key, value in reply.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_stream(self, reply: Reply, pieces: Iterable[bytes]) -> None:
        self.send_response(reply.status)
        for key, value in reply.headers.items():
            self.send_header(key, value)
        if reply.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = not reply.chunked or reply.cut
        try:
            for i, piece in enumerate(pieces):
                if i and reply.piece_delay:
                    threading.Event().wait(reply.piece_delay)
                if reply.chunked and piece:  # an empty chunk would end the body
                    piece = b"%x\r\n%s\r\n" % (len(piece), piece)
                self.wfile.write(piece)
                self.wfile.flush()
            if reply.chunked and not reply.cut:
                self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away (a cancel, a timeout)

    def log_message(self, format: str, *args: object) -> None:
        pass


class ScriptedServer:
    def __init__(self, script: Script, tls: tuple[Path, Path] | None = None) -> None:
        self.script = script
        self.seen: list[Seen] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self  # type: ignore[attr-defined]
        self.scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"{self.scheme}://{host}:{port}"

    def start(self) -> ScriptedServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@contextmanager
def scripted_server(
    script: Script, tls: tuple[Path, Path] | None = None
) -> Iterator[ScriptedServer]:
    server = ScriptedServer(script, tls).start()
    try:
        yield server
    finally:
        server.close()
