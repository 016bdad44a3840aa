"""``fetch``: bring a study (or one series) into the offline cache, resumably.

Exit 0 when every instance asked for is cached; 4 when the link fails (what arrived stays
cached, and running the same command again fetches only what is missing).

The sources are opened one at a time, in configuration order, until one holds the study:
only that one's password is read. Its series list, asked to find it, is the one the
fetch starts from (not asked again). After the fetch the cache keeps its budget by the
rule the window's downloads follow (:func:`viewer.session.budget.keep_budget`).
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from viewer.cache.sink import SinkFactory
from viewer.cli.progress import StderrProgress
from viewer.config import Config
from viewer.dicomweb.qido import StudyQuery
from viewer.dicomweb.stow import StoreOutcome
from viewer.errors import ExitCode, NetworkError, NotFoundError, QingyingError
from viewer.records import SeriesEntry
from viewer.retrieve.fetch import FetchProgress, fetch_into_cache
from viewer.session.budget import keep_budget
from viewer.sources.opening import open_each
from viewer.sources.protocol import (
    Cancelled,
    Capabilities,
    ImagingSource,
    SourceAnswer,
    StudyDetails,
    Transfer,
)
from viewer.uids import require_uid
from viewer.workspace import open_store

if TYPE_CHECKING:
    from viewer.cache.store import CacheStore


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
    source = find_holder(open_each(chosen), study_uid)
    try:
        return _fetch(source, config, study_uid, series_uid)
    finally:
        source.close()


def _fetch(source: ImagingSource, config: Config, study_uid: str, series_uid: str | None) -> int:
    reporter = ProgressPrinter()
    with open_store(config) as store:
        # The audit trail's key is read while the study arrives, not after it.
        keys = threading.Thread(target=store.auditor.prepare, name="audit-key", daemon=True)
        keys.start()
        try:
            report = fetch_into_cache(source, store, study_uid, series_uid, on_progress=reporter)
        except NetworkError as err:
            reporter.done()
            missing = missing_count(store, study_uid, series_uid, reporter.progress)
            print(
                f"qingying: {err}; what arrived stays cached, {missing} instances missing: "
                "run the same command again to resume",
                file=sys.stderr,
            )
            return int(ExitCode.NETWORK)
        reporter.done()
        keys.join()
        store.auditor.fetched(store, study_uid, source.name, report)
        keep_budget(store, strict=True)  # pinned and open studies are spared
    what = f"series {series_uid}" if series_uid else f"study {study_uid}"
    if report.complete:
        print(f"{what}: complete ({report.fetched} instances, {report.bytes:,} bytes fetched)")
        return 0
    print(f"{what}: {report.missing_after} instances still missing", file=sys.stderr)
    return int(ExitCode.NETWORK)


def missing_count(
    store: CacheStore, study_uid: str, series_uid: str | None, progress: FetchProgress | None
) -> int:
    """How many instances a stopped fetch left missing. The fetch starts before it knows
    every instance, so the instances the cache knows to be missing may be fewer: the
    study's count in the cache (a study fetch) and the fetch's own count of what it
    still lacked say the rest."""
    known = len(store.missing_instances(study_uid, series_uid))
    lacked = progress.instances_total - progress.instances_done if progress else 0
    by_count = 0
    if series_uid is None and (study := store.study(study_uid)) is not None:
        by_count = study.expected_instance_count - study.instance_count
    return max(known, lacked, by_count)


def find_holder(sources: Iterable[ImagingSource], study_uid: str) -> ImagingSource:
    """The first source (in configuration order) that holds the study, with the series
    list that showed it (the fetch starts from it). ``sources`` is consumed only as far
    as that one; the others asked are closed."""
    problems: list[QingyingError] = []
    for source in sources:
        series = _series_if_held(source, study_uid, problems)
        if series:
            return ListedStudy(source, study_uid, series)
        source.close()
    if problems:
        raise problems[0]
    raise NotFoundError(f"no configured source holds study {study_uid}")


def _series_if_held(
    source: ImagingSource, study_uid: str, problems: list[QingyingError]
) -> list[SeriesEntry]:
    unavailable = source.capabilities.unavailable
    if unavailable is not None:  # not signed in: say so if nothing holds it
        problems.append(unavailable)
        return []
    if not source.capabilities.remote:
        return []
    try:
        return source.list_series(study_uid)
    except NotFoundError:
        return []
    except QingyingError as err:
        problems.append(err)
        return []


class ListedStudy:
    """A source whose series list of one study was already asked for: the first time the
    fetch asks for it, that answer is given again (not another QIDO); everything else is
    the source's."""

    def __init__(self, source: ImagingSource, study_uid: str, series: list[SeriesEntry]) -> None:
        self.source = source
        self._study_uid = study_uid
        self._series: list[SeriesEntry] | None = series

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def capabilities(self) -> Capabilities:
        return self.source.capabilities

    def search_studies(self, query: StudyQuery, cancelled: Cancelled) -> SourceAnswer:
        return self.source.search_studies(query, cancelled)

    def study_details(self, study_uid: str) -> StudyDetails:
        return self.source.study_details(study_uid)

    def list_series(self, study_uid: str) -> list[SeriesEntry]:
        series, self._series = self._series, None
        if series is not None and study_uid == self._study_uid:
            return series
        return self.source.list_series(study_uid)

    def list_instances(self, study_uid: str, series_uid: str) -> list[str]:
        return self.source.list_instances(study_uid, series_uid)

    def retrieve_series(
        self, study_uid: str, series_uid: str, sinks: SinkFactory, transfer: Transfer
    ) -> None:
        self.source.retrieve_series(study_uid, series_uid, sinks, transfer)

    def retrieve_instance(
        self, study_uid: str, series_uid: str, sop_uid: str, sinks: SinkFactory, transfer: Transfer
    ) -> None:
        self.source.retrieve_instance(study_uid, series_uid, sop_uid, sinks, transfer)

    def store_instances(self, study_uid: str, parts: Sequence[bytes]) -> StoreOutcome:
        return self.source.store_instances(study_uid, parts)

    def close(self) -> None:
        self.source.close()


class ProgressPrinter(StderrProgress):
    """A fetch's progress on stderr (nothing when there is nothing to fetch: the summary
    says so); the last progress is kept (``progress``)."""

    progress: FetchProgress | None = None

    def __call__(self, progress: FetchProgress) -> None:
        self.progress = progress
        line = (
            f"fetching: {progress.instances_done}/{progress.instances_total} instances, "
            f"{progress.bytes_done / 1e6:.1f} MB, series {progress.series_done}/"
            f"{progress.series_total}"
        )
        finished = progress.instances_done >= progress.instances_total
        self.show(line, finished=finished, empty=progress.instances_total == 0)
