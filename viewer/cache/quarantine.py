"""The quarantine: damaged instances kept out of sight for a while, then purged.

``verify`` and start-up repair move a damaged file here (or copy a damaged instance out
of a pack) so that someone looking into a fault can still read it. It is patient data
all the same, so it is kept no longer than :data:`KEEP_S` (purged when the cache opens
and whenever it keeps its budget, after every download) and its bytes count against the
cache's budget: when the cache must shrink, the
quarantine goes first, oldest first, before any study a doctor may still want.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from viewer.cache.layout import CacheLayout
from viewer.instance_file import InstanceFile, open_instance
from viewer.private_files import PRIVATE_FILE

log = logging.getLogger(__name__)

KEEP_S = 7 * 24 * 3600.0  # a week to look into a fault, then the patient data goes
SUFFIX = ".dcm"


@dataclass(frozen=True)
class Quarantined:
    path: Path
    size: int
    since: float  # when it was put there (the file's modification time), epoch seconds


def put(layout: CacheLayout, path: Path, sop_uid: str, why: str) -> None:
    """Move a damaged file out of sight (deleted if it cannot be moved)."""
    log.warning("cache: %s is damaged (%s); moved to quarantine", path, why)
    try:
        destination = _name(layout, sop_uid)
        path.replace(destination)
        os.utime(destination)  # its time in quarantine starts now
    except OSError:
        with contextlib.suppress(OSError):
            path.unlink()


def put_copy(layout: CacheLayout, item: InstanceFile, sop_uid: str, why: str) -> None:
    """Keep a copy of a damaged instance of a pack (the pack stays: it holds others;
    the row is what goes). A sealed instance is copied as it lies, sealed: the
    quarantine holds patient data too."""
    log.warning("cache: %s is damaged (%s); a copy kept in quarantine", item, why)
    with contextlib.suppress(OSError), open_instance(item.unsealed()) as src:
        fd = os.open(_name(layout, sop_uid), os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(src, out)


def contents(layout: CacheLayout) -> list[Quarantined]:
    """What the quarantine holds, oldest first."""
    found = []
    # A quarantine that cannot be read holds nothing this can count or purge: the cache
    # still opens (its own files are what matter).
    with contextlib.suppress(OSError), os.scandir(layout.quarantine_dir) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and entry.name.endswith(SUFFIX):
                    stat = entry.stat(follow_symlinks=False)
                    found.append(Quarantined(Path(entry.path), stat.st_size, stat.st_mtime))
    return sorted(found, key=lambda q: (q.since, q.path.name))


def size(layout: CacheLayout) -> int:
    return sum(q.size for q in contents(layout))


def purge(layout: CacheLayout, *, older_than: float = KEEP_S, free: int = 0) -> list[Quarantined]:
    """Delete what has been kept longer than ``older_than`` seconds, then the oldest of
    the rest until ``free`` bytes are freed. Returns what was deleted."""
    now = time.time()
    purged: list[Quarantined] = []
    freed = 0
    for item in contents(layout):
        if now - item.since <= older_than and freed >= free:
            break
        try:
            item.path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            continue  # still there: not counted as freed
        purged.append(item)
        freed += item.size
    if purged:
        log.info("cache: %d file(s) purged from quarantine", len(purged))
    return purged


def _name(layout: CacheLayout, sop_uid: str) -> Path:
    stamp = f"{int(time.time())}.{secrets.token_hex(4)}"
    return layout.quarantine_dir / f"{sop_uid}.{stamp}{SUFFIX}"
