"""The cache index's database, sealed: SQLCipher with the cache's key (issue 18).

The index holds patients' names, IDs and birth dates, study descriptions and
institutions: all of it is encrypted at rest. SQLCipher (``sqlcipher3``, the DB-API of
the standard ``sqlite3`` over SQLite with page encryption: AES-256 per 4 KiB page, an
HMAC-SHA512 on each, so a changed page fails to read) was chosen over sealing each field
in Python because the index is searched and joined by these fields: SQL keeps working on
them unchanged, and nothing of the index reaches the disk in clear, the WAL included.

The key is the cache's raw 32-byte key (:mod:`viewer.cache.cache_key`), given as a blob
literal, so SQLCipher derives nothing from it (no PBKDF2 at each connection).

Every connection to the index, sealed or not (an index made before, a test's), goes
through this one driver: two SQLite libraries in one process must not open the same file,
as each would drop the other's POSIX locks when it closes a descriptor.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from sqlcipher3 import dbapi2 as sql

from viewer.cache.layout import fsync_dir
from viewer.errors import CacheIndexDamagedError, CacheKeyLostError, DiskFullError
from viewer.private_files import PRIVATE_FILE

Connection = sql.Connection
PLAIN_HEADER = b"SQLite format 3\x00"  # a plain SQLite file begins so; a sealed one does not


def error_code(err: Exception) -> int | None:
    """SQLite's result code of a driver error (the attribute is there, as in ``sqlite3``;
    sqlcipher3's stubs do not name it)."""
    code = getattr(err, "sqlite_errorcode", None)
    return code if isinstance(code, int) else None


def damage_error(folder: Path, what: str) -> CacheIndexDamagedError:
    """The index in ``folder`` is damaged (``what`` says how it shows): worded once."""
    return CacheIndexDamagedError(
        f"the cache index in {folder} {what}: it was changed outside Qingying or damaged "
        "on disk; run `cache verify`, or delete the cache folder to have it fetched again"
    )


def disk_full_error(folder: Path) -> DiskFullError:
    return DiskFullError(
        f"the disk holding the cache is full ({folder}): free some space or lower "
        "cache.max_size (the index cannot grow)"
    )


def connect(path: Path, key: bytes | None, *, timeout: float) -> Connection:
    """A connection in autocommit mode, usable from any one thread at a time. With a key,
    the index is sealed with it (made so if new); a wrong key is :class:`CacheKeyLostError`
    at the first read."""
    conn = sql.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False)
    # Its own log on stderr says what the typed errors below say already.
    conn.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sql.DatabaseError as err:
        conn.close()
        if error_code(err) != sql.SQLITE_NOTADB:
            raise
        if key is None:
            raise CacheKeyLostError(f"the cache index in {path.parent} is sealed") from err
        # The key is the cache's (cache_key checked it): the index is what is wrong.
        raise damage_error(path.parent, "does not open with the cache's key") from err
    return conn


def damaged(err: Exception, root: Path | None = None) -> CacheIndexDamagedError | None:
    """The error a driver error is when it says the index is damaged (a page failing its
    HMAC reads as SQLITE_CORRUPT), else None (busy, full: not the index's damage)."""
    if not isinstance(err, sql.DatabaseError) or error_code(err) != sql.SQLITE_CORRUPT:
        return None
    return damage_error(root if root is not None else Path("the cache folder"), "cannot be read")


@contextlib.contextmanager
def damage_said(root: Path) -> Iterator[None]:
    """Inside, a damaged index is :class:`CacheIndexDamagedError` naming ``root``, and a
    full disk :class:`DiskFullError`."""
    try:
        yield
    except sql.DatabaseError as err:
        if error_code(err) == sql.SQLITE_FULL:
            raise disk_full_error(root) from err
        said = damaged(err, root)
        if said is None:
            raise
        raise said from err


def is_plain(path: Path) -> bool:
    """True for an index written in clear (before the cache was sealed)."""
    try:
        with path.open("rb") as file:
            return file.read(len(PLAIN_HEADER)) == PLAIN_HEADER
    except FileNotFoundError:
        return False


def seal_plain_once(path: Path, key: bytes, *, timeout: float) -> None:
    """An index from before the cache was sealed, sealed once, whichever of the user's
    processes comes first (the others wait at the lock, then find it sealed). A full
    disk (the copy needs the index's size again) is :class:`DiskFullError`, nothing
    changed."""
    from filelock import FileLock

    with FileLock(f"{path}.lock", timeout=timeout, mode=PRIVATE_FILE):
        if not is_plain(path):
            return
        try:
            with damage_said(path.parent):
                seal_plain(path, key)
        finally:
            for leftover in (_sealing(path), Path(f"{_sealing(path)}-journal")):
                leftover.unlink(missing_ok=True)


def failed_pages(conn: Connection) -> int:
    """How many pages of a sealed index fail their HMAC (SQLCipher reads them all)."""
    return len(conn.execute("PRAGMA cipher_integrity_check").fetchall())


def _sealing(path: Path) -> Path:
    return path.with_name(path.name + ".sealing")


def seal_plain(path: Path, key: bytes) -> None:
    """Rewrite a plain index sealed with ``key``, in place of the plain one.

    The sealed copy is written beside it and renamed over it once whole and synced: a
    process killed meanwhile leaves the plain index as it was, and the next start does
    it again. Its WAL is folded in first, so the sealed copy holds every committed row
    and no plain WAL is left beside the sealed index. The caller holds the cache's lock
    so that no other process of the user writes to the plain index meanwhile."""
    sealing = _sealing(path)
    for leftover in (sealing, Path(f"{sealing}-journal")):
        leftover.unlink(missing_ok=True)
    plain = sql.connect(str(path), isolation_level=None)
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        plain.execute("PRAGMA journal_mode=DELETE")  # removes the -wal and -shm files
        plain.execute(f"ATTACH DATABASE ? AS sealed KEY \"x'{key.hex()}'\"", (str(sealing),))
        plain.execute("SELECT sqlcipher_export('sealed')")
        version = int(plain.execute("PRAGMA user_version").fetchone()[0])
        plain.execute(f"PRAGMA sealed.user_version = {version}")
        plain.execute("DETACH DATABASE sealed")
    finally:
        plain.close()
    with sealing.open("rb+") as file:
        os.fsync(file.fileno())
    sealing.replace(path)
    fsync_dir(path.parent)


__all__ = [
    "PLAIN_HEADER",
    "Connection",
    "connect",
    "damage_error",
    "damage_said",
    "damaged",
    "disk_full_error",
    "error_code",
    "failed_pages",
    "is_plain",
    "seal_plain",
    "seal_plain_once",
    "sql",
]
