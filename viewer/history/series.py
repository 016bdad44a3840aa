"""A study's series as a study card lists them: what each holds and how much is cached.

The list comes from a source that holds the study (its ``list_series``: for a platform a
QIDO-RS series search, PS3.18 §10.6.1, with the instance counts), the cached counts from
the offline cache. With no source reachable it comes from the cache alone: series the
cache holds nothing of are then unknown by name, and only the number of their instances
known to be missing is told (``unlisted_missing``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from viewer.cache.models import CachedStudy
from viewer.errors import QingyingError
from viewer.records import SeriesEntry
from viewer.sources.protocol import ImagingSource


@dataclass(frozen=True)
class SeriesListing:
    study_uid: str
    series: tuple[SeriesEntry, ...]
    listed_by: str  # the source that listed them; "" when the cache alone could
    problems: tuple[str, ...] = ()  # why sources asked first could not list them
    unlisted_missing: int = 0  # instances known missing in series the list cannot name

    @property
    def offline(self) -> bool:
        return not self.listed_by


class SeriesCache(Protocol):
    def study(self, study_uid: str) -> CachedStudy | None: ...

    def missing_instances(self, study_uid: str, series_uid: str | None = None) -> set[str]: ...


def cache_counts(store: SeriesCache, study_uid: str) -> dict[str, tuple[int, int]]:
    """Series the cache holds something of → (cached, known to exist) instances."""
    study = store.study(study_uid)
    return {} if study is None else _counts(store, study)


def cached_series(store: SeriesCache, study_uid: str) -> list[SeriesEntry]:
    """What the cache alone can tell of a study's series (those it holds something of)."""
    study = store.study(study_uid)
    return [] if study is None else _entries(study, _counts(store, study))


def _counts(store: SeriesCache, study: CachedStudy) -> dict[str, tuple[int, int]]:
    counts = {}
    for series in study.series:
        missing = len(store.missing_instances(study.study_uid, series.series_uid))
        counts[series.series_uid] = (series.instance_count, series.instance_count + missing)
    return counts


def _entries(study: CachedStudy, counts: dict[str, tuple[int, int]]) -> list[SeriesEntry]:
    return [
        SeriesEntry(
            s.series_uid,
            s.modality,
            s.series_number,
            s.description,
            counts[s.series_uid][1],
            s.instance_count,
        )
        for s in study.series
    ]


def with_cache_counts(
    entries: Iterable[SeriesEntry], counts: dict[str, tuple[int, int]]
) -> list[SeriesEntry]:
    """Entries with the cache's counts; an unknown instance count becomes the cache's."""
    merged = []
    for entry in entries:
        cached, known = counts.get(entry.series_uid, (0, 0))
        expected = entry.expected if entry.expected is not None else (known or None)
        merged.append(replace(entry, cached=cached, expected=expected))
    return merged


def list_series(
    study_uid: str, store: SeriesCache | None, sources: Sequence[ImagingSource]
) -> SeriesListing:
    """The study's series from the first of ``sources`` that answers, with the cache's
    counts; from the cache alone when none does (or none is given)."""
    study = store.study(study_uid) if store is not None else None
    counts = _counts(store, study) if store is not None and study is not None else {}
    in_cache = _entries(study, counts) if study is not None else []
    problems: list[str] = []
    for source in sources:
        try:
            found = source.list_series(study_uid)
        except QingyingError as err:
            problems.append(str(err))
            continue
        listed = {e.series_uid for e in found}
        entries = with_cache_counts(found, counts) + [
            e for e in in_cache if e.series_uid not in listed
        ]
        return SeriesListing(study_uid, _ordered(entries), source.name, tuple(problems))
    entries = in_cache
    unlisted = 0
    if store is not None:
        missing_listed = sum(known - cached for cached, known in counts.values())
        unlisted = max(0, len(store.missing_instances(study_uid)) - missing_listed)
    return SeriesListing(study_uid, _ordered(entries), "", tuple(problems), unlisted)


def _ordered(entries: Iterable[SeriesEntry]) -> tuple[SeriesEntry, ...]:
    """By SeriesNumber (series without one last), then UID: the order of acquisition."""
    return tuple(sorted(entries, key=lambda e: (e.number is None, e.number or 0, e.series_uid)))


# Series no doctor opens a study to read first: dose reports, key-object and
# presentation-state series, reports (PS3.3 C.7.3.1.1.1 modalities).
NOT_IMAGES = frozenset({"SR", "KO", "PR", "DOC", "REG", "SEG", "RWV", "PLAN"})


def whole(entry: SeriesEntry) -> bool:
    """The cache holds every instance known of the series (all it has, when no count is
    known): the same rule as a tile's "cached" badge."""
    return entry.cached > 0 and (entry.expected is None or entry.cached >= entry.expected)


def first_to_read(listing: SeriesListing) -> str | None:
    """The series a study opens on: the first image series in acquisition order that the
    cache holds whole, else the first image series (fetched first); None without one."""
    images = [e for e in listing.series if e.modality.upper() not in NOT_IMAGES]
    chosen = [e for e in images if whole(e)] or images
    return chosen[0].series_uid if chosen else None
