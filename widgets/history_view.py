"""A search result as the doctor reads it: who the patient is, then their studies by date.

Each patient found is its own section with its own identity header: two patients are
never drawn in one timeline, and pairs the core only *suspects* to be one person are shown
apart with a Confirm action. Sources that failed are named with their reason above the
results of those that answered. Text from servers goes into plain-text labels only.
A patient's section is :mod:`widgets.patient_section`, each of its studies a card from
:mod:`widgets.study_card`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from viewer.dicomweb.qido import StudyQuery
from viewer.display import display_name, format_date
from viewer.history.result import SearchNote, primary_ref
from viewer.history.series import SeriesListing
from viewer.history.service import HistoryResult, PatientHistory, SourceProblem
from viewer.records import PatientRef
from widgets.labels import plain_label
from widgets.patient_section import PatientSection
from widgets.problem_words import needs_sign_in, problem_words
from widgets.series_view import SeriesPanel
from widgets.study_card import StudyCard


def problem_reason(problem: SourceProblem) -> str:
    """Why a source gave no answer: a translated kind, then the core's own words."""
    return problem_words(
        problem.error, "search", problem.message.removeprefix(problem.source + ": ")
    )


class HistoryView(QScrollArea):
    confirm_requested = Signal(object, object)  # two PatientRefs the user says are one
    sign_in_requested = Signal(str)  # source name
    download_requested = Signal(object)  # HistoryStudy to fetch into the offline cache
    cancel_download_requested = Signal(str)  # study uid
    series_open_requested = Signal(object, str)  # HistoryStudy, series uid
    study_open_requested = Signal(object)  # HistoryStudy to read
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
            text = "ⓘ " + self._note_text(note)
            layout.addWidget(plain_label(text, "HistoryNote", content, wrap=True))
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

    def _note_text(self, note: SearchNote) -> str:
        """What the doctor should know of the search, in their language (the core gives
        the kind and the names, never the words)."""
        if note.kind == "no-source-for-issuer":
            return self.tr(
                "No configured source uses patient IDs issued by %1: nothing was searched "
                "under this ID."
            ).replace("%1", note.issuer)
        if note.kind == "capped":
            return self.tr(
                "%1: more studies match than were fetched; narrow the search to see them all."
            ).replace("%1", note.source)
        if note.kind == "skipped":
            return (
                self.tr("%1: %2 result(s) without a usable study UID were left out.")
                .replace("%1", note.source)
                .replace("%2", str(note.count))
            )
        return self.tr(
            "A study is filed under two patients that no source links: check the patients "
            "before reading."
        )

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
        card.study_opened.connect(lambda s=card.study: self.study_open_requested.emit(s))

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

    def panels(self, study_uid: str) -> list[SeriesPanel]:
        """The series panels made for a study's cards, shown or folded."""
        return [c.series_panel for c in self.cards(study_uid) if c.series_panel is not None]

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
        if needs_sign_in(problem.error):
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
