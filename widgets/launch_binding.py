"""A launch from the HIS shown in the window: brought forward, the patient's history
searched as a doctor's search is (the signed-in sources, sign-in asked where needed),
and a study the launch names unfolded and scrolled to — and opened in the reading view
when the offline cache holds a series of it whole. Nothing is fetched or written: a
study not cached is a click away in the history."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from viewer.launch import LaunchRequest

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from widgets.main_window import MainWindow
    from widgets.study_card import StudyCard


def show_launch(window: MainWindow, request: LaunchRequest | None) -> None:
    """Bring ``window`` forward and show what ``request`` asks (None: only forward)."""
    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
    if request is None:
        return
    if window.reading_view is not None:
        window.back_to_history()  # the doctor's images stay open (F2 goes back)
    view = window.history_view

    def found() -> None:
        view.shown.disconnect(found)
        card = named_card(window, request) if request.study_uid or request.accession else None
        if card is not None:
            card.set_series_expanded(True)
            view.ensureWidgetVisible(card)
            # Cached whole: read at once, from the cache (nothing fetched, nothing asked).
            window.studies.read_cached_study(card.study.study_uid, quiet=True)
        # Counts only: no patient data in the log. What IT reads to see a launch arrive.
        log.info("a launch showed %d studies", len(view.cards()))

    view.shown.connect(found)
    window.search_panel.fill_for(request.patient_id, request.issuer)
    window.search_panel.submit()


def named_card(window: MainWindow, request: LaunchRequest) -> StudyCard | None:
    """The card of the study the launch names (by UID, else by accession number)."""
    for card in window.history_view.cards():
        record = card.study.record
        if request.study_uid and record.study_uid == request.study_uid:
            return card
        if not request.study_uid and request.accession == record.accession_number:
            return card
    return None
