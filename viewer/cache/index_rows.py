"""The rows a committed instance adds to the cache index: its patient, study, series,
instance, pixel layout and pack, written in few statements for a batch.

Kept apart from :mod:`viewer.cache.index` (the connection, the queries and the
bookkeeping) because this is the one write path of every instance that arrives.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from viewer.cache.header import InstanceHeader
from viewer.cache.index_db import Connection
from viewer.cache.layout import PACK_SUFFIX
from viewer.imaging.pixel_layout import PixelLayout


@dataclass(frozen=True)
class NewInstance:
    """What the index keeps of an instance just committed."""

    header: InstanceHeader
    rel: str  # its file (or pack), relative to the cache root
    size: int
    checksum: str
    layout: PixelLayout | None = None
    start: int = 0  # where it begins in its file


def insert_instances(conn: Connection, entries: Sequence[NewInstance]) -> None:
    """Rows for committed instances, in few statements: a study's and a series' rows
    once per batch (the first instance's values: later ones only add other patient
    IDs), the instances' rows in one go each."""
    now = time.time()
    studies: dict[str, InstanceHeader] = {}
    series: dict[str, InstanceHeader] = {}
    other_ids: set[tuple[str, str, str]] = set()
    for entry in entries:
        header = entry.header
        studies.setdefault(header.study_uid, header)
        series.setdefault(header.series_uid, header)
        other_ids.update((header.study_uid, pid, iss) for pid, iss in header.other_patient_ids)
        # Every ID an instance of the study gave its patient, its own too: the cache's
        # identity rule (viewer.cache.identity) matches a later instance against them.
        other_ids.add((header.study_uid, header.patient_id, header.issuer))
    for header in studies.values():
        conn.execute(
            "INSERT INTO study (study_uid, patient_pk, study_date, study_time,"
            " accession_number, description, body_part, institution, last_access)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (study_uid) DO UPDATE SET last_access = excluded.last_access",
            (
                header.study_uid,
                _patient_pk(conn, header),
                header.study_date,
                header.study_time,
                header.accession_number,
                header.study_description,
                header.body_part,
                header.institution,
                now,
            ),
        )
    conn.executemany("INSERT OR IGNORE INTO study_other_id VALUES (?, ?, ?)", other_ids)
    conn.executemany(
        "INSERT OR IGNORE INTO series VALUES (?, ?, ?, ?, ?)",
        [
            (
                h.series_uid,
                h.study_uid,
                h.modality,
                _sqlite_integer(h.series_number),
                h.series_description,
            )
            for h in series.values()
        ],
    )
    conn.executemany(
        "INSERT OR REPLACE INTO instance (sop_uid, study_uid, series_uid, instance_number,"
        " path, size, checksum, transfer_syntax, sop_class, stored, start)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                e.header.sop_uid,
                e.header.study_uid,
                e.header.series_uid,
                _sqlite_integer(e.header.instance_number),
                e.rel,
                e.size,
                e.checksum,
                e.header.transfer_syntax_uid,
                e.header.sop_class_uid,
                now,
                e.start,
            )
            for e in entries
        ],
    )
    conn.executemany(
        "INSERT OR REPLACE INTO pixel_layout VALUES (?, ?, ?)",
        [
            (e.header.sop_uid, e.header.study_uid, e.layout.to_json())
            for e in entries
            if e.layout is not None
        ],
    )
    conn.executemany(  # a layout of an earlier copy would not describe this file
        "DELETE FROM pixel_layout WHERE sop_uid = ?",
        [(e.header.sop_uid,) for e in entries if e.layout is None],
    )
    packs: dict[str, tuple[str, int]] = {}  # pack → (study, end of its last instance)
    for e in entries:
        if e.rel.endswith(PACK_SUFFIX):
            end = max(e.start + e.size, packs.get(e.rel, ("", 0))[1])
            packs[e.rel] = (e.header.study_uid, end)
    conn.executemany(  # never below the size of the file start-up found (see pack)
        "INSERT INTO pack VALUES (?, ?, ?)"
        " ON CONFLICT (path) DO UPDATE SET size = max(size, excluded.size)",
        [(rel, study, end) for rel, (study, end) in packs.items()],
    )
    # A new instance of a study being deleted: the deletion is over for it.
    conn.executemany("DELETE FROM pending_delete WHERE study_uid = ?", [(uid,) for uid in studies])


def _patient_pk(conn: Connection, header: InstanceHeader) -> int:
    key = (header.patient_id, header.issuer, header.patient_name, header.birth_date, header.sex)
    conn.execute(
        "INSERT OR IGNORE INTO patient (patient_id, issuer, name, birth_date, sex)"
        " VALUES (?, ?, ?, ?, ?)",
        key,
    )
    row = conn.execute(
        "SELECT pk FROM patient WHERE patient_id = ? AND issuer = ? AND name = ?"
        " AND birth_date = ? AND sex = ?",
        key,
    ).fetchone()
    return int(row[0])


# SQLite's INTEGER is signed 64-bit; a Python int beyond it makes the insert raise
# OverflowError and fails the whole batch of rows.
SQLITE_INTEGER_MIN, SQLITE_INTEGER_MAX = -(2**63), 2**63 - 1


def _sqlite_integer(number: int | None) -> int | None:
    """A number from a DICOM file as an INTEGER column holds it: one beyond SQLite's range
    is "unknown" (None), as the header reader makes any IS value out of its own range; this
    keeps the rule for callers that build a header some other way."""
    if number is None or SQLITE_INTEGER_MIN <= number <= SQLITE_INTEGER_MAX:
        return number
    return None
