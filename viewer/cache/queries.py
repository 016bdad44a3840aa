"""Reading studies out of the index: listing, searching, completeness."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from viewer.cache.index import study_bytes
from viewer.cache.index_db import Connection
from viewer.cache.models import CachedSeries, CachedStudy, StudyState

_STUDY_SELECT = f"""
SELECT s.study_uid, p.patient_id, p.issuer, p.name, p.birth_date, p.sex,
       s.study_date, s.study_time, s.accession_number, s.description, s.body_part,
       s.institution, s.pinned, s.last_access,
       COALESCE((SELECT c.instances FROM expected_count c WHERE c.study_uid = s.study_uid), 0),
       (SELECT COUNT(*) FROM expected e WHERE e.study_uid = s.study_uid),
       (SELECT COUNT(*) FROM expected e WHERE e.study_uid = s.study_uid AND NOT EXISTS
            (SELECT 1 FROM instance i WHERE i.sop_uid = e.sop_uid
             AND i.study_uid = e.study_uid)),
       EXISTS (SELECT 1 FROM unfinished_import u WHERE u.study_uid = s.study_uid),
       {study_bytes("s.study_uid")}
FROM study s JOIN patient p ON p.pk = s.patient_pk
WHERE EXISTS (SELECT 1 FROM instance i WHERE i.study_uid = s.study_uid)
"""  # noqa: S608

_SERIES_SELECT = """
SELECT se.study_uid, se.series_uid, se.modality, se.series_number, se.description,
       COUNT(i.sop_uid), COALESCE(SUM(i.size), 0)
