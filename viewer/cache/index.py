"""The cache index: SQLite (WAL) rows for patients, studies, series and instances.

One connection per thread (``sqlite3`` connections are not shared between threads);
several processes may open the same index, SQLite's locking and the busy timeout keep
them apart. Writes run in ``BEGIN IMMEDIATE`` transactions.

Durability: ``synchronous=NORMAL`` for adding rows. A power cut may then forget the
newest rows, which only leaves a committed file without a row, and ``reconcile`` adopts
such files. Removing rows is the dangerous direction (a row brought back by a lost
transaction would point at a deleted file), so transactions that remove rows before
files are deleted run with ``synchronous=FULL``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from viewer.cache import index_db
from viewer.cache.header import InstanceHeader
from viewer.cache.index_db import Connection
from viewer.cache.index_rows import SQLITE_INTEGER_MAX, NewInstance, insert_instances
from viewer.cache.matching import wildcard_match
from viewer.cache.schema import OWN_FILE, SCHEMA, SCHEMA_VERSION
from viewer.imaging.pixel_layout import PixelLayout

BUSY_TIMEOUT_S = 30.0


_STUDY_TABLES = (
    "pixel_layout",
    "instance",
    "series",
    "expected",
    "expected_count",
    "unfinished_import",
    "pack",
    "study_other_id",
    "study",
)


class CacheIndex:
    """``key``: the cache's key, the index sealed with it (:mod:`viewer.cache.index_db`);
    an index written in clear before is sealed at once. None: in clear (tests, tools)."""

    def __init__(self, path: Path, key: bytes | None = None) -> None:
        self.path = path
        self._key = key
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[Connection] = []
        self._closed = False
        if key is not None and index_db.is_plain(path):
            index_db.seal_plain_once(path, key, timeout=BUSY_TIMEOUT_S)
        self._prepare()

    def _prepare(self) -> None:
        """Create or bring up to date the tables; a read only when the index says it is
        at this version already (every start-up passes here, often several processes)."""
        if self._version(self.connection()) >= SCHEMA_VERSION:
            return
        with self.transaction() as conn:
            version = self._version(conn)
            if version >= SCHEMA_VERSION:  # another process did it meanwhile
                return
            for statement in SCHEMA.split(";"):  # (no ";" in its comments)
                if statement.strip():
                    conn.execute(statement)
            columns = {row[1] for row in conn.execute("PRAGMA table_info(instance)")}
            if "sha256" in columns:
                # Checksums were SHA-256 only, in a column named so; their values still check.
                conn.execute("ALTER TABLE instance RENAME COLUMN sha256 TO checksum")
            if "start" not in columns:  # every instance had a file of its own
                conn.execute("ALTER TABLE instance ADD COLUMN start INTEGER NOT NULL DEFAULT 0")
            if version < 4:
                # Packs as far as the rows tell (the end of the last instance of each);
                # the start-up that follows sets each to the size of its file.
                conn.execute(
                    "INSERT OR IGNORE INTO pack SELECT path, study_uid, MAX(start + size)"  # noqa: S608
                    f" FROM instance WHERE NOT {OWN_FILE} GROUP BY path"
                )
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @staticmethod
    def _version(conn: Connection) -> int:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])

    # -- connections and transactions --------------------------------------------------

    def connection(self) -> Connection:
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise RuntimeError("the cache index is closed")
            conn = index_db.connect(self.path, self._key, timeout=BUSY_TIMEOUT_S)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
            conn.create_function("dicom_match", 2, _dicom_match, deterministic=True)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def transaction(self, durable: bool = False) -> Iterator[Connection]:
        """One write transaction; ``durable`` syncs it to disk before returning."""
        conn = self.connection()
        if durable:
            conn.execute("PRAGMA synchronous=FULL")
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # a COMMIT refused (a full disk) leaves it open
                    conn.execute("ROLLBACK")
                raise
        except index_db.sql.OperationalError as err:
            if index_db.error_code(err) == index_db.sql.SQLITE_FULL:
                raise index_db.disk_full_error(self.path.parent) from err
            raise
        finally:
            if durable:
                conn.execute("PRAGMA synchronous=NORMAL")

    def failed_pages(self) -> int:
        """Pages of the sealed index failing their HMAC (0 in clear: nothing to check)."""
        return index_db.failed_pages(self.connection()) if self._key is not None else 0

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    # -- instances -----------------------------------------------------------------

    def add_instance(
        self,
        conn: Connection,
        header: InstanceHeader,
        rel: str,
        size: int,
        checksum: str,
        layout: PixelLayout | None = None,
        start: int = 0,
    ) -> None:
        """Rows for one committed instance (its patient, study and series as needed);
        ``rel`` is its file, ``start`` where it begins there (not 0 in a pack)."""
        self.add_instances(conn, [NewInstance(header, rel, size, checksum, layout, start)])

    def add_instances(self, conn: Connection, entries: Sequence[NewInstance]) -> None:
        """Rows for committed instances (see :func:`viewer.cache.index_rows.insert_instances`)."""
        insert_instances(conn, entries)

    def instance_location(self, sop_uid: str) -> tuple[str, str, str] | None:
        """(study, series, relative path) of an indexed instance."""
        row = (
            self.connection()
            .execute(
                "SELECT study_uid, series_uid, path FROM instance WHERE sop_uid = ?", (sop_uid,)
            )
            .fetchone()
        )
        return (row[0], row[1], row[2]) if row else None

    def instance_locations(self, sop_uids: Iterable[str]) -> dict[str, str]:
        """SOP UID → relative path of those that are indexed."""
        found: dict[str, str] = {}
        uids = list(sop_uids)
        conn = self.connection()
        for start in range(0, len(uids), 500):  # SQLite's limit on parameters
            chunk = uids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                f"SELECT sop_uid, path FROM instance WHERE sop_uid IN ({marks})",  # noqa: S608
                chunk,
            )
            found.update((row[0], row[1]) for row in rows)
        return found

    def remove_instances(self, conn: Connection, rows: Iterable[tuple[str, str, str]]) -> None:
        """Forget instances (study, series, sop) but remember they exist at the source, so
        their study shows as partial and a fetch brings them back."""
        rows = list(rows)
        conn.executemany("DELETE FROM instance WHERE sop_uid = ?", [(r[2],) for r in rows])
        conn.executemany("DELETE FROM pixel_layout WHERE sop_uid = ?", [(r[2],) for r in rows])
        conn.executemany("INSERT OR IGNORE INTO expected VALUES (?, ?, ?)", rows)

    def all_instances(self) -> list[tuple[str, str, str, str, int, int, str]]:
        """(study, series, sop, relative path, start, size, checksum) of every indexed
        instance, in the order of their bytes on disk."""
        return [
            tuple(row)
            for row in self.connection().execute(
                "SELECT study_uid, series_uid, sop_uid, path, start, size, checksum"
                " FROM instance ORDER BY path, start"
            )
        ]

    def indexed_files(self) -> list[tuple[str, int, int, tuple[str, str, str]]]:
        """(relative path, start, size, (study, series, sop)) of every indexed instance."""
        rows = self.connection().execute(
            "SELECT path, start, size, study_uid, series_uid, sop_uid FROM instance"
        )
        return [(row[0], row[1], row[2], (row[3], row[4], row[5])) for row in rows]

    def still_at(self, sop_uid: str, rel: str, start: int) -> bool:
        """Whether the instance's row still names that place (none written since)."""
        row = (
            self.connection()
            .execute("SELECT path, start FROM instance WHERE sop_uid = ?", (sop_uid,))
            .fetchone()
        )
        return row is not None and (row[0], row[1]) == (rel, start)

    def instance_ranges(self, study_uid: str, series_uid: str | None) -> list[tuple[str, int, int]]:
        """(relative path, start, size) of a study's (or a series') instances, by series
        then InstanceNumber."""
        sql = "SELECT path, start, size FROM instance WHERE study_uid = ?"
        params: list[str] = [study_uid]
        if series_uid is not None:
            sql += " AND series_uid = ?"
            params.append(series_uid)
        sql += " ORDER BY series_uid, instance_number IS NULL, instance_number, sop_uid"
        return [(row[0], row[1], row[2]) for row in self.connection().execute(sql, params)]

    def series_layouts(
        self, study_uid: str, series_uid: str
    ) -> list[tuple[str, int, int, str | None]]:
        """(relative path, start, size, layout JSON or None) of a series' instances, in
        the order of :meth:`instance_ranges`."""
        rows = self.connection().execute(
            "SELECT i.path, i.start, i.size, l.layout FROM instance i"
            " LEFT JOIN pixel_layout l ON l.sop_uid = i.sop_uid"
            " WHERE i.study_uid = ? AND i.series_uid = ?"
            " ORDER BY i.instance_number IS NULL, i.instance_number, i.sop_uid",
            (study_uid, series_uid),
        )
        return [(row[0], row[1], row[2], row[3]) for row in rows]

    def cached_sop_uids(self, study_uid: str, series_uid: str | None) -> set[str]:
        sql = "SELECT sop_uid FROM instance WHERE study_uid = ?"
        return self._uids(sql, study_uid, series_uid)

    def missing_sop_uids(self, study_uid: str, series_uid: str | None) -> set[str]:
        sql = (
            "SELECT e.sop_uid FROM expected e WHERE e.study_uid = ? AND NOT EXISTS"
            " (SELECT 1 FROM instance i WHERE i.sop_uid = e.sop_uid"
            " AND i.study_uid = e.study_uid)"
        )
        return self._uids(sql, study_uid, series_uid, "e.")

    def _uids(self, sql: str, study_uid: str, series_uid: str | None, alias: str = "") -> set[str]:
        params = [study_uid]
        if series_uid is not None:
            sql += f" AND {alias}series_uid = ?"
            params.append(series_uid)
        return {row[0] for row in self.connection().execute(sql, params)}

    # -- completeness ---------------------------------------------------------------

    def add_expected(self, study_uid: str, series_uid: str, sop_uids: Iterable[str]) -> None:
        """Instances known to exist; an inventory, so an unfinished import of the study
        no longer stands for what is not known."""
        rows = [(study_uid, series_uid, sop) for sop in sop_uids]
        with self.transaction() as conn:
            conn.executemany("INSERT OR IGNORE INTO expected VALUES (?, ?, ?)", rows)
            conn.execute("DELETE FROM unfinished_import WHERE study_uid = ?", (study_uid,))

    def mark_unfinished_import(self, study_uid: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO unfinished_import VALUES (?)", (study_uid,))

    def set_expected_count(self, study_uid: str, count: int) -> None:
        with self.transaction() as conn:
            # A count no table could hold is a source's nonsense: 0, "not known".
            known = count if 0 <= count <= SQLITE_INTEGER_MAX else 0
            conn.execute("INSERT OR REPLACE INTO expected_count VALUES (?, ?)", (study_uid, known))

    def raise_expected_count(self, study_uid: str, count: int) -> None:
        """The study's count becomes at least ``count`` (never lowered)."""
        if not 0 < count <= SQLITE_INTEGER_MAX:
            return
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO expected_count VALUES (?, ?) ON CONFLICT (study_uid)"
                " DO UPDATE SET instances = MAX(instances, excluded.instances)",
                (study_uid, count),
            )

    # -- studies --------------------------------------------------------------------

    def study_exists(self, study_uid: str) -> bool:
        row = (
            self.connection()
            .execute("SELECT 1 FROM study WHERE study_uid = ?", (study_uid,))
            .fetchone()
        )
        return row is not None

    def set_study_flag(self, study_uid: str, column: str, value: float) -> None:
        assert column in ("pinned", "last_access")
        with self.transaction() as conn:
            conn.execute(f"UPDATE study SET {column} = ? WHERE study_uid = ?", (value, study_uid))  # noqa: S608

    def total_size(self) -> int:
        """Bytes the cache holds on disk: files of their own, and packs whole."""
        row = (
            self.connection()
            .execute(
                f"SELECT (SELECT COALESCE(SUM(size), 0) FROM instance WHERE {OWN_FILE})"  # noqa: S608
                " + (SELECT COALESCE(SUM(size), 0) FROM pack)"
            )
            .fetchone()
        )
        return int(row[0])

    def studies_by_access(self) -> list[tuple[str, bool, int]]:
        """(study, pinned, bytes on disk) of every study holding any, least recently
        used first."""
        rows = self.connection().execute(
            f"SELECT study_uid, pinned, bytes FROM (SELECT s.study_uid, s.pinned,"  # noqa: S608
            f" s.last_access, {study_bytes('s.study_uid')} AS bytes FROM study s)"
            " WHERE bytes > 0 ORDER BY last_access, study_uid"
        )
        return [(row[0], bool(row[1]), int(row[2])) for row in rows]

    # -- packs ----------------------------------------------------------------------

    def pack_is_named(self, rel: str) -> bool:
        """Whether an instance row names the pack ``<study>/packs/<name>.pack``."""
        row = (
            self.connection()
            .execute(  # the study first: instance_study finds its rows, path has no index
                "SELECT 1 FROM instance WHERE study_uid = ? AND path = ? LIMIT 1",
                (rel.split("/", 1)[0], rel),
            )
            .fetchone()
        )
        return row is not None

    def pack_sizes(self) -> dict[str, int]:
        """Each pack's recorded size (see the pack table)."""
        return {
            row[0]: int(row[1]) for row in self.connection().execute("SELECT path, size FROM pack")
        }

    def set_pack_sizes(self, sizes: dict[str, int]) -> None:
        """Record packs' sizes as found on disk. A row published since they were looked
        at may end beyond that (the file grew meanwhile): never less than its end."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO pack (path, study_uid, size) SELECT :p, :s, max(:n, COALESCE("
                " (SELECT MAX(i.start + i.size) FROM instance i"
                "  WHERE i.study_uid = :s AND i.path = :p), 0)) WHERE true"
                " ON CONFLICT (path) DO UPDATE SET size = excluded.size",
                [{"p": rel, "s": rel.split("/", 1)[0], "n": n} for rel, n in sizes.items()],
            )

    def forget_packs(self, rels: Iterable[str]) -> None:
        """Packs removed from disk: their bytes no longer count."""
        with self.transaction() as conn:
            conn.executemany("DELETE FROM pack WHERE path = ?", [(rel,) for rel in rels])

    def delete_study_rows(self, conn: Connection, study_uid: str) -> None:
        """Forget a study entirely; a pending_delete row stays until its files are gone."""
        conn.execute(
            "INSERT OR REPLACE INTO pending_delete VALUES (?, ?)", (study_uid, time.time())
        )
        for table in _STUDY_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE study_uid = ?", (study_uid,))  # noqa: S608

    def pending_deletes(self) -> list[str]:
        return [row[0] for row in self.connection().execute("SELECT study_uid FROM pending_delete")]

    def finish_delete(self, study_uid: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM pending_delete WHERE study_uid = ?", (study_uid,))

    def is_pending_delete(self, conn: Connection, study_uid: str) -> bool:
        row = conn.execute(
            "SELECT 1 FROM pending_delete WHERE study_uid = ?", (study_uid,)
        ).fetchone()
        return row is not None


def study_bytes(study_uid: str) -> str:
    """SQL: the bytes a study holds on disk, its files of their own and its packs whole;
    ``study_uid`` is the SQL giving the study (a column, a parameter)."""
    return (
        "(COALESCE((SELECT SUM(own.size) FROM instance own"  # noqa: S608
        f" WHERE own.study_uid = {study_uid} AND {OWN_FILE}), 0)"
        " + COALESCE((SELECT SUM(p.size) FROM pack p"
        f" WHERE p.study_uid = {study_uid}), 0))"
    )


def _dicom_match(pattern: str | None, value: str | None) -> int:
    return int(wildcard_match(pattern or "", value or ""))
