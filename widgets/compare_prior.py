"""Compare with prior (P, or the button): the nearest earlier study of the same kind,
from any hospital of the patient's history, beside the series being read.

The choice is the core's (:func:`viewer.history.priors.prior_study` over the session's
current history, :func:`viewer.history.priors.matching_series` over the prior's series
list); this binding lists the prior's series off the UI thread, asks the window to open
the matching one beside the current (fetched first when it is not cached, as any series
the doctor opens), and shows both studies' series in the strip. What it cannot do it
says in the reading view's bar, in the doctor's words.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from viewer.display import format_date
from viewer.history.priors import matching_series, prior_study
from viewer.history.result import HistoryStudy
from viewer.history.series import SeriesListing
from viewer.session.model import ReadingSession
from widgets.reading_view import ReadingView
from widgets.workers import Worker

SeriesOpener = Callable[[HistoryStudy, str], None]  # StudyBinding.open_series


class PriorComparer(QObject):
    def __init__(
        self,
        session: ReadingSession,
        view: ReadingView,
        open_series: SeriesOpener,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.view, self.open_series = session, view, open_series
        self.worker: Worker | None = None
        self.problem = ""  # why the last compare found no prior to show ("" while it goes)
        view.compare_requested.connect(self.compare)

    def study_of(self, study_uid: str) -> HistoryStudy | None:
        """The study as the current history has it (None: not in it, e.g. opened from the
        cache page with no search made)."""
        result = self.session.result
        if result is None:
            return None
        for history in result.histories:
            for study in history.studies:
                if study.study_uid == study_uid:
                    return study
        return None

    def _fail(self, text: str) -> None:
        self.problem = text
        self.view.note.setText(text)

    def compare(self) -> None:
        self.problem = ""
        series = self.view.series
        if series is None:
            return
        result = self.session.result
        history = None
        if result is not None:
            history = next(
                (
                    h
                    for h in result.histories
                    if any(s.study_uid == series.study_uid for s in h.studies)
                ),
                None,
            )
        if history is None:
            self._fail(self.tr("Search the patient's history first: the prior is chosen from it"))
            return
        prior = prior_study(history, series.study_uid)
        if prior is None:
            self._fail(self.tr("No earlier study of this kind in this patient's history"))
            return
        if self.worker is not None and self.worker.running:
            self.worker.cancel()
        session = self.session
        worker = Worker(lambda _c, _p: session.list_series(prior), self)
        worker.finished.connect(lambda listing: self._listed(worker, prior, listing))
        worker.failed.connect(
            lambda err: self._fail(
                self.tr("The prior's series cannot be listed: %1").replace("%1", str(err))
            )
        )
        self.worker = worker
        self.view.note.setText(self.tr("Finding the prior's matching series…"))
        worker.start()

    def _listed(self, worker: Worker, prior: HistoryStudy, listing: object) -> None:
        series = self.view.series
        if worker is not self.worker or series is None:
            return
        assert isinstance(listing, SeriesListing)
        who = series.identity
        match = matching_series(
            who.modality, who.series_description, series.slice_count, listing.series
        )
        if match is None:
            self._fail(
                self.tr("The prior has no %1 series to compare with").replace(
                    "%1", who.modality or "?"
                )
            )
            return
        self.view.note.setText(
            self.tr("Prior: %1, %2")
            .replace("%1", format_date(prior.record.study_date))
            .replace("%2", prior.record.institution or prior.record.source)
        )
        current = self.study_of(series.study_uid)
        if current is not None:
            self.view.show_study(current.record, self.session.cached_listing(current.study_uid))
        self.view.show_study(prior.record, listing)
        self.view.expect_beside(prior.study_uid, match.series_uid)
        self.open_series(prior, match.series_uid)
