"""A launch from the HIS shown in the window: brought forward, the patient's history
searched as a doctor's search is (the signed-in sources, sign-in asked where needed),
and a study the launch names unfolded and scrolled to — and opened in the reading view
when the offline cache holds a series of it whole. Nothing is fetched or written: a
study not cached is a click away in the history.

One launch is pending at a time, and only for its own search: a newer launch, or a
search the doctor starts, replaces it, and a history of another query (a search that
failed or was cancelled, then another patient's) is never taken for its answer — a
launch must never open another patient's study.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from viewer.dicomweb.qido import StudyQuery
from viewer.launch import LaunchRequest

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from widgets.main_window import MainWindow
    from widgets.study_card import StudyCard

_PENDING = "_launch_pending"  # the window's one pending launch (its shown-handler)


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
    _drop_pending(window)
    query = StudyQuery(patient_id=request.patient_id, issuer=request.issuer)

    def found() -> None:
        _drop_pending(window)
        if window.session.query != query:
            return  # the history shown answers another search: not this launch's
        card = named_card(window, request)
        if card is not None:
            card.set_series_expanded(True)
            view.ensureWidgetVisible(card)
            # Cached whole: read at once, from the cache (nothing fetched, nothing asked).
            window.studies.read_cached_study(card.study.study_uid, quiet=True)
        # Counts only: no patient data in the log. What IT reads to see a launch arrive.
        log.info("a launch showed %d studies", len(view.cards()))

    setattr(window, _PENDING, found)
    view.shown.connect(found)
    window.search_panel.fill_for(request.patient_id, request.issuer)
    window.search_panel.submit()


def _drop_pending(window: MainWindow) -> None:
    pending = getattr(window, _PENDING, None)
    if pending is not None:
        window.history_view.shown.disconnect(pending)
        setattr(window, _PENDING, None)


def named_card(window: MainWindow, request: LaunchRequest) -> StudyCard | None:
    """The card of the study the launch names: by its UID; else by its accession number
    when exactly one study of the history shown has it (accession numbers are unique
    only within a hospital, and a history holds several)."""
    cards = window.history_view.cards()
    if request.study_uid:
        return next((c for c in cards if c.study.study_uid == request.study_uid), None)
    if not request.accession:
        return None
    matching = [c for c in cards if c.study.record.accession_number == request.accession]
    return matching[0] if len(matching) == 1 else None
