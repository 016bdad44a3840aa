"""The fault matrix: whatever breaks during a fetch or an import, the cache keeps only
whole instances, each the server's byte for byte, the user is told in one clear line,
and running the same command again finishes the job.

- the link cut at 20 seeded random points (a reset or a close), each followed by a check
  of the cache; then a resume, bit-identical;
- ``kill -9`` at 20 seeded random moments of ``cache import`` (the fetch's 20 are in
  test_fetch.py);
- the server restarted in the middle of a transfer;
- storms of 503 and 429 with Retry-After (ridden out), and of 500 without end (said);
- the disk full, on a small tmpfs (said; nothing half-written; the rest fetched later);
- the keyring absent or locked (said, no traceback).
"""

from __future__ import annotations

import contextlib
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.core
import pytest

from tests.integration.test_cache_crash import _check_consistent
from tests.integration.test_fetch import (
    REPO,
    assert_cached_as_originals,
    ct,
    fetch,
    indexed_count,
    originals_of,
    write_config,
)
from tests.support.app_cache import app_store
from tests.support.memory_keyring import LockedKeyring
from tests.support.netproxy import NetProxy
from tests.support.storm_proxy import StormProxy
from viewer.cache.cache_key import cache_key
from viewer.demo import orthanc
from viewer.demo.platform import RunningPlatform

pytestmark = pytest.mark.integration

SEED = 20261207
CUTS = 20
IMPORT_KILLS = 20


def held_bytes(originals: Path, held: set[str]) -> int:
    return sum(p.stat().st_size for p in originals.iterdir() if p.stem in held)


def test_a_link_cut_at_20_random_points_keeps_only_whole_instances_and_resumes_bit_identical(
    platform: RunningPlatform, signed_in, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    study, series = ct(platform)
    originals = originals_of(platform, study, series)
    total_bytes = sum(p.stat().st_size for p in originals.iterdir())
    cache = tmp_path / "cache"
    rng = random.Random(SEED)
    cut_short = 0
    for trial in range(CUTS):
        with app_store(cache) as store:
            held = store.cached_sop_uids(study, series)
        if len(held) == 300:  # a cut past what was left: complete; start again
            shutil.rmtree(cache)
            held = set()
        left = total_bytes - held_bytes(originals, held)
        cut = rng.randint(1000, int(left * 0.95))
        mode = rng.choice(("reset", "close"))
        with NetProxy.for_url(platform.platform_url, cut_after_bytes=cut, cut_mode=mode) as p:
            url = p.url_for(platform.platform_url)
            signed_in(url)
            config = write_config(tmp_path / "cut.toml", cache, url, auth="basic")
            code, _out, err = fetch(config, study, capsys)
        assert code in (0, 4), f"trial {trial} ({mode} after {cut} bytes): {err}"
        assert "Traceback" not in err
        if code == 4:
            cut_short += 1
            assert "run the same command again to resume" in err
        assert_cached_as_originals(cache, originals, study, series)  # whole, the server's
    assert cut_short >= CUTS // 2, "most cuts must land inside the transfer"
    with NetProxy.for_url(platform.platform_url) as clean:
        url = clean.url_for(platform.platform_url)
        signed_in(url)
        config = write_config(tmp_path / "ok.toml", cache, url, auth="basic")
        code, _out, err = fetch(config, study, capsys)
    assert code == 0, err
    assert assert_cached_as_originals(cache, originals, study, series) == 300


def test_kill_9_at_20_random_moments_of_an_import_never_leaves_a_half_entry(
    platform: RunningPlatform, tmp_path: Path
) -> None:
    study, series = ct(platform)
    folder = originals_of(platform, study, series)
    originals = {p.stem: p.read_bytes() for p in folder.iterdir()}
    cache = tmp_path / "cache"
    config = write_config(tmp_path / "c.toml", cache, "http://127.0.0.1:9/dicom-web")
    command = [sys.executable, str(REPO / "main.py"), "--config", str(config)]
    command += ["cache", "import", str(folder)]
    rng = random.Random(SEED)
    landed = []
    for trial in range(IMPORT_KILLS):
        shutil.rmtree(cache, ignore_errors=True)
        # Checked, not hoped for: the kill comes a random moment after a random number of
        # instances were indexed (none: while it starts), the import still running.
        wait_for = rng.choice((0, *range(1, 240)))
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while indexed_count(cache, study, series) < wait_for:
                assert child.poll() is None, f"trial {trial}: the import ended before the kill"
                assert time.monotonic() < deadline, f"trial {trial}: no instance came"
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.01) if wait_for else rng.uniform(0.05, 0.2))
            assert child.poll() is None, f"trial {trial}: the import ended before the kill"
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
        rows, _packed = _check_consistent(cache, originals, cache_key(cache))
        assert rows < 300, f"trial {trial}: all 300 were in before the kill"
        landed.append(rows)
    assert any(0 < n < 300 for n in landed), landed  # kills landed mid-import


