"""Prefetch a clinic worklist from the window: the CLI's nightly job, with progress and Cancel.

The work is :func:`viewer.session.prefetch_job.prefetch_worklist` on a
:class:`~widgets.workers.Worker`: each worklist patient's recent studies (as ``[prefetch]``
says) into the offline cache, then eviction to keep the budget, as ``prefetch --worklist``
does. The dialog is not modal: closing it leaves the prefetch running (the status bar
says how far it got and opens the dialog again); Cancel stops it, keeping what arrived.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.cache.store import CacheStore
from viewer.config import Config
from viewer.display import MB, format_date
from viewer.retrieve.fetch import fetch_into_cache
from viewer.session.auditing import AuditedStore
from viewer.session.prefetch import PrefetchSummary
from viewer.session.prefetch_job import FetchFunction, PrefetchProgress, prefetch_worklist
from viewer.sources.protocol import ImagingSource
from widgets.labels import plain_label, restyle
from widgets.workers import ProgressRelay, Worker

SourcesOpener = Callable[[], Sequence[ImagingSource]]


class PrefetchDialog(QDialog):
    changed = Signal()  # progress or state changed (the status bar follows)
    ended = Signal()  # the prefetch finished, failed or was cancelled: the cache changed

    def __init__(
        self,
        config: Config,
        store: CacheStore,
        open_sources: SourcesOpener,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("PrefetchDialog")
        self.setWindowTitle(self.tr("Prefetch worklist"))
        self.setModal(False)
        self.resize(640, 360)
        self.config = config
        self.store = store
        self.open_sources = open_sources
        self.fetch: FetchFunction = fetch_into_cache  # tests slow it down
        self.worker: Worker | None = None
        self.progress: PrefetchProgress | None = None
        self.summary: PrefetchSummary | None = None
        self.outcome = ""  # finished | cancelled | failed, once it has ended
        self._closed = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        title = QLabel(self.tr("Prefetch worklist"), self)
        title.setObjectName("DialogTitle")
        layout.addWidget(title)
        hint = plain_label("", "DialogSubtitle", self, wrap=True)
        hint.setText(
            self.tr(
                "Brings each worklist patient's recent studies into the offline cache, "
                "so that the clinic can read them with a poor connection or none."
            )
        )
        layout.addWidget(hint)
        self.file_label = plain_label("", "PrefetchFile", self, wrap=True)
        layout.addWidget(self.file_label)
        self.patients_label = plain_label("", "PrefetchPatients", self, wrap=True)
        layout.addWidget(self.patients_label)
        self.patients_bar = QProgressBar(self)
        self.patients_bar.setObjectName("PrefetchPatientsBar")
        self.patients_bar.setTextVisible(False)
        layout.addWidget(self.patients_bar)
        self.study_label = plain_label("", "PrefetchStudy", self, wrap=True)
        layout.addWidget(self.study_label)
        self.study_bar = QProgressBar(self)
        self.study_bar.setObjectName("PrefetchStudyBar")
        self.study_bar.setTextVisible(False)
        layout.addWidget(self.study_bar)
        self.summary_label = plain_label("", "PrefetchSummary", self, wrap=True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label.hide()
        layout.addWidget(self.summary_label)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("PrefetchDetails")
        self.details.setReadOnly(True)
        self.details.hide()
        layout.addWidget(self.details, 1)
        layout.addStretch(0)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("PrefetchCancelButton")
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.hide)
        row.addWidget(self.cancel_button)
        row.addWidget(self.close_button)
        layout.addLayout(row)

    # -- running ----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.worker is not None

    def start(self, worklist: Path, today: date | None = None) -> None:
        """Prefetch for ``worklist`` (read on the worker: it may be on a slow share)."""
        if self.running or self._closed:
            return
        day = today or date.today()
        config, store, opener, fetch = self.config, self.store, self.open_sources, self.fetch
        relay = ProgressRelay(parent=self)

        def job(cancelled: Callable[[], bool], _p: Callable[[str], None]) -> PrefetchSummary:
            return prefetch_worklist(
                worklist,
                opener,
                config.prefetch,
                store,
                today=day,
                on_progress=relay,
                cancelled=cancelled,
                fetch=fetch,
                audit=store.auditor if isinstance(store, AuditedStore) else None,
            )

        worker = Worker(job, self)
        relay.changed.connect(lambda progress: self._on_progress(worker, progress))
        worker.finished.connect(lambda summary: self._on_end(worker, relay, "finished", summary))
        worker.failed.connect(lambda err: self._on_end(worker, relay, "failed", err))
        worker.cancelled.connect(lambda: self._on_end(worker, relay, "cancelled", None))
        self.worker = worker
        self.progress, self.summary, self.outcome = None, None, ""
        self.file_label.setText(self.tr("Worklist: %1").replace("%1", str(worklist)))
        self.patients_label.setText(self.tr("Reading the worklist…"))
        self.patients_bar.setRange(0, 0)
        self.study_label.setText("")
        self.study_bar.hide()
        self.summary_label.hide()
        self.details.hide()
        self.details.clear()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        worker.start()
        self.changed.emit()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.study_label.setText(self.tr("Cancelling…"))

    def shutdown(self, timeout: float) -> bool:
        """Cancel and wait (the window closes and the store after it); nothing more is shown."""
        self._closed = True
        if self.worker is None:
            return True
        self.worker.cancel()
        return self.worker.wait(timeout)

    def status_text(self) -> str:
        """One line for the status bar while it runs."""
        p = self.progress
        if p is None or not p.patients_total:
            return self.tr("Prefetch: reading the worklist…")
        if p.opening_sources:
            return self.tr("Prefetch: opening sources…")
        return (
            self.tr("Prefetch: patient %1 of %2")
            .replace("%1", str(min(p.patients_done + 1, p.patients_total)))
            .replace("%2", str(p.patients_total))
        )

    # -- showing ----------------------------------------------------------------------------
    def _on_progress(self, worker: Worker, progress: object) -> None:
        # A value the relay held back may come after its run ended, even during the next.
        if self._closed or self.worker is not worker or worker.is_cancelled():
            return
        assert isinstance(progress, PrefetchProgress)
        self.progress = progress
        self._show_progress(progress)
        self.changed.emit()

    def _show_progress(self, p: PrefetchProgress) -> None:
        if p.opening_sources:  # signing in: no worklist line is worked on yet
            self.patients_bar.setRange(0, 0)
            self.patients_label.setText(self.tr("Opening sources…"))
            self.study_label.setText("")
            self.study_bar.hide()
            return
        self.patients_bar.setRange(0, max(1, p.patients_total))
        self.patients_bar.setValue(p.patients_done)
        if p.patients_done >= p.patients_total:
            self.patients_label.setText(
                self.tr("%1 patient(s) done").replace("%1", str(p.patients_total))
            )
            self.study_label.setText("")
            self.study_bar.hide()
            return
        self.patients_label.setText(
            self.tr("Patient %1 of %2 (worklist line %3)")
            .replace("%1", str(p.patients_done + 1))
            .replace("%2", str(p.patients_total))
            .replace("%3", str(p.line))
        )
        fetch = p.fetch
        if fetch is None:
            self.study_label.setText(self.tr("Searching for the patient's studies…"))
            self.study_bar.hide()
            return
        when = format_date(p.study_date) or self.tr("no date")
        if not fetch.instances_total:
            text = self.tr("Study of %1: asking what it holds…").replace("%1", when)
            self.study_bar.setRange(0, 0)
        else:
            text = (
                self.tr("Study of %1: %2/%3 images · %4 MB")
                .replace("%1", when)
                .replace("%2", str(fetch.instances_done))
                .replace("%3", str(fetch.instances_total))
                .replace("%4", f"{fetch.bytes_done / MB:.1f}")
            )
            self.study_bar.setRange(0, fetch.instances_total)
            self.study_bar.setValue(fetch.instances_done)
        self.study_label.setText(text)
        self.study_bar.show()

    def _on_end(self, worker: Worker, relay: ProgressRelay, outcome: str, value: object) -> None:
        if self.worker is worker:
            self.worker = None
        worker.deleteLater()
        relay.deleteLater()
        if self._closed:
            return
        self.outcome = outcome
        self.cancel_button.hide()
        self.study_bar.hide()
        self.study_label.setText("")
        self.patients_bar.setRange(0, 1)
        if outcome == "finished":
            assert isinstance(value, PrefetchSummary)
            self.summary = value
            self.patients_bar.setValue(1)
            self.patients_label.setText(
                self.tr("%1 patient(s) done").replace("%1", str(value.patients))
            )
            self._show_summary(value)
        elif outcome == "cancelled":
            latest = relay.latest
            last = latest if isinstance(latest, PrefetchProgress) else PrefetchProgress(0, 0)
            self.patients_bar.setValue(0)
            self.patients_label.setText("")
            self._set_summary(
                self.tr(
                    "Prefetch cancelled after %1 of %2 patient(s). What arrived stays "
                    "cached: run it again to resume."
                )
                .replace("%1", str(last.patients_done))
                .replace("%2", str(last.patients_total)),
                "note",
            )
        else:
            self.patients_bar.setValue(0)
            self.patients_label.setText("")
            self._set_summary(self.tr("Prefetch failed: %1").replace("%1", str(value)), "problem")
        self.changed.emit()
        self.ended.emit()

    def _show_summary(self, s: PrefetchSummary) -> None:
        if s.patients == 0:
            self.patients_label.setText("")
            self._set_summary(
                self.tr(
                    "No patient of this worklist is due from today to %1 day(s) ahead: "
                    "nothing to fetch."
                ).replace("%1", str(self.config.prefetch.days_ahead)),
                "note",
            )
            return
        text = (
            self.tr(
                "Prefetch finished: %1 patient(s), %2 stud(ies) selected: %3 already "
                "cached, %4 fetched (%5 images, %6 MB), %7 failed, %8 patient(s) not found."
            )
            .replace("%1", str(s.patients))
            .replace("%2", str(s.studies))
            .replace("%3", str(s.already_cached))
            .replace("%4", str(s.fetched))
            .replace("%5", str(s.instances))
            .replace("%6", f"{s.bytes / MB:.1f}")
            .replace("%7", str(len(s.failed)))
            .replace("%8", str(len(s.patients_not_found)))
        )
        ok = s.ok and not s.patients_not_found
        if not s.ok:
            text += " " + self.tr("Run it again to fetch what is missing.")
        self._set_summary(text, "ok" if ok else ("note" if s.ok else "problem"))
        lines = [self.tr("Not fetched: %1").replace("%1", line) for line in s.failed]
        lines += [self.tr("Source problem: %1").replace("%1", line) for line in s.problems]
        lines += [
            self.tr("Worklist line %1: no study found").replace("%1", str(line))
            for line in s.patients_not_found
        ]
        if lines:
            self.details.setPlainText("\n".join(lines))
            self.details.show()

    def _set_summary(self, text: str, kind: str) -> None:
        self.summary_label.setText(text)
        self.summary_label.setProperty("state", kind)
        restyle(self.summary_label)
        self.summary_label.show()
