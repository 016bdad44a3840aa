"""What a series' badge says: its cache state, from the counts and a running fetch.

:func:`badge_of` turns counts, and a running fetch's
:class:`~viewer.retrieve.progress.SeriesProgress`, into the one state a badge shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from viewer.retrieve.progress import SeriesProgress

BadgeKind = Literal["cached", "partial", "downloading", "waiting", "none", "failed"]


@dataclass(frozen=True)
class SeriesBadge:
    """What a series' badge says: its state, and ``cached`` of ``expected`` instances
    (None: not known)."""

    kind: BadgeKind
    cached: int
    expected: int | None


def badge_of(
    cached: int,
    expected: int | None,
    progress: SeriesProgress | None = None,
    *,
    failed: bool = False,
) -> SeriesBadge:
    """The badge of a series: from a running fetch's ``progress`` when there is one
    (``waiting`` in its queue, ``downloading``), else from the counts: ``cached`` when
    every instance known is there, ``failed`` when the last download of it stopped on an
    error before that, ``partial`` when some are, ``none`` when none is."""
    if progress is not None:
        cached, expected = progress.cached, progress.expected
        if not progress.complete and progress.stage in ("waiting", "fetching"):
            kind: BadgeKind = "downloading" if progress.stage == "fetching" else "waiting"
            return SeriesBadge(kind, cached, expected)
        failed = failed or progress.stage == "failed"
    if cached > 0 and (expected is None or cached >= expected):
        return SeriesBadge("cached", cached, expected)
    if failed:
        return SeriesBadge("failed", cached, expected)
    return SeriesBadge("partial" if cached else "none", cached, expected)
