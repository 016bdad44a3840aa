"""A study's series for its card: from a source, else the cache; one badge per series."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from pydicom.uid import generate_uid

from tests.unit.test_cache_store import Study, commit
from viewer.cache.store import CacheStore
from viewer.dicomweb.client import SearchResult
from viewer.errors import NetworkError
from viewer.history.series import list_series
from viewer.records import SERIES_INCLUDE_FIELDS, SeriesEntry, series_from_json
from viewer.retrieve.fetch import SeriesProgress
from viewer.session.badges import SeriesBadge, badge_of
from viewer.sources.dicomweb import DicomwebSource


def series_json(
    uid: str, modality: str = "CT", number: int | None = 2, description: str = "", count: Any = 3
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "0020000E": {"vr": "UI", "Value": [uid]},
        "00080060": {"vr": "CS", "Value": [modality]},
    }
    if number is not None:
        item["00200011"] = {"vr": "IS", "Value": [number]}
    if description:
        item["0008103E"] = {"vr": "LO", "Value": [description]}
    if count is not None:
        item["00201209"] = {"vr": "IS", "Value": [count]}
    return item


def Searcher(name: str, items: list[dict[str, Any]] | Exception) -> Any:  # noqa: N802
    """A DICOMweb source whose client answers series searches with ``items``."""
    source = DicomwebSource(name, "", SeriesClient(name, items))  # type: ignore[arg-type]
    source.asked = source._client.asked  # type: ignore[attr-defined]
    return source


class SeriesClient:
    def __init__(self, name: str, items: list[dict[str, Any]] | Exception) -> None:
        self.name = name
        self.items = items
        self.asked: list[tuple[str, tuple[str, ...]]] = []

    def search_series(self, study_uid: str, include_fields: Sequence[str] = ()) -> SearchResult:
        self.asked.append((study_uid, tuple(include_fields)))
        if isinstance(self.items, Exception):
            raise self.items
        return SearchResult(self.items, capped=False)


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    s = CacheStore(tmp_path / "cache", max_size=10**9)
    yield s
    s.close()


class TestFromJson:
    def test_reads_number_description_and_count(self) -> None:
        [entry] = series_from_json([series_json("1.2.3", "mr", 5, "t2_tse_tra", 24)])
        assert entry == SeriesEntry("1.2.3", "MR", 5, "t2_tse_tra", 24, 0)

    def test_missing_values_are_unknown_and_bad_uids_left_out(self) -> None:
        entries = series_from_json(
            [series_json("1.2.3", number=None, count=None), series_json("not a uid")]
        )
        assert entries == [SeriesEntry("1.2.3", "CT", None, "", None, 0)]


class TestListing:
    def test_a_source_lists_the_series_with_the_caches_counts(self, store: CacheStore) -> None:
        study = Study()
        commit(store, study.instance(number=1)[1])
        store.set_expected(study.uid, study.series, [generate_uid() for _ in range(2)])
        other = generate_uid()
        source = Searcher(
            "provincial",
            [series_json(other, "CT", 3, "lung", 5), series_json(study.series, "CT", 2, "", 3)],
        )
        listing = list_series(study.uid, store, [source])
        assert source.asked == [(study.uid, SERIES_INCLUDE_FIELDS)]
        assert listing.listed_by == "provincial" and not listing.offline
        assert [(e.series_uid, e.number, e.cached, e.expected) for e in listing.series] == [
            (study.series, 2, 1, 3),  # by SeriesNumber
            (other, 3, 0, 5),
        ]

    def test_a_failing_source_is_named_and_the_next_one_asked(self, store: CacheStore) -> None:
        down = Searcher("gulou", NetworkError("gulou: cannot be reached"))
        up = Searcher("provincial", [series_json("1.2.3")])
        listing = list_series("1.2", store, [down, up])
        assert listing.listed_by == "provincial"
        assert listing.problems == ("gulou: cannot be reached",)

    def test_offline_the_cache_lists_what_it_holds_and_counts_the_rest(
        self, store: CacheStore
    ) -> None:
        study = Study()
        for number in (1, 2):
            commit(store, study.instance(number=number)[1])
        # The source had said: two more instances here, and a series of 4 not cached at all.
        store.set_expected(study.uid, study.series, [generate_uid(), generate_uid()])
        store.set_expected(study.uid, generate_uid(), [generate_uid() for _ in range(4)])
        down = Searcher("provincial", NetworkError("provincial: cannot be reached"))
        listing = list_series(study.uid, store, [down])
        assert listing.offline
        assert listing.problems == ("provincial: cannot be reached",)
        [entry] = listing.series
        assert (entry.series_uid, entry.modality, entry.cached, entry.expected) == (
            study.series,
            "CT",
            2,
            4,
        )
        assert listing.unlisted_missing == 4

    def test_a_series_only_the_cache_holds_is_listed_too(self, store: CacheStore) -> None:
        study = Study()
        commit(store, study.instance()[1])
        listing = list_series(study.uid, store, [Searcher("provincial", [])])
        assert [e.series_uid for e in listing.series] == [study.series]

    def test_without_cache_or_source_the_list_is_empty(self) -> None:
        listing = list_series("1.2", None, [])
        assert listing.series == () and listing.offline


class TestBadge:
    def test_from_counts(self) -> None:
        assert badge_of(0, 10) == SeriesBadge("none", 0, 10)
        assert badge_of(4, 10) == SeriesBadge("partial", 4, 10)
        assert badge_of(10, 10) == SeriesBadge("cached", 10, 10)
        assert badge_of(3, None) == SeriesBadge("cached", 3, None)  # all that is known
        assert badge_of(0, None) == SeriesBadge("none", 0, None)

    def test_a_running_fetch_says_downloading_or_waiting(self) -> None:
        assert badge_of(0, 10, SeriesProgress(10, 4, "fetching")).kind == "downloading"
        assert badge_of(0, 10, SeriesProgress(10, 4, "fetching")).cached == 4
        assert badge_of(0, 10, SeriesProgress(10, 0, "waiting")).kind == "waiting"
        assert badge_of(0, 10, SeriesProgress(10, 10, "fetching")).kind == "cached"
        assert badge_of(0, 10, SeriesProgress(10, 10, "done")).kind == "cached"
        assert badge_of(0, 10, SeriesProgress(10, 6, "done")).kind == "partial"  # cancelled

    def test_failed_until_it_is_complete(self) -> None:
        assert badge_of(0, 10, SeriesProgress(10, 6, "failed")) == SeriesBadge("failed", 6, 10)
        assert badge_of(6, 10, failed=True) == SeriesBadge("failed", 6, 10)
        assert badge_of(10, 10, failed=True).kind == "cached"
