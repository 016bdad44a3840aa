"""The search form: what the doctor knows about the patient, as a core StudyQuery.

The panel only builds the query (the core checks it and says what is wrong, shown inline
under the form) and shows the progress of the search the main window runs.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.dicomweb.qido import QueryError, StudyQuery

MODALITIES = ("CT", "MR", "CR", "DX", "US", "MG", "PT", "NM", "XA", "RF")


class SearchPanel(QWidget):
    search_requested = Signal(object)  # StudyQuery
    cancel_requested = Signal()

    def __init__(self, issuers: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SearchPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(6)
        layout.addLayout(self._build_fields(issuers))
        layout.addLayout(self._build_actions())
        self.error_label = QLabel(self)
        self.error_label.setObjectName("SearchError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)

    def _build_fields(self, issuers: Sequence[str]) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        self.patient_id_edit = self._edit(self.tr("Patient ID"), "PatientIdField")
        self.issuer_combo = QComboBox(self)
        self.issuer_combo.addItem(self.tr("any registry"), "")
        for issuer in dict.fromkeys(i for i in issuers if i):
            self.issuer_combo.addItem(issuer, issuer)
        self.issuer_combo.setToolTip(
            self.tr("Which registry issued the patient ID (IssuerOfPatientID)")
        )
        self.name_edit = self._edit(self.tr("Name: Wang XiaoDong or 王小东"), "NameField")
        self.birth_edit = self._edit(self.tr("Birth date YYYYMMDD"), "BirthDateField")
        self.sex_combo = QComboBox(self)
        for label, value in (
            (self.tr("any sex"), ""),
            (self.tr("male"), "M"),
            (self.tr("female"), "F"),
            (self.tr("other"), "O"),
        ):
            self.sex_combo.addItem(label, value)
        self.modality_combo = QComboBox(self)
        self.modality_combo.addItem(self.tr("any modality"), "")
        for modality in MODALITIES:
            self.modality_combo.addItem(modality, modality)
        self.date_from_edit = self._edit(self.tr("Studies from YYYYMMDD"), "DateFromField")
        self.date_to_edit = self._edit(self.tr("to YYYYMMDD"), "DateToField")
        self.accession_edit = self._edit(self.tr("Accession number"), "AccessionField")

        grid.addWidget(self.patient_id_edit, 0, 0, 1, 2)
        grid.addWidget(self.issuer_combo, 0, 2)
        grid.addWidget(self.name_edit, 0, 3, 1, 2)
        grid.addWidget(self.birth_edit, 0, 5)
        grid.addWidget(self.sex_combo, 0, 6)
        grid.addWidget(self.modality_combo, 1, 0)
        grid.addWidget(self.date_from_edit, 1, 1)
        grid.addWidget(self.date_to_edit, 1, 2)
        grid.addWidget(self.accession_edit, 1, 3, 1, 2)
        for column, stretch in enumerate((2, 2, 1, 2, 2, 2, 1)):
            grid.setColumnStretch(column, stretch)
        return grid

    def _build_actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.search_button = QPushButton(self.tr("Search"), self)
        self.search_button.setObjectName("SearchButton")
        self.search_button.setToolTip(self.tr("Search every source (Enter)"))
        self.search_button.clicked.connect(self.submit)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setToolTip(self.tr("Stop the search (Esc)"))
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.cancel_button.setEnabled(False)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumWidth(120)
        self.progress_bar.hide()
        self.status_label = QLabel(self)
        self.status_label.setObjectName("SearchStatus")
        row.addWidget(self.search_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.progress_bar)
        row.addWidget(self.status_label, 1)
        return row

    def _edit(self, placeholder: str, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        edit.returnPressed.connect(self.submit)
        return edit

    # -- query ----------------------------------------------------------------------------
    def query(self) -> StudyQuery:
        """The form as a StudyQuery; raises QueryError when the core refuses it."""
        return StudyQuery(
            patient_id=self.patient_id_edit.text().strip(),
            issuer=str(self.issuer_combo.currentData() or ""),
            name=self.name_edit.text().strip(),
            birth_date=_date(self.birth_edit.text()),
            sex=str(self.sex_combo.currentData() or ""),
            modality=str(self.modality_combo.currentData() or ""),
            date_from=_date(self.date_from_edit.text()),
            date_to=_date(self.date_to_edit.text()),
            accession_number=self.accession_edit.text().strip(),
        )

    def clear(self) -> None:
        """An empty form, its messages gone: the next user finds no one's search."""
        for edit in (self.name_edit, self.birth_edit, self.date_from_edit, self.date_to_edit):
            edit.clear()
        for edit in (self.accession_edit, self.patient_id_edit):
            edit.clear()
        for combo in (self.sex_combo, self.modality_combo):
            combo.setCurrentIndex(0)
        self.show_status("")
        self.error_label.hide()

    def fill_for(self, patient_id: str, issuer: str) -> None:
        """The form as a launch asks it: this patient of this registry, nothing else."""
        self.clear()
        self.patient_id_edit.setText(patient_id)
        if self.issuer_combo.findData(issuer) < 0:
            self.issuer_combo.addItem(issuer, issuer)  # a registry the site did not list
        self.issuer_combo.setCurrentIndex(self.issuer_combo.findData(issuer))

    def submit(self) -> None:
        try:
            query = self.query()
        except QueryError as err:
            self.show_error(str(err))
            return
        self.error_label.hide()
        self.search_requested.emit(query)

    def focus_search(self) -> None:
        """Ctrl+F: the field in use (the name when only a name is typed), all selected."""
        by_name = bool(self.name_edit.text()) and not self.patient_id_edit.text()
        field = self.name_edit if by_name else self.patient_id_edit
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        field.selectAll()

    # -- state shown while the main window runs the search ----------------------------------
    def set_busy(self, busy: bool) -> None:
        self.cancel_button.setEnabled(busy)
        self.progress_bar.setVisible(busy)
        if busy:
            self.status_label.setText(self.tr("Searching every source…"))

    def show_progress(self, message: str) -> None:
        self.status_label.setText(message)

    def show_status(self, message: str) -> None:
        self.status_label.setText(message)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()


def _date(text: str) -> str:
    """Dates may be typed as 2024-03-22 or 2024.03.22: the core wants 20240322."""
    return "".join(ch for ch in text.strip() if ch not in "-./ ")
