"""What a fetch reports as it goes and when it ends: per series and for the study, as
data (only the CLI and the window put it into words)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

SeriesStage = Literal["waiting", "fetching", "done", "failed"]


@dataclass(frozen=True)
class SeriesProgress:
    """One series of a fetch: ``waiting`` in the queue, ``fetching``, ``done`` (its part
    ended: complete when ``cached == expected``, else cancelled or the server sent less
    than it listed) or ``failed`` (stopped on an error)."""

    expected: int  # instances the source holds for the series
    cached: int  # of those, in the cache now
    stage: SeriesStage = "waiting"

    @property
    def complete(self) -> bool:
        return self.cached >= self.expected


@dataclass
class FetchProgress:
    instances_done: int = 0
    instances_total: int = 0  # missing at the start of this fetch
    bytes_done: int = 0
    series_done: int = 0
    series_total: int = 0
    # Every series of the fetch by SeriesInstanceUID, those already complete included.
    # The fetcher replaces the dict on each change and never alters one it has handed
    # out, so a reader on another thread may keep the one it read.
    series: dict[str, SeriesProgress] = field(default_factory=dict)
    # Each series listed at the source: its SOPInstanceUIDs in InstanceNumber order (the
    # opened series is listed before its first image comes: a reading view places each
    # slice as it arrives). Replaced, never changed, like ``series``.
    listed: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def snapshot(self) -> FetchProgress:
        """A copy to hand to another thread."""
        return replace(self, series=dict(self.series))


@dataclass(frozen=True)
class FetchReport:
    study_uid: str
    fetched: int  # instances committed by this fetch
    bytes: int
    missing_after: int  # expected instances still not cached

    @property
    def complete(self) -> bool:
        return self.missing_after == 0
