"""Which patient, study and series an arriving instance may join in the cache: never
another's.

UIDs are meant to be unique the world over, but a broken or hostile source, or a CD with
reused UIDs, can bring an instance whose SOP Instance UID is already cached in another
study or series, whose series is cached in another study, or whose study is cached for
another patient. Taking it would move an image into another patient's study, or put two
patients in one viewport. Such an instance is refused before anything of it is published,
and what the cache holds stays as it was.

Same patient means the instance and the cached study share an identity: a (Patient ID,
Issuer of Patient ID) pair, the primary one or one of Other Patient IDs Sequence (PS3.3
C.7.1.1), which is how the platform and a hospital PACS link their IDs for one person. An
empty issuer on either side matches on the ID alone, since not every source sends one.
Names never decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from viewer.cache.header import InstanceHeader
from viewer.cache.index_db import Connection
from viewer.cache.sink import ForeignInstanceError

Identity = tuple[str, str]  # (Patient ID, Issuer of Patient ID)
_CHUNK = 500  # SQLite's limit on parameters, with room to spare


def refusals(conn: Connection, headers: Sequence[InstanceHeader]) -> dict[int, str]:
    """Index in ``headers`` → why that instance may not join the cache (a batch is
    checked against the cache and against its own earlier instances)."""
    sops = _rows(
        conn,
        "SELECT sop_uid, study_uid, series_uid FROM instance WHERE sop_uid IN ({})",
        {h.sop_uid for h in headers},
    )
    placed = {sop: (study, series) for sop, study, series in sops}
    series_rows = _rows(
        conn,
        "SELECT series_uid, study_uid FROM series WHERE series_uid IN ({})",
        {h.series_uid for h in headers},
    )
    series_study: dict[str, str] = {series: study for series, study in series_rows}
    study_ids = _study_identities(conn, {h.study_uid for h in headers})
    refused: dict[int, str] = {}
    for i, header in enumerate(headers):
        why = _why_refused(header, placed, series_study, study_ids)
        if why is not None:
            refused[i] = why
            continue
        # What an accepted instance says of its patient is known of the study from now
        # on (the index keeps it too): a hospital's copy accepted through the platform ID
        # it links makes the hospital's own ID this patient's, for its next instances.
        series_study.setdefault(header.series_uid, header.study_uid)
        study_ids.setdefault(header.study_uid, set()).update(_identities(header))
    return refused


def refused_error(why: str) -> ForeignInstanceError:
    return ForeignInstanceError(f"refused, the cache is unchanged: {why}")


def _why_refused(
    header: InstanceHeader,
    placed: dict[str, tuple[str, str]],
    series_study: dict[str, str],
    study_ids: dict[str, set[Identity]],
) -> str | None:
    where = placed.get(header.sop_uid)
    if where is not None and where != (header.study_uid, header.series_uid):
        return f"instance {header.sop_uid} is cached in another study or series"
    study = series_study.get(header.series_uid)
    if study is not None and study != header.study_uid:
        return f"series {header.series_uid} is cached in another study"
    known = study_ids.get(header.study_uid)
    if known is not None and not _same_patient(_identities(header), known):
        return f"study {header.study_uid} is cached for another patient"
    return None


def _identities(header: InstanceHeader) -> set[Identity]:
    return {(header.patient_id, header.issuer), *header.other_patient_ids}


def _same_patient(ours: set[Identity], theirs: set[Identity]) -> bool:
    for pid, issuer in ours:
        for known_pid, known_issuer in theirs:
            if pid == known_pid and (issuer == known_issuer or not issuer or not known_issuer):
                return True
    return False


def _study_identities(conn: Connection, studies: set[str]) -> dict[str, set[Identity]]:
    found: dict[str, set[Identity]] = {}
    primary = _rows(
        conn,
        "SELECT s.study_uid, p.patient_id, p.issuer FROM study s"
        " JOIN patient p ON p.pk = s.patient_pk WHERE s.study_uid IN ({})",
        studies,
    )
    other = _rows(
        conn,
        "SELECT study_uid, patient_id, issuer FROM study_other_id WHERE study_uid IN ({})",
        studies,
    )
    for study, pid, issuer in (*primary, *other):
        found.setdefault(study, set()).add((pid, issuer))
    return found


def _rows(conn: Connection, sql: str, keys: Iterable[str]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    uids = list(keys)
    for start in range(0, len(uids), _CHUNK):
        chunk = uids[start : start + _CHUNK]
        rows.extend(conn.execute(sql.format(",".join("?" * len(chunk))), chunk))
    return rows
