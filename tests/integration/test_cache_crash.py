"""kill -9 trials: a writer killed at any moment leaves the cache consistent.

A child process copies the demo CT into a CacheStore, instance by instance, through
begin_instance/write/commit (re-committing some instances, so replacement is exercised
too), and is killed with SIGKILL after a seeded random delay. After each kill the cache
is opened again and must hold no half file, no row without its file, and no temp
leftovers.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pydicom
import pytest

from tests.conftest import DEMO_DATA_DIR, REPO_ROOT
from viewer.cache.checksum import file_checksum
from viewer.cache.housekeeping import instance_files
from viewer.cache.store import CacheStore
from viewer.demo import Manifest

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
]

TRIALS = 12
SEED = 20240611

_WRITER = """
import random, sys
from pathlib import Path
from viewer.cache.store import CacheStore

root, seed, files = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
rng = random.Random(seed)
store = CacheStore(root, 10**12)
print("ready", flush=True)
while True:
    for name in rng.sample(files, len(files)):
        with open(name, "rb") as f, store.begin_instance() as sink:
            while chunk := f.read(rng.choice((4096, 65536, 1 << 20))):
                sink.write(chunk)
            sink.commit()
"""


def _ct_files(manifest: Manifest) -> list[str]:
    study = next(s for s in manifest.studies if "main_ct" in s.tags)
    folder = DEMO_DATA_DIR / "platform" / study.study_instance_uid
    return sorted(str(p) for p in folder.glob("*/*.dcm"))


def _check_consistent(root: Path) -> int:
    """Open the cache as after a crash and check every promise; the instances indexed."""
    with CacheStore(root, 10**12, temp_grace_s=0) as store:
        rows = store._index.all_instances()
        for _study, _series, sop, rel, size, checksum in rows:
            path = root / rel
            assert path.is_file(), f"indexed but missing: {rel}"
            assert path.stat().st_size == size, f"truncated: {rel}"
            assert file_checksum(path, like=checksum) == checksum, f"checksum differs: {rel}"
            assert pydicom.dcmread(path, stop_before_pixels=True).SOPInstanceUID == sop
        on_disk = set(instance_files(store._layout))
        assert on_disk == {row[3] for row in rows}, "a file in a study folder has no row"
        strays = [p for p in root.rglob("*") if p.is_file() and p.suffix != ".dcm"]
        assert [p for p in strays if not p.name.startswith("index.sqlite3")] == []
        assert list((root / ".tmp").iterdir()) == [], "temp leftovers were not cleaned"
        assert store.verify().ok
        return len(rows)


def test_kill_9_at_random_moments_leaves_a_consistent_cache(
    demo_data: Manifest, tmp_path: Path
) -> None:
    files = _ct_files(demo_data)
    assert len(files) >= 100
    root = tmp_path / "cache"
    rng = random.Random(SEED)
    counts: list[int] = []
    leftovers: list[int] = []  # temp files the killed writer left behind
    for trial in range(TRIALS):
        child = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(root), str(SEED + trial), *files],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.0, 0.5))
            assert child.poll() is None, "the writer stopped by itself"
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
        assert child.returncode == -signal.SIGKILL
        leftovers.append(len(list((root / ".tmp").glob("*.part"))))
        counts.append(_check_consistent(root))
    assert max(counts) > 0, "the writer never committed anything before being killed"
    print(f"instances indexed after each kill: {counts}; temp leftovers: {leftovers}")
