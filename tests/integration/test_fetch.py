"""`fetch` against the real demo platform: bit-identical, resumable, crash-safe, offline."""

from __future__ import annotations

import hashlib
import io
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pydicom
import pytest
from PIL import Image

from tests.support.netproxy import NetProxy
from viewer.cache.store import CacheStore
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
    with CacheStore(tmp_path / "cache", 5 * 10**9) as store:
        cached = store.instance_files(study, series)
        expected_sops = store.cached_sop_uids(study, series)
    originals = platform.data_dir / "platform" / study / series
    assert len(cached) == 300
    seen = set()
    for item in cached:
        data = read_instance_bytes(item)
        ds = pydicom.dcmread(io.BytesIO(data))
        assert ds.SeriesInstanceUID == series and ds.SOPInstanceUID in expected_sops
        seen.add(ds.SOPInstanceUID)
        original = originals / f"{ds.SOPInstanceUID}.dcm"
        assert hashlib.sha256(data).digest() == hashlib.sha256(original.read_bytes()).digest()
    assert len(seen) == 300


def test_cut_link_exits_4_quickly_and_the_next_fetch_asks_only_for_what_is_missing(
    platform: RunningPlatform,
    signed_in,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    study, series = ct(platform)
    cache = tmp_path / "cache"
    with NetProxy.for_url(platform.platform_url, cut_after_bytes=60_000_000) as cutting:
        url = cutting.url_for(platform.platform_url)
        signed_in(url)
        config = write_config(tmp_path / "cut.toml", cache, url, auth="basic")
        started = time.monotonic()
        code, _, err = fetch(config, study, capsys)
        elapsed = time.monotonic() - started
    assert code == 4, err
    assert elapsed < 30
    assert "run the same command again to resume" in err and "Traceback" not in err
    with CacheStore(cache, 5 * 10**9) as store:
        arrived = store.cached_sop_uids(study, series)
        missing = store.missing_instances(study, series)
    assert 0 < len(arrived) < 300 and len(missing) == 300 - len(arrived)

    with NetProxy.for_url(platform.platform_url) as clean:
        url = clean.url_for(platform.platform_url)
        signed_in(url)
        config = write_config(tmp_path / "ok.toml", cache, url, auth="basic")
        code, out, err = fetch(config, study, capsys)
        resent = clean.counters.to_client
    assert code == 0, err
    assert f"complete ({len(missing)} instances" in out
    sizes = {
        p.stem: p.stat().st_size
        for p in (platform.data_dir / "platform" / study / series).iterdir()
    }
    needed = sum(sizes[s] for s in missing)
    # Only the missing instances came again (plus HTTP and multipart overhead).
    assert resent < needed * 1.05 + 2_000_000


def test_kill_9_at_random_moments_never_leaves_a_half_entry(
    platform: RunningPlatform, tmp_path: Path
) -> None:
    if not os.environ.get("QINGYING_REAL_KEYRING"):
        pytest.skip("the fetch subprocess needs a real keyring: run through scripts/run-tests.sh")
    study, series = ct(platform)
    cache = tmp_path / "cache"
    config = write_config(tmp_path / "c.toml", cache, platform.platform_url, auth="basic")
    main = [sys.executable, str(REPO / "main.py"), "--config", str(config)]
    login = subprocess.run(
        [*main, "login", "--source", "provincial", "--password-stdin"],
        input=platform.auth("platform")[1] + "\n", capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert login.returncode == 0, login.stderr
    rng = random.Random(20261127)
    for _trial in range(10):
        child = subprocess.Popen([*main, "fetch", "--study", study], stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.8, 3.0))
        child.send_signal(signal.SIGKILL)
        child.wait()
        with CacheStore(cache, 5 * 10**9) as store:
            assert store.verify().ok
            sops = [
                pydicom.dcmread(io.BytesIO(read_instance_bytes(item))).SOPInstanceUID
                for item in store.instance_files(study, series)
            ]
            assert sorted(sops) == sorted(store.cached_sop_uids(study, series))
        visible = (
            [p for p in (cache / study).rglob("*") if p.is_file()]
            if (cache / study).exists()
            else []
        )
        allowed = re.compile(r"[0-9.]+/[0-9.]+\.dcm|packs/[0-9]+-[0-9a-f]+\.pack")
        assert all(allowed.fullmatch("/".join(p.relative_to(cache / study).parts)) for p in visible)
    finish = subprocess.run(
        [*main, "fetch", "--study", study], capture_output=True, text=True, check=False
    )
    assert finish.returncode == 0, finish.stderr


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
    with CacheStore(cache, 5 * 10**9) as store:
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
