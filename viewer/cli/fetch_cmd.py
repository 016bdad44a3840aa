"""``fetch``: bring a study (or one series) into the offline cache, resumably.

Exit 0 when every instance asked for is cached; 4 when the link fails (what arrived stays
cached, and running the same command again fetches only what is missing).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from viewer.cli.progress import StderrProgress
from viewer.config import Config
from viewer.errors import ExitCode, NetworkError, NotFoundError, QingyingError
from viewer.retrieve.fetch import FetchProgress, fetch_into_cache
from viewer.sources.opening import open_configured_sources
from viewer.sources.protocol import ImagingSource
from viewer.uids import require_uid
from viewer.workspace import open_store


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("fetch", help="retrieve a study or series into the offline cache")
    parser.add_argument("--study", required=True, metavar="UID")
    parser.add_argument("--series", metavar="UID")
    parser.add_argument("--source", metavar="NAME", help="default: the first source holding it")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, config: Config) -> int:
    study_uid = require_uid(args.study, "StudyInstanceUID")
    series_uid = require_uid(args.series, "SeriesInstanceUID") if args.series else None
    chosen = [config.source(args.source)] if args.source else list(config.sources)
    source = find_holder(open_configured_sources(chosen), study_uid)
    reporter = ProgressPrinter()
    with open_store(config) as store:
        try:
            report = fetch_into_cache(source, store, study_uid, series_uid, on_progress=reporter)
        except NetworkError as err:
            reporter.done()
            missing = len(store.missing_instances(study_uid, series_uid))
            print(
                f"qingying: {err}; what arrived stays cached, {missing} instances missing: "
                "run the same command again to resume",
                file=sys.stderr,
            )
            return int(ExitCode.NETWORK)
        reporter.done()
        store.evict()  # keep the budget; pinned and open studies are spared
    what = f"series {series_uid}" if series_uid else f"study {study_uid}"
    if report.complete:
        print(f"{what}: complete ({report.fetched} instances, {report.bytes:,} bytes fetched)")
        return 0
    print(f"{what}: {report.missing_after} instances still missing", file=sys.stderr)
    return int(ExitCode.NETWORK)


def find_holder(sources: list[ImagingSource], study_uid: str) -> ImagingSource:
    """The first source (in configuration order) that holds the study."""
    problems: list[QingyingError] = []
    for source in sources:
        unavailable = source.capabilities.unavailable
        if unavailable is not None:  # not signed in: say so if nothing holds it
            problems.append(unavailable)
            continue
        if not source.capabilities.remote:
            continue
        try:
            if source.list_series(study_uid):
                return source
        except NotFoundError:
            continue
        except QingyingError as err:
            problems.append(err)
    if problems:
        raise problems[0]
    raise NotFoundError(f"no configured source holds study {study_uid}")


class ProgressPrinter(StderrProgress):
    """A fetch's progress on stderr (nothing when there is nothing to fetch: the summary
    says so)."""

    def __call__(self, progress: FetchProgress) -> None:
        line = (
            f"fetching: {progress.instances_done}/{progress.instances_total} instances, "
            f"{progress.bytes_done / 1e6:.1f} MB, series {progress.series_done}/"
            f"{progress.series_total}"
        )
        finished = progress.instances_done >= progress.instances_total
        self.show(line, finished=finished, empty=progress.instances_total == 0)
