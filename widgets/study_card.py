"""One study in a patient's timeline: what, where, which sources hold it, its cache state,
the recent-similar flag, its download into the offline cache and, when opened, its series.

:class:`~widgets.patient_section.PatientSection` makes the cards;
:class:`~widgets.history_view.HistoryView` wires their buttons to the window.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.display import MB, format_date
from viewer.history.service import HistoryStudy
from viewer.retrieve.fetch import FetchProgress
from widgets.download import DownloadOutcome, failure_text
from widgets.labels import plain_label, restyle
from widgets.series_view import SeriesPanel


def _as_date(value: str) -> date | None:
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except (ValueError, IndexError):
        return None


class StudyCard(QFrame):
    """One study: what, where, which sources hold it, whether it is cached, and the flag.

    Below: its download into the offline cache (a Download button while the study is not
    complete there, then progress with Cancel, then how it ended).
    """

    sign_in_clicked = Signal(str)  # the source a download needs to sign in to
    series_toggled = Signal(bool)  # its series shown (True) or hidden
    thumbnail_wanted = Signal(str, int)  # series uid, cached instances to render from
    series_opened = Signal(str)  # series uid the doctor opened
    study_opened = Signal()  # the doctor double-clicked the card: read the study

    def __init__(
        self, study: HistoryStudy, by_uid: dict[str, HistoryStudy], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName("StudyCard")
        self.setToolTip(self.tr("Double-click: read this study"))
        self.study = study
        self.cache_state = study.cached
        self.downloading = False
        self.setProperty("recentSimilar", bool(study.recent_similar))
        record = study.record
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)

        top = QHBoxLayout()
        for modality in record.modalities or ("?",):
            top.addWidget(plain_label(modality, "ModalityBadge", self))
        description = record.description or record.body_part or self.tr("(no description)")
        top.addWidget(plain_label(description, "StudyDescription", self), 1)
        top.addWidget(
            plain_label(
                record.institution or self.tr("institution unknown"), "StudyInstitution", self
            )
        )
        layout.addLayout(top)

        bottom = QHBoxLayout()
        bottom.setSpacing(6)
        bottom.addWidget(plain_label(self.tr("Sources:"), "StudyMeta", self))
        self.source_labels = [plain_label(name, "SourceChip", self) for name in study.sources]
        for chip in self.source_labels:
            bottom.addWidget(chip)
        self.cache_label = plain_label(self._cache_text(study.cached), "CacheBadge", self)
        self.cache_label.setProperty("state", study.cached)
        bottom.addWidget(self.cache_label)
        bottom.addStretch(1)
        meta = self._meta_text(study)
        if meta:
            bottom.addWidget(plain_label(meta, "StudyMeta", self))
        layout.addLayout(bottom)
        layout.addLayout(self._build_download_row())

        self.flag_label: QLabel | None = None
        if study.recent_similar:
            flag = self._flag_text(study, by_uid)
            self.flag_label = plain_label(flag, "RecentSimilarFlag", self, wrap=True)
            layout.addWidget(self.flag_label)
        self.series_panel: SeriesPanel | None = None  # made when first shown
        self._update_download_row()
        restyle(self)

    # -- series ---------------------------------------------------------------------------
    @property
    def series_expanded(self) -> bool:
        return self.series_button.isChecked()

    def set_series_expanded(self, expanded: bool) -> None:
        """Show or hide the study's series (``series_toggled`` follows)."""
        self.series_button.setChecked(expanded)

    def _on_series_button(self, expanded: bool) -> None:
        self.series_button.setText(self._series_button_text(expanded))
        if expanded and self.series_panel is None:
            self.series_panel = SeriesPanel(self)
            self.series_panel.thumbnail_wanted.connect(self.thumbnail_wanted)
            self.series_panel.series_opened.connect(self.series_opened)
            layout = self.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.addWidget(self.series_panel)
        if self.series_panel is not None:
            self.series_panel.setVisible(expanded)
        self.series_toggled.emit(expanded)

    def _series_button_text(self, expanded: bool) -> str:
        count = self.study.record.series_count
        text = (
            self.tr("Series (%1)").replace("%1", str(count))
            if count is not None
            else self.tr("Series")
        )
        return ("▾ " if expanded else "▸ ") + text

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        # A tile's double-click opens its own series and stops there; one elsewhere on the
        # card reaches here.
        self.study_opened.emit()
        event.accept()

    # -- download -------------------------------------------------------------------------
    @property
    def live_sources(self) -> tuple[str, ...]:
        """The sources a download can come from: every holder but the cache itself."""
        return self.study.held_elsewhere

    def _build_download_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.series_button = QPushButton(self._series_button_text(False), self)
        self.series_button.setObjectName("SeriesButton")
        self.series_button.setCheckable(True)
        self.series_button.setToolTip(
            self.tr("Show the series: a thumbnail and the offline cache state of each")
        )
        self.series_button.toggled.connect(self._on_series_button)
        row.addWidget(self.series_button)
        self.download_button = QPushButton(self.tr("Download"), self)
        self.download_button.setObjectName("DownloadButton")
        self.download_button.setToolTip(
            self.tr("Fetch this study into the offline cache (only what is still missing)")
        )
        self.download_status = plain_label("", "DownloadStatus", self, wrap=True)
        self.download_bar = QProgressBar(self)
        self.download_bar.setObjectName("DownloadBar")
        self.download_bar.setTextVisible(False)
        self.download_bar.setFixedWidth(160)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("CancelDownloadButton")
        self.sign_in_button = QPushButton(self.tr("Sign in…"), self)
        self.sign_in_button.setObjectName("DownloadSignInButton")
        self._sign_in_source = ""
        self.sign_in_button.clicked.connect(lambda: self.sign_in_clicked.emit(self._sign_in_source))
        row.addWidget(self.download_button)
        row.addWidget(self.download_bar)
        row.addWidget(self.download_status, 10)
        row.addWidget(self.sign_in_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)  # buttons keep their size when the status line is empty
        return row

    def _update_download_row(self) -> None:
        can_download = bool(self.live_sources) and self.cache_state != "complete"
        self.download_button.setVisible(can_download and not self.downloading)
        self.download_bar.setVisible(self.downloading)
        self.cancel_button.setVisible(self.downloading)
        self.sign_in_button.setVisible(bool(self._sign_in_source) and not self.downloading)
        self.download_status.setVisible(bool(self.download_status.text()))

    def set_cache_state(self, state: str) -> None:
        self.cache_state = state
        self.cache_label.setText(self._cache_text(state))
        self.cache_label.setProperty("state", state)
        restyle(self.cache_label)
        self._update_download_row()

    def show_download(self, progress: FetchProgress | None) -> None:
        """A download of this study is queued (``None``: no progress yet) or running."""
        self.downloading = True
        self._sign_in_source = ""
        self._set_status("running", self._progress_text(progress))
        if progress is None or not progress.instances_total:
            self.download_bar.setRange(0, 0)  # busy: the source is asked what it holds
        else:
            self.download_bar.setRange(0, progress.instances_total)
            self.download_bar.setValue(progress.instances_done)
        if progress is not None and self.series_panel is not None:
            self.series_panel.show_progress(progress)
        if progress is not None and progress.instances_done and self.cache_state == "none":
            self.set_cache_state("partial")  # what arrived is in the cache already
        self._update_download_row()

    def show_outcome(self, outcome: DownloadOutcome) -> None:
        self.downloading = False
        self.set_cache_state(outcome.state)
        if self.series_panel is not None:
            self.series_panel.show_outcome(outcome)
        if outcome.cancelled:
            kind, text = "note", self.tr("Download cancelled; what arrived stays cached.")
        elif outcome.error is not None:
            kind, text = "problem", failure_text(outcome.error)
            if outcome.state == "partial" and not outcome.needs_sign_in:
                text += " " + self.tr("What arrived stays cached: download again to resume.")
        elif outcome.state == "complete":
            report = outcome.report
            fetched = report.fetched if report else 0
            size = report.bytes / MB if report else 0.0
            kind, text = (
                "ok",
                self.tr("Downloaded %1 image(s), %2 MB")
                .replace("%1", str(fetched))
                .replace("%2", f"{size:.1f}"),
            )
        else:
            missing = outcome.report.missing_after if outcome.report else 0
            kind, text = (
                "problem",
                self.tr("%1 image(s) could not be fetched: download again to resume.").replace(
                    "%1", str(missing)
                ),
            )
        self._sign_in_source = outcome.source_name if outcome.needs_sign_in else ""
        self._set_status(kind, text)
        self._update_download_row()

    def _set_status(self, kind: str, text: str) -> None:
        self.download_status.setText(text)
        self.download_status.setProperty("state", kind)
        restyle(self.download_status)

    def _progress_text(self, progress: FetchProgress | None) -> str:
        if progress is None:
            return self.tr("Waiting to download…")
        if not progress.instances_total:
            return self.tr("Asking what the study holds…")
        return (
            self.tr("Downloading: %1/%2 images · %3 MB")
            .replace("%1", str(progress.instances_done))
            .replace("%2", str(progress.instances_total))
            .replace("%3", f"{progress.bytes_done / MB:.1f}")
        )

    def _cache_text(self, state: str) -> str:
        return {
            "complete": self.tr("cached offline"),
            "partial": self.tr("partly cached"),
        }.get(state, self.tr("not cached"))

    def _meta_text(self, study: HistoryStudy) -> str:
        record = study.record
        parts = []
        if record.study_time[:4].isdigit():
            parts.append(f"{record.study_time[:2]}:{record.study_time[2:4]}")
        if record.series_count is not None:
            parts.append(self.tr("%1 series").replace("%1", str(record.series_count)))
        if record.instance_count is not None:
            parts.append(self.tr("%1 image(s)").replace("%1", str(record.instance_count)))
        if record.accession_number:
            parts.append(self.tr("Acc. %1").replace("%1", record.accession_number))
        return " · ".join(parts)

    def _flag_text(self, study: HistoryStudy, by_uid: dict[str, HistoryStudy]) -> str:
        mine = _as_date(study.record.study_date)
        others = []
        for uid in sorted(study.recent_similar):
            other = by_uid.get(uid)
            if other is None:
                continue
            when = _as_date(other.record.study_date)
            days = abs((when - mine).days) if when and mine else None
            text = (
                self.tr("%1 on %2 at %3 (%4 days apart)")
                .replace("%1", "/".join(other.record.modalities))
                .replace("%2", format_date(other.record.study_date))
                .replace("%3", other.record.institution or self.tr("institution unknown"))
                .replace("%4", "?" if days is None else str(days))
            )
            others.append(text)
        return self.tr("⚠ Recent similar exam: %1. Look at it before repeating the exam.").replace(
            "%1", "; ".join(others) or self.tr("another study")
        )
