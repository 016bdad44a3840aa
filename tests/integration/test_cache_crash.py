"""kill -9 trials: a writer killed at any moment leaves the cache consistent.

A child process copies the demo CT into a CacheStore and is killed with SIGKILL after a
seeded random delay; trials alternate between the two ways in: a file per instance
(begin_instance/write/commit) and packs (pack_sinks, as a series retrieval does, with
some parts aborted half-way). Instances are re-committed, so replacement is exercised
too. After each kill the cache is opened again and must hold no half file, no row
naming bytes that are not there, no pack no row names, and no temp leftovers; and every
instance it holds must be byte for byte the file it was copied from (a checksum only
says the cache kept what it took: an aborted part published whole would pass it).
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
from viewer.cache.cache_key import KEY_ID_NAME
from viewer.cache.checksum import file_checksum
from viewer.cache.housekeeping import instance_files
from viewer.cache.layout import INDEX_NAME, is_pack_relpath
from viewer.cache.seal_existing import LOCK_NAME as SEALING_LOCK
from viewer.cache.seal_existing import MARKER as SEALED_MARKER
from viewer.cache.store import CacheStore
from viewer.demo import Manifest
from viewer.instance_file import InstanceFile, open_instance, read_instance_bytes

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

root, seed, mode, study, files = (
    Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
)
rng = random.Random(seed)
store = CacheStore(root, 10**12)


def copy(name, sink):
    with open(name, "rb") as f:
        while chunk := f.read(rng.choice((4096, 65536, 1 << 20))):
            sink.write(chunk)
            if mode == "pack" and rng.random() < 0.002:
                sink.abort()  # a part cut off by a dropped link
                return None
    return sink.commit_async() if mode == "pack" else sink.commit()


print("ready", flush=True)
while True:
    if mode == "files":
        for name in rng.sample(files, len(files)):
            with store.begin_instance() as sink:
                copy(name, sink)
    else:
        with store.pack_sinks(study) as pack:
            for name in rng.sample(files, rng.randint(5, 60)):
                copy(name, pack.begin_instance())
"""


def _ct_files(manifest: Manifest) -> list[str]:
    study = next(s for s in manifest.studies if "main_ct" in s.tags)
    folder = DEMO_DATA_DIR / "platform" / study.study_instance_uid
    return sorted(str(p) for p in folder.glob("*/*.dcm"))


def _check_consistent(
    root: Path, originals: dict[str, bytes], key: bytes | None = None
) -> tuple[int, int]:
    """Open the cache as after a crash and check every promise; the instances indexed,
    and how many of them are in packs. ``originals``: the bytes copied in, by SOP UID;
    ``key``: the app's cache's (None: a cache the test's script made in clear)."""
    with CacheStore(root, 10**12, key=key, temp_grace_s=0) as store:
        rows = store._index.all_instances()
        for _study, _series, sop, rel, start, size, checksum in rows:
            path = root / rel
            assert path.is_file(), f"indexed but missing: {rel}"
            packed = is_pack_relpath(rel)
            if packed:
                assert path.stat().st_size >= start + size, f"pack cut short: {rel}"
            else:
                assert start == 0 and path.stat().st_size == size, f"truncated: {rel}"
            seal = store.instance_key  # the app's cache: sealed instances
            item = InstanceFile(path, start, size, seal) if packed else InstanceFile(path, key=seal)
            assert file_checksum(item, like=checksum) == checksum, f"checksum differs: {item}"
            with open_instance(item) as fh:
                assert pydicom.dcmread(fh, stop_before_pixels=True).SOPInstanceUID == sop
            held, original = read_instance_bytes(item), originals[sop]
            size, whole = len(held), len(original)
            assert size == whole, f"{sop}: {size} bytes held of {whole}"
            assert held == original, f"{sop}: the bytes held are not the original's"
        on_disk = set(instance_files(store._layout))
        own_files = {row[3] for row in rows if not is_pack_relpath(row[3])}
        assert on_disk == own_files, "a file in a study folder has no row"
        packs = {row[3] for row in rows if is_pack_relpath(row[3])}
        packs_on_disk = {"/".join(p.relative_to(root).parts) for p in root.rglob("*.pack")}
        assert packs_on_disk == packs, "a pack no row names was left behind"
        strays = [p for p in root.rglob("*") if p.is_file() and p.suffix not in (".dcm", ".pack")]
        assert [
            p
            for p in strays
            if not p.name.startswith(INDEX_NAME)
            and p.name not in (KEY_ID_NAME, SEALED_MARKER, SEALING_LOCK)
        ] == []
        assert list((root / ".tmp").iterdir()) == [], "temp leftovers were not cleaned"
        assert store.verify().ok
        return len(rows), sum(1 for row in rows if is_pack_relpath(row[3]))


def test_kill_9_at_random_moments_leaves_a_consistent_cache(
    demo_data: Manifest, tmp_path: Path
) -> None:
    files = _ct_files(demo_data)
    assert len(files) >= 100
    originals = {Path(name).stem: Path(name).read_bytes() for name in files}  # <sop>.dcm
    study = pydicom.dcmread(files[0], stop_before_pixels=True).StudyInstanceUID
    root = tmp_path / "cache"
    rng = random.Random(SEED)
    counts: list[int] = []
    leftovers: list[int] = []  # temp files the killed writer left behind
    packed: list[int] = []  # instances indexed in packs
    writer = [sys.executable, "-c", _WRITER, str(root)]
    for trial in range(TRIALS):
        child = subprocess.Popen(
            [*writer, str(SEED + trial), ("files", "pack")[trial % 2], study, *files],
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
        indexed, in_packs = _check_consistent(root, originals)
        counts.append(indexed)
        packed.append(in_packs)
    assert max(counts) > 0, "the writer never committed anything before being killed"
    assert max(packed) > 0, "no instance was ever published from a pack"
    print(f"instances indexed after each kill: {counts} ({packed} in packs);")
    print(f"temp leftovers: {leftovers}")
