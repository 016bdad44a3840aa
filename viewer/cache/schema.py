"""The tables of the cache index (SQLite) and their version.

Each version adds tables or columns; :class:`viewer.cache.index.CacheIndex` brings an
older index up to date when it opens it.
"""

from __future__ import annotations

from viewer.cache.layout import PACK_SUFFIX

# PRAGMA user_version: 0 before it was kept, 2 with pack ranges, 3 with unfinished
# imports, 4 with pack sizes (each adds tables or columns; see CacheIndex._prepare).
SCHEMA_VERSION = 4

# SQL: an instance row's bytes are a file of its own (``.dcm``), not a range of a pack.
# The same text in the partial index below and in the queries, so they can use it.
OWN_FILE = f"substr(path, -{len(PACK_SUFFIX)}) != '{PACK_SUFFIX}'"

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS patient (
    pk INTEGER PRIMARY KEY,
    patient_id TEXT NOT NULL, issuer TEXT NOT NULL, name TEXT NOT NULL,
    birth_date TEXT NOT NULL, sex TEXT NOT NULL,
    UNIQUE (patient_id, issuer, name, birth_date, sex)
);
CREATE TABLE IF NOT EXISTS study (
    study_uid TEXT PRIMARY KEY,
    patient_pk INTEGER NOT NULL REFERENCES patient (pk),
    study_date TEXT NOT NULL, study_time TEXT NOT NULL, accession_number TEXT NOT NULL,
    description TEXT NOT NULL, body_part TEXT NOT NULL, institution TEXT NOT NULL,
    pinned INTEGER NOT NULL DEFAULT 0,
    last_access REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS study_patient ON study (patient_pk);
CREATE TABLE IF NOT EXISTS study_other_id (
    study_uid TEXT NOT NULL, patient_id TEXT NOT NULL, issuer TEXT NOT NULL,
    PRIMARY KEY (study_uid, patient_id, issuer)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS series (
    series_uid TEXT PRIMARY KEY, study_uid TEXT NOT NULL,
    modality TEXT NOT NULL, series_number INTEGER, description TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS series_study ON series (study_uid);
CREATE TABLE IF NOT EXISTS instance (
    sop_uid TEXT PRIMARY KEY, study_uid TEXT NOT NULL, series_uid TEXT NOT NULL,
    instance_number INTEGER, path TEXT NOT NULL, size INTEGER NOT NULL,
    checksum TEXT NOT NULL, transfer_syntax TEXT NOT NULL, sop_class TEXT NOT NULL,
    stored REAL NOT NULL,
    start INTEGER NOT NULL DEFAULT 0  -- where the instance begins in its file (a pack)
);
CREATE INDEX IF NOT EXISTS instance_study ON instance (study_uid, series_uid);
-- The sizes of the files of their own, by study: what the cache holds on disk is those
-- and its packs (the pack table), summed without reading every instance row (5 ms
-- instead of 77 for 900,000 instances, nine in ten of them in 13,500 packs).
CREATE INDEX IF NOT EXISTS instance_own_file ON instance (study_uid, size) WHERE {OWN_FILE};
-- Each pack an instance was published into, and its bytes on disk: its instances, and
-- what stays of those replaced or removed since (a pack is never rewritten: it goes
-- when no instance row names it any more). At least the end of its last published
-- instance, and start-up makes it the size of the file.
CREATE TABLE IF NOT EXISTS pack (
    path TEXT PRIMARY KEY, study_uid TEXT NOT NULL, size INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS pack_study ON pack (study_uid);
-- Pixel layout and plane geometry of an instance (viewer.imaging.pixel_layout, JSON), so
-- a cached series loads without its headers being read (absent for older entries).
CREATE TABLE IF NOT EXISTS pixel_layout (
    sop_uid TEXT PRIMARY KEY, study_uid TEXT NOT NULL, layout TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS pixel_layout_study ON pixel_layout (study_uid);
CREATE TABLE IF NOT EXISTS expected (
    study_uid TEXT NOT NULL, series_uid TEXT NOT NULL, sop_uid TEXT NOT NULL,
    PRIMARY KEY (study_uid, series_uid, sop_uid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS expected_count (
    study_uid TEXT PRIMARY KEY, instances INTEGER NOT NULL
);
-- Studies an import brought instances of and has not finished (cancelled, or its process
-- died): the rest of the disc may hold more of them, nobody knows how many. An inventory
-- (the finished import's, a fetch's) replaces this with what the study holds.
CREATE TABLE IF NOT EXISTS unfinished_import (study_uid TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lease (
    study_uid TEXT NOT NULL, owner TEXT NOT NULL, pid INTEGER NOT NULL, since REAL NOT NULL,
    PRIMARY KEY (study_uid, owner)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending_delete (study_uid TEXT PRIMARY KEY, since REAL NOT NULL);
"""

__all__ = ["OWN_FILE", "SCHEMA", "SCHEMA_VERSION"]
