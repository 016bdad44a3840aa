"""The untrusted-input boundaries, what each may raise, and the helpers their cases share.

A boundary's ``run(rng, corpus, work)`` makes one case from ``rng`` (mutating a corpus
input), feeds it to the real production code, and checks the promises that code makes
beyond "no crash" (a rejected instance leaves the cache as it was, a parser leaves no
part open...). It raises what the production code raised; :class:`BrokenPromiseError` when a promise
was not kept. ``allowed`` lists the typed errors the boundary's contract names: anything
else that comes out, typed or not, is a failure.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.fuzz.corpus import Corpus
from viewer.errors import (
    AuthError,
    DiskFullError,
    InvalidDataError,
    NetworkError,
    ServerError,
    UsageError,
)


class BrokenPromiseError(Exception):
    """The boundary did not crash but broke a promise its docstring makes."""


@dataclass(frozen=True)
class Boundary:
    name: str
    run: Callable[[random.Random, Corpus, Path], None]
    allowed: tuple[type[BaseException], ...]
    what: str  # one line for the report
    imports: tuple[str, ...] = ()  # modules the cases use, imported when a worker starts


def chunked(rng: random.Random, data: bytes) -> list[bytes]:
    """``data`` cut the way a network or a file reader might hand it over."""
    mode = rng.choice(("whole", "ones", "small", "random", "random"))
    if mode == "whole" or not data:
        return [data]
    if mode == "ones" and len(data) <= 16384:
        return [data[i : i + 1] for i in range(len(data))]
    most = 16 if mode == "small" else 8192
    out, pos = [], 0
    while pos < len(data):
        n = rng.randint(1, most)
        out.append(data[pos : pos + n])
        pos += n
    return out


def keep(work: Path, name: str, data: bytes) -> None:
    """Save a case's input next to it (the runner removes ``work`` unless asked to keep
    it: ``replay --keep`` shows what the case fed in)."""
    (work / name).write_bytes(data)


# -- the self-test boundary: proves the harness sees each kind of failure ----------------


def _selftest(rng: random.Random, corpus: Corpus, work: Path) -> None:
    import os
    import time

    kind = rng.choice(("ok", "typed", "untyped", "crash", "hang", "memory", "broken", "thread"))
    if kind == "typed":
        raise InvalidDataError("selftest: a typed rejection")
    if kind == "untyped":
        raise ValueError("selftest: an untyped error")
    if kind == "crash":
        os.abort()
    if kind == "hang":
        time.sleep(3600)
    if kind == "memory":
        bytearray(8 << 30)  # beyond the worker's address-space limit
    if kind == "broken":
        raise BrokenPromiseError("selftest: a promise not kept")
    if kind == "thread":
        import threading

        def fail() -> None:
            raise KeyError("selftest: an error in a background thread")

        t = threading.Thread(target=fail)
        t.start()
        t.join()


def selftest_kind(boundary_seed: int, index: int) -> str:
    """The kind of failure self-test case ``index`` makes (for the harness's own test)."""
    from tests.fuzz.worker import case_rng

    rng = case_rng("selftest", boundary_seed, index)
    return rng.choice(("ok", "typed", "untyped", "crash", "hang", "memory", "broken", "thread"))


# The decoders load their codec libraries on first use: load them before the watchdog.
_DECODERS = (
    *("viewer.imaging.thumbnail", "viewer.imaging.decode", "pylibjpeg", "libjpeg"),
    *("openjpeg", "rle", "jpeg_ls", "gdcm", "PIL.Image"),
)


def all_boundaries() -> dict[str, Boundary]:
    from tests.fuzz import cases_files, cases_provider, cases_reports, cases_stream

    found: Sequence[Boundary] = (
        Boundary(
            "multipart",
            cases_stream.multipart,
            (InvalidDataError, NetworkError),  # NetworkError: TruncatedError, a cut body
            "MultipartParser on mutated multipart/related answers, random chunking",
            ("viewer.dicomweb.multipart",),
        ),
        Boundary(
            "qido",
            cases_stream.qido,
            (InvalidDataError,),
            "QIDO-RS JSON through DicomwebSource, HistorySearch and series_from_json",
            ("viewer.history.service", "viewer.history.series", "viewer.sources.dicomweb"),
        ),
        Boundary(
            "header",
            cases_files.header,
            (InvalidDataError,),
            "read_header and read_prefix on mutated Part 10 bytes",
            ("viewer.cache.header",),
        ),
        Boundary(
            "cache",
            cases_files.cache_writer,
            (InvalidDataError, DiskFullError),
            "CacheStore: begin_instance() and pack_sinks() sinks, chunked writes, commit",
            ("viewer.cache.store",),
        ),
        Boundary(
            "decode",
            cases_files.decode_display,
            (InvalidDataError,),
            "read_dataset, decode and series_thumbnail on mutated files of 7 syntaxes",
            _DECODERS,
        ),
        Boundary(
            "measurements",
            cases_stream.measurements,
            (),  # a file that cannot be read is no measurement, never an error
            "AnnotationFile.load of a mutated study measurements file",
            ("viewer.session.annotation_file",),
        ),
        Boundary(
            "report",
            cases_reports.measurement_report,
            (InvalidDataError,),
            "read_report of a mutated DICOM SR measurement report (highdicom)",
            ("viewer.measure.report_read", "viewer.measure.report", "highdicom"),
        ),
        Boundary(
            "measure",
            cases_files.measure_image,
            (InvalidDataError,),
            "measured_image and measure (every tool) on mutated files, random points",
            (*_DECODERS, "viewer.measure.tools"),
        ),
        Boundary(
            "launch",
            cases_stream.launch,
            (UsageError,),
            "parse_launch_url of a mutated qingying:// launch line",
            ("viewer.launch",),
        ),
        Boundary(
            "provider",
            cases_provider.provider,
            (InvalidDataError, AuthError, ServerError),
            "an OpenID provider's mutated discovery, token, device and ID token answers,"
            " and mutated requests to the loopback redirect",
            ("viewer.sources.oidc.signins", "jwt"),
        ),
        Boundary(
            "import",
            cases_files.dicomdir_import,
            (),  # the importer's contract: a bad file is reported, never raised
            "CacheStore.import_path of a CD: mutated DICOMDIR, files, FIFOs, symlinks",
            ("viewer.cache.store", "pydicom.fileset"),
        ),
    )
    return {b.name: b for b in found}


SELFTEST = Boundary(
    "selftest",
    _selftest,
    (InvalidDataError,),
    "the harness itself: one case of each kind of failure",
)


def boundary(name: str) -> Boundary:
    if name == SELFTEST.name:
        return SELFTEST
    return all_boundaries()[name]
