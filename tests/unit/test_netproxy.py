"""The loopback proxy of tests/support/netproxy.py, against tiny local servers.

Timing checks assert lower bounds only: a loaded machine makes things slower, never
faster, so an upper bound would only make the test flaky.
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.support.netproxy import NetProxy

BIG = hashlib.sha256(b"netproxy").digest() * (1024 * 1024 // 32)  # 1 MiB, not compressible
SLACK = 0.005  # timer granularity


class _Server:
    """A TCP server on 127.0.0.1 that runs ``serve(conn)`` for each connection."""

    def __init__(self, serve: Callable[[socket.socket], None]) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.serve = serve
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            self.serve(conn)

    def close(self) -> None:
        self.sock.close()


def _echo(conn: socket.socket) -> None:
    while data := conn.recv(65536):
        conn.sendall(data)


def _send_big(conn: socket.socket) -> None:
    """On a request (one byte), send BIG and close."""
    if conn.recv(1):
        conn.sendall(BIG)
        conn.shutdown(socket.SHUT_WR)


@pytest.fixture
def echo_server() -> Iterator[_Server]:
    server = _Server(_echo)
    yield server
    server.close()


@pytest.fixture
def big_server() -> Iterator[_Server]:
    server = _Server(_send_big)
    yield server
    server.close()


@pytest.fixture
def http_server() -> Iterator[int]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(BIG)))
            self.end_headers()
            self.wfile.write(BIG)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _round_trip(sock: socket.socket, payload: bytes) -> float:
    start = time.perf_counter()
    sock.sendall(payload)
    got = b""
    while len(got) < len(payload):
        chunk = sock.recv(65536)
        assert chunk, "the connection closed early"
        got += chunk
    assert got == payload
    return time.perf_counter() - start


def _read_all(sock: socket.socket) -> tuple[bytes, Exception | None]:
    got = bytearray()
    try:
        while chunk := sock.recv(65536):
            got += chunk
    except OSError as err:
        return bytes(got), err
    return bytes(got), None


def test_forwards_bytes_unchanged_both_ways(echo_server: _Server) -> None:
    with (
        NetProxy("127.0.0.1", echo_server.port) as proxy,
        socket.create_connection(proxy.address, timeout=10) as sock,
    ):
        assert proxy.host == "127.0.0.1"
        _round_trip(sock, b"hello")
        _round_trip(sock, BIG[:300_000])
        sock.shutdown(socket.SHUT_WR)  # the half-close reaches the server, which ends
        assert _read_all(sock) == (b"", None)
        assert proxy.counters.connections == 1
        assert proxy.counters.to_target == proxy.counters.to_client == 300_005


def test_latency_is_added_to_each_round_trip(echo_server: _Server) -> None:
    latency = 0.1  # one way: a round trip costs twice that
    with (
        NetProxy("127.0.0.1", echo_server.port, latency_s=latency) as proxy,
        socket.create_connection(proxy.address, timeout=10) as sock,
    ):
        times = [_round_trip(sock, f"ping {i}".encode()) for i in range(3)]
    assert min(times) >= 2 * latency - SLACK, times


def test_latency_is_added_to_an_http_request(http_server: int) -> None:
    latency = 0.1
    with (
        NetProxy("127.0.0.1", http_server, latency_s=latency) as proxy,
        requests.Session() as session,
    ):
        url = proxy.url_for(f"http://127.0.0.1:{http_server}/big")
        assert url == f"http://127.0.0.1:{proxy.port}/big"
        session.get(url, timeout=10)  # the connection is open: only data is delayed now
        start = time.perf_counter()
        response = session.get(url, timeout=10)
        elapsed = time.perf_counter() - start
    assert response.content == BIG
    assert elapsed >= 2 * latency - SLACK


def test_cut_after_bytes_drops_the_connection(big_server: _Server) -> None:
    cut = 100_000
    with NetProxy("127.0.0.1", big_server.port, cut_after_bytes=cut) as proxy:
        for _ in range(2):  # every connection is cut, not only the first
            with socket.create_connection(proxy.address, timeout=10) as sock:
                sock.sendall(b"g")
                got, error = _read_all(sock)
            assert len(got) <= cut
            assert isinstance(error, ConnectionResetError)
            assert got == BIG[: len(got)]
        assert proxy.counters.cuts == 2


def test_cut_in_close_mode_truncates_at_exactly_n_bytes(big_server: _Server) -> None:
    with (
        NetProxy("127.0.0.1", big_server.port, cut_after_bytes=12_345, cut_mode="close") as proxy,
        socket.create_connection(proxy.address, timeout=10) as sock,
    ):
        sock.sendall(b"g")
        assert _read_all(sock) == (BIG[:12_345], None)


def test_cut_in_stall_mode_leaves_the_client_waiting(big_server: _Server) -> None:
    with (
        NetProxy("127.0.0.1", big_server.port, cut_after_bytes=1000, cut_mode="stall") as proxy,
        socket.create_connection(proxy.address, timeout=0.5) as sock,
    ):
        sock.sendall(b"g")
        got, error = _read_all(sock)
        assert isinstance(error, TimeoutError)
        assert got == BIG[:1000]


def test_cut_shows_as_an_error_to_an_http_client(http_server: int) -> None:
    with (
        NetProxy("127.0.0.1", http_server, cut_after_bytes=200_000) as proxy,
        pytest.raises(requests.exceptions.RequestException),
    ):
        requests.get(f"http://127.0.0.1:{proxy.port}/big", timeout=10)


def test_bandwidth_cap_slows_large_transfers(big_server: _Server) -> None:
    rate = 2_000_000  # bytes/s: 1 MiB takes >= 0.52 s
    with (
        NetProxy("127.0.0.1", big_server.port, bandwidth_bps=rate) as proxy,
        socket.create_connection(proxy.address, timeout=10) as sock,
    ):
        start = time.perf_counter()
        sock.sendall(b"g")
        got, error = _read_all(sock)
        elapsed = time.perf_counter() - start
    assert error is None
    assert got == BIG, "the bytes changed on the way"
    assert elapsed >= 0.9 * len(BIG) / rate, elapsed


def test_bandwidth_cap_is_shared_by_connections(big_server: _Server) -> None:
    """One link: two parallel transfers together take as long as their sum at the cap."""
    rate = 4_000_000
    results: list[bytes] = []

    def fetch() -> None:
        with socket.create_connection(proxy.address, timeout=10) as sock:
            sock.sendall(b"g")
            results.append(_read_all(sock)[0])

    with NetProxy("127.0.0.1", big_server.port, bandwidth_bps=rate) as proxy:
        start = time.perf_counter()
        threads = [threading.Thread(target=fetch) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
    assert results == [BIG, BIG], "the bytes changed on the way"
    assert elapsed >= 0.9 * 2 * len(BIG) / rate, elapsed


def test_drop_connections_resets_open_connections(echo_server: _Server) -> None:
    with (
        NetProxy("127.0.0.1", echo_server.port) as proxy,
        socket.create_connection(proxy.address, timeout=10) as sock,
    ):
        _round_trip(sock, b"hello")
        assert proxy.drop_connections() == 1
        got, error = _read_all(sock)
        assert got == b""
        assert error is None or isinstance(error, ConnectionResetError)


def test_close_stops_listening(echo_server: _Server) -> None:
    proxy = NetProxy("127.0.0.1", echo_server.port)
    sock = socket.create_connection(proxy.address, timeout=10)
    _round_trip(sock, b"hello")
    proxy.close()
    with sock:  # the open connection is gone too
        got, error = _read_all(sock)
        assert got == b""
        assert error is None or isinstance(error, ConnectionResetError)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(proxy.address, timeout=2).close()
    assert not proxy._thread.is_alive()
    proxy.close()  # twice is harmless


def test_target_down_resets_the_client() -> None:
    free = socket.create_server(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()  # nothing listens there now
    with NetProxy("127.0.0.1", port) as proxy:
        sock = socket.socket()
        sock.settimeout(10)
        with sock:
            try:
                sock.connect(proxy.address)
            except ConnectionResetError:
                return  # the reset came before connect() returned: also a reset
            got, error = _read_all(sock)
        assert got == b""
        assert error is None or isinstance(error, ConnectionResetError)


OFF_MACHINE = ["10.0.0.1", "example.org", "0.0.0.0", "192.168.1.1", "::"]  # noqa: S104


@pytest.mark.parametrize("host", OFF_MACHINE)
def test_refuses_targets_off_this_machine(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        NetProxy(host, 80)


def test_for_url_proxies_the_urls_host_and_port(http_server: int) -> None:
    with NetProxy.for_url(f"http://localhost:{http_server}/dicom-web") as proxy:
        assert (proxy.target_host, proxy.target_port) == ("127.0.0.1", http_server)
        assert requests.get(proxy.url_for("http://x:1/a?b=c"), timeout=10).content == BIG
        assert proxy.url_for("http://localhost:1/a?b=c").endswith(f":{proxy.port}/a?b=c")
