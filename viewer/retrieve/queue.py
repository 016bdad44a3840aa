"""Series waiting to be fetched, the one the doctor looks at first.

A priority queue of series jobs: jobs leave in priority order, and ``bump`` moves a
series to the front (the series just opened in a viewport), so what the doctor waits
for never queues behind a prefetch.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class SeriesJob:
    study_uid: str
    series_uid: str
    # SOPInstanceUIDs listed at the source and not yet cached; None: not listed yet (the
    # fetcher lists them when the job starts, or after the series request: see ``blind``)
    missing: frozenset[str] | None
    expected: int  # how many instances the source holds for the series (0: not known)
    first: tuple[str, ...] = ()  # instances to fetch before the rest (the opened series)
    # Nothing of it is cached and the source gave its count: one series request without
    # its instance list, whose completeness is checked after (by the count that arrived).
    blind: bool = False
    first_image: bool = False  # opened: its first image (by InstanceNumber) before the rest

    @property
    def whole_series(self) -> bool:
        """Nothing of the series is cached yet: one series request brings it all."""
        if self.missing is None:
            return self.blind
        return len(self.missing) >= self.expected > 0


@dataclass(order=True)
class _Entry:
    rank: tuple[int, int]
    job: SeriesJob = field(compare=False)
    live: bool = field(default=True, compare=False)


class FetchQueue:
    """Thread-safe; ``get`` blocks until a job is there or the queue is closed."""

    def __init__(self) -> None:
        self._heap: list[_Entry] = []
        self._entries: dict[str, _Entry] = {}
        self._order = itertools.count()
        self._urgent = itertools.count(-1, -1)  # bumped jobs: newest bump first
        self._cond = threading.Condition()
        self._closed = False

    def put(self, job: SeriesJob) -> None:
        with self._cond:
            self._push(job, (0, next(self._order)))

    def bump(self, series_uid: str, first: tuple[str, ...] = ()) -> bool:
        """Move a waiting series to the front, its first image (``first``, or the first
        of its list once listed) before the rest; False when it is not waiting."""
        with self._cond:
            entry = self._entries.get(series_uid)
            if entry is None:
                return False
            entry.live = False
            job = replace(entry.job, first=first or entry.job.first, first_image=True)
            self._push(job, (next(self._urgent), 0))
            return True

    def get(self, timeout: float | None = None) -> SeriesJob | None:
        """The next job; None when closed (or after ``timeout`` seconds with none)."""
        with self._cond:
            while True:
                while self._heap and not self._heap[0].live:
                    heapq.heappop(self._heap)
                if self._heap:
                    entry = heapq.heappop(self._heap)
                    del self._entries[entry.job.series_uid]
                    return entry.job
                if self._closed or not self._cond.wait(timeout):
                    return None

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def __len__(self) -> int:
        with self._cond:
            return len(self._entries)

    def _push(self, job: SeriesJob, rank: tuple[int, int]) -> None:
        entry = _Entry(rank, job)
        self._entries[job.series_uid] = entry
        heapq.heappush(self._heap, entry)
        self._cond.notify()
