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
from viewer.errors import CacheIndexDamagedError, CacheKeyLostError

Connection = sql.Connection
PLAIN_HEADER = b"SQLite format 3\x00"  # a plain SQLite file begins so; a sealed one does not


def error_code(err: Exception) -> int | None:
    """SQLite's result code of a driver error (the attribute is there, as in ``sqlite3``;
    sqlcipher3's stubs do not name it)."""
    code = getattr(err, "sqlite_errorcode", None)
    return code if isinstance(code, int) else None


def connect(path: Path, key: bytes | None, *, timeout: float) -> Connection:
    """A connection in autocommit mode, usable from any one thread at a time. With a key,
    the index is sealed with it (made so if new); a wrong key is :class:`CacheKeyLostError`
    at the first read."""
    conn = sql.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False)
    if key is not None:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sql.DatabaseError as err:
        conn.close()
        if error_code(err) == sql.SQLITE_NOTADB:
            raise CacheKeyLostError(
                f"the cache index in {path.parent} does not open with the cache's key"
            ) from err
        raise
    return conn


def damaged(err: Exception, root: Path | None = None) -> CacheIndexDamagedError | None:
    """The error a driver error is when it says the index is damaged (a page failing its
    HMAC reads as SQLITE_CORRUPT), else None (busy, full: not the index's damage)."""
    if not isinstance(err, sql.DatabaseError) or error_code(err) != sql.SQLITE_CORRUPT:
        return None
    where = f" in {root}" if root is not None else ""
    return CacheIndexDamagedError(
        f"the cache index{where} cannot be read: it was changed outside Qingying or "
        "damaged on disk; run `cache verify`, or delete the cache folder to have it "
        "fetched again"
    )


@contextlib.contextmanager
def damage_said(root: Path) -> Iterator[None]:
    """Inside, a damaged index is :class:`CacheIndexDamagedError` naming ``root``."""
    try:
        yield
    except sql.DatabaseError as err:
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


def seal_plain(path: Path, key: bytes) -> None:
    """Rewrite a plain index sealed with ``key``, in place of the plain one.

    The sealed copy is written beside it and renamed over it once whole and synced: a
    process killed meanwhile leaves the plain index as it was, and the next start does
    it again. Its WAL is folded in first, so the sealed copy holds every committed row
    and no plain WAL is left beside the sealed index. The caller holds the cache's lock
    so that no other process of the user writes to the plain index meanwhile."""
    sealing = path.with_name(path.name + ".sealing")
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
    "damage_said",
    "damaged",
    "error_code",
    "is_plain",
    "seal_plain",
    "sql",
]
