"""``prefetch --worklist FILE``: a clinic's patients' recent studies into the cache.

For a nightly job: prints a summary, exits 0 when everything selected is cached, 4 when
some could not be fetched (run it again to resume), 5 when no worklist patient was found.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from viewer.config import Config
from viewer.errors import ExitCode, UsageError
from viewer.session.prefetch_job import prefetch_worklist
from viewer.sources.opening import open_configured_sources
from viewer.workspace import open_store


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("prefetch", help="fetch the worklist patients' recent studies")
    parser.add_argument("--worklist", required=True, type=Path, metavar="FILE")
    parser.add_argument("--today", metavar="YYYYMMDD", help="the date the worklist is read for")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, config: Config) -> int:
    today = _today(args.today)
    with open_store(config) as store:
        summary = prefetch_worklist(
            args.worklist,
            lambda: open_configured_sources(config.sources),
            config.prefetch,
            store,
            today=today,
            on_message=lambda message: print(message, file=sys.stderr),
            audit=store.auditor,
        )
    if not summary.patients:
        print(f"{args.worklist}: no patient due; nothing to do")
        return 0
    print(
        f"prefetch: {summary.patients} patients, {summary.studies} studies selected: "
        f"{summary.already_cached} already cached, {summary.fetched} fetched "
        f"({summary.instances} instances, {summary.bytes / 1e6:.1f} MB), "
        f"{len(summary.failed)} failed, {len(summary.patients_not_found)} patients not found"
    )
    for line in summary.failed + summary.problems:
        print(f"warning: {line}", file=sys.stderr)
    for number in summary.patients_not_found:
        print(f"note: worklist line {number}: no study found", file=sys.stderr)
    if summary.failed or summary.problems:
        return int(ExitCode.NETWORK)
    if summary.studies == 0 and summary.patients_not_found:
        return int(ExitCode.NOT_FOUND)
    return 0


def _today(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError as err:
        raise UsageError(f"--today must be YYYYMMDD (got {text!r})") from err
