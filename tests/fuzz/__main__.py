"""``python -m tests.fuzz run|replay``: the long run, and one case replayed.

    python -m tests.fuzz run --boundary all --cases 10000 --seed 1 --jobs 2
    python -m tests.fuzz replay decode 0 17            # in this process: full traceback
    python -m tests.fuzz replay decode 0 17 --keep     # ... and keep the input files
    python -m tests.fuzz replay decode 0 17 --isolated # in a worker, with its limits

``run`` prints, per boundary, cases, outcomes, crashes, hangs, untyped errors and time,
then each distinct failure with the command that replays it; exit status 1 if any.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.fuzz.boundaries import all_boundaries, boundary
from tests.fuzz.runner import (
    Report,
    Worker,
    ensure_corpus,
    format_failures,
    format_table,
    run_boundary,
)
from tests.fuzz.worker import DEFAULT_FILE_MB, DEFAULT_MEM_MB


def _run(args: argparse.Namespace) -> int:
    names = list(all_boundaries()) if args.boundary == "all" else args.boundary.split(",")
    for name in names:
        boundary(name)  # an unknown name fails here, before any work
    lock = threading.Lock()
    done: dict[str, int] = {}
    started = time.monotonic()

    def progress(name: str, outcome: dict[str, Any]) -> None:
        with lock:
            done[name] = done.get(name, 0) + 1
            if outcome["kind"] not in ("ok", "typed") and not args.quiet:
                print(
                    f"  {name} #{outcome['index']}: {outcome['kind']} {outcome.get('type', '')}"
                    f" at {outcome.get('place', '')}",
                    file=sys.stderr,
                    flush=True,
                )
            if done[name] % args.every == 0 and not args.quiet:
                print(
                    f"  {name}: {done[name]}/{args.cases} after {time.monotonic() - started:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )

    with tempfile.TemporaryDirectory(prefix="qingying-fuzz-corpus-") as folder:
        corpus = ensure_corpus(Path(folder))

        def one(name: str) -> Report:
            return run_boundary(
                name,
                args.seed,
                args.cases,
                corpus,
                first=args.first,
                timeout=args.timeout,
                mem_mb=args.mem_mb,
                file_mb=args.file_mb,
                workers=args.workers,
                on_outcome=lambda o: progress(name, o),
            )

        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            reports = list(pool.map(one, names))
    print(
        f"seed {args.seed}, cases {args.first}-{args.first + args.cases - 1} per boundary, "
        f"timeout {args.timeout:g} s, address space {args.mem_mb} MiB, "
        f"{args.jobs} job(s) x {args.workers} worker(s), {time.monotonic() - started:.0f} s in all"
    )
    print(format_table(reports))
    failures = format_failures(reports)
    if failures:
        print("\nFailures (kind: type at the raising frame):")
        print(failures)
    if args.json:
        Path(args.json).write_text(json.dumps([_as_json(r) for r in reports], indent=1))
    return 1 if any(r.failures for r in reports) else 0


def _as_json(r: Report) -> dict[str, Any]:
    return {
        "boundary": r.boundary,
        "seed": r.seed,
        "cases": r.cases,
        "counts": dict(r.counts),
        "seconds": round(r.seconds, 1),
        "failures": [g.__dict__ for g in r.groups.values()],
    }


def _replay(args: argparse.Namespace) -> int:
    from tests.fuzz.corpus import Corpus

    folder = Path(tempfile.mkdtemp(prefix="qingying-fuzz-replay-"))
    corpus_dir = ensure_corpus(folder / "corpus")
    if args.isolated:
        worker = Worker(args.boundary, args.seed, corpus_dir, args.mem_mb, args.file_mb)
        outcome = worker.run(args.index, args.timeout)
        if outcome["kind"] not in ("crash", "hang"):
            outcome["stderr"] = worker.stderr_tail()
            worker.stop()
        tail = outcome.pop("stderr", "")
        print(json.dumps(outcome, indent=1))
        if tail:
            print("worker stderr:\n" + tail)
        shutil.rmtree(folder, ignore_errors=True)
        return 0 if outcome["kind"] in ("ok", "typed") else 1
    import random

    from tests.fuzz.worker import case_rng

    b = boundary(args.boundary)
    work = folder / "case"
    work.mkdir()
    rng: random.Random = case_rng(args.boundary, args.seed, args.index)
    print(
        f"replaying {args.boundary} seed {args.seed} index {args.index}; "
        f"allowed: {', '.join(t.__name__ for t in b.allowed) or 'nothing'}",
        file=sys.stderr,
    )
    if args.keep:
        print(f"inputs are kept in {work}", file=sys.stderr)
    try:
        b.run(rng, Corpus(corpus_dir), work)  # its exception, with the whole traceback
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print("no error", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fuzz",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run cases of some or all boundaries")
    run.add_argument(
        "--boundary",
        default="all",
        help="all, or names joined by commas: " + ", ".join(all_boundaries()),
    )
    run.add_argument("--cases", type=int, default=1000, help="per boundary")
    run.add_argument("--seed", type=int, default=1)
    run.add_argument("--first", type=int, default=0, help="index of the first case")
    run.add_argument("--jobs", type=int, default=2, help="boundaries run at once")
    run.add_argument("--workers", type=int, default=1, help="worker processes per boundary")
    run.add_argument("--every", type=int, default=1000, help="progress every N cases")
    run.add_argument("--quiet", action="store_true")
    run.add_argument("--json", help="also write the reports to this file")
    replay = sub.add_parser("replay", help="run one case again")
    replay.add_argument("boundary")
    replay.add_argument("seed", type=int)
    replay.add_argument("index", type=int)
    replay.add_argument("--keep", action="store_true", help="keep the case's input files")
    replay.add_argument("--isolated", action="store_true", help="in a worker, with limits")
    for p in (run, replay):
        p.add_argument("--timeout", type=float, default=10.0, help="seconds per case")
        p.add_argument("--mem-mb", type=int, default=DEFAULT_MEM_MB)
        p.add_argument("--file-mb", type=int, default=DEFAULT_FILE_MB)
    args = parser.parse_args(argv)
    return _run(args) if args.command == "run" else _replay(args)


if __name__ == "__main__":
    sys.exit(main())
