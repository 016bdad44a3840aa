"""Fetch a study or series into the offline cache: only what is missing, opened first.

1. The series list (one series-level QIDO, with each series' instance count) is enough to
   start: a series the cache holds nothing of is asked for whole at once, in one WADO-RS
   series request, with no instance list before its bytes flow (Orthanc answers an
   instance-level QIDO about as slowly as it sends the study).
2. Completeness after: a series whose arrived count equals its listed count is complete,
   and the instances that arrived become its "expected" ones in the cache. Any other
   series (no count, fewer arrived, partly cached before) is listed (its instances by
   InstanceNumber become the expected ones) and what is missing comes instance by
   instance (resume at instance level). A series request the server refuses falls back
   to the same. The opened series is listed first, so its first image comes alone,
   before the rest.
3. Until each series' instances are known, the cache keeps the study's count (at least
   what the cache holds plus what the counts say is missing), so a fetch stopped before
   completeness is known leaves the study partial, and a second run fetches the rest.
4. A dropped link stops the fetch with NetworkError; what arrived stays cached.
5. A cancel stops it with CancelledError: no request (listing or retrieval) starts
   after it, and each running one stops at its next read or part, so at most the
   instance each was receiving is still committed (see :mod:`viewer.dicomweb.wado`).

Progress goes to ``on_progress(FetchProgress)`` on the fetching threads: totals for the
study, and per series (:class:`SeriesProgress`) how many of its instances are cached and
whether it waits, is being fetched, is done or failed, so a screen can show each series.
A series whose source gave no count shows 0 expected until it is listed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import Any, Protocol

from viewer.cache.sink import Accept, CachedInstance, InstanceSink, SinkFactory
from viewer.dicomweb.session import cancel_scope
from viewer.errors import (
    AuthError,
    CancelledError,
    InvalidDataError,
    NetworkError,
    QingyingError,
    ServerError,
)
from viewer.retrieve.progress import FetchProgress, FetchReport, SeriesProgress, SeriesStage
from viewer.retrieve.queue import FetchQueue, SeriesJob
from viewer.sources.protocol import ImagingSource, Transfer
from viewer.uids import require_uid

log = logging.getLogger(__name__)


class FetchStore(Protocol):
    def set_expected(self, study_uid: str, series_uid: str, sop_uids: Iterable[str]) -> None: ...

    def expect_at_least(self, study_uid: str, n_instances: int) -> None: ...

    def missing_instances(self, study_uid: str, series_uid: str | None = None) -> set[str]: ...

    def cached_sop_uids(self, study_uid: str, series_uid: str | None = None) -> set[str]: ...

    def begin_instance(self, accept: Accept) -> InstanceSink: ...

    def pack_sinks(self, study_uid: str) -> AbstractContextManager[SinkFactory]:
        """Where a series answer goes (the cache: one pack for the whole answer, far
        less file-system work than a file each)."""
        ...


class CacheStoreLike(FetchStore, Protocol):
    def open_study(self, study_uid: str) -> AbstractContextManager[None]: ...

    def touch(self, study_uid: str) -> None: ...


class FetchWorkerError(QingyingError):
    """Fetching a series failed in a way no typed error describes; the fetch is
    incomplete and says so (the cause is logged with ``--debug``)."""

    def __init__(self, source: str, series_uid: str, cause: Exception) -> None:
        super().__init__(
            f"{source}: fetching series {series_uid} failed ({type(cause).__name__}); "
            "what arrived is kept, run the fetch again to resume"
        )
        self.__cause__ = cause


class StudyFetcher:
    def __init__(
        self,
        source: ImagingSource,
        store: FetchStore,
        *,
        series_workers: int = 2,
        instance_workers: int = 4,
        on_progress: Callable[[FetchProgress], None] = lambda _p: None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        self.source = source
        self.store = store
        self.series_workers = series_workers
        self.instance_workers = instance_workers
        self.on_progress = on_progress
        self.cancelled = cancelled
        self.queue = FetchQueue()
        self.progress = FetchProgress()
        self._lock = threading.Lock()
        self._failure: QingyingError | None = None
        # series → (study, its SOP UIDs by InstanceNumber), once listed
        self._ordered: dict[str, tuple[str, list[str]]] = {}
        self._planned: dict[str, SeriesProgress] = {}  # as the plan found them
        self._arrived: dict[str, set[str]] = {}  # series → SOP UIDs committed by this fetch
        self._counted: dict[str, int] = {}  # series → its share of instances_total
        self.wanted_first: str | None = None  # see FetchControl

    # -- plan ---------------------------------------------------------------------------------
    def plan(self, study_uid: str, series_uid: str | None = None) -> list[SeriesJob]:
        """The series jobs that bring the study (or one series) to completeness, from the
        series list alone: each job lists its instances when it needs them."""
        with cancel_scope(self.cancelled):  # a Cancel ends a wait for a Retry-After too
            return self._plan(study_uid, series_uid)

    def _plan(self, study_uid: str, series_uid: str | None) -> list[SeriesJob]:
        require_uid(study_uid, "StudyInstanceUID")
        self._stop_if_cancelled()
        listed = {entry.series_uid: entry.expected for entry in self.source.list_series(study_uid)}
        if series_uid is not None:
            uid = require_uid(series_uid, "SeriesInstanceUID")
            listed = {uid: listed.get(uid)}  # not listed: its instance list will say
        elif not listed:
            raise InvalidDataError(f"{self.source.name}: the study lists no series")
        jobs = []
        cached_total = len(self.store.cached_sop_uids(study_uid))
        lacking = 0  # instances the counts say the cache lacks
        for uid, count in listed.items():
            cached = len(self.store.cached_sop_uids(study_uid, uid))
            expected = count if count is not None and count > 0 else 0  # 0: left unfilled
            if expected and cached >= expected and not self.store.missing_instances(study_uid, uid):
                # As many as the source holds: complete, and no list asked for (the
                # count, then the instance list only for what is missing).
                self._planned[uid] = SeriesProgress(expected, expected, "done")
                continue
            short = max(0, expected - cached)
            lacking += short
            self._planned[uid] = SeriesProgress(expected, min(cached, expected))
            self._counted[uid] = short
            blind = bool(expected) and cached == 0
            jobs.append(SeriesJob(study_uid, uid, None, expected, blind=blind))
        if lacking:
            # Until the instances are known (rows of the cache's expected ones), this
            # keeps the study partial if the fetch stops: the source holds at least these.
            self.store.expect_at_least(study_uid, cached_total + lacking)
        return jobs

    def open_series(self, series_uid: str) -> bool:
        """The doctor opened this series: fetch it next, its first image before the rest."""
        if series_uid not in self._ordered:  # not listed yet: listed first, when it starts
            return self.queue.bump(series_uid)
        study_uid, sops = self._ordered[series_uid]
        missing = self.store.missing_instances(study_uid, series_uid)
        first = next((sop for sop in sops if sop in missing), None)
        return self.queue.bump(series_uid, first=(first,) if first else ())

    def _listed(self, job: SeriesJob) -> SeriesJob:
        """The job once the source has listed the series: its instances become the
        cache's expected ones; what is missing, and (opened) which comes first."""
        self._stop_if_cancelled()
        if self._failure is not None:
            raise CancelledError("another request failed")
        with cancel_scope(self._stopped):
            sops = self.source.list_instances(job.study_uid, job.series_uid)
        self.store.set_expected(job.study_uid, job.series_uid, sops)
        missing = self.store.missing_instances(job.study_uid, job.series_uid)
        first = job.first
        if job.first_image and not first:
            first = tuple(sop for sop in sops if sop in missing)[:1]
        with self._lock:
            self._ordered[job.series_uid] = (job.study_uid, sops)
            arrived = len(self._arrived.get(job.series_uid, ()))
            before = max(0, len(sops) - len(missing) - arrived)  # cached before this fetch
            self._planned[job.series_uid] = SeriesProgress(len(sops), before)
            self.progress.listed = {**self.progress.listed, job.series_uid: tuple(sops)}
            counted = arrived + len(missing)
            self.progress.instances_total += counted - self._counted.get(job.series_uid, 0)
            self._counted[job.series_uid] = counted
            self._update_series(job.series_uid, expected=len(sops), cached=before + arrived)
        self.on_progress(self.progress)
        return replace(job, missing=frozenset(missing), expected=len(sops), first=first)

    # -- fetching ---------------------------------------------------------------------------
    def fetch(
        self, study_uid: str, series_uid: str | None = None, *, opened: str | None = None
    ) -> FetchReport:
        """Fetch what is missing; ``opened`` names the series on screen, which goes first."""
        jobs = self.plan(study_uid, series_uid)
        with self._lock:  # counts are of this fetch
            self._arrived = {}
        self.progress = FetchProgress(
            instances_total=sum(self._counted.values()),
            series_total=len(jobs),
            series=dict(self._planned),
        )
        self.on_progress(self.progress)
        opened = self.wanted_first or opened  # asked for while the plan ran: it wins
        for job in jobs:
            if job.series_uid == opened and job.missing is None:
                # Listed before anything starts: its first image comes before any other
                # series' (listed in a worker, it could lose that race to another worker).
                job = self._listed(job)
            self.queue.put(job)
        if opened is not None:
            self.open_series(opened)
        self.queue.close()
        workers = [
            threading.Thread(target=self._series_worker, name=f"fetch-{i}", daemon=True)
            for i in range(max(1, self.series_workers))
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        if self._failure is not None:
            raise self._failure
        if self.cancelled():
            raise CancelledError("fetch cancelled")
        missing = len(self.store.missing_instances(study_uid, series_uid))
        return FetchReport(
            study_uid, self.progress.instances_done, self.progress.bytes_done, missing
        )

    def _series_worker(self) -> None:
        while (job := self.queue.get()) is not None:
            if self._failure is not None or self.cancelled():
                continue
            self._set_stage(job.series_uid, "fetching")
            self.on_progress(self.progress)
            try:
                self._fetch_series(job)
                with self._lock:
                    self.progress.series_done += 1
                self._set_stage(job.series_uid, "done")
                self.on_progress(self.progress)
            except QingyingError as err:
                self._fail(err)
                cancelled = isinstance(err, CancelledError)
                self._set_stage(job.series_uid, "done" if cancelled else "failed")
                self.on_progress(self.progress)
            except Exception as err:
                # A worker never dies silently: the fetch would end "normally" with
                # instances missing and the series still "fetching".
                log.debug("series fetch failed", exc_info=True)
                self._fail(FetchWorkerError(self.source.name, job.series_uid, err))
                self._set_stage(job.series_uid, "failed")
                self.on_progress(self.progress)

    def _fetch_series(self, job: SeriesJob) -> None:
        if job.missing is None and (not job.blind or job.first_image):
            job = self._listed(job)  # no count, partly cached, or opened: listed first
            if not job.missing:
                return
        # The opened series: its first images come alone, so they show at once; the rest
        # follows in one request (re-sending those few costs less than a request each).
        for sop in job.first:
            self._fetch_one(job.study_uid, job.series_uid, sop)
        if job.whole_series:
            try:
                self._stop_if_cancelled()
                with self.store.pack_sinks(job.study_uid) as sinks:
                    self.source.retrieve_series(
                        job.study_uid, job.series_uid, sinks, self._transfer()
                    )
                if job.missing is not None or self._arrived_all(job):
                    return
                log.info("series %s sent other than its count; listed", job.series_uid)
            except (ServerError, InvalidDataError) as err:
                # Some servers refuse large series requests, or send a broken part:
                # the rest comes instance by instance.
                log.info("series request failed (%s); one instance at a time", type(err).__name__)
            except QingyingError:
                raise
            except Exception as err:
                # Whatever else broke the series answer (a reader's overflow, say), the
                # instances may still come one at a time; if not, that failure is raised.
                log.warning(
                    "series request failed (%s); one instance at a time", type(err).__name__
                )
                log.debug("series request failure", exc_info=True)
        if job.missing is None:
            job = self._listed(job)
        self._fetch_instances(job)

    def _arrived_all(self, job: SeriesJob) -> bool:
        """A series asked for whole without its list: complete when as many instances
        arrived as the source counted (they are then its expected ones)."""
        with self._lock:
            arrived = set(self._arrived.get(job.series_uid, ()))
        if len(arrived) != job.expected:
            return False
        self.store.set_expected(job.study_uid, job.series_uid, arrived)
        return True

    def _fetch_instances(self, job: SeriesJob) -> None:
        missing = self.store.missing_instances(job.study_uid, job.series_uid)
        order = sorted(missing)
        with ThreadPoolExecutor(max_workers=self.instance_workers) as pool:
            futures = [
                pool.submit(self._fetch_one, job.study_uid, job.series_uid, sop) for sop in order
            ]
            errors = [f.exception() for f in futures]
        failures = [e for e in errors if e is not None]
        if failures:  # what failed, rather than the requests it stopped
            raise next((e for e in failures if not isinstance(e, CancelledError)), failures[0])

    def _fetch_one(self, study_uid: str, series_uid: str, sop_uid: str) -> None:
        # Raised, not returned: a series whose requests were dropped did not end well.
        self._stop_if_cancelled()
        if self._failure is not None:
            raise CancelledError("another request failed")
        try:
            self.source.retrieve_instance(
                study_uid, series_uid, sop_uid, self.store, self._transfer()
            )
        except (NetworkError, AuthError) as err:
            # The link or the sign-in failed: every other request would fail the same
            # way, each after its own timeout on a dead link, so none is sent. (A server
            # error is about one instance: the others may still come.)
            if not isinstance(err, ServerError):
                self._fail(err)
            raise

    def _fail(self, err: QingyingError) -> None:
        """The fetch has failed (the first failure is the one it raises): no request
        starts after this, and those running stop at their next read."""
        with self._lock:
            if self._failure is None:
                self._failure = err

    def _stop_if_cancelled(self) -> None:
        """Before each request: none starts once the fetch is cancelled."""
        if self.cancelled():
            raise CancelledError("fetch cancelled")

    def _stopped(self) -> bool:
        """Whether running requests should stop: cancelled, or another one failed."""
        return self.cancelled() or self._failure is not None

    def _transfer(self) -> Transfer:
        return Transfer(
            on_instance=self._on_instance, on_bytes=self._on_bytes, cancelled=self._stopped
        )

    def _on_instance(self, instance: CachedInstance) -> None:
        with self._lock:
            arrived = self._arrived.setdefault(instance.series_uid, set())
            if instance.sop_uid not in arrived:  # sent twice (the first image): counted once
                arrived.add(instance.sop_uid)
                self.progress.instances_done += 1
            planned = self._planned.get(instance.series_uid)
            if planned is not None:
                self._update_series(
                    instance.series_uid,
                    cached=min(planned.expected, planned.cached + len(arrived)),
                )
        self.on_progress(self.progress)

    def _set_stage(self, series_uid: str, stage: SeriesStage) -> None:
        with self._lock:
            self._update_series(series_uid, stage=stage)

    def _update_series(self, series_uid: str, **changes: Any) -> None:
        """Copy on write (under the lock): a dict once handed out never changes."""
        current = self.progress.series.get(series_uid)
        if current is not None:
            self.progress.series = {
                **self.progress.series,
                series_uid: replace(current, **changes),
            }

    def _on_bytes(self, count: int) -> None:
        with self._lock:
            self.progress.bytes_done += count


__all__ = [
    "FetchProgress",
    "FetchReport",
    "FetchStore",
    "FetchWorkerError",
    "SeriesProgress",
    "StudyFetcher",
]


class FetchControl:
    """Steers a running fetch from another thread: the series the doctor opens goes next,
    its first image before the rest. Made before the fetch starts (the UI keeps it with
    the download); asking before or during the fetch's inventory is kept for it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fetcher: StudyFetcher | None = None
        self._wanted: str | None = None

    def attach(self, fetcher: StudyFetcher) -> None:
        with self._lock:
            self._fetcher = fetcher
            fetcher.wanted_first = self._wanted

    def open_series(self, series_uid: str) -> bool:
        """True when the series was moved ahead now; False when it is not waiting (being
        fetched already, complete, or the fetch has not planned yet: then it goes first
        once planned)."""
        require_uid(series_uid, "SeriesInstanceUID")
        with self._lock:
            self._wanted = series_uid
            fetcher = self._fetcher
            if fetcher is not None:
                fetcher.wanted_first = series_uid
        return fetcher.open_series(series_uid) if fetcher is not None else False


def fetch_into_cache(
    source: ImagingSource,
    store: CacheStoreLike,
    study_uid: str,
    series_uid: str | None = None,
    *,
    on_progress: Callable[[FetchProgress], None] = lambda _p: None,
    cancelled: Callable[[], bool] = lambda: False,
    control: FetchControl | None = None,
) -> FetchReport:
    """Fetch while the study is marked open (so eviction spares it), then mark it used."""
    fetcher = StudyFetcher(source, store, on_progress=on_progress, cancelled=cancelled)
    if control is not None:
        control.attach(fetcher)
    with store.open_study(study_uid):
        report = fetcher.fetch(study_uid, series_uid)
    store.touch(study_uid)
    return report
