"""A stalled link (a cable pulled: the connection stays open, nothing more arrives) ends
a fetch with exit 4 within the promised 30 s, counted from the command's start, with the
session's default timeouts; what had fully arrived stays cached, nothing half.

A reset link is quick to notice (the kernel says so); a stalled one only through the
idle read timeout, so this is the case that holds the promise.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.integration.test_fetch import ct, fetch, write_config
from tests.support.app_cache import app_store
from tests.support.netproxy import NetProxy
from viewer.demo.platform import RunningPlatform

pytestmark = pytest.mark.integration

PROMISE_S = 30.0


def test_a_stalled_link_ends_the_fetch_with_exit_4_within_30_s(
    platform: RunningPlatform,
    signed_in,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    study, series = ct(platform)
    cache = tmp_path / "cache"
    # The CT is ~160 MB: the link stalls well inside it, after some instances arrived.
    with NetProxy.for_url(
        platform.platform_url, cut_after_bytes=40_000_000, cut_mode="stall"
    ) as stalling:
        url = stalling.url_for(platform.platform_url)
        signed_in(url)
        config = write_config(tmp_path / "stall.toml", cache, url, auth="basic")
        started = time.monotonic()
        code, _, err = fetch(config, study, capsys)
        elapsed = time.monotonic() - started
        stalls = stalling.counters.cuts
    assert stalls >= 1, "the link never stalled: the test did not test anything"
    assert code == 4, err
    assert elapsed < PROMISE_S, f"a stalled link took {elapsed:.1f} s to notice"
    assert "Traceback" not in err
    with app_store(cache) as store:
        arrived = store.cached_sop_uids(study, series)
        assert store.verify().ok
    assert 0 < len(arrived) < 300
