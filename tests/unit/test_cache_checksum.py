"""Checksums of cached files: damage is found, with today's XXH3-128 and with the SHA-256
of caches written by earlier versions."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import xxhash

from tests.unit.test_cache_store import Study, commit
from viewer.cache.checksum import XXH3_128, file_checksum, new_digest, stored_form
from viewer.cache.index_db import sql
from viewer.cache.layout import INDEX_NAME
from viewer.cache.store import CacheStore


def test_the_stored_form_names_its_algorithm(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"abc" * 1000)
    expected = XXH3_128 + xxhash.xxh3_128(b"abc" * 1000).hexdigest()
    assert file_checksum(path) == expected
    digest = new_digest()
    digest.update(b"abc" * 500)
    digest.update(b"abc" * 500)
    assert stored_form(digest) == expected


def test_a_legacy_sha256_value_is_checked_as_sha256(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"old cache")
    legacy = hashlib.sha256(b"old cache").hexdigest()
    assert file_checksum(path, like=legacy) == legacy


def test_verify_finds_a_flipped_bit(tmp_path: Path) -> None:
    with CacheStore(tmp_path / "cache", 10**9) as store:
        study = Study()
        path = commit(store, study.instance()[1])
        data = bytearray(path.read_bytes())
        data[-5] ^= 0x01
        path.write_bytes(bytes(data))
        report = store.verify()
        assert [d.problem for d in report.damaged] == ["checksum mismatch"]


@pytest.mark.parametrize("damage", [False, True])
def test_an_index_of_the_sha256_era_is_migrated_and_still_verified(
    tmp_path: Path, damage: bool
) -> None:
    root = tmp_path / "cache"
    with CacheStore(root, 10**9) as store:
        study = Study()
        path = commit(store, study.instance()[1])
    # What an earlier version wrote: a sha256 column holding bare SHA-256 values.
    conn = sql.connect(root / INDEX_NAME)
    conn.execute("ALTER TABLE instance RENAME COLUMN checksum TO sha256")
    conn.execute("PRAGMA user_version = 0")  # it kept no schema version
    conn.execute("UPDATE instance SET sha256 = ?", (hashlib.sha256(path.read_bytes()).hexdigest(),))
    conn.commit()
    conn.close()
    if damage:
        path.write_bytes(path.read_bytes()[:-1] + b"!")
    with CacheStore(root, 10**9) as store:
        report = store.verify()
        assert report.checked == 1
        assert len(report.damaged) == (1 if damage else 0)
        assert len(store.cached_sop_uids(study.uid)) == (0 if damage else 1)
