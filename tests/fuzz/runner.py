"""The parent side: a worker per boundary, a watchdog per case, failures grouped.

Each case is sent to a long-lived worker (:mod:`tests.fuzz.worker`); the parent waits for
its answer at most ``timeout`` seconds. A worker that dies (a signal, an abnormal exit)
is a crash; one that does not answer in time is a hang: it is asked for its stack
(SIGUSR1), killed with its whole process group (codecs run in child processes may have
been started), and a fresh worker takes the next case. Outcomes are grouped by kind,
exception type and the place that raised it (file:line), each group with the first case
that showed it and the command that replays it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import selectors
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fuzz.worker import DEFAULT_FILE_MB, DEFAULT_MEM_MB, REPO_ROOT, short_path

FAILURE_KINDS = ("crash", "hang", "untyped", "broken")
KINDS = ("ok", "typed", *FAILURE_KINDS)
STARTUP_TIMEOUT_S = 120.0
_FRAME_RE = re.compile(r'^\s*File "(.+)", line (\d+) in (\S+)')


@dataclass
class Group:
    kind: str
    type: str
    place: str
    where: str
    message: str
    first_index: int
    count: int = 0


@dataclass
class Report:
    boundary: str
    seed: int
    counts: Counter[str] = field(default_factory=Counter)
    groups: dict[tuple[str, str, str], Group] = field(default_factory=dict)
    seconds: float = 0.0
    slowest: tuple[float, int] = (0.0, -1)  # (seconds, index) of the slowest answered case

    @property
    def cases(self) -> int:
        return sum(self.counts.values())

    @property
    def failures(self) -> int:
        return sum(self.counts[k] for k in FAILURE_KINDS)

    def add(self, outcome: dict[str, Any]) -> None:
        kind = outcome["kind"]
        self.counts[kind] += 1
        if kind != "hang":
            self.slowest = max(self.slowest, (outcome.get("seconds", 0.0), outcome["index"]))
        if kind not in FAILURE_KINDS:
            return
        message = outcome.get("message", "")
        # A broken promise is told apart by its words, an error by where it was raised.
        detail = message.split(":")[0] if kind == "broken" else outcome.get("place", "")
        key = (kind, outcome.get("type", ""), detail)
        if key not in self.groups:
            self.groups[key] = Group(
                kind,
                outcome.get("type", ""),
                outcome.get("place", ""),
                outcome.get("where", ""),
                message,
                outcome["index"],
            )
        self.groups[key].count += 1


def python_for_commands() -> str:
    exe = Path(sys.executable)
    with contextlib.suppress(ValueError):
        return str(exe.relative_to(Path.cwd()))
    return str(exe)


def replay_command(boundary: str, seed: int, index: int) -> str:
    return f"{python_for_commands()} -m tests.fuzz replay {boundary} {seed} {index}"


def ensure_corpus(folder: Path) -> Path:
    """Generate the corpus in a child process (GDCM encodes JPEG lossless there)."""
    from tests.fuzz.corpus import VERSION

    if not (folder / f"corpus-v{VERSION}").exists():
        subprocess.run(
            [sys.executable, "-m", "tests.fuzz.corpus", str(folder)], cwd=REPO_ROOT, check=True
        )
    return folder


def scratch_dir() -> str | None:
    """Where cases write their files: ``QINGYING_FUZZ_TMP``, else /dev/shm (the cache's
    fsyncs cost nothing there, and the cases test logic, not disks), else the default."""
    chosen = os.environ.get("QINGYING_FUZZ_TMP")
    if chosen:
        return chosen
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


class Worker:
    """One worker process and what it needs: its temp folder and its stderr file."""

    def __init__(self, boundary: str, seed: int, corpus: Path, mem_mb: int, file_mb: int) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix=f"qingying-fuzz-{boundary}-", dir=scratch_dir()))
        self.stderr_path = self.tmp / "stderr.txt"
        stderr = self.stderr_path.open("wb")
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
        cases = self.tmp / "cases"
        cases.mkdir()
        command = [sys.executable, "-m", "tests.fuzz.worker", "--boundary", boundary]
        command += ["--seed", str(seed), "--corpus", str(corpus), "--tmp", str(cases)]
        command += ["--mem-mb", str(mem_mb), "--file-mb", str(file_mb)]
        self.proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            cwd=REPO_ROOT,
            env=env,
            start_new_session=True,  # its own process group: a kill reaches its children
        )
        stderr.close()
        assert self.proc.stdout is not None and self.proc.stdin is not None
        self._out = self.proc.stdout.fileno()
        self._buffer = b""
        ready = self._answer(STARTUP_TIMEOUT_S)
        if ready is None or "ready" not in ready:
            tail = self.stderr_tail()
            self.kill()
            raise RuntimeError(f"the {boundary} fuzz worker did not start:\n{tail}")

    def _answer(self, timeout: float) -> dict[str, Any] | None:
        """The next JSON line; None on EOF or time-out (``self.timed_out`` says which)."""
        deadline = time.monotonic() + timeout
        self.timed_out = False
        with selectors.DefaultSelector() as sel:
            sel.register(self._out, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    self.timed_out = True
                    return None
                data = os.read(self._out, 65536)
                if not data:
                    return None
                self._buffer += data
        line, self._buffer = self._buffer.split(b"\n", 1)
        answer: dict[str, Any] = json.loads(line)
        return answer

    def run(self, index: int, timeout: float) -> dict[str, Any]:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(f"{index}\n".encode())
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass  # it died: the read below sees EOF
        answer = self._answer(timeout)
        if answer is not None:
            return answer
        if self.timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGUSR1)  # faulthandler: where it hangs
            time.sleep(0.5)
            text = self.stderr_text()
            self.kill()
            place, where = stack_places(text)
            return {
                "index": index,
                "kind": "hang",
                "type": f"no answer in {timeout:g} s",
                "place": place,
                "where": where,
                "message": "",
                "seconds": timeout,
                "stderr": _tail(text),
            }
        self.proc.wait()
        text = self.stderr_text()
        self.kill()
        code = self.proc.returncode
        what = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
        place, where = stack_places(text)
        return {
            "index": index,
            "kind": "crash",
            "type": what,
            "place": place,
            "where": where,
            "message": crash_message(text),
            "seconds": 0.0,
            "stderr": _tail(text),
        }

    def stderr_text(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")
        except OSError:
            return ""

    def stderr_tail(self, lines: int = 30) -> str:
        return "\n".join(self.stderr_text().splitlines()[-lines:])

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                stream and stream.close()  # type: ignore[func-returns-value]
        shutil.rmtree(self.tmp, ignore_errors=True)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            assert self.proc.stdin is not None
            self.proc.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        self.kill()


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


def stack_places(text: str) -> tuple[str, str]:
    """(innermost frame, innermost viewer/ frame) of the worker's main thread in a
    faulthandler dump: the thread block that runs tests/fuzz/worker.py."""
    blocks = re.split(r"\n(?=(?:Current thread|Thread) 0x)", text)
    for block in blocks:
        frames = [m.groups() for line in block.splitlines() if (m := _FRAME_RE.match(line))]
        if frames and any(f[0].endswith("tests/fuzz/worker.py") for f in frames):
            place = f"{short_path(frames[0][0])}:{frames[0][1]}"
            ours = [f for f in frames if short_path(f[0]).startswith(("viewer/", "widgets/"))]
            where = f"{short_path(ours[0][0])}:{ours[0][1]}" if ours else ""
            return place, where
    return "?", ""


def crash_message(text: str) -> str:
    """The lines of a crash that say what happened (a C++ exception, a fatal error)."""
    keep = [
        line.strip()
        for line in text.splitlines()
        if line.startswith(("terminate called", "  what()", "Fatal Python error", "MemoryError"))
        or "Assertion" in line
    ]
    return " | ".join(keep)[:300]


def run_boundary(
    boundary: str,
    seed: int,
    cases: int,
    corpus: Path,
    *,
    first: int = 0,
    timeout: float = 10.0,
    mem_mb: int = DEFAULT_MEM_MB,
    file_mb: int = DEFAULT_FILE_MB,
    workers: int = 1,
    indexes: Sequence[int] | None = None,
    on_outcome: Callable[[dict[str, Any]], None] = lambda _o: None,
) -> Report:
    """Run cases ``first`` … ``first + cases - 1`` of ``boundary`` (or ``indexes``), on
    ``workers`` worker processes at once (the cache's cases mostly wait for its flusher,
    so several workers pay off there even on two cores). Cases are independent: the
    outcome of each is the same however they are spread."""
    todo = list(indexes) if indexes is not None else list(range(first, first + cases))
    report = Report(boundary, seed)
    lock = threading.Lock()
    started = time.monotonic()

    def share(mine: list[int]) -> None:
        worker: Worker | None = None
        try:
            for index in mine:
                if worker is None:
                    worker = Worker(boundary, seed, corpus, mem_mb, file_mb)
                outcome = worker.run(index, timeout)
                if outcome["kind"] in ("crash", "hang"):
                    worker = None  # killed already: a fresh one takes the next case
                with lock:
                    report.add(outcome)
                    on_outcome(outcome)
        finally:
            if worker is not None:
                worker.stop()

    shares = [todo[i::workers] for i in range(max(1, workers))]
    with ThreadPoolExecutor(max_workers=len(shares)) as pool:
        for done in [pool.submit(share, mine) for mine in shares if mine]:
            done.result()
    report.seconds = time.monotonic() - started
    return report


def format_table(reports: list[Report]) -> str:
    head = f"{'boundary':<10} {'cases':>6} {'ok':>6} {'typed':>6} {'crashes':>7} "
    head += f"{'hangs':>5} {'untyped':>7} {'broken':>6} {'time':>8} {'slowest case':>14}"
    lines = [head]
    for r in reports:
        c = r.counts
        lines.append(
            f"{r.boundary:<10} {r.cases:>6} {c['ok']:>6} {c['typed']:>6} {c['crash']:>7} "
            f"{c['hang']:>5} {c['untyped']:>7} {c['broken']:>6} {r.seconds:>7.1f}s"
            f" {r.slowest[0]:>6.2f}s #{r.slowest[1]:<6}"
        )
    return "\n".join(lines)


def format_failures(reports: list[Report]) -> str:
    """Each distinct failure: what, where, how often, and the command that replays it."""
    out = []
    for r in reports:
        for g in sorted(r.groups.values(), key=lambda g: (FAILURE_KINDS.index(g.kind), -g.count)):
            where = f" (last viewer frame {g.where})" if g.where and g.where != g.place else ""
            out.append(f"[{r.boundary}] {g.kind}: {g.type} at {g.place}{where} - {g.count} case(s)")
            if g.message:
                out.append(f"    {g.message}")
            out.append(
                f"    first: seed {r.seed} index {g.first_index}; replay: "
                f"{replay_command(r.boundary, r.seed, g.first_index)}"
            )
    return "\n".join(out)


def quote_command(args: list[str]) -> str:
    return " ".join(shlex.quote(a) for a in args)
