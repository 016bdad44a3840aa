"""Decoding with a codec that can take its process down, in a child process of its own.

GDCM (python-gdcm) throws an uncaught C++ exception on some damaged baseline JPEG (a
JFIF version it does not expect is enough) and crashes on others (a sample precision of
156: SIGSEGV); either ends the Python process that called it, and thumbnails are
decoded in the viewer's own process. CharLS (pyjpegls) can spend seconds on a damaged
JPEG-LS stream while it holds the interpreter, and nothing in process can stop it. So
the plugins in :data:`ISOLATED_PLUGINS` never
run in the caller's process: :func:`decode_in_child` hands the Image Pixel elements and
the pixel data to one long-lived child process, which decodes with pydicom and that
plugin alone and sends the array back. A child that dies (signal, abort), runs past
:func:`deadline_for` or answers nothing is killed if need be and replaced at the next call;
the caller gets :class:`ChildDecodeError` with the reason, never the crash.

The child is started with ``spawn`` (a fresh interpreter: forking a process that runs Qt
threads is unsafe) at the first call (the first JPEG-LS image of a session, or the first
GDCM fallback); calls are served one at a time. Its address space is capped where the OS
allows (:data:`MEMORY_LIMIT`), so a decoder that asks for an absurd buffer fails there
with MemoryError instead of pressing on the viewer's memory.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

import numpy.typing as npt
from pydicom.dataset import Dataset, FileMetaDataset

log = logging.getLogger(__name__)

# GDCM can abort its process; CharLS (pyjpegls) spent 3.6 s, and in one case over 10 s,
# on damaged JPEG-LS streams of 500 bytes (the long fuzz run), holding the interpreter
# meanwhile. In the child a deadline ends such a decode; the cost of the pipe, measured
# on the demo's 200-slice JPEG-LS series: 333 ms against 312 in process (plain pydicom
# 695 ms), bench/RESULTS.md.
ISOLATED_PLUGINS = frozenset({"gdcm", "pyjpegls"})
# Seconds one decode may take (the child's start, 0.3-0.45 s here, is not counted): a base,
# and more for more compressed data; past it the child is ended and the next plugin tried.
TIMEOUT_BASE = 2.0
STARTUP_TIMEOUT = 30.0  # seconds for the child to start, once a session
TIMEOUT_PER_MB = 1.0
MEMORY_LIMIT = 8 << 30  # bytes of address space for the child (Linux, macOS)
# What a decoder reads besides the pixel data (PS3.3 C.7.6.3 Image Pixel, multi-frame).
_ELEMENTS = (
    "Rows",
    "Columns",
    "SamplesPerPixel",
    "PhotometricInterpretation",
    "PlanarConfiguration",
    "BitsAllocated",
    "BitsStored",
    "HighBit",
    "PixelRepresentation",
    "NumberOfFrames",
    "ExtendedOffsetTable",
    "ExtendedOffsetTableLengths",
    "PixelData",
)


class ChildDecodeError(Exception):
    """The isolated plugin did not decode: ``str()`` says why in a few words (its own
    error message, or how its process ended)."""


class _Child:
    """The one child process and the pipe to it; replaced when it fails."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child_end = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve, args=(child_end,), name="qingying-isolated-decoder", daemon=True
        )
        self.process.start()
        child_end.close()
        # Started within STARTUP_TIMEOUT, or not at all (a slow machine, a scanner of new
        # processes): only then does a decode's own deadline begin.
        try:
            ready = self.conn.poll(STARTUP_TIMEOUT) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.stop()
            raise ChildDecodeError(
                f"the decoder process did not start ({_how_it_ended(self.process)})"
            )

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


_lock = threading.Lock()
_child: _Child | None = None


def decode_in_child(
    ds: Dataset, plugin: str, index: int | None
) -> tuple[npt.NDArray[Any], dict[str, Any]]:
    """pydicom's ``as_array`` of ``ds`` with ``plugin`` (frame ``index`` from 0, or
    every frame), run in the child process: (array, pydicom's meta)."""
    request = (_minimal(ds), plugin, index)
    timeout = deadline_for(ds)
    global _child
    with _lock:
        if _child is None or not _child.process.is_alive():
            _child = None
            _child = _Child()  # ChildDecodeError if it does not start
        child = _child
        try:
            child.conn.send(request)
            if not child.conn.poll(timeout):
                _child = None
                child.stop()
                raise ChildDecodeError(f"{plugin} took more than {timeout:.0f} s")
            answer = child.conn.recv()
        except (EOFError, OSError) as err:  # the child died before or while answering
            _child = None
            child.stop()
            raise ChildDecodeError(f"{plugin} crashed ({_how_it_ended(child.process)})") from err
    ok, value = answer
    if not ok:
        raise ChildDecodeError(str(value))
    arr, meta = value
    return arr, meta


def deadline_for(ds: Dataset) -> float:
    """Seconds the child may take to decode ``ds``."""
    value = ds.get("PixelData")
    size = len(value) if isinstance(value, (bytes, bytearray)) else 0
    return TIMEOUT_BASE + TIMEOUT_PER_MB * size / 1e6


def _minimal(ds: Dataset) -> Dataset:
    """What the decoder needs of ``ds``, without the rest of the header (names, ...)."""
    out = Dataset()
    out.file_meta = FileMetaDataset()
    out.file_meta.TransferSyntaxUID = ds.file_meta.TransferSyntaxUID
    for keyword in _ELEMENTS:
        if keyword in ds:
            element = ds[keyword]
            out.add_new(element.tag, element.VR, element.value)
    out.set_original_encoding(*ds.original_encoding)
    return out


def _how_it_ended(process: BaseProcess) -> str:
    process.join(2)
    code = process.exitcode
    if code is None:
        return "no answer"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def _serve(conn: Connection) -> None:  # pragma: no cover - runs in the child
    """The child's loop: decode each request, answer (True, (array, meta)) or (False,
    reason). Ends when the parent closes its end of the pipe."""
    _limit_memory()
    from pydicom.pixels.decoders.base import get_decoder

    conn.send("ready")  # the start is not counted against the first decode's deadline
    while True:
        try:
            ds, plugin, index = conn.recv()
        except (EOFError, OSError):
            return
        try:
            decoder = get_decoder(ds.file_meta.TransferSyntaxUID)
            arr, meta = decoder.as_array(ds, decoding_plugin=plugin, index=index)
            answer: tuple[bool, Any] = (True, (arr, dict(meta)))
        except MemoryError:
            answer = (False, f"{plugin}: the image is too large to decode")
        except Exception as err:  # the plugin's own account, sent back as text
            answer = (False, _reason(err, plugin))
        conn.send(answer)


def _reason(err: Exception, plugin: str) -> str:
    """The line of pydicom's "Unable to decode ..." that is the plugin's, else the first."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    for line in lines:
        if line.startswith(f"{plugin}: "):
            return line[len(plugin) + 2 :][:160]
    return (lines[0] if lines else type(err).__name__)[:160]


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    try:
        import resource
    except ImportError:  # Windows: no address-space limit to set
        return
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass
