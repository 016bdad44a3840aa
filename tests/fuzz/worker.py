"""The child process that runs one boundary's cases, one at a time, under limits.

``python -m tests.fuzz.worker --boundary NAME --seed S --corpus DIR --tmp DIR`` reads case
indexes on stdin, one a line, and answers each with one JSON line on its original stdout
(the process's own fd 1 goes to stderr, so nothing a library prints can garble them).

Limits: the address space (``RLIMIT_AS``; a bogus 4 GiB length becomes MemoryError, not
a machine swapping), file size (``RLIMIT_FSIZE``; a link to /dev/zero copied into the
cache kills the worker with SIGXFSZ instead of filling the disk), no core files. The
parent's watchdog handles time. faulthandler writes the Python stack to stderr on a fatal
signal (SIGABRT from a C++ codec, SIGSEGV) and on SIGUSR1, which the parent sends to a
case that hangs before it kills it: so a crash or hang is reported where it happened.
stderr is a file the parent reads, emptied at the start of each case.
"""

from __future__ import annotations

import argparse
import faulthandler
import importlib
import json
import logging
import os
import random
import re
import resource
import shutil
import signal
import sys
import sysconfig
import tempfile
import threading
import time
import traceback
import warnings
from pathlib import Path
from types import TracebackType
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MEM_MB = 1536
DEFAULT_FILE_MB = 64


def case_rng(boundary: str, seed: int, index: int) -> random.Random:
    """The generator of one case: the same (boundary, seed, index) gives the same input,
    whatever ran before (a string seed is hashed with SHA-512, not Python's hash)."""
    return random.Random(f"{boundary}/{seed}/{index}")


def short_path(filename: str) -> str:
    """A frame's file, relative to the repository or to site-packages."""
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1]
    stdlib = sysconfig.get_paths()["stdlib"] + "/"
    if filename.startswith(stdlib):
        return "stdlib/" + filename[len(stdlib) :]
    try:
        return str(Path(filename).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return filename


def _places(tb: TracebackType | None) -> tuple[str, str]:
    """(the raising frame, the innermost frame in viewer/) as file:line."""
    frames = traceback.extract_tb(tb)
    if not frames:
        return "?", ""
    last = frames[-1]
    ours = [f for f in frames if short_path(f.filename).startswith(("viewer/", "widgets/"))]
    where = f"{short_path(ours[-1].filename)}:{ours[-1].lineno}" if ours else ""
    return f"{short_path(last.filename)}:{last.lineno}", where


def _type_name(exc: BaseException) -> str:
    cls = type(exc)
    module = cls.__module__
    return (
        cls.__qualname__ if module in ("builtins", "__main__") else f"{module}.{cls.__qualname__}"
    )


def classify(exc: BaseException, allowed: tuple[type[BaseException], ...]) -> dict[str, Any]:
    """What a case's exception means: typed (in the boundary's contract), broken (a
    promise the harness checks), or untyped (anything else, typed errors outside the
    contract included)."""
    from tests.fuzz.boundaries import BrokenPromiseError

    place, where = _places(exc.__traceback__)
    if isinstance(exc, allowed):
        kind = "typed"
    elif isinstance(exc, BrokenPromiseError):
        kind = "broken"
    else:
        kind = "untyped"
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return {
        "kind": kind,
        "type": _type_name(exc),
        "place": place,
        "where": where,
        "message": message[:300],
    }


def limit_resources(mem_mb: int, file_mb: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (mem_mb << 20, mem_mb << 20))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_mb << 20, file_mb << 20))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_case(
    name: str, seed: int, index: int, corpus: Any, tmp: Path, keep: bool = False
) -> dict[str, Any]:
    """Run one case; its outcome as a dict (``kind`` ok, typed, untyped or broken)."""
    from tests.fuzz.boundaries import boundary

    b = boundary(name)
    work = Path(tempfile.mkdtemp(dir=tmp, prefix=f"case-{index}-"))
    _thread_errors.clear()
    started = time.perf_counter()
    try:
        b.run(case_rng(name, seed, index), corpus, work)
        outcome: dict[str, Any] = {"kind": "ok"}
    except BaseException as exc:  # every escape is what is measured
        outcome = classify(exc, b.allowed)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    if outcome["kind"] in ("ok", "typed") and _thread_errors:
        outcome = classify(_thread_errors[0], ())
        outcome["type"] += f" (in thread {_thread_names[0]})"
    outcome.update(index=index, seconds=round(time.perf_counter() - started, 4))
    if keep:
        outcome["work"] = str(work)
    return outcome


_thread_errors: list[BaseException] = []
_thread_names: list[str] = []


def _record_thread_error(args: threading.ExceptHookArgs) -> None:
    """An exception that ended a background thread: nobody would hear of it in the app
    either (a worker that dies silently), so it counts against the case."""
    if args.exc_value is not None:
        _thread_errors.append(args.exc_value)
        _thread_names.append(re.sub(r"\d+", "N", args.thread.name) if args.thread else "?")


def _quiet() -> None:
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    threading.excepthook = _record_thread_error


def _empty_stderr() -> None:
    try:
        os.ftruncate(2, 0)
        os.lseek(2, 0, os.SEEK_SET)
    except OSError:
        pass  # not a file (run by hand): nothing to empty


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--boundary", required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--tmp", type=Path, required=True)
    parser.add_argument("--mem-mb", type=int, default=DEFAULT_MEM_MB)
    parser.add_argument("--file-mb", type=int, default=DEFAULT_FILE_MB)
    args = parser.parse_args(argv)

    answers = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    faulthandler.enable(all_threads=True)
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    limit_resources(args.mem_mb, args.file_mb)
    _quiet()
    from tests.fuzz.boundaries import boundary
    from tests.fuzz.corpus import Corpus

    for module in boundary(args.boundary).imports:  # before the first watchdog starts
        importlib.import_module(module)
    corpus = Corpus(args.corpus)
    answers.write(json.dumps({"ready": os.getpid()}) + "\n")
    for line in sys.stdin:
        _empty_stderr()
        outcome = run_case(args.boundary, args.seed, int(line), corpus, args.tmp)
        answers.write(json.dumps(outcome) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
