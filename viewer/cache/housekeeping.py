"""Keeping files and index in step: start-up repair, deletion and ``verify``.

The rule everything here serves: the index never lists a file that is not there, and
no file is visible under a study folder unless it was complete and durable first.

- A crashed writer may leave ``.tmp/*.part`` files: removed at start-up once no live
  writer holds them (their lock is free and they are a few seconds old).
- A crash between a file's rename and its index row leaves a complete file without a
  row: start-up *adopts* it (reads its header, hashes it, adds the row), so no fetched
  data is lost. A row whose file has gone is dropped (its instance stays expected, so
  its study shows as partial and is fetched again).
- A crashed writer may leave a pack (``<study>/packs/*.pack``) that no row names, or
  bytes past its last indexed instance: such packs are removed at start-up once no live
  writer holds them. A pack whose last row goes (its instances fetched again elsewhere,
  or found damaged) is removed there and then, unless a live writer holds it (start-up
  does it then). Unreferenced bytes inside a pack stay until the pack or its study goes
  (packs are never rewritten); they count in the cache's size all along, since the
  index keeps each pack's whole size. A row that reaches past its pack's end (a pack
  cut short behind the cache's back) is dropped like a row whose file is gone.
- Deleting a study removes its rows first (durably, with a ``pending_delete`` mark),
  then its folder; a crash in between is finished at the next start, so deleted studies
  do not come back through adoption.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from viewer.cache import identity, index_db, quarantine
from viewer.cache.checksum import file_checksum
from viewer.cache.header import PREFIX_BYTES, read_header
from viewer.cache.index import CacheIndex
from viewer.cache.layout import (
    PACK_DIR,
    PACK_SUFFIX,
    CacheLayout,
    is_pack_relpath,
    parse_instance_relpath,
)
from viewer.cache.models import DamagedEntry, ProblemKind, VerifyReport
from viewer.cache.sealed import SealBrokenError
from viewer.cache.whole import require_whole
from viewer.cache.writer import try_lock
from viewer.errors import CancelledError, InvalidDataError
from viewer.imaging.pixel_layout import layout_from_prefix
from viewer.instance_file import InstanceFile, open_instance
from viewer.uids import is_valid_uid

log = logging.getLogger(__name__)

TRASH_PREFIX = "trash-"


# -- temp files ---------------------------------------------------------------------


def clean_temp_dir(layout: CacheLayout, grace_s: float) -> int:
    """Remove what crashed writers left in ``.tmp``; the number of entries removed."""
    removed = 0
    cutoff = time.time() - grace_s
    for entry in os.scandir(layout.temp_dir):
        path = Path(entry.path)
        if entry.name.startswith(TRASH_PREFIX) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
        elif entry.is_file(follow_symlinks=False) and entry.stat().st_mtime <= cutoff:
            removed += remove_unlocked(path)
    return removed


def remove_unlocked(path: Path, still_unwanted: Callable[[], bool] = lambda: True) -> int:
    """Remove a file a crashed writer left, unless a live writer holds its lock or
    ``still_unwanted`` (asked while the lock is held) says otherwise; 1 if removed."""
    try:
        with path.open("rb") as f:
            if not try_lock(f.fileno()):
                return 0  # a live writer's file
            if not still_unwanted():
                return 0
            if sys.platform != "win32":
                path.unlink()
        if sys.platform == "win32":  # closed first: Windows deletes no open file
            path.unlink()
    except OSError:
        return 0
    return 1


# -- deleting studies ---------------------------------------------------------------


def delete_study(index: CacheIndex, layout: CacheLayout, study_uid: str) -> None:
    """Rows first (durably), then the folder: moved into ``.tmp`` at once, removed there."""
    with index.transaction(durable=True) as conn:
        index.delete_study_rows(conn, study_uid)
    _remove_study_folder(layout, study_uid)
    index.finish_delete(study_uid)


def _remove_study_folder(layout: CacheLayout, study_uid: str) -> None:
    folder = layout.root / study_uid
    if not is_valid_uid(study_uid) or not folder.is_dir():
        return
    trash = layout.temp_dir / f"{TRASH_PREFIX}{secrets.token_hex(8)}"
    try:
        folder.rename(trash)
    except OSError:
        trash = folder
    shutil.rmtree(trash, ignore_errors=True)


def finish_pending_deletes(index: CacheIndex, layout: CacheLayout) -> None:
    for study_uid in index.pending_deletes():
        if not index.cached_sop_uids(study_uid, None):
            _remove_study_folder(layout, study_uid)
        index.finish_delete(study_uid)


# -- files without rows, rows without files -----------------------------------------


@dataclass
class OnDisk:
    """What the study folders hold, from one walk."""

    instances: set[str] = field(default_factory=set)  # <study>/<series>/<sop>.dcm
    packs: dict[str, float] = field(default_factory=dict)  # <study>/packs/<name>.pack → mtime


def walk_study_folders(layout: CacheLayout) -> OnDisk:
    """Files of their own named like instances, and packs, under the study folders."""
    found = OnDisk()
    for study in os.scandir(layout.root):
        if not (is_valid_uid(study.name) and study.is_dir(follow_symlinks=False)):
            continue
        for series in os.scandir(study.path):
            if not series.is_dir(follow_symlinks=False):
                continue
            for item in os.scandir(series.path):
                if not item.is_file(follow_symlinks=False):
                    continue
                rel = f"{study.name}/{series.name}/{item.name}"
                if series.name == PACK_DIR and item.name.endswith(PACK_SUFFIX):
                    found.packs[rel] = item.stat().st_mtime
                elif parse_instance_relpath(rel):
                    found.instances.add(rel)
    return found


def instance_files(layout: CacheLayout) -> set[str]:
    """Relative paths of the files under study folders that are named like instances."""
    return walk_study_folders(layout).instances


def reconcile(index: CacheIndex, layout: CacheLayout, pack_grace_s: float) -> tuple[int, int]:
    """Start-up repair, from one read of the index and one walk of the folders: drop rows
    whose bytes are gone (a file missing, a pack cut short), adopt files that have no
    row, remove packs no row names once ``pack_grace_s`` old and unlocked.
    (dropped, adopted)."""
    rows = index.indexed_files()  # rows first, then files: see adopt_file
    on_disk = walk_study_folders(layout)
    indexed = {rel: uids for rel, _start, _size, uids in rows if not is_pack_relpath(rel)}
    gone = [uids for rel, uids in indexed.items() if rel not in on_disk.instances]
    pack_sizes: dict[str, int] = {}
    named: set[str] = set()  # packs a row still names once those past their end go
    for rel, start, size, uids in rows:
        if is_pack_relpath(rel):
            if rel not in pack_sizes:
                pack_sizes[rel] = _size_or_zero(layout.absolute(rel))
            if start + size > pack_sizes[rel]:
                gone.append(uids)
            else:
                named.add(rel)
    if gone:
        log.warning("cache: %d indexed files are missing; they will be fetched again", len(gone))
        with index.transaction() as conn:
            index.remove_instances(conn, gone)
    adopted = sum(
        adopt_file(index, layout, rel) for rel in sorted(on_disk.instances - indexed.keys())
    )
    cutoff = time.time() - pack_grace_s
    for rel, mtime in on_disk.packs.items():
        if rel not in named and mtime <= cutoff:
            _remove_orphan_pack(index, layout, rel)
    _record_pack_sizes(index, layout, {rel: pack_sizes[rel] for rel in named}, on_disk)
    return len(gone), adopted


def _record_pack_sizes(
    index: CacheIndex, layout: CacheLayout, sizes: dict[str, int], on_disk: OnDisk
) -> None:
    """The index's pack sizes made those of the files: a crashed writer's bytes past its
    last published instance count too; a pack gone from disk no longer does. Only what
    differs is written (one read of the pack table otherwise)."""
    recorded = index.pack_sizes()
    changed = {rel: size for rel, size in sizes.items() if recorded.get(rel) != size}
    if changed:
        index.set_pack_sizes(changed)
    vanished = [
        rel
        for rel in recorded.keys() - sizes.keys() - on_disk.packs.keys()
        if not layout.absolute(rel).exists()  # (not one a writer made after the walk)
    ]
    if vanished:
        index.forget_packs(vanished)


def _size_or_zero(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def drop_unnamed_packs(index: CacheIndex, layout: CacheLayout, rels: Iterable[str]) -> int:
    """Remove those of the packs ``rels`` that no row names any more (every instance in
    them fetched again elsewhere or found damaged), unless a live writer holds one: what
    they hold no longer counts in the cache's size once they are gone. The number
    removed."""
    return sum(
        _remove_orphan_pack(index, layout, rel)
        for rel in dict.fromkeys(rels)
        if is_pack_relpath(rel) and not index.pack_is_named(rel)
    )


def _remove_orphan_pack(index: CacheIndex, layout: CacheLayout, rel: str) -> int:
    """Remove a pack no row names (a writer crashed before its first publication, or
    every instance in it was replaced or found damaged), unless a writer holds it or a
    row names it by now; its size leaves the index with it (a crash in between: the
    next start-up forgets it)."""
    path = layout.absolute(rel)
    # Asked again under the pack's lock, when no writer can publish into it.
    removed = remove_unlocked(path, lambda: not index.pack_is_named(rel))
    if removed or not path.exists():
        index.forget_packs([rel])
    return removed


def adopt_file(index: CacheIndex, layout: CacheLayout, rel: str) -> int:
    """Index a complete file that has no row (a crash after its rename); 1 if adopted.

    Only files committed through a sink get here (they were durable before their rename),
    but the header must still agree with the path; anything else goes to quarantine.
    """
    path = layout.absolute(rel)
    item = InstanceFile(path, key=layout.seal)  # sealed, if the cache seals
    expected = parse_instance_relpath(rel)
    try:
        header = read_header(item)
        checksum = file_checksum(item)
        size = path.stat().st_size
    except FileNotFoundError:
        return 0
    except (InvalidDataError, OSError) as err:
        quarantine.put(layout, path, expected[2] if expected else "unknown", str(err))
        return 0
    if (header.study_uid, header.series_uid, header.sop_uid) != expected:
        quarantine.put(layout, path, header.sop_uid, "header does not match its path")
        return 0
    with index.transaction() as conn:
        # Within the write lock: a deletion in progress, a row added meanwhile by its
        # writer, or the file gone since it was read all mean: leave it alone.
        row = conn.execute(
            "SELECT path FROM instance WHERE sop_uid = ?", (header.sop_uid,)
        ).fetchone()
        if row or index.is_pending_delete(conn, header.study_uid) or not path.is_file():
            if row and row[0] != rel:  # superseded by a re-commit under other UIDs
                path.unlink(missing_ok=True)
            return 0
        refused = identity.refusals(conn, [header])  # another patient's study meanwhile
        if not refused:
            index.add_instance(conn, header, rel, size, checksum)
    if refused:
        quarantine.put(layout, path, header.sop_uid, refused[0])
        return 0
    log.info("cache: adopted %s (committed just before a crash)", rel)
    return 1


# -- verify -------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyProgress:
    checked: int  # files checked so far
    total: int  # files to check
    damaged: int  # found damaged (and removed) so far


def verify(
    index: CacheIndex,
    layout: CacheLayout,
    *,
    on_progress: Callable[[VerifyProgress], None] = lambda _p: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> VerifyReport:
    """Recompute the checksum of every indexed file; damaged or missing ones leave the
    index (the file to quarantine first, so a crash cannot bring it back by adoption)
    and stay expected, so their study is partial and they are fetched again.

    ``on_progress`` is called before the first file and after each one; ``cancelled``
    is asked before each file and raises CancelledError when it says so: the entries
    found damaged until then are already removed, the rest is untouched.

    The sealed index is checked first, every page against its HMAC: one that fails
    (changed outside the app) is :class:`CacheIndexDamagedError`, before any row of it
    is believed."""
    failed = index.failed_pages()
    if failed:
        raise index_db.damage_error(layout.root, f"fails its check on {failed} page(s)")
    rows = index.all_instances()
    damaged: list[DamagedEntry] = []
    on_progress(VerifyProgress(0, len(rows), 0))
    for checked, row in enumerate(rows, 1):
        study_uid, series_uid, sop_uid, rel, start, size, checksum = row
        if cancelled():
            raise CancelledError("verify cancelled")
        item = layout.instance_file(rel, start, size)
        found = _problem_of(item, size, checksum)
        if found is not None and not index.still_at(sop_uid, rel, start):
            found = None  # written again meanwhile (a fetch, the sealing): not this copy's
        if found is not None:
            entry = DamagedEntry(study_uid, series_uid, sop_uid, item.path, *found)
            if entry.kind != "missing" and item.is_range:
                quarantine.put_copy(layout, item, sop_uid, entry.problem)
            elif entry.kind != "missing":
                quarantine.put(layout, item.path, sop_uid, entry.problem)
            with index.transaction() as conn:
                index.remove_instances(conn, [(study_uid, series_uid, sop_uid)])
            drop_unnamed_packs(index, layout, [rel])  # its last instance: the pack goes
            damaged.append(entry)
        on_progress(VerifyProgress(checked, len(rows), len(damaged)))
    return VerifyReport(checked=len(rows), damaged=damaged)


def _problem_of(item: InstanceFile, size: int, checksum: str) -> tuple[ProblemKind, str] | None:
    """What is wrong with an instance's bytes (a file of its own, or a range of a pack),
    as (kind, detail), or None."""
    try:
        actual_size = item.path.stat().st_size
        if not item.is_range and actual_size != size:
            return "wrong_size", f"{actual_size} instead of {size}"
        if item.is_range and actual_size < item.offset + size:
            return "pack_short", str(item.offset + size - actual_size)
        if file_checksum(item, like=checksum) != checksum:
            return "checksum_mismatch", ""
        not_whole = _not_whole(item)
        if not_whole is not None:
            return "unreadable", not_whole
    except FileNotFoundError:
        return "missing", ""
    except OSError as err:
        return "unreadable", str(err)
    except SealBrokenError:  # changed, cut or moved: the seal's tag is its checksum
        return "checksum_mismatch", ""
    return None


def _not_whole(item: InstanceFile) -> str | None:
    """Why the instance is not whole as DICOM (:mod:`viewer.cache.whole`), or None: a
    cut-off copy committed by an older version has the checksum of what arrived, so
    the checksum alone calls it sound."""
    with open_instance(item) as file:  # its plaintext, if sealed
        size = file.seek(0, os.SEEK_END)
        file.seek(0)
        prefix = file.read(PREFIX_BYTES)

        def read_at(at: int, count: int) -> bytes:
            file.seek(at)
            return file.read(count)

        try:
            layout = layout_from_prefix(prefix, size <= PREFIX_BYTES)
            require_whole(read_at, size, layout)
        except InvalidDataError as err:
            return f"not a whole DICOM instance: {err}"
        except Exception as err:  # what the bytes make a reader raise is the same verdict
            return f"not a whole DICOM instance ({type(err).__name__})"
    return None
