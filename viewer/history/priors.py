"""Which earlier study to compare with, and which of its series to put beside the one read.

A radiologist reading a CT of the chest compares it with the patient's last CT of the
chest, wherever it was made: the nearest earlier study with an imaging modality in
common and the same anatomy (:func:`viewer.history.similar.anatomy_key`: BodyPartExamined,
else the description's words). Studies of one patient only: the history's own studies,
linked by identifiers, never by name. Within that study the series most like the one on
screen: the same modality, then the description sharing the most words (a "5mm axial"
beside a "5mm axial", not the scout), then the nearest number of images.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from viewer.history.result import HistoryStudy, PatientHistory
from viewer.history.similar import NON_IMAGING, anatomy_key
from viewer.records import SeriesEntry

_WORDS = re.compile(r"[0-9a-z\u4e00-\u9fff.]+")


def prior_study(history: PatientHistory, study_uid: str) -> HistoryStudy | None:
    """The nearest study before ``study_uid``'s date with a modality in common and the
    same anatomy, from any source; None when the history holds none (or the study, its
    date or its anatomy is unknown: no guess is made)."""
    current = next((s for s in history.studies if s.study_uid == study_uid), None)
    if current is None:
        return None
    when, anatomy = current.record.study_date[:8], anatomy_key(current.record)
    modalities = set(current.record.modalities) - NON_IMAGING
    if len(when) != 8 or not when.isdigit() or not anatomy or not modalities:
        return None
    earlier = [
        s
        for s in history.studies
        if s.study_uid != study_uid
        and s.record.study_date[:8].isdigit()
        and len(s.record.study_date) >= 8
        and s.record.study_date[:8] < when
        and anatomy_key(s.record) == anatomy
        and modalities & set(s.record.modalities)
    ]
    # Newest first; within one day, the later time (an empty time sorts first).
    earlier.sort(key=lambda s: (s.record.study_date[:8], s.record.study_time), reverse=True)
    return earlier[0] if earlier else None


def _words(text: str) -> set[str]:
    return set(_WORDS.findall(text.lower()))


def matching_series(
    modality: str, description: str, images: int, candidates: Sequence[SeriesEntry]
) -> SeriesEntry | None:
    """The candidate most like a series of ``modality`` described as ``description``
    with ``images`` images; None when no candidate has that modality."""
    wanted = _words(description)
    same = [c for c in candidates if c.modality.upper() == modality.upper()]
    if not same:
        return None

    def likeness(entry: SeriesEntry) -> tuple[float, float]:
        words = _words(entry.description)
        shared = len(wanted & words) / len(wanted | words) if wanted | words else 0.0
        count = entry.expected or entry.cached
        nearness = -abs(count - images) / max(count, images, 1)
        return shared, nearness

    return max(same, key=likeness)  # max keeps the first of equals: the listing's order
