"""A search result as the doctor reads it: who the patient is, then their studies by date.

Each patient found is its own section with its own identity header: two patients are
never drawn in one timeline, and pairs the core only *suspects* to be one person are shown
apart with a Confirm action. Sources that failed are named with their reason above the
results of those that answered. Text from servers goes into plain-text labels only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from viewer import secrets
from viewer.dicomweb.qido import StudyQuery
from viewer.display import MB, display_name, format_date
from viewer.errors import (
    AuthError,
    CertificateError,
    NetworkError,
    NotSignedInError,
    ServerError,
)
from viewer.history.offline import CACHE_SOURCE_NAME
from viewer.history.records import PatientRef
from viewer.history.series import SeriesListing
from viewer.history.service import HistoryResult, HistoryStudy, PatientHistory, SourceProblem
from viewer.retrieve.fetch import FetchProgress
from widgets.download import DownloadOutcome, failure_text
from widgets.labels import plain_label, restyle
from widgets.series_view import SeriesPanel


def _as_date(value: str) -> date | None:
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except (ValueError, IndexError):
        return None


def primary_ref(
    history: PatientHistory, query: StudyQuery | None, issuer_order: Sequence[str] = ()
) -> PatientRef:
    """The ID to show first: the one asked for, else the first configured source's."""
    refs = sorted(history.patients)
    if query is not None and query.patient_id:
        for ref in refs:
            if ref.patient_id == query.patient_id and (
                not query.issuer or ref.issuer == query.issuer
            ):
                return ref
    for issuer in issuer_order:
        for ref in refs:
            if ref.issuer == issuer:
                return ref
    return refs[0]


def problem_reason(problem: SourceProblem) -> str:
    """Why a source gave no answer: a translated kind, then the core's own words."""
    err = problem.error
    detail = problem.message.removeprefix(problem.source + ": ")
    if isinstance(err, secrets.KeyringUnavailableError):
        kind = QCoreApplication.translate(
            "SourceProblem", "no system keyring to read the password from"
        )
    elif isinstance(err, NotSignedInError):
        return QCoreApplication.translate("SourceProblem", "not signed in")
    elif isinstance(err, AuthError):
        kind = QCoreApplication.translate("SourceProblem", "sign-in refused")
    elif isinstance(err, CertificateError):
        kind = QCoreApplication.translate("SourceProblem", "certificate not trusted")
    elif isinstance(err, ServerError):
        kind = QCoreApplication.translate("SourceProblem", "server error")
    elif isinstance(err, NetworkError):
        kind = QCoreApplication.translate("SourceProblem", "cannot be reached")
    else:
        kind = QCoreApplication.translate("SourceProblem", "search failed")
    return f"{kind}: {detail}"


