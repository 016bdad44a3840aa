"""The cache index is sealed with the cache's key, kept in the user's keyring (issue 18
point 1): nothing of a patient reaches the index's files in clear; an index from before
is sealed once, resumably; a lost key empties the cache to be filled again, a locked
keyring leaves it closed and whole."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.support.memory_keyring import LockedKeyring, MemoryKeyring
from tests.unit.test_cache_store import LI, Study, commit
from viewer.cache.cache_key import KEY_ID_NAME, SERVICE, cache_key, read_key_id
from viewer.cache.index_db import PLAIN_HEADER, is_plain, sql
from viewer.cache.layout import INDEX_NAME
from viewer.cache.store import CacheStore
from viewer.config import CacheConfig, Config, UiConfig
from viewer.errors import CacheIndexDamagedError, CacheKeyLostError, CacheKeyUnavailableError
from viewer.workspace import open_store

PATIENT_ID, BIRTH = "110105196502113317", "19650211"
NAME = LI  # "Li^Na=李^娜"


def config_in(tmp_path: Path) -> Config:
    return Config(CacheConfig(tmp_path / "cache", 1 << 30), (), UiConfig(None))


def fill(store: CacheStore) -> str:
    """One instance of a patient whose name is Chinese (GB18030 in the file)."""
    study = Study()
    commit(store, study.instance(name=NAME, patient_id=PATIENT_ID, birth_date=BIRTH)[1])
    return study.uid


def filled(tmp_path: Path) -> tuple[Config, str]:
    """The app's cache (sealed) holding one instance of the patient; the study's UID."""
    config = config_in(tmp_path)
    with open_store(config) as store:
        return config, fill(store)


def flip_bit(config: Config, at: int) -> None:
    """One bit of the sealed index changed on disk, at byte ``at`` (negative: from its end)."""
    index = config.cache.dir / INDEX_NAME
    data = bytearray(index.read_bytes())
    assert len(data) > 2 * 4096
    data[at] ^= 0x01
    index.write_bytes(bytes(data))


def assert_closed_and_whole(
    tmp_path: Path, memory_keyring: MemoryKeyring, answering: object, said: str
) -> None:
    """With ``answering`` as the keyring the cache does not open (``said``), and nothing
    in its folder changes; with the first keyring back it opens, all there."""
    import keyring

    config, uid = filled(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in config.cache.dir.rglob("*"))
    keyring.set_keyring(answering)  # type: ignore[arg-type]
    try:
        with pytest.raises(CacheKeyUnavailableError, match=said):
            open_store(config)
    finally:
        keyring.set_keyring(memory_keyring)
    assert sorted(p.relative_to(tmp_path) for p in config.cache.dir.rglob("*")) == before
    with open_store(config) as store:
        assert not store.emptied_for_lost_key and store.study(uid) is not None


def index_bytes(root: Path) -> bytes:
    """The index's files as they lie on disk (the database, its WAL, its shared memory)."""
    return b"".join(p.read_bytes() for p in sorted(root.glob(f"{INDEX_NAME}*")) if p.is_file())


def patient_words() -> list[bytes]:
    """Long enough not to be met by chance in random bytes (a lone GB18030 character,
    two bytes, is met once in every 64 KiB of them)."""
    return [
        PATIENT_ID.encode(),
        BIRTH.encode(),
        "李^娜".encode(),
        "李^娜".encode("gb18030"),
        b"Li^Na",
    ]


