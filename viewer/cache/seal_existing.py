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
- an instance in clear that no longer passes the checks of a commit (damaged since) is
  left as it is, for ``cache verify`` to find.

When no study holds an instance in clear any more, a marker file says so, and later
starts skip the walk (a new cache is sealed from its first instance: the marker is made
at once).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future

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
    False when ``stop`` was set or a study was open and is left for the next start."""
    if layout.seal is None or all_sealed(layout):
        return True
    left = False
    studies = [row[0] for row in index.connection().execute("SELECT study_uid FROM study")]
    for study_uid in studies:
        if stop.is_set():
            return False
        if study_uid in busy():
            left = True
            continue
        clear = [item for item in _instances(index, layout, study_uid) if not _sealed(item)]
        if clear:
            _write_again(layout, study_uid, clear, publish)
    if left:
        return False
    marker = layout.root / MARKER
    marker.touch(mode=PRIVATE_FILE)
    log.info("cache: every instance is sealed")
    return True


def _instances(index: CacheIndex, layout: CacheLayout, study_uid: str) -> list[InstanceFile]:
    return [
        layout.instance_file(rel, start, size)
        for rel, start, size in index.instance_ranges(study_uid, None)
    ]


def _sealed(item: InstanceFile) -> bool:
    """Whether ``item``'s bytes begin with the header of a sealed instance of its key."""
    head = bytearray(HEADER)
    try:
        got = read_into(item.unsealed(), memoryview(head), 0)
    except OSError:
        return True  # gone or unreadable: nothing to seal here (verify tells which)
    assert item.key is not None
    return names_key(bytes(head[:got]), item.key)


def _write_again(
    layout: CacheLayout, study_uid: str, clear: list[InstanceFile], publish: PublishPacked
) -> None:
    """The study's instances in clear, written again sealed into one pack, published
    over their clear copies."""
    futures: list[Future[CachedInstance]] = []
    with PackWriter(layout, study_uid, publish) as pack:
        for item in clear:
            try:
                data = read_instance_bytes(item)
                part = pack.begin_instance()
                part.write(data)
                futures.append(part.commit_async())
            except (OSError, QingyingError) as err:  # left in clear, for verify
                log.warning("cache: an instance could not be sealed (%s)", type(err).__name__)
    for future in futures:
        try:
            future.result()
        except (OSError, QingyingError) as err:
            log.warning("cache: an instance could not be sealed (%s)", type(err).__name__)
