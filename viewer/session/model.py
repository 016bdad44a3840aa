"""The reading session: what one doctor has open, and the rules for changing it.

The window and the CLI drive this; neither decides which source holds a study, whether
a series is cached, how sources are opened or which ID names a patient. Each change is
a typed event (psygnal). The blocking calls (:meth:`ReadingSession.search`,
:meth:`~ReadingSession.list_series`, :meth:`~ReadingSession.series_thumbnail`,
:meth:`~ReadingSession.open_series`) run on the caller's thread: the window calls them
on its workers, and events of those calls come on that thread. A series opened while
it still downloads (:mod:`viewer.session.arriving`) reports its arrivals on a thread of
its own.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from psygnal import Signal

from viewer.audit.events import AuditEvent, DetailValue, EventKind, Outcome
from viewer.cache.store import CacheStore
from viewer.config import Config, SourceConfig
from viewer.dicomweb.qido import StudyQuery
from viewer.errors import CancelledError, InvalidDataError, NotFoundError, QingyingError
from viewer.history.result import (
    HistoryResult,
    HistoryStudy,
    PatientHistory,
    SearchProgress,
    primary_ref,
)
from viewer.history.series import SeriesListing, cache_counts, list_series
from viewer.history.service import HistorySearch
from viewer.records import PatientRef
from viewer.session.annotations import StudyAnnotations
from viewer.session.auditing import AuditedStore, Auditor
from viewer.session.cached_reports import study_annotations
from viewer.session.downloads import Download, DownloadOutcome, Downloads
from viewer.session.reading import OpenSeries, one_patient
from viewer.sources.credentials import SessionCredentials
from viewer.sources.login import logout_all
from viewer.sources.opening import open_sources
from viewer.sources.protocol import ImagingSource
from viewer.workspace import open_store

log = logging.getLogger(__name__)

SourcesOpener = Callable[[], list[ImagingSource]]
# Why a download was not started: no offline cache to fetch into, or no source that
# holds the study answered the last search.
Refusal = Literal["no-cache", "no-holder"]


@dataclass(frozen=True)
class SearchDone:
    query: StudyQuery
    result: HistoryResult


class ReadingSession:
    search_started = Signal(object)  # StudyQuery
    search_progress = Signal(object)  # SearchProgress
    search_finished = Signal(object)  # SearchDone
    search_failed = Signal(object)  # QingyingError
    search_cancelled = Signal(object)  # StudyQuery
    series_opened = Signal(object)  # OpenSeries
    series_closed = Signal(object)  # OpenSeries
    audit_problem = Signal(object)  # AuditError, or None once the trail records again

    def __init__(
        self,
        config: Config,
        *,
        store: CacheStore | None = None,
        store_problem: str = "",
        credentials: SessionCredentials | None = None,
        open_sources: SourcesOpener | None = None,
        audit: Auditor | None = None,
    ) -> None:
        self.config = config
        self.store = store
        # What the doctor does with patients' data goes into the audit trail.
        if audit is None:
            audit = store.auditor if isinstance(store, AuditedStore) else Auditor.of(config)
        self.audit = audit
        self.audit.on_problem = self.audit_problem.emit
        self.store_problem = store_problem  # why there is no store, in the core's words
        self.credentials = credentials or SessionCredentials()
        self._open_sources = open_sources or self.open_configured_sources
        self.downloads = Downloads(store) if store is not None else None
        self.query: StudyQuery | None = None
        self.result: HistoryResult | None = None
        self._confirmed: list[tuple[PatientRef, PatientRef]] = []
        # The sources the last finished search opened, by name: downloads and series
        # lists reuse their connections and passwords.
        self._live: dict[str, ImagingSource] = {}
        self._searches = 0  # a search started later makes an earlier one's answer stale
        self._lock = threading.Lock()
        self.open: dict[str, OpenSeries] = {}  # by series UID
        self._annotations: dict[str, StudyAnnotations] = {}  # by study UID
        # How recent an earlier exam of the same kind is flagged, in days.
        self.similar_days = config.history.similar_days
        if self.downloads is not None:  # a series open while arriving follows its download
            self.downloads.changed.connect(self._nudge_arriving)
            self.downloads.ended.connect(self._arrival_ended)
            self.downloads.ended.connect(self._audit_download)

    @classmethod
    def start(cls, config: Config, **kwargs: object) -> ReadingSession:
        """A session with the configured offline cache; without it (a disk that cannot
        be written, a cache another version owns) it still searches and says why."""
        try:
            store = open_store(config)
        except (QingyingError, OSError) as err:
            return cls(config, store_problem=str(err), **kwargs)  # type: ignore[arg-type]
        return cls(config, store=store, **kwargs)  # type: ignore[arg-type]

    # -- sources --------------------------------------------------------------------------
    def open_configured_sources(self) -> list[ImagingSource]:
        """Every configured source with this session's or the keyring's password, and
        the offline cache. May be slow (the keyring): call it off the UI thread."""
        return open_sources(self.config, self.store, credentials=self.credentials)

    def open_sources(self) -> list[ImagingSource]:
        """The sources a search asks (by default :meth:`open_configured_sources`)."""
        return self._open_sources()

    def holders(self, study: HistoryStudy) -> list[ImagingSource]:
        """The live sources holding ``study``, in configuration order."""
        return [self._live[name] for name in study.sources if name in self._live]

    def holder_of(self, study: HistoryStudy) -> ImagingSource | None:
        found = self.holders(study)
        return found[0] if found else None

    # -- search ---------------------------------------------------------------------------
    def search(
        self, query: StudyQuery, *, cancelled: Callable[[], bool] = lambda: False
    ) -> HistoryResult:
        """Search every source for ``query``. A new query forgets the patients the doctor
        confirmed as one: a confirmation answers one search's question.

        Raises what stopped it, after its event: CancelledError when cancelled or
        overtaken by a later search (whose answer is the one that counts; an overtaken
        search emits nothing more), the QingyingError of a search that failed.
        """
        with self._lock:
            if query != self.query:
                self._confirmed = []
            self.query = query
            self._searches += 1
            mine = self._searches
            confirmed = list(self._confirmed)

        def current() -> bool:
            return self._searches == mine

        self.search_started.emit(query)
        store = self.store
        try:
            opened = self.open_sources()
            search = HistorySearch(
                opened,
                similar_window_days=self.similar_days,
                cache_state=store.study_state if store is not None else _nothing_cached,
                cancelled=lambda: cancelled() or not current(),
                progress=lambda p: self._progress(p, current),
            )
            result = search.run(query, confirmed=confirmed)
            if cancelled() or not current():
                raise CancelledError("search cancelled")
        except CancelledError:
            if current():
                self.search_cancelled.emit(query)
            raise
        except QingyingError as err:
            if current():
                self.audit.searched(query, outcome=Outcome.SERIOUS_FAILURE, found=0)
                self.search_failed.emit(err)
            raise
        found = sum(len(h.studies) for h in result.histories)
        self.audit.searched(query, outcome=Outcome.SUCCESS, found=found)
        with self._lock:
            self.result = result
            self._live = {s.name: s for s in opened if s.capabilities.remote}
        self.search_finished.emit(SearchDone(query, result))
        return result

    def _progress(self, progress: SearchProgress, current: Callable[[], bool]) -> None:
        if current():
            self.search_progress.emit(progress)

    def confirm_same(self, a: PatientRef, b: PatientRef) -> StudyQuery | None:
        """The doctor says ``a`` and ``b`` are one patient: the query to search again
        (None before any search)."""
        with self._lock:
            if self.query is None:
                return None
            self._confirmed.append((a, b))
            return self.query

    def patient_ref(self, history: PatientHistory) -> PatientRef:
        """The ID to show first for a patient of the current result."""
        order = [s.issuer for s in self.config.sources if s.issuer]
        return primary_ref(history, self.query, order)

    # -- the cache ------------------------------------------------------------------------
    def download(self, study: HistoryStudy, first_series: str | None = None) -> Download | Refusal:
        """Fetch ``study`` into the cache from the first live source holding it
        (configuration order), ``first_series`` before its other series."""
        if self.downloads is None:
            return "no-cache"
        source = self.holder_of(study)
        if source is None:
            return "no-holder"
        return self.downloads.start(study.study_uid, source, first_series=first_series)

    def series_counts(self, study_uid: str) -> dict[str, tuple[int, int]]:
        """Each cached series' (cached, known) instance counts."""
        return cache_counts(self.store, study_uid) if self.store is not None else {}

    def series_cached(self, study_uid: str, series_uid: str) -> bool:
        """Every instance known of the series is in the cache."""
        cached, known = self.series_counts(study_uid).get(series_uid, (0, 0))
        return cached > 0 and cached >= known

    def cached_listing(self, study_uid: str) -> SeriesListing:
        """A study's series as the offline cache alone knows them (no source asked)."""
        return list_series(study_uid, self.store, ())

    def list_series(self, study: HistoryStudy) -> SeriesListing:
        """A study's series from the live sources holding it, else from the cache."""
        return list_series(study.study_uid, self.store, self.holders(study))

    def series_thumbnail(self, study_uid: str, series_uid: str, side: int) -> npt.NDArray[np.uint8]:
        """A cached series' middle image, at most ``side`` pixels a side (8-bit)."""
        from viewer.imaging.thumbnail import middle, series_thumbnail

        if self.store is None:
            raise NotFoundError("no offline cache")
        paths = self.store.instance_files(study_uid, series_uid)
        if not paths:
            raise NotFoundError("nothing of the series is cached")
        try:
            return series_thumbnail(paths, side)
        except InvalidDataError as err:  # say why, not where in the cache
            raise InvalidDataError(str(err).removeprefix(f"{middle(paths)}: ")) from err

    # -- reading --------------------------------------------------------------------------
    def open_series(
        self, study_uid: str, series_uid: str, *, cancelled: Callable[[], bool] = lambda: False
    ) -> OpenSeries:
        """Load a cached series for reading (the study is kept from eviction while it is
        open); a series already open is returned as it is. A series still being
        downloaded, not yet whole, opens as it arrives (:meth:`opens_while_arriving`)."""
        from viewer.imaging.frames import load_frames, shown_as_frames
        from viewer.imaging.volume import load_volume

        found = self.open.get(series_uid)
        if found is not None:
            return found
        if self.store is None:
            raise NotFoundError("no offline cache")
        if self.opens_while_arriving(study_uid, series_uid):
            return self._open_arriving(study_uid, series_uid)
        lease = self.store.open_study(study_uid)
        lease.__enter__()  # before loading: eviction must not take files being read
        try:
            files, layouts = self.store.series_files(study_uid, series_uid)
            if not files:
                raise NotFoundError("nothing of the series is cached")
            if shown_as_frames(files[0]):  # colour, or a cine: frame by frame
                volume = load_frames(files, cancelled=cancelled)
            else:
                volume = load_volume(files, layouts=layouts, cancelled=cancelled)
            series = OpenSeries(study_uid, series_uid, volume)
        except BaseException:
            lease.__exit__(None, None, None)
            raise
        series.hold(lease)
        self.open[series_uid] = series
        self.audit_study("opened", study_uid, series=series_uid, instances=len(files))
        self.series_opened.emit(series)
        return series

    def audit_study(
        self,
        kind: EventKind,
        study_uid: str,
        *,
        outcome: Outcome = Outcome.SUCCESS,
        **detail: DetailValue,
    ) -> None:
        """Record ``kind`` done to a cached study (its patient as the cache has it)."""
        record = self.store.study(study_uid) if self.store is not None else None
        if record is not None:
            self.audit.study(kind, record, outcome=outcome, detail=detail)

    def _audit_download(self, outcome: DownloadOutcome) -> None:
        if outcome.report is not None and self.store is not None:
            self.audit.fetched(self.store, outcome.study_uid, outcome.source_name, outcome.report)

    def opens_while_arriving(self, study_uid: str, series_uid: str) -> bool:
        """A download of the study runs, the series is not whole yet, and something of it
        is cached: a single-frame grayscale series opens slice by slice
        (:mod:`viewer.session.arriving`), a colour or multi-frame one instance by instance
        (:mod:`viewer.session.arriving_frames`)."""
        store, downloads = self.store, self.downloads
        if store is None or downloads is None or downloads.active(study_uid) is None:
            return False
        if self.series_cached(study_uid, series_uid):
            return False  # whole already: opened as a cached series is, at once
        if self._arrival_plan(study_uid, series_uid)[0] == 0:
            return False  # how many will come is not known: nothing says when it is whole
        return bool(store.series_files(study_uid, series_uid)[0])

    def _open_arriving(self, study_uid: str, series_uid: str) -> OpenSeries:
        """The series as it arrives (:func:`viewer.session.arriving_open.open_arriving`)."""
        from viewer.session.arriving_open import open_arriving

        assert self.store is not None and self.downloads is not None
        expected, order = self._arrival_plan(study_uid, series_uid)
        series = open_arriving(self.store, study_uid, series_uid, expected, order)
        self.open[series_uid] = series
        series.start()
        if self.downloads.active(study_uid) is None:  # ended while it opened
            series.download_ended()
        self.audit_study("opened", study_uid, series=series_uid, arriving=True)
        self.series_opened.emit(series)
        return series

    def _arrival_plan(self, study_uid: str, series_uid: str) -> tuple[int, tuple[str, ...]]:
        """(how many instances the series will have, their SOP UIDs by InstanceNumber when
        listed): the most the download's listing, its count and the cache know of."""
        download = self.downloads.active(study_uid) if self.downloads is not None else None
        progress = download.progress if download is not None else None
        order = progress.listed.get(series_uid, ()) if progress is not None else ()
        planned = progress.series.get(series_uid) if progress is not None else None
        _cached, known = self.series_counts(study_uid).get(series_uid, (0, 0))
        return max(len(order), known, planned.expected if planned is not None else 0), order

    def _arriving(self, study_uid: str) -> list[OpenSeries]:
        return [s for s in list(self.open.values()) if s.study_uid == study_uid]

    def _nudge_arriving(self, study_uid: str) -> None:
        for series in self._arriving(study_uid):
            nudge = getattr(series, "nudge", None)
            if nudge is not None:
                nudge()

    def _arrival_ended(self, outcome: DownloadOutcome) -> None:
        for series in self._arriving(outcome.study_uid):
            ended = getattr(series, "download_ended", None)
            if ended is not None:
                ended()

    def annotations(self, study_uid: str) -> StudyAnnotations:
        """The study's measurements (:mod:`viewer.session.annotations`), read from the
        cache once — the doctor's own, and those of measurement reports cached with the
        study (:mod:`viewer.session.cached_reports`) — and written back at every step;
        kept in memory only without a cache."""
        found = self._annotations.get(study_uid)
        if found is None:
            if self.store is not None:
                found = study_annotations(self.store, study_uid)
            else:
                found = StudyAnnotations(study_uid)
            found.saved.connect(lambda: self.audit_study("measured", study_uid))
            self._annotations[study_uid] = found
        return found

    def one_patient(self, a: OpenSeries, b: OpenSeries) -> bool:
        """Two open series known to be one patient's: as their files say
        (:func:`viewer.session.reading.one_patient`), or of studies in one patient's
        history as last searched, where the platform or the doctor linked the IDs that
        patient has at each hospital (never a name: histories are not merged on one)."""
        if one_patient(a, b):
            return True
        result = self.result
        if result is None:
            return False
        return any(
            {a.study_uid, b.study_uid} <= {s.study_uid for s in history.studies}
            for history in result.histories
        )

    def close_series(self, series_uid: str) -> None:
        series = self.open.pop(series_uid, None)
        if series is not None:
            series.close()
            self.series_closed.emit(series)

    def forget_user(self, sign_out: Callable[[SourceConfig], object] = logout_all) -> None:
        """Another user takes the workstation (the idle lock's session closed): the open
        series close; the search, its answer and the patients confirmed as one are
        forgotten; every source is signed out, the passwords kept for this run and those
        remembered in the keyring alike (the next doctor signs in as themselves, not on
        the last one's account). Downloads go on into the cache: it shows no one's
        screen. The trail records the sign-out, under the user who leaves."""
        with self._lock:
            self._searches += 1  # a search still running reports nothing more
        for uid in list(self.open):
            self.close_series(uid)
        self.query, self.result, self._confirmed, self._annotations = None, None, [], {}
        self._live = {}  # opened with the last user's passwords: not reused
        self.audit.record(AuditEvent("signed_out", detail={"how": "session closed"}))
        self.credentials.clear()
        for source in self.config.sources:
            sign_out(source)
        self.audit.set_user(lambda: None)  # until the next one signs in

    def close(self, timeout: float = 10.0) -> None:
        """End the session: downloads stopped, series closed, the cache closed."""
        with self._lock:
            self._searches += 1  # a search still running reports nothing more
        if self.downloads is not None:
            self.downloads.shutdown(timeout)
        for uid in list(self.open):
            self.close_series(uid)
        if self.store is not None:
            self.store.close()
            self.store = None


def _nothing_cached(_uid: str, _count: int | None) -> str:
    return "none"