def test_a_server_restarted_during_the_transfer_is_said_and_the_rerun_completes(
    platform: RunningPlatform, signed_in, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    study, series = ct(platform)
    originals = originals_of(platform, study, series)
    cache = tmp_path / "cache"
    instance = platform.instances["platform"]
    with NetProxy.for_url(platform.platform_url, bandwidth_bps=15_000_000) as slow:
        url = slow.url_for(platform.platform_url)
        signed_in(url)
        config = write_config(tmp_path / "c.toml", cache, url, auth="basic")
        outcome: list[tuple[int, str, str]] = []
        running = threading.Thread(target=lambda: outcome.append(fetch(config, study, capsys)))
        running.start()
        deadline = time.monotonic() + 60
        while indexed_count(cache, study, series) < 20:
            assert running.is_alive() and time.monotonic() < deadline, "no instance came"
            time.sleep(0.02)
        orthanc.stop(instance)
        orthanc.start(instance)
        running.join(120)
    (code, _out, err) = outcome[0]
    assert code in (0, 4), err
    assert "Traceback" not in err
    assert_cached_as_originals(cache, originals, study, series)
    if code == 4:
        assert "run the same command again to resume" in err
        code, _out, err = fetch(config_direct(platform, tmp_path, cache, signed_in), study, capsys)
        assert code == 0, err
    assert assert_cached_as_originals(cache, originals, study, series) == 300


def config_direct(platform: RunningPlatform, tmp_path: Path, cache: Path, signed_in) -> Path:  # type: ignore[no-untyped-def]
    signed_in(platform.platform_url)
    return write_config(tmp_path / "direct.toml", cache, platform.platform_url, auth="basic")


@pytest.mark.parametrize("status", [503, 429])
def test_a_storm_of_busy_answers_with_retry_after_is_ridden_out(
    platform: RunningPlatform,
    signed_in,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    status: int,
) -> None:  # type: ignore[no-untyped-def]
    """The first requests, and every third after, are refused ``status`` with
    ``Retry-After: 1``: each is tried again after the wait, and the study arrives."""
    study, series = ct(platform)
    cache = tmp_path / "cache"

    def storm(n: int) -> int | None:
        return status if n < 2 or n % 3 == 0 else None

    with StormProxy(platform.platform_url, storm) as proxy:
        url = proxy.url_for(platform.platform_url)
        signed_in(url)
        code, _out, err = fetch(
            write_config(tmp_path / "c.toml", cache, url, auth="basic"), study, capsys
        )
    assert code == 0, err
    assert proxy.refused and set(proxy.refused) == {status}
    originals = originals_of(platform, study, series)
    assert assert_cached_as_originals(cache, originals, study, series) == 300


def test_a_storm_of_server_errors_without_end_is_said_and_leaves_nothing_half(
    platform: RunningPlatform, signed_in, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    study, series = ct(platform)
    cache = tmp_path / "cache"
    with StormProxy(platform.platform_url, lambda n: 500 if n > 0 else None) as proxy:
        url = proxy.url_for(platform.platform_url)
        signed_in(url)
        started = time.monotonic()
        code, _out, err = fetch(
            write_config(tmp_path / "c.toml", cache, url, auth="basic"), study, capsys
        )
    assert code == 4 and "HTTP 500" in err and "Traceback" not in err
    assert time.monotonic() - started < 60
    originals = originals_of(platform, study, series)
    assert assert_cached_as_originals(cache, originals, study, series) == 0


@contextlib.contextmanager
def small_tmpfs(where: Path, size_mb: int) -> Iterator[Path]:
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"a tmpfs cannot be mounted here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.mark.skipif(sys.platform != "linux", reason="tmpfs is Linux's")
def test_a_full_disk_is_said_and_corrupts_nothing(
    platform: RunningPlatform, signed_in, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    study, series = ct(platform)
    originals = originals_of(platform, study, series)
    with small_tmpfs(tmp_path / "small", 40) as disk:
        cache = disk / "cache"
        signed_in(platform.platform_url)
        config = write_config(tmp_path / "c.toml", cache, platform.platform_url, auth="basic")
        code, _out, err = fetch(config, study, capsys)
        assert code != 0 and "disk holding the cache is full" in err, err
        assert "Traceback" not in err
        held = assert_cached_as_originals(cache, originals, study, series)
        assert 0 < held < 300
        with app_store(cache) as store:
            assert store.verify().ok
        half = [p for p in (cache / ".tmp").iterdir() if p.stat().st_size]
        assert half == [], "a half-written temporary file was left"
        shutil.copytree(cache, tmp_path / "moved")  # IT gives it a larger disk
    moved = write_config(
        tmp_path / "m.toml", tmp_path / "moved", platform.platform_url, auth="basic"
    )
    code, _out, err = fetch(moved, study, capsys)
    assert code == 0, err
    assert assert_cached_as_originals(tmp_path / "moved", originals, study, series) == 300


def test_a_locked_keyring_is_said_in_one_line(
    platform: RunningPlatform,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    study, _series = ct(platform)
    # The process's keyring, exactly as it was (even none chosen yet), comes back after.
    monkeypatch.setattr(keyring.core, "_keyring_backend", LockedKeyring())
    config = write_config(
        tmp_path / "c.toml", tmp_path / "cache", platform.platform_url, auth="basic"
    )
    code, _out, err = fetch(config, study, capsys)
    assert code == 3 and "Traceback" not in err
    assert "keyring" in err and len(err.strip().splitlines()) == 1, err


def test_an_absent_keyring_is_said_in_one_line(platform: RunningPlatform, tmp_path: Path) -> None:
    study, _series = ct(platform)
    config = write_config(
        tmp_path / "c.toml", tmp_path / "cache", platform.platform_url, auth="basic"
    )
    done = subprocess.run(
        [sys.executable, str(REPO / "main.py"), "--config", str(config), "fetch", "--study", study],
        capture_output=True,
        text=True,
        env={**_env(), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
        check=False,
    )
    assert done.returncode == 3 and "Traceback" not in done.stderr
    assert "no system keyring is available" in done.stderr


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)