FROM series se JOIN instance i ON i.series_uid = se.series_uid AND i.study_uid = se.study_uid
WHERE se.study_uid IN (SELECT value FROM json_each(?))
GROUP BY se.study_uid, se.series_uid
ORDER BY se.series_number IS NULL, se.series_number, se.series_uid
"""


@dataclass(frozen=True)
class StudyFilter:
    """What a search of the cache may ask; empty fields do not constrain it. The field
    names are those of :class:`viewer.dicomweb.qido.StudyQuery`."""

    patient_id: str = ""  # exact
    issuer: str = ""  # IssuerOfPatientID, exact
    name: str = ""  # DICOM wildcards * and ?, case-insensitive, over the whole PN value
    birth_date: str = ""  # YYYYMMDD
    sex: str = ""
    modality: str = ""  # one of the study's series
    date_from: str = ""  # YYYYMMDD inclusive
    date_to: str = ""  # YYYYMMDD inclusive
    accession_number: str = ""

    def where(self) -> tuple[str, list[str]]:
        clauses: list[str] = []
        params: list[str] = []
        exact = (
            ("p.patient_id = ?", self.patient_id),
            ("p.issuer = ?", self.issuer),
            ("dicom_match(?, p.name)", self.name),
            ("p.birth_date = ?", self.birth_date),
            ("p.sex = ?", self.sex.upper()),
            (
                "EXISTS (SELECT 1 FROM series se WHERE se.study_uid = s.study_uid"
                " AND se.modality = ?)",
                self.modality.upper(),
            ),
            ("s.study_date >= ?", self.date_from),
            ("s.study_date <= ? AND s.study_date != ''", self.date_to),
            ("s.accession_number = ?", self.accession_number),
        )
        for clause, value in exact:
            if value:
                clauses.append(clause)
                params.append(value)
        return "".join(f" AND {c}" for c in clauses), params


def select_studies(conn: Connection, where: str = "", params: Any = ()) -> list[CachedStudy]:
    sql = _STUDY_SELECT + where + " ORDER BY s.study_date DESC, s.study_time DESC, s.study_uid"
    rows = conn.execute(sql, list(params)).fetchall()
    uids = json.dumps([row[0] for row in rows])
    series: dict[str, list[CachedSeries]] = defaultdict(list)
    for r in conn.execute(_SERIES_SELECT, (uids,)):
        series[r[0]].append(CachedSeries(r[1], r[2], r[3], r[4], int(r[5]), int(r[6])))
    others: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in conn.execute(
        "SELECT study_uid, patient_id, issuer FROM study_other_id"
        " WHERE study_uid IN (SELECT value FROM json_each(?))",
        (uids,),
    ):
        others[r[0]].append((r[1], r[2]))
    return [  # the index keeps the study's own ID among them too (viewer.cache.identity)
        _study(row, tuple(series[row[0]]), tuple(o for o in others[row[0]] if o != row[1:3]))
        for row in rows
    ]


def _study(
    row: Any, series: tuple[CachedSeries, ...], others: tuple[tuple[str, str], ...]
) -> CachedStudy:
    instance_count = sum(s.instance_count for s in series)
    expected_count, expected_rows, missing = int(row[14]), int(row[15]), int(row[16])
    unfinished = bool(row[17])
    return CachedStudy(
        study_uid=row[0],
        patient_id=row[1],
        issuer=row[2],
        patient_name=row[3],
        birth_date=row[4],
        sex=row[5],
        study_date=row[6],
        study_time=row[7],
        accession_number=row[8],
        description=row[9],
        modalities=tuple(dict.fromkeys(s.modality for s in series if s.modality)),
        body_part=row[10],
        institution=row[11],
        other_patient_ids=others,
        series_count=len(series),
        instance_count=instance_count,
        expected_instance_count=known_count(instance_count, expected_rows, missing, expected_count),
        size=int(row[18]),
        last_access=float(row[13]),
        pinned=bool(row[12]),
        state=state_of(instance_count, missing, expected_count, unfinished),
        series=series,
    )


def known_count(cached: int, expected_rows: int, missing: int, expected_count: int) -> int:
    """How many instances the study is known to have (0: unknown). The expected rows may
    name only some of them (an imported study knows nothing until ``verify`` removes a
    damaged instance, which is then expected): what is cached counts too."""
    if expected_rows == 0 and expected_count == 0:
        return 0
    return max(expected_count, cached + missing)


def state_of(cached: int, missing: int, expected_count: int, unfinished: bool) -> StudyState:
    """Partial when something says the study has instances the cache lacks: one expected
    and not cached, a source's count above the cached one, or an import of it that
    stopped before the end of its disc. Otherwise complete, as far as anyone knows.

    So a study nothing more is known of (no source count, no expected rows: adopted at
    start-up, say) is complete, as its series badges say
    (:func:`viewer.history.series.badge_of`): "partial" would claim missing images nobody
    can name. Once a fetch has asked a source what the study holds (its inventory is
    kept as expected rows), the study is partial if the source holds more."""
    if cached == 0:
        return "none"
    if missing == 0 and cached >= expected_count and not unfinished:
        return "complete"
    return "partial"


def study_state(conn: Connection, study_uid: str, source_count: int | None = None) -> StudyState:
    """The study's state from what the index knows; ``source_count``: how many instances
    a source says it holds now (QIDO's NumberOfStudyRelatedInstances), counted as the
    kept source count is."""
    row = conn.execute(
        "SELECT (SELECT COUNT(*) FROM instance WHERE study_uid = :s),"
        " (SELECT COUNT(*) FROM expected e WHERE e.study_uid = :s AND NOT EXISTS"
        "   (SELECT 1 FROM instance i WHERE i.sop_uid = e.sop_uid AND i.study_uid = :s)),"
        " COALESCE((SELECT instances FROM expected_count WHERE study_uid = :s), 0),"
        " EXISTS (SELECT 1 FROM unfinished_import WHERE study_uid = :s)",
        {"s": study_uid},
    ).fetchone()
    expected_count = max(int(row[2]), source_count or 0)
    return state_of(int(row[0]), int(row[1]), expected_count, bool(row[3]))
