"""Recent similar exams: the same kind of exam repeated within a few weeks, anywhere.

A repeat is likely avoidable when the earlier images could have been used: the doctor
should see the earlier study before ordering or reading the new one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

from viewer.records import StudyRecord

DEFAULT_WINDOW_DAYS = 30
# Modalities that hold no acquired images: documents, reports, presentation states.
NON_IMAGING = frozenset({"SR", "PR", "KO", "DOC", "REG", "SEG", "OT", "RWV", "AU"})
_WORD_RE = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")


def anatomy_key(study: StudyRecord) -> str:
    """BodyPartExamined when known, else the description reduced to letters and words."""
    if study.body_part:
        return study.body_part.strip().upper()
    words = _WORD_RE.sub(" ", study.description.lower()).split()
    return " ".join(sorted(set(words)))


def _study_date(study: StudyRecord) -> date | None:
    try:
        return date(
            int(study.study_date[:4]), int(study.study_date[4:6]), int(study.study_date[6:8])
        )
    except (ValueError, IndexError):
        return None


def recent_similar(
    studies: Iterable[StudyRecord], window_days: int = DEFAULT_WINDOW_DAYS
) -> Mapping[str, frozenset[str]]:
    """StudyInstanceUID → UIDs of the studies it is a recent similar exam of (both ways).

    Similar: one imaging modality in common and the same anatomy; recent: study dates at
    most ``window_days`` apart. Studies without a date or anatomy are never flagged.
    """
    keyed = []
    for study in studies:
        when = _study_date(study)
        anatomy = anatomy_key(study)
        modalities = set(study.modalities) - NON_IMAGING
        if when and anatomy and modalities:
            keyed.append((study.study_uid, when, anatomy, modalities))
    flags: dict[str, set[str]] = {}
    for i, (uid_a, when_a, anatomy_a, mods_a) in enumerate(keyed):
        for uid_b, when_b, anatomy_b, mods_b in keyed[i + 1 :]:
            if uid_a == uid_b or anatomy_a != anatomy_b or not (mods_a & mods_b):
                continue
            if abs((when_a - when_b).days) <= window_days:
                flags.setdefault(uid_a, set()).add(uid_b)
                flags.setdefault(uid_b, set()).add(uid_a)
    return {uid: frozenset(others) for uid, others in flags.items()}