class HistoryView(QScrollArea):
    confirm_requested = Signal(object, object)  # two PatientRefs the user says are one
    sign_in_requested = Signal(str)  # source name
    download_requested = Signal(object)  # HistoryStudy to fetch into the offline cache
    cancel_download_requested = Signal(str)  # study uid
    series_open_requested = Signal(object, str)  # HistoryStudy, series uid
    series_requested = Signal(object)  # HistoryStudy whose series list is wanted
    series_recount_requested = Signal(str)  # study uid whose series' cache counts are wanted
    thumbnail_requested = Signal(str, str, int)  # study uid, series uid, cached instances
    shown = Signal()  # a result or a message is on screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HistoryView")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.result: HistoryResult | None = None
        self.problem_rows: list[QFrame] = []
        self.pair_boxes: list[QFrame] = []
        self.sections: list[PatientSection] = []
        self.expanded: set[str] = set()  # studies whose series are shown: kept across searches
        self._content: QWidget | None = None
        self.clear()

    def clear(self) -> QVBoxLayout:
        content = QWidget()
        content.setObjectName("HistoryContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(10)
        self.setWidget(content)  # the previous content is deleted by the scroll area
        self._content = content
        self.problem_rows, self.pair_boxes, self.sections = [], [], []
        self.offline_banner: QLabel | None = None
        self.result = None
        return layout

    def show_message(self, text: str) -> None:
        layout = self.clear()
        layout.addWidget(plain_label(text, "HistoryMessage", self._content_widget(), wrap=True))
        layout.addStretch(1)
        self.shown.emit()

    def show_result(
        self,
        result: HistoryResult,
        query: StudyQuery | None = None,
        issuer_order: Sequence[str] = (),
    ) -> None:
        layout = self.clear()
        content = self._content_widget()
        self.result = result
        if result.offline:
            self.offline_banner = plain_label(
                self.tr(
                    "Offline: no source could be reached — showing studies from the offline cache"
                ),
                "OfflineBanner",
                content,
                wrap=True,
            )
            layout.addWidget(self.offline_banner)
        for problem in result.problems:
            row = self._problem_row(problem, content)
            self.problem_rows.append(row)
            layout.addWidget(row)
        for note in result.notes:
            layout.addWidget(plain_label("ⓘ " + note, "HistoryNote", content, wrap=True))
        if not result.histories:
            text = (
                self.tr("No source could be searched.")
                if result.no_source_answered
                else self.tr("No studies match this search.")
            )
            layout.addWidget(plain_label(text, "HistoryMessage", content, wrap=True))
        elif len(result.histories) > 1:
            layout.addWidget(
                plain_label(
                    self.tr(
                        "%1 different patients match this search. Each is shown on its own: "
                        "check the identity before reading."
                    ).replace("%1", str(len(result.histories))),
                    "MultiPatientNotice",
                    content,
                    wrap=True,
                )
            )
        refs = [primary_ref(h, query, issuer_order) for h in result.histories]
        for i, j in result.possible_same:
            box = self._pair_box(result.histories, refs, i, j, content)
            self.pair_boxes.append(box)
            layout.addWidget(box)
        many = len(result.histories) > 1
        for index, history in enumerate(result.histories):
            section = PatientSection(history, refs[index], index + 1 if many else 0, content)
            for card in section.cards:
                self._connect_card(card)
            self.sections.append(section)
            layout.addWidget(section)
        layout.addStretch(1)
        self._restore_expanded()
        self.shown.emit()

    def _restore_expanded(self) -> None:
        """A new search (after a sign-in, say) shows the series that were shown before."""
        for card in self.cards():
            if card.study.study_uid in self.expanded:
                card.set_series_expanded(True)

    def _connect_card(self, card: StudyCard) -> None:
        uid = card.study.study_uid
        card.download_button.clicked.connect(
            lambda _=False, s=card.study: self.download_requested.emit(s)
        )
        card.cancel_button.clicked.connect(lambda _=False: self.cancel_download_requested.emit(uid))
        card.sign_in_clicked.connect(self.sign_in_requested)
        card.series_toggled.connect(lambda expanded: self._on_series_toggled(card, expanded))
        card.thumbnail_wanted.connect(
            lambda series, at: self.thumbnail_requested.emit(uid, series, at)
        )
        card.series_opened.connect(
            lambda series, s=card.study: self.series_open_requested.emit(s, series)
        )

    def _on_series_toggled(self, card: StudyCard, expanded: bool) -> None:
        uid = card.study.study_uid
        if expanded:
            self.expanded.add(uid)
            panel = card.series_panel
            if panel is None or panel.loading:
                pass  # asked already: the answer is on its way
            elif panel.listing is None:
                panel.show_loading()
                self.series_requested.emit(card.study)
            else:  # a closed panel is not told the cache's counts: ask for them again
                self.series_recount_requested.emit(uid)
        else:
            self.expanded.discard(uid)

    def show_series(self, study_uid: str, listing: SeriesListing) -> None:
        for card in self.cards(study_uid):
            if card.series_panel is not None:
                card.series_panel.show_listing(listing)

    def expanded_panels(self, study_uid: str | None = None) -> list[SeriesPanel]:
        """The series panels on screen (of one study)."""
        return [
            card.series_panel
            for card in self.cards(study_uid)
            if card.series_panel is not None and card.series_expanded
        ]

    def _content_widget(self) -> QWidget:
        assert self._content is not None
        return self._content

    def cards(self, study_uid: str | None = None) -> list[StudyCard]:
        """Every card shown (or those of one study: a study is in one section only, but
        the view does not rely on it)."""
        return [
            card
            for section in self.sections
            for card in section.cards
            if study_uid is None or card.study.study_uid == study_uid
        ]

    # -- source problems ------------------------------------------------------------------
    def _problem_row(self, problem: SourceProblem, parent: QWidget) -> QFrame:
        row = QFrame(parent)
        row.setObjectName("SourceProblem")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(10, 6, 10, 6)
        reason = problem_reason(problem)
        name = plain_label("⚠ " + problem.source, "SourceProblemName", row)
        text = plain_label(reason, "SourceProblemReason", row, wrap=True)
        row.name_label, row.reason_label = name, text  # type: ignore[attr-defined]
        layout.addWidget(name)
        layout.addWidget(text, 1)
        needs_sign_in = isinstance(problem.error, AuthError) and not isinstance(
            problem.error, secrets.KeyringUnavailableError
        )
        if needs_sign_in:
            button = QPushButton(self.tr("Sign in…"), row)
            button.clicked.connect(lambda: self.sign_in_requested.emit(problem.source))
            layout.addWidget(button)
        row.setToolTip(
            self.tr("%1 was not searched; the results below come from the other sources.").replace(
                "%1", problem.source
            )
        )
        return row

    # -- possible same patient --------------------------------------------------------------
    def _pair_box(
        self,
        histories: Sequence[PatientHistory],
        refs: Sequence[PatientRef],
        i: int,
        j: int,
        parent: QWidget,
    ) -> QFrame:
        box = QFrame(parent)
        box.setObjectName("PossibleSame")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(12, 8, 12, 8)
        title = plain_label(self.tr("Possible same patient — confirm"), "PossibleSameTitle", box)
        layout.addWidget(title)
        for index in (i, j):
            history = histories[index]
            layout.addWidget(
                plain_label(
                    self.tr("Patient %1: %2 · %3 · born %4")
                    .replace("%1", str(index + 1))
                    .replace("%2", display_name(history.name))
                    .replace("%3", str(refs[index]))
                    .replace("%4", format_date(history.birth_date) or "?"),
                    "PossibleSamePatient",
                    box,
                )
            )
        layout.addWidget(
            plain_label(
                self.tr(
                    "Same name and birth date, but no registry links these IDs. They stay "
                    "apart until you confirm that they are one person."
                ),
                "PossibleSameHint",
                box,
                wrap=True,
            )
        )
        row = QHBoxLayout()
        button = QPushButton(self.tr("Confirm: same patient"), box)
        button.setObjectName("ConfirmSameButton")
        a, b = refs[i], refs[j]
        button.clicked.connect(lambda: self.confirm_requested.emit(a, b))
        row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        box.confirm_button = button  # type: ignore[attr-defined]
        return box


class PatientSection(QFrame):
    """One patient: identity header, then the timeline of their studies."""

    def __init__(
        self, history: PatientHistory, ref: PatientRef, number: int, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName("PatientSection")
        self.history = history
        self.ref = ref
        self.cards: list[StudyCard] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(6)
        self._build_identity(layout, number)
        by_uid = {s.study_uid: s for s in history.studies}
        for study_date, studies in _by_date(history.studies):
            layout.addWidget(self._date_group(study_date, studies, by_uid))

    def _build_identity(self, layout: QVBoxLayout, number: int) -> None:
        history = self.history
        top = QHBoxLayout()
        if number:
            top.addWidget(
                plain_label(self.tr("Patient %1").replace("%1", str(number)), "PatientNumber", self)
            )
        self.name_label = plain_label(display_name(history.name), "PatientName", self)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.name_label)
        top.addStretch(1)
        flagged = sum(1 for s in history.studies if s.recent_similar)
        if flagged:
            top.addWidget(
                plain_label(
                    self.tr("⚠ %1 recent similar exams").replace("%1", str(flagged)),
                    "RecentSimilarSummary",
                    self,
                )
            )
        layout.addLayout(top)
        sex = {"M": self.tr("male"), "F": self.tr("female"), "O": self.tr("other")}.get(
            history.sex, self.tr("sex unknown")
        )
        self.id_label = plain_label(
            self.tr("ID %1 · issuer %2 · born %3 · %4")
            .replace("%1", self.ref.patient_id)
            .replace("%2", self.ref.issuer or self.tr("unknown"))
            .replace("%3", format_date(history.birth_date) or self.tr("unknown"))
            .replace("%4", sex),
            "PatientIdentity",
            self,
        )
        self.id_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.id_label)
        others = [str(r) for r in sorted(history.patients) if r != self.ref]
        if others:
            layout.addWidget(
                plain_label(
                    self.tr("Also known as: %1").replace("%1", ", ".join(others)),
                    "PatientOtherIds",
                    self,
                    wrap=True,
                )
            )
        institutions = {s.record.institution for s in history.studies if s.record.institution}
        layout.addWidget(
            plain_label(
                self.tr("%1 studies · %2 institutions")
                .replace("%1", str(len(history.studies)))
                .replace("%2", str(len(institutions))),
                "PatientSummary",
                self,
            )
        )

    def _date_group(
        self, study_date: str, studies: list[HistoryStudy], by_uid: dict[str, HistoryStudy]
    ) -> QWidget:
        group = QWidget(self)
        group.setObjectName("TimelineGroup")
        row = QHBoxLayout(group)
        row.setContentsMargins(0, 4, 0, 0)
        row.setSpacing(12)
        day = plain_label(format_date(study_date) or self.tr("no date"), "TimelineDate", group)
        day.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        day.setFixedWidth(96)
        row.addWidget(day)
        column = QVBoxLayout()
        column.setSpacing(6)
        for study in studies:
            card = StudyCard(study, by_uid, group)
            self.cards.append(card)
            column.addWidget(card)
        row.addLayout(column, 1)
        return group


def _by_date(studies: Sequence[HistoryStudy]) -> list[tuple[str, list[HistoryStudy]]]:
    groups: dict[str, list[HistoryStudy]] = {}
    for study in studies:  # already newest first
        groups.setdefault(study.record.study_date, []).append(study)
    return list(groups.items())


class StudyCard(QFrame):
    """One study: what, where, which sources hold it, whether it is cached, and the flag.

    Below: its download into the offline cache (a Download button while the study is not
    complete there, then progress with Cancel, then how it ended).
    """

    sign_in_clicked = Signal(str)  # the source a download needs to sign in to
    series_toggled = Signal(bool)  # its series shown (True) or hidden
    thumbnail_wanted = Signal(str, int)  # series uid, cached instances to render from
    series_opened = Signal(str)  # series uid the doctor opened

    def __init__(
        self, study: HistoryStudy, by_uid: dict[str, HistoryStudy], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName("StudyCard")
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

    # -- download -------------------------------------------------------------------------
    @property
    def live_sources(self) -> tuple[str, ...]:
        """The sources a download can come from: every holder but the cache itself."""
        return tuple(s for s in self.study.sources if s != CACHE_SOURCE_NAME)

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
