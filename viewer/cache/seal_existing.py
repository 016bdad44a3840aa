"""Instances cached in clear before the cache sealed them, sealed once (issue 18 point 1).

A cache made by an earlier version holds its instances as plain DICOM. The first store
opened with a key seals them, study by study, on a thread of its own while the app is in
use: each study's instances in clear are written again, through a pack writer, as a
retrieval would write them (sealed as they go), and published over the clear copies,
which go as a re-fetched instance's old copy goes (a pack when no row names it any more,
a file of its own at once). So every step is the cache's usual crash-safe one:

- killed midway, the instances sealed so far are published (rows name their sealed
  copies), the rest are still in clear and readable (readers tell a sealed instance by
  its header), and the next start goes on from there: resumable, never half done;
- a study open in a window (a lease) is left for the next start: its readers hold the
  places of its clear copies;
- an instance in clear whose bytes no longer match the checksum the index keeps
  (damaged since), or that does not pass the checks of a commit, is left as it is, for
  ``cache verify`` to find: never sealed as if it were sound;
- the study's last use is kept: sealing is no use, and eviction's order must not change;
- one process of the user seals at a time (a lock file); the others leave it to it, and
  a store that closes stops after the instance in hand.

When no instance in clear is left, a marker file says so, and later starts skip the
walk (a new cache is sealed from its first instance: the marker is made at once). While
anything is left, the next start walks again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future

from viewer.cache.checksum import file_checksum
from viewer.cache.index import CacheIndex
from viewer.cache.layout import CacheLayout
from viewer.cache.pack import PackWriter, PublishPacked
from viewer.cache.sealed import HEADER, names_key
from viewer.cache.sink import CachedInstance
from viewer.errors import QingyingError
from viewer.instance_file import InstanceFile, read_instance_bytes, read_into
from viewer.private_files import PRIVATE_FILE

log = logging.getLogger(__name__)

MARKER = ".instances-sealed-v1"
LOCK_NAME = ".sealing.lock"  # one process of the user seals at a time


def all_sealed(layout: CacheLayout) -> bool:
    """Whether the walk is done: every instance of the cache is sealed."""
    return (layout.root / MARKER).exists()


def seal_existing(
    index: CacheIndex,
    layout: CacheLayout,
    publish: PublishPacked,
    busy: Callable[[], set[str]],
    stop: threading.Event,
) -> bool:
    """Seal every instance still in clear (see the module doc); True when none is left,
    False when ``stop`` was set, another process is at it, or something is left for the
    next start (a study open, an instance that does not seal)."""
    from filelock import FileLock, Timeout

    if layout.seal is None or all_sealed(layout):
        return True
    lock = FileLock(layout.root / LOCK_NAME, timeout=0, mode=PRIVATE_FILE)
    try:
        lock.acquire()
    except Timeout:
        return False  # another process of the user is sealing them
    try:
        by_study: dict[str, list[tuple[InstanceFile, str]]] = {}
        for study_uid, _series, _sop, rel, start, size, checksum in index.all_instances():
            item = layout.instance_file(rel, start, size)
            by_study.setdefault(study_uid, []).append((item, checksum))
        left = False
        for study_uid, instances in by_study.items():
            if stop.is_set():
                return False
            clear = [(item, checksum) for item, checksum in instances if not _sealed(item)]
            if not clear:
                continue
            if study_uid in busy():
                left = True
                continue
            used = _last_access(index, study_uid)
            left = not _write_again(layout, study_uid, clear, publish, stop) or left
            if used is not None:  # sealing is no use of the study: eviction's order stays
                with index.transaction() as conn:
                    conn.execute(
                        "UPDATE study SET last_access = ? WHERE study_uid = ?", (used, study_uid)
                    )
        if left or stop.is_set():
            return False
        (layout.root / MARKER).touch(mode=PRIVATE_FILE)
        log.info("cache: every instance is sealed")
        return True
    finally:
        lock.release()


def _last_access(index: CacheIndex, study_uid: str) -> float | None:
    row = (
        index.connection()
        .execute("SELECT last_access FROM study WHERE study_uid = ?", (study_uid,))
        .fetchone()
    )
    return float(row[0]) if row else None


def _sealed(item: InstanceFile) -> bool:
    """Whether ``item``'s bytes begin with the header of a sealed instance of its key
    (False too when they cannot be read: nothing is sealed there)."""
    head = bytearray(HEADER)
    try:
        got = read_into(item.unsealed(), memoryview(head), 0)
    except OSError:
        return False
    assert item.key is not None
    return names_key(bytes(head[:got]), item.key)


def _write_again(
    layout: CacheLayout,
    study_uid: str,
    clear: list[tuple[InstanceFile, str]],
    publish: PublishPacked,
    stop: threading.Event,
) -> bool:
    """The study's instances in clear, written again sealed into one pack, published
    over their clear copies; whether all were. One whose bytes no longer match their
    checksum is left in clear, for ``cache verify`` to find, never sealed as sound."""
    futures: list[Future[CachedInstance]] = []
    whole = True
    with PackWriter(layout, study_uid, publish) as pack:
        for item, checksum in clear:
            if stop.is_set():
                return False
            try:
                if file_checksum(item, like=checksum) != checksum:
                    whole = False
                    continue
                data = read_instance_bytes(item)
                part = pack.begin_instance()
                part.write(data)
                futures.append(part.commit_async())
            except (OSError, QingyingError) as err:  # left in clear, tried again
                log.warning("cache: an instance could not be sealed (%s)", type(err).__name__)
                whole = False
    for future in futures:
        try:
            future.result()
        except (OSError, QingyingError) as err:
            log.warning("cache: an instance could not be sealed (%s)", type(err).__name__)
            whole = False
    return whole
