"""Every problem verify reports has a kind a screen can say in its own language; only an
OS error's reason is kept as detail."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from tests.unit.test_cache_packs import put
from tests.unit.test_cache_store import Study, commit
from viewer.cache import housekeeping
from viewer.cache.models import DamagedEntry, ProblemKind
from viewer.cache.store import CacheStore


def kinds(store: CacheStore) -> list[tuple[str, str]]:
    return [(d.kind, d.detail) for d in store.verify().damaged]


def test_a_missing_file_is_of_kind_missing(store: CacheStore) -> None:
    commit(store, Study().instance()[1]).unlink()
    assert kinds(store) == [("missing", "")]


def test_a_changed_byte_is_of_kind_checksum_mismatch(store: CacheStore) -> None:
    path = commit(store, Study().instance()[1])
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    assert kinds(store) == [("checksum_mismatch", "")]


def test_a_file_of_another_size_is_of_kind_wrong_size(store: CacheStore) -> None:
    path = commit(store, Study().instance()[1])
    size = path.stat().st_size
    path.write_bytes(path.read_bytes()[:-100])
    assert kinds(store) == [("wrong_size", f"{size - 100} instead of {size}")]


def test_a_pack_cut_short_is_of_kind_pack_short(store: CacheStore) -> None:
    study = Study()
    with store.pack_sinks(study.uid) as pack:
        for n in (1, 2):
            put(pack, study.instance(number=n)[1]).commit()
    last = store.instance_files(study.uid)[-1]
    with last.path.open("r+b") as fh:
        fh.truncate(last.offset + (last.size or 0) - 5)
    assert kinds(store) == [("pack_short", "5")]


def test_an_unreadable_file_is_of_kind_unreadable_with_the_os_reason_as_detail(
    store: CacheStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    commit(store, Study().instance()[1])

    def refuse(*_a: object, **_k: object) -> str:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(housekeeping, "file_checksum", refuse)
    assert kinds(store) == [("unreadable", "[Errno 5] Input/output error")]


@pytest.mark.parametrize(
    ("kind", "detail", "english"),
    [
        ("missing", "", "missing"),
        ("wrong_size", "100 instead of 5000", "size 100 instead of 5000"),
        ("pack_short", "5", "its pack ends 5 bytes short"),
        ("checksum_mismatch", "", "checksum mismatch"),
        ("unreadable", "[Errno 5] Input/output error", "unreadable: [Errno 5] Input/output error"),
    ],
)
def test_the_command_line_says_each_kind_in_english_with_its_detail(
    kind: ProblemKind, detail: str, english: str
) -> None:
    entry = DamagedEntry("1.2", "1.2.3", "1.2.3.4", Path("x.dcm"), kind, detail)
    assert entry.problem == english
