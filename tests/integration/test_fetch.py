"""`fetch` against the real demo platform: bit-identical, resumable, crash-safe, offline."""

from __future__ import annotations

import io
import os
import random
import re
import signal
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pydicom
import pytest
from PIL import Image

from tests.support.app_cache import app_store, index_connection
from tests.support.netproxy import CutMode, NetProxy
from viewer.cache.index_db import sql
from viewer.cache.layout import INDEX_NAME
from viewer.cli import run
from viewer.demo.orthanc import find_free_port
from viewer.demo.platform import RunningPlatform
from viewer.imaging.volume import load_volume
from viewer.instance_file import read_instance_bytes

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]


def write_config(path: Path, cache: Path, url: str, *, auth: str = "none") -> Path:
    path.write_text(
        f'[cache]\ndir = "{cache}"\nmax_size = "5 GB"\n'
        f'[[sources]]\nname = "provincial"\nurl = "{url}"\nauth = "{auth}"\n'
        'username = "doctor"\nissuer = "JS-EMPI"\n',
        encoding="utf-8",
    )
    return path


def ct(platform: RunningPlatform) -> tuple[str, str]:
    markers = platform.manifest.ct_markers
    assert markers is not None
    return markers.study_instance_uid, markers.series_instance_uid


def fetch(config: Path, study: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = run(["--config", str(config), "fetch", "--study", study])
    out, err = capsys.readouterr()
    return code, out, err


def originals_of(platform: RunningPlatform, study: str, series: str) -> Path:
    """The folder of the generated files the platform was seeded with, one per SOP UID."""
    return platform.data_dir / "platform" / study / series


def assert_cached_as_originals(cache: Path, originals: Path, study: str, series: str) -> int:
    """Every instance the cache holds of the series is byte for byte the file the server
    was given, under the SOP UID it is indexed as; how many there are. (A checksum the
    cache took of what it received only shows that it kept what it got, not that what
    it got was whole.)"""
    with app_store(cache) as store:
        indexed = store.cached_sop_uids(study, series)
        items = store.instance_files(study, series)
        held = [read_instance_bytes(item) for item in items]
    assert len(held) == len(indexed)
    seen = set()
    for data in held:
        sop = pydicom.dcmread(io.BytesIO(data), stop_before_pixels=True).SOPInstanceUID
        original = (originals / f"{sop}.dcm").read_bytes()
        size, whole = len(data), len(original)
        assert size == whole, f"{sop}: {size} bytes cached of {whole}"
        assert data == original, f"{sop}: the cached bytes differ from the original"
        seen.add(sop)
    assert seen == indexed
    return len(seen)


def test_300_slice_series_arrives_bit_identical(
    platform: RunningPlatform,
    signed_in,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    signed_in(platform.platform_url)
    config = write_config(
        tmp_path / "c.toml", tmp_path / "cache", platform.platform_url, auth="basic"
    )
    study, series = ct(platform)
    code, out, err = fetch(config, study, capsys)
    assert code == 0, err
    assert "complete (300 instances" in out
    assert (
        assert_cached_as_originals(
            tmp_path / "cache", originals_of(platform, study, series), study, series
        )
        == 300
    )


# A reset (RST) may lose what the client had not read yet, so where the answer stops
# varies; a close (FIN) stops it exactly there, inside an instance: a part cut short for
# certain (half-way into the 115th instance), which must be dropped, not committed.
@pytest.mark.parametrize("cut_mode", ["reset", "close"])
def test_cut_link_exits_4_quickly_and_the_next_fetch_asks_only_for_what_is_missing(
    platform: RunningPlatform,
    signed_in,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
    cut_mode: CutMode,
) -> None:
    study, series = ct(platform)
    cache = tmp_path / "cache"
    with NetProxy.for_url(
        platform.platform_url, cut_after_bytes=60_250_000, cut_mode=cut_mode
    ) as cutting:
        url = cutting.url_for(platform.platform_url)
        signed_in(url)
        config = write_config(tmp_path / "cut.toml", cache, url, auth="basic")
        started = time.monotonic()
        code, _, err = fetch(config, study, capsys)
        elapsed = time.monotonic() - started
    assert code == 4, err
    assert elapsed < 30
    assert "run the same command again to resume" in err and "Traceback" not in err
    with app_store(cache) as store:
        arrived = store.cached_sop_uids(study, series)
        # The series was asked for whole at once, before its instance list: the cut left
        # the study partial by the count the series list gave.
        assert store.study_state(study) == "partial"
    assert 0 < len(arrived) < 300
    originals = originals_of(platform, study, series)
    missing = {p.stem for p in originals.iterdir()} - arrived
    # What the cut left is whole: the instance in flight was dropped, not kept short.
    assert assert_cached_as_originals(cache, originals, study, series) == len(arrived)

    with NetProxy.for_url(platform.platform_url) as clean:
        url = clean.url_for(platform.platform_url)
        signed_in(url)
        config = write_config(tmp_path / "ok.toml", cache, url, auth="basic")
        code, out, err = fetch(config, study, capsys)
        resent = clean.counters.to_client
    assert code == 0, err
    assert f"complete ({len(missing)} instances" in out
    sizes = {p.stem: p.stat().st_size for p in originals.iterdir()}
    needed = sum(sizes[s] for s in missing)
    # Only the missing instances came again (plus HTTP and multipart overhead).
    assert resent < needed * 1.05 + 2_000_000
    # And after the resume every one of the 300 is the server's, byte for byte.
    assert assert_cached_as_originals(cache, originals, study, series) == 300


KILL_TRIALS = 20  # issue 18: twenty kill -9 points
# Slow enough that a kill lands inside the transfer: an uncompressed instance (~0.5 MB)
# takes ~0.25 s, and a per-instance answer (Orthanc gzips those, ~30 KB) ~15 ms.
KILL_BANDWIDTH = 2_000_000  # bytes/s


def test_kill_9_during_the_transfer_never_leaves_a_half_entry(
    platform: RunningPlatform, tmp_path: Path
) -> None:
    """Each kill lands while the study is arriving (checked, not hoped for): the link is
    throttled so that the transfer lasts, and the kill comes a seeded random moment after
    a seeded random number of new instances were committed, so the fetch has begun and
    has not ended. The cache then holds only whole instances, each byte for byte the
    server's."""
    if not os.environ.get("QINGYING_REAL_KEYRING"):
        pytest.skip("the fetch subprocess needs a real keyring: run through scripts/run-tests.sh")
    study, series = ct(platform)
    originals = originals_of(platform, study, series)
    total = len(list(originals.iterdir()))
    cache = tmp_path / "cache"
    rng = random.Random(20261127)
    landed: list[tuple[int, int]] = []  # per trial: instances held before, after the kill
    with NetProxy.for_url(platform.platform_url, bandwidth_bps=KILL_BANDWIDTH) as proxy:
        url = proxy.url_for(platform.platform_url)
        config = write_config(tmp_path / "c.toml", cache, url, auth="basic")
        main = [sys.executable, str(REPO / "main.py"), "--config", str(config)]
        login = subprocess.run(
            [*main, "login", "--source", "provincial", "--password-stdin"],
            input=platform.auth("platform")[1] + "\n", capture_output=True, text=True,
            check=False,
        )  # fmt: skip
        assert login.returncode == 0, login.stderr
        for trial in range(KILL_TRIALS):
            before = cached_sops(cache, study, series)
            wait_for = len(before) + rng.randint(1, 12)
            child = subprocess.Popen([*main, "fetch", "--study", study], stderr=subprocess.DEVNULL)
            try:
                wait_for_instances(cache, study, series, wait_for, child, trial)
                time.sleep(rng.uniform(0.0, 0.1))  # anywhere in the part that follows
                assert child.poll() is None, f"trial {trial}: the fetch ended before the kill"
            finally:
                child.send_signal(signal.SIGKILL)
                child.wait()
            after = check_cache_after_kill(cache, originals, study, series)
            # Landed mid-transfer: this fetch had committed some instances, not all.
            assert before < after and len(after) < total, f"trial {trial}: {len(after)}"
            landed.append((len(before), len(after)))
        finish = subprocess.run(
            [*main, "fetch", "--study", study], capture_output=True, text=True, check=False
        )
    assert finish.returncode == 0, finish.stderr
    assert assert_cached_as_originals(cache, originals, study, series) == total, landed
    print(f"instances held before and after each kill: {landed}")


def wait_for_instances(
    cache: Path, study: str, series: str, count: int, child: subprocess.Popen[bytes], trial: int
) -> None:
    """Until the running fetch has committed ``count`` instances of the series (read from
    the index, read-only, as another process would)."""
    deadline = time.monotonic() + 60
    while indexed_count(cache, study, series) < count:
        assert child.poll() is None, f"trial {trial}: the fetch ended before the kill"
        assert time.monotonic() < deadline, f"trial {trial}: the instances never came"
        time.sleep(0.01)


def indexed_count(cache: Path, study: str, series: str) -> int:
    index = cache / INDEX_NAME
    if not index.exists():
        return 0
    with closing(index_connection(cache)) as conn:
        try:
            row = conn.execute(
                "SELECT COUNT(*) FROM instance WHERE study_uid = ? AND series_uid = ?",
                (study, series),
            ).fetchone()
        except sql.OperationalError:  # the schema is being made
            return 0
    return int(row[0])


def cached_sops(cache: Path, study: str, series: str) -> set[str]:
    if not cache.exists():
        return set()
    with app_store(cache) as store:
        return store.cached_sop_uids(study, series)


def check_cache_after_kill(cache: Path, originals: Path, study: str, series: str) -> set[str]:
    """No half entry, nothing stray, every instance the server's; the SOP UIDs held."""
    with app_store(cache) as store:
        assert store.verify().ok
        held = store.cached_sop_uids(study, series)
    assert_cached_as_originals(cache, originals, study, series)
    visible = (
        [p for p in (cache / study).rglob("*") if p.is_file()] if (cache / study).exists() else []
    )
    allowed = re.compile(r"[0-9.]+/[0-9.]+\.dcm|packs/[0-9]+-[0-9a-f]+\.pack")
    assert all(allowed.fullmatch("/".join(p.relative_to(cache / study).parts)) for p in visible)
    return held


def test_with_every_source_down_the_history_comes_from_the_cache(
    platform: RunningPlatform,
    signed_in,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    signed_in(platform.platform_url)
    cache = tmp_path / "cache"
    study, series = ct(platform)
    online = write_config(tmp_path / "on.toml", cache, platform.platform_url, auth="basic")
    assert fetch(online, study, capsys)[0] == 0
    dead = f"http://127.0.0.1:{find_free_port()}/dicom-web"
    signed_in(dead)
    offline = write_config(tmp_path / "off.toml", cache, dead, auth="basic")
    p1 = platform.manifest.patient("p1")
    code = run(
        [
            "--config",
            str(offline),
            "search",
            "--patient-id",
            p1.platform_id,
            "--issuer",
            "JS-EMPI",
            "--json",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert "offline" in err
    assert study in out and '"cached": "complete"' in out
    # The images open from disk: as the viewer loads them, and as an export.
    with app_store(cache) as store:
        paths, layouts = store.series_files(study, series)
        volume = load_volume(paths, layouts=layouts)
    assert volume.voxels.shape == (300, 512, 512) and volume.ready.all()
    png = tmp_path / "offline.png"
    where = ["--study", study, "--series", series, "--instance", "150"]
    code = run(
        ["--config", str(offline), "export", *where, "--preset", "ct-abdomen", "--out", str(png)]
    )
    assert code == 0, capsys.readouterr().err
    with Image.open(png) as image:
        assert image.size == (512, 512) and image.mode == "L"