def test_the_apps_index_holds_no_patient_word_in_clear(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    config = config_in(tmp_path)
    with open_store(config) as store:
        uid = fill(store)
        assert store.study(uid) is not None  # searched and read through the key
        while_open = index_bytes(config.cache.dir)  # the WAL too, before a checkpoint
    at_rest = index_bytes(config.cache.dir)
    for word in patient_words():
        assert word not in while_open and word not in at_rest, word
    assert not at_rest.startswith(PLAIN_HEADER)
    # The plain reading: without the key the index is no database at all.
    with pytest.raises(CacheKeyLostError):
        CacheStore(config.cache.dir, 1 << 30)


def test_the_key_is_in_the_keyring_only_and_named_by_a_random_id(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    config = config_in(tmp_path)
    open_store(config).close()
    key_id = read_key_id(config.cache.dir)
    assert key_id is not None
    assert list(memory_keyring.entries) == [(SERVICE, key_id)]
    kept_by = (config.cache.dir / KEY_ID_NAME).read_text(encoding="ascii").split("\n")[1]
    assert kept_by.endswith(".MemoryKeyring")  # the backend that keeps it, named
    key = cache_key(config.cache.dir)
    on_disk = b"".join(p.read_bytes() for p in config.cache.dir.rglob("*") if p.is_file())
    import base64

    for form in (key, key.hex().encode(), base64.b64encode(key)):  # the keyring's is base64
        assert form not in on_disk


def test_a_plain_index_from_before_is_sealed_with_its_rows(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    config = config_in(tmp_path)
    with CacheStore(config.cache.dir, 1 << 30) as plain:  # as the version before wrote it
        uid = fill(plain)
    assert is_plain(config.cache.dir / INDEX_NAME)
    with open_store(config) as store:
        found = store.study(uid)
        assert found is not None and found.patient_id == PATIENT_ID
        assert store.verify().ok
    assert not is_plain(config.cache.dir / INDEX_NAME)
    at_rest = index_bytes(config.cache.dir)
    assert all(word not in at_rest for word in patient_words())
    assert not (config.cache.dir / f"{INDEX_NAME}.sealing").exists()


def test_sealing_cut_short_is_done_again_from_the_plain_index(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = config_in(tmp_path)
    with CacheStore(config.cache.dir, 1 << 30) as plain:
        uid = fill(plain)

    def killed(self: Path, target: object) -> None:  # the process dies before the rename
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(Path, "replace", killed)
        with pytest.raises(KeyboardInterrupt):
            open_store(config)
    assert is_plain(config.cache.dir / INDEX_NAME)  # left as it was
    with open_store(config) as store:
        assert store.study(uid) is not None
    assert not is_plain(config.cache.dir / INDEX_NAME)
    assert not (config.cache.dir / f"{INDEX_NAME}.sealing").exists()


def test_a_lost_key_forgets_what_was_sealed_and_the_study_is_fetched_again(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    from viewer.session.annotation_file import AnnotationFile

    config = config_in(tmp_path)
    root = config.cache.dir
    with open_store(config) as store:
        uid = fill(store)
        AnnotationFile(root, uid, store.key).save([])
    measured = AnnotationFile(root, uid).path
    assert measured.exists()
    (root / "notes.txt").write_text("a user's own file", encoding="utf-8")
    old_id = read_key_id(root)
    memory_keyring.entries.clear()  # the keyring reset
    with open_store(config) as store:
        assert store.emptied_for_lost_key
        assert store.study(uid) is None  # its instances were sealed: fetched again
    assert read_key_id(root) != old_id
    assert not measured.exists()  # sealed under the lost key: gone
    assert not [p for p in (root / uid).rglob("*") if p.is_file()]  # the instances too
    assert not list((root / ".quarantine").iterdir())  # not kept as if damaged
    assert (root / "notes.txt").read_text(encoding="utf-8") == "a user's own file"
    with open_store(config) as store:
        assert not store.emptied_for_lost_key and store.study(uid) is None
        again = fill(store)  # a study cached anew, under the new key, reads back
        assert store.study(again) is not None and store.instance_files(again)


def test_an_entry_that_is_not_the_key_the_check_names_is_a_lost_key(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    config, _uid = filled(tmp_path)
    key_id = read_key_id(config.cache.dir)
    memory_keyring.entries[(SERVICE, str(key_id))] = "A" * 43 + "="  # another 32-byte key
    with pytest.raises(CacheKeyLostError, match="another key"):
        cache_key(config.cache.dir)
    with open_store(config) as store:
        assert store.emptied_for_lost_key


def test_a_damaged_first_page_with_the_right_key_is_damage_not_a_lost_key(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    config, _uid = filled(tmp_path)
    flip_bit(config, 200)  # in page 1, which SQLCipher reads at once
    before = sorted(p.relative_to(tmp_path) for p in config.cache.dir.rglob("*"))
    with pytest.raises(CacheIndexDamagedError, match="changed outside Qingying"):
        open_store(config)
    assert sorted(p.relative_to(tmp_path) for p in config.cache.dir.rglob("*")) == before


def test_a_sealed_index_whose_key_id_is_gone_is_a_lost_key(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    config, uid = filled(tmp_path)
    (config.cache.dir / KEY_ID_NAME).unlink()
    with pytest.raises(CacheKeyLostError, match="key id"):
        cache_key(config.cache.dir)
    with open_store(config) as store:
        assert store.emptied_for_lost_key and store.study(uid) is None  # fetched again


def test_a_key_id_that_cannot_be_read_now_leaves_the_cache_closed_and_whole(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, _uid = filled(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in config.cache.dir.rglob("*"))
    real_read = Path.read_bytes

    def failing(self: Path) -> bytes:
        if self.name == KEY_ID_NAME:
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    with monkeypatch.context() as patched:
        patched.setattr(Path, "read_bytes", failing)
        with pytest.raises(PermissionError):
            open_store(config)
    assert sorted(p.relative_to(tmp_path) for p in config.cache.dir.rglob("*")) == before


def test_a_keyring_that_keeps_nothing_is_no_lost_key(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    """keyring's null backend (set to silence keyring, as pip's advice has it) answers
    None to everything: another backend than the key's, so the cache stays whole."""
    from keyring.backends.null import Keyring as NullKeyring

    assert_closed_and_whole(tmp_path, memory_keyring, NullKeyring(), "another keyring")


def test_of_two_processes_finding_the_key_lost_one_forgets_and_both_use_its_new_key(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    from viewer.cache.lost_key import forget_lost_key

    config, _uid = filled(tmp_path)
    root = config.cache.dir
    lost = read_key_id(root)
    memory_keyring.entries.clear()
    assert forget_lost_key(root, lost)
    first = cache_key(root)  # the first process's new key, named in key-id
    assert not forget_lost_key(root, lost)  # the second, late: key-id names another key
    assert cache_key(root) == first and (root / KEY_ID_NAME).exists()


def test_a_locked_keyring_leaves_the_cache_closed_and_whole(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    assert_closed_and_whole(
        tmp_path, memory_keyring, LockedKeyring(), "offline cache cannot be opened"
    )


def test_two_processes_making_the_key_at_once_keep_one(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    root = tmp_path / "cache"
    start = threading.Barrier(8)
    keys: list[bytes] = []

    def make() -> None:
        start.wait()
        keys.append(cache_key(root))

    threads = [threading.Thread(target=make) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(keys) == 8 and len(set(keys)) == 1
    assert list(memory_keyring.entries) == [(SERVICE, read_key_id(root))]  # losers forgot
    assert sorted(p.name for p in root.iterdir() if p.is_file()) == [KEY_ID_NAME]
    assert list((root / ".tmp").iterdir()) == []  # where each wrote it first


def test_a_changed_page_of_the_sealed_index_is_refused(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    config, _uid = filled(tmp_path)
    flip_bit(config, 4096 + 100)  # one bit of the second page
    with CacheStore(config.cache.dir, 1 << 30, key=cache_key(config.cache.dir)) as store:
        with pytest.raises(sql.DatabaseError, match="malformed"):
            store.studies()
        with pytest.raises(CacheIndexDamagedError, match=r"fails its check on 1 page\(s\)"):
            store.verify()  # before any row is believed


def test_cache_verify_says_a_changed_index_in_its_words_and_exit_code(
    tmp_path: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    from viewer.cli import run
    from viewer.errors import ExitCode

    config, _uid = filled(tmp_path)
    flip_bit(config, -100)  # the last page's
    path = tmp_path / "c.toml"
    path.write_text(f'[cache]\ndir = "{config.cache.dir}"\n', encoding="utf-8")
    assert run(["--config", str(path), "cache", "verify"]) == ExitCode.INVALID_DATA
    err = capsys.readouterr().err
    assert "changed outside Qingying" in err and "Traceback" not in err
    assert str(config.cache.dir) in err
    assert PATIENT_ID not in err


class OtherDesktopKeyring(MemoryKeyring):
    """Another backend than the one that kept the key (a desktop whose keyring daemon
    did not start, and keyring chose the next one)."""


def test_another_keyring_answering_is_no_lost_key_the_cache_stays_whole(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    assert_closed_and_whole(
        tmp_path, memory_keyring, OtherDesktopKeyring(), "kept in another keyring"
    )
