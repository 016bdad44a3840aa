"""Exporting a study as plain DICOM Part 10 files, e.g. to hand to another hospital.

The files are copied byte for byte (the cache only holds Part 10 files, alone or as
ranges of packs) and named
by position, not by anything read from them:
``<out>/<StudyUID>/S001_CT/I00001.dcm`` (series in series-number order, instances in
instance-number order). Names stay short and safe on every file system.
"""

from __future__ import annotations

import re
import secrets
import shutil
from pathlib import Path

from viewer.cache.index import CacheIndex
from viewer.cache.layout import CacheLayout
from viewer.errors import NotFoundError
from viewer.instance_file import InstanceFile, open_instance
from viewer.uids import require_uid


def export_study(
    index: CacheIndex, layout: CacheLayout, study_uid: str, out_dir: Path
) -> list[Path]:
    require_uid(study_uid, "StudyInstanceUID")
    rows = (
        index.connection()
        .execute(
            "SELECT i.path, i.start, i.size, i.series_uid, se.modality FROM instance i"
            " JOIN series se ON se.series_uid = i.series_uid AND se.study_uid = i.study_uid"
            " WHERE i.study_uid = ?"
            " ORDER BY se.series_number IS NULL, se.series_number, i.series_uid,"
            " i.instance_number IS NULL, i.instance_number, i.sop_uid",
            (study_uid,),
        )
        .fetchall()
    )
    if not rows:
        raise NotFoundError(f"study {study_uid} is not in the cache")
    folders: dict[str, Path] = {}
    counts: dict[str, int] = {}
    written = []
    for rel, start, size, series_uid, modality in rows:
        if series_uid not in folders:
            label = re.sub(r"[^A-Z0-9]", "", modality.upper())[:16] or "OT"
            folders[series_uid] = out_dir / study_uid / f"S{len(folders) + 1:03d}_{label}"
            folders[series_uid].mkdir(parents=True, exist_ok=True)
        counts[series_uid] = counts.get(series_uid, 0) + 1
        target = folders[series_uid] / f"I{counts[series_uid]:05d}.dcm"
        _copy_atomically(layout.instance_file(rel, start, size), target)
        written.append(target)
    return written


def _copy_atomically(source: InstanceFile, target: Path) -> None:
    part = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        if source.is_range or source.key is not None:  # a range, or sealed: its plaintext
            with open_instance(source) as src, part.open("wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
        else:
            shutil.copyfile(source.path, part)
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)
