"""A loopback TCP proxy that makes a local server look far away, slow or unreliable.

Tests and benchmarks put it between a client and a local server (an Orthanc, a scripted
HTTP server) to add latency, cap the bandwidth, or cut connections mid-transfer::

    with NetProxy("127.0.0.1", port, latency_s=0.1) as proxy:
        url = proxy.url_for("http://127.0.0.1:8142/dicom-web")
        ...  # every request/response round trip now costs >= 0.2 s more

What the knobs mean
-------------------
``latency_s`` is a **one-way** delay: every chunk of bytes is held ``latency_s`` after
the proxy reads it, in each direction. A delay line, not a sleep per chunk: chunks
still stream back to back, so a large answer takes ``latency_s`` longer, not
``latency_s`` per chunk. A request/response round trip therefore costs
**2 × latency_s** more than direct (request out, answer back): ``latency_s=0.1`` emulates
a link with a 200 ms round-trip time. The TCP handshake is not delayed (the kernel
completes it before the proxy sees the connection), so opening a connection is free:
only data is delayed.

``bandwidth_bps`` caps each direction at that many bytes per second, **shared by every
connection through this proxy**, like one link (8 MB/s: ``bandwidth_bps=8_000_000``).
The proxy reads no faster than the cap, so the sender feels TCP back-pressure rather
than the proxy buffering everything.

``cut_after_bytes`` drops **every** connection once that many bytes of response (target
→ client) have passed on it. ``cut_mode`` says how: ``"reset"`` (default) aborts both
sides with a TCP RST (the client sees ECONNRESET and at most N bytes, possibly fewer);
``"close"`` delivers exactly N bytes then closes with a FIN (a truncated answer);
``"stall"`` stops forwarding and keeps the sockets open until :meth:`close`, like a
cable pulled out (the client only notices through its read timeout).

The proxy only listens on 127.0.0.1 and only connects to a loopback target: it refuses
any other address. The knobs are attributes and may be changed while it runs; a change
applies to the chunks and connections that come after it.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import struct
import threading
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

CutMode = Literal["reset", "close", "stall"]
CHUNK = 64 * 1024
MAX_IN_FLIGHT = 16 * 1024 * 1024  # bytes held in one direction's delay line at most
START_TIMEOUT_S = 5.0


@dataclass
class Counters:
    connections: int = 0  # accepted so far
    to_target: int = 0  # request bytes forwarded
    to_client: int = 0  # response bytes forwarded
    cuts: int = 0  # connections dropped by cut_after_bytes or drop_connections()


class NetProxy:
    """Forward 127.0.0.1:``port`` to ``target_host``:``target_port``, with impairments.

    It runs an asyncio loop in a daemon thread and starts listening in the constructor.
    """

    def __init__(
        self,
        target_host: str,
        target_port: int,
        *,
        latency_s: float = 0.0,
        bandwidth_bps: float | None = None,
        cut_after_bytes: int | None = None,
        cut_mode: CutMode = "reset",
    ) -> None:
        self.target_host = _loopback(target_host)
        self.target_port = int(target_port)
        if latency_s < 0:
            raise ValueError("latency_s must be >= 0")
        if bandwidth_bps is not None and bandwidth_bps <= 0:
            raise ValueError("bandwidth_bps must be > 0 (None: no cap)")
        if cut_after_bytes is not None and cut_after_bytes < 0:
            raise ValueError("cut_after_bytes must be >= 0 (None: never cut)")
        self.latency_s = latency_s
        self.bandwidth_bps = bandwidth_bps
        self.cut_after_bytes = cut_after_bytes
        self.cut_mode: CutMode = cut_mode
        self.counters = Counters()
        self.host = "127.0.0.1"
        self.port = 0
        self._links = {"up": _Link(), "down": _Link()}
        self._conns: set[_Connection] = set()
        self._server: asyncio.Server | None = None
        self._closed = False
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="netproxy", daemon=True)
        self._thread.start()
        try:
            self._call(self._start(), START_TIMEOUT_S)
        except BaseException:
            self._stop_loop()
            raise

    @classmethod
    def for_url(cls, url: str, **knobs: object) -> NetProxy:
        """A proxy in front of the host and port of ``url`` (http only, loopback only)."""
        parts = urlsplit(url)
        if parts.scheme != "http" or parts.hostname is None:
            raise ValueError(f"only http://<loopback>:port URLs can be proxied, not {url!r}")
        return cls(parts.hostname, parts.port or 80, **knobs)  # type: ignore[arg-type]

    # -- public API -----------------------------------------------------------------------
    @property
    def address(self) -> tuple[str, int]:
        return (self.host, self.port)

    def url_for(self, url: str) -> str:
        """``url`` with its host and port replaced by the proxy's."""
        parts = urlsplit(url)
        return urlunsplit(parts._replace(netloc=f"{self.host}:{self.port}"))

    def drop_connections(self) -> int:
        """Abort every open connection now (TCP RST); returns how many were open."""
        if self._closed:
            return 0
        return self._call(self._drop_all(), START_TIMEOUT_S)

    @property
    def open_connections(self) -> int:
        return len(self._conns)

    def close(self) -> None:
        """Stop listening, abort every connection, stop the thread. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            self._call(self._shutdown(), START_TIMEOUT_S)
        finally:
            self._stop_loop()

    def __enter__(self) -> NetProxy:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"NetProxy({self.host}:{self.port} -> {self.target_host}:{self.target_port}, "
            f"latency_s={self.latency_s}, bandwidth_bps={self.bandwidth_bps}, "
            f"cut_after_bytes={self.cut_after_bytes})"
        )

    # -- loop thread ----------------------------------------------------------------------
    def _call(self, coro: object, timeout: float) -> int:
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)  # type: ignore[arg-type]
        return future.result(timeout)

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(START_TIMEOUT_S)
        if not self._thread.is_alive():
            self._loop.close()

    async def _start(self) -> int:
        self._server = await asyncio.start_server(self._accept, self.host, 0, limit=CHUNK)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def _shutdown(self) -> int:
        if self._server is not None:
            self._server.close()
        dropped = await self._drop_all(count=False)
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return dropped

    async def _drop_all(self, count: bool = True) -> int:
        conns = list(self._conns)
        for conn in conns:
            conn.abort(reset=True)
            if count:
                self.counters.cuts += 1
        return len(conns)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.counters.connections += 1
        try:
            t_reader, t_writer = await asyncio.open_connection(
                self.target_host, self.target_port, limit=CHUNK
            )
        except OSError:
            _abort(writer, reset=True)
            return
        conn = _Connection(self, (reader, writer), (t_reader, t_writer))
        self._conns.add(conn)
        try:
            await conn.run()
        except asyncio.CancelledError:
            pass  # close(): the connection is already aborted
        finally:
            self._conns.discard(conn)


class _Link:
    """One direction of the emulated link: serialises bytes at the bandwidth cap.

    A token bucket: the link may catch up on up to ``BURST_S`` of time it sat idle (a
    read that came back late, a sleep that overslept), as a real link's buffers do;
    without that credit every small gap was lost and the link ran 20 % under its rate.
    """

    BURST_S = 0.05

    def __init__(self) -> None:
        self.free_at = 0.0  # monotonic time when the link has sent what it was given

    async def transmit(self, nbytes: int, rate: float | None) -> None:
        if rate is None:
            return
        now = time.monotonic()
        self.free_at = max(self.free_at, now - self.BURST_S) + nbytes / rate
        if self.free_at > now:
            await asyncio.sleep(self.free_at - now)


_Line = asyncio.Queue[tuple[float, bytes | None]]  # (due time, data; b"" EOF, None reset)


class _Connection:
    """One client connection and its connection to the target: four tasks.

    Per direction a reader (reads, paces at the bandwidth cap, stamps the due time) and a
    deliverer (waits until due, writes), joined by a bounded queue: the delay line.
    """

    def __init__(
        self,
        proxy: NetProxy,
        client: tuple[asyncio.StreamReader, asyncio.StreamWriter],
        target: tuple[asyncio.StreamReader, asyncio.StreamWriter],
    ) -> None:
        self.proxy = proxy
        self.client = client
        self.target = target
        self.sent_to_client = 0
        self.aborted = False
        self.stalled = False

    async def run(self) -> None:
        up: _Line = asyncio.Queue(MAX_IN_FLIGHT // CHUNK)
        down: _Line = asyncio.Queue(MAX_IN_FLIGHT // CHUNK)
        tasks = [
            asyncio.create_task(self._read(self.client[0], up, "up")),
            asyncio.create_task(self._deliver(up, self.target[1], "up")),
            asyncio.create_task(self._read(self.target[0], down, "down")),
            asyncio.create_task(self._deliver(down, self.client[1], "down")),
        ]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            failed = [t.exception() for t in done if not t.cancelled() and t.exception()]
            if self.stalled:
                await asyncio.Event().wait()  # a pulled cable: silence until close()
            if any(not isinstance(e, _Cut) for e in failed):
                self.abort(reset=True)  # one side failed: the other learns it abruptly
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            _close(self.client[1])
            _close(self.target[1])

    async def _read(self, reader: asyncio.StreamReader, line: _Line, way: str) -> None:
        """Read, pace at the bandwidth cap, stamp the time the bytes are due.

        A reset from the sender goes down the line too (``None``), after its data.
        """
        while not self.aborted:
            try:
                data: bytes | None = await reader.read(self._chunk_size())
            except OSError:
                data = None
            await self.proxy._links[way].transmit(len(data or b""), self.proxy.bandwidth_bps)
            await line.put((time.monotonic() + self.proxy.latency_s, data))
            if not data:
                return

    async def _deliver(self, line: _Line, writer: asyncio.StreamWriter, way: str) -> None:
        while True:
            due, data = await line.get()
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if self.stalled:
                await asyncio.Event().wait()  # a pulled cable: silence until close()
            if self.aborted:
                return
            if data is None:  # the sender reset its connection: so does the proxy
                self.abort(reset=True)
                return
            if not data:  # end of stream: pass the half-close on
                if writer.can_write_eof() and not writer.is_closing():
                    writer.write_eof()
                return
            await self._write(writer, data, way)

    async def _write(self, writer: asyncio.StreamWriter, data: bytes, way: str) -> None:
        if way == "down":
            data = self._before_cut(data)
        if data:
            writer.write(data)
            await writer.drain()
            self._count(way, len(data))
        if way == "down" and self._cut_due():
            await self._cut()

    def _chunk_size(self) -> int:
        rate = self.proxy.bandwidth_bps
        # Under a cap, small reads keep the pacing smooth (about 50 steps a second).
        return CHUNK if rate is None else max(1024, min(CHUNK, int(rate / 50)))

    def _count(self, way: str, nbytes: int) -> None:
        if way == "down":
            self.sent_to_client += nbytes
            self.proxy.counters.to_client += nbytes
        else:
            self.proxy.counters.to_target += nbytes

    def _before_cut(self, data: bytes) -> bytes:
        limit = self.proxy.cut_after_bytes
        if limit is None:
            return data
        return data[: max(0, limit - self.sent_to_client)]

    def _cut_due(self) -> bool:
        limit = self.proxy.cut_after_bytes
        return limit is not None and self.sent_to_client >= limit

    async def _cut(self) -> None:
        self.proxy.counters.cuts += 1
        mode = self.proxy.cut_mode
        if mode == "stall":
            self.stalled = True
            await asyncio.Event().wait()
        # "close": what was written is delivered, then a FIN; "reset": a RST, and the
        # client may lose what it had not read yet.
        self.abort(reset=mode == "reset")
        raise _Cut

    def abort(self, *, reset: bool) -> None:
        if self.aborted:
            return
        self.aborted = True
        _abort(self.client[1], reset=reset)
        _abort(self.target[1], reset=reset)


class _Cut(Exception):  # noqa: N818 (a signal between the tasks, not a failure)
    """Raised by a deliverer once it has cut the connection: ends the connection."""


def _abort(writer: asyncio.StreamWriter, *, reset: bool) -> None:
    """Close at once; with ``reset`` send a TCP RST (SO_LINGER 0) instead of a FIN."""
    sock = writer.get_extra_info("socket")
    if reset and sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def _close(writer: asyncio.StreamWriter) -> None:
    if not writer.is_closing():
        writer.close()


def _loopback(host: str) -> str:
    """The loopback address to use for ``host``; anything else is refused."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"the proxy only forwards to loopback addresses, not {host!r}") from None
    if not address.is_loopback:
        raise ValueError(f"the proxy only forwards to loopback addresses, not {host!r}")
    return str(address)


__all__ = ["Counters", "CutMode", "NetProxy"]
