"""The fetch queue: the series the doctor opens jumps ahead of everything waiting."""

from __future__ import annotations

import threading

from viewer.retrieve.queue import FetchQueue, SeriesJob


def job(series: str, missing: int = 3, expected: int = 3) -> SeriesJob:
    return SeriesJob("1.2", series, frozenset(f"{series}.{i}" for i in range(missing)), expected)


def drain(queue: FetchQueue) -> list[str]:
    queue.close()
    out = []
    while (next_job := queue.get()) is not None:
        out.append(next_job.series_uid)
    return out


def test_jobs_leave_in_the_order_they_came() -> None:
    queue = FetchQueue()
    for series in ("1", "2", "3"):
        queue.put(job(series))
    assert drain(queue) == ["1", "2", "3"]


def test_opened_series_jumps_ahead_and_the_latest_opened_goes_first() -> None:
    queue = FetchQueue()
    for series in ("1", "2", "3", "4"):
        queue.put(job(series))
    assert queue.bump("3")
    assert queue.bump("4")
    assert drain(queue) == ["4", "3", "1", "2"]


def test_bump_can_ask_for_first_images_before_the_rest() -> None:
    queue = FetchQueue()
    queue.put(job("1"))
    queue.bump("1", first=("1.0",))
    assert queue.get(timeout=0).first == ("1.0",)  # type: ignore[union-attr]


def test_bumping_a_series_not_waiting_says_so() -> None:
    assert not FetchQueue().bump("9")


def test_a_waiting_worker_wakes_when_a_job_arrives() -> None:
    queue = FetchQueue()
    got: list[str] = []
    worker = threading.Thread(target=lambda: got.append(queue.get(timeout=5).series_uid))  # type: ignore[union-attr]
    worker.start()
    queue.put(job("7"))
    worker.join(timeout=5)
    assert got == ["7"]


def test_whole_series_only_when_nothing_is_cached() -> None:
    assert job("1", missing=3, expected=3).whole_series
    assert not job("1", missing=2, expected=3).whole_series


def test_a_series_not_listed_yet_is_whole_only_when_blind() -> None:
    # Nothing cached and its count known: one request, completeness checked after.
    assert SeriesJob("1.2", "1", None, 3, blind=True).whole_series
    assert not SeriesJob("1.2", "1", None, 3).whole_series  # listed first


def test_bumping_asks_for_the_first_image_even_before_the_series_is_listed() -> None:
    queue = FetchQueue()
    queue.put(SeriesJob("1.2", "1", None, 3, blind=True))
    assert queue.bump("1")
    bumped = queue.get(timeout=0)
    assert bumped is not None and bumped.first_image and bumped.first == ()
