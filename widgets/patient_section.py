"""One patient found by a search: the identity header, then their studies by date.

Two patients are never drawn in one section: each :class:`PatientSection` holds one
:class:`~viewer.history.service.PatientHistory` and the IDs the core links for it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from viewer.display import display_name, format_date
from viewer.history.service import HistoryStudy, PatientHistory
from viewer.records import PatientRef
from widgets.labels import plain_label
from widgets.study_card import StudyCard


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
