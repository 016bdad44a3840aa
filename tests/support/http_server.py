"""A real HTTP(S) server on loopback whose answers a test scripts, for client tests."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Callable, Iterator
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
