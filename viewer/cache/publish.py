"""Publishing a batch of durable instances: into their places, then into the index.

The last step of :class:`viewer.cache.store.CacheStore`'s writing, run by its group
committer (files of their own) and its pack writers (instances in packs), one batch at a
time: rows of instances being replaced go first (durably), then the renames, one fsync
per folder, one transaction for the new rows, and only then each writer hears that its
instance is cached. An instance that would join another patient's study is refused
before anything is replaced, and again under the index's write lock.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

from viewer.cache import housekeeping, identity, index_db
from viewer.cache.index import CacheIndex
from viewer.cache.index_rows import NewInstance
from viewer.cache.layout import CacheLayout, fsync_dir, is_pack_relpath
from viewer.cache.pack import Packed
from viewer.cache.sink import CachedInstance
from viewer.cache.writer import Pending, close_fd, disk_error

log = logging.getLogger(__name__)


class Publisher:
    def __init__(self, root: Path, layout: CacheLayout, index: CacheIndex) -> None:
        self.root = root
        self._layout = layout
        self._index = index
        self._known_dirs: set[Path] = set()  # folders made (durably) by this cache
        self._lock = threading.Lock()  # one batch at a time (committer, packs)

    def publish(self, batch: list[Pending] | list[Packed]) -> None:
        """Move durable temp files into place (packs are in place), then index them (the
        order matters).

        One batch: rows of instances being replaced go first (durably: until the new row
        is in, such an instance is simply not cached), then every rename, one fsync per
        folder, one transaction for the new rows, and only then the futures are set."""
        with self._lock:
            self._publish_in_rounds(list(batch))

    def _publish_in_rounds(self, batch: list[Pending | Packed]) -> None:
        while batch:
            # The same instance twice in a batch: the second one waits for the next round.
            seen: set[str] = set()
            cut = len(batch)
            for i, item in enumerate(batch):
                if item.header.sop_uid in seen:
                    cut = i
                    break
                seen.add(item.header.sop_uid)
            self._publish_round(batch[:cut])
            batch = batch[cut:]

    def _publish_round(self, batch: list[Pending | Packed]) -> None:
        batch = self._refuse_strangers(batch)
        rels = {
            id(item): item.rel
            if isinstance(item, Packed)
            else self._layout.relative_instance_path(
                item.header.study_uid, item.header.series_uid, item.header.sop_uid
            )
            for item in batch
        }
        previous = self._index.instance_locations([item.header.sop_uid for item in batch])
        if previous:
            with self._index.transaction(durable=True) as conn:
                conn.executemany(
                    "DELETE FROM instance WHERE sop_uid = ?", [(sop,) for sop in previous]
                )
        moved = self._place(batch, rels)
        renamed = [target for item, target in moved if not isinstance(item, Packed)]
        try:
            for folder in dict.fromkeys(target.parent for target in renamed):
                fsync_dir(folder)
            with self._index.transaction() as conn:
                # Again under the index's write lock: another process (a nightly prefetch,
                # an import) may have cached the study for another patient since.
                late = identity.refusals(conn, [item.header for item, _ in moved])
                refused = [(moved[i], why) for i, why in late.items()]
                moved = [pair for i, pair in enumerate(moved) if i not in late]
                self._index.add_instances(
                    conn,
                    [
                        NewInstance(
                            item.header,
                            rels[id(item)],
                            item.size,
                            item.checksum,
                            item.layout,
                            item.start,
                        )
                        for item, _target in moved
                    ],
                )
        except BaseException as err:
            # Nothing of this round is indexed: its files go too, nothing half stays.
            for target in renamed:
                target.unlink(missing_ok=True)
            for item, _target in moved:
                item.future.set_exception(
                    disk_error(err, self.root) if isinstance(err, OSError) else err
                )
            self._remove_replaced(previous, {})
            return
        for (item, target), why in refused:
            if not isinstance(item, Packed):
                target.unlink(missing_ok=True)
            item.future.set_exception(identity.refused_error(why))
        self._remove_replaced(previous, {item.header.sop_uid: rels[id(item)] for item, _ in moved})
        for item, target in moved:
            header = item.header
            item.future.set_result(
                CachedInstance(
                    study_uid=header.study_uid,
                    series_uid=header.series_uid,
                    sop_uid=header.sop_uid,
                    path=target,
                    size=item.size,
                    checksum=item.checksum,
                    transfer_syntax_uid=header.transfer_syntax_uid,
                    start=item.start,
                    key=self._layout.seal,
                )
            )

    def _refuse_strangers(self, batch: list[Pending | Packed]) -> list[Pending | Packed]:
        """The batch less the instances that would join another patient's study, or
        move an instance or a series into another study (:mod:`viewer.cache.identity`):
        those are discarded and their futures fail, before anything is replaced."""
        refused = identity.refusals(self._index.connection(), [item.header for item in batch])
        for i, why in refused.items():
            batch[i].discard()
            batch[i].future.set_exception(identity.refused_error(why))
        return [item for i, item in enumerate(batch) if i not in refused]

    def _remove_replaced(self, previous: dict[str, str], now: dict[str, str]) -> None:
        """What a round's instances were in before (``previous``, SOP → path; their rows
        are gone) once those published are in their new places (``now``): a file of its
        own replaced goes (one not replaced stays, to be adopted again at start-up); a
        pack goes once no row names it (before the new instances are reported, so its
        bytes stop counting at once). A pack that cannot go now loses nothing (start-up
        removes it): that must not fail the round."""
        for sop, old in previous.items():
            if sop in now and old != now[sop] and not is_pack_relpath(old):
                self._layout.absolute(old).unlink(missing_ok=True)
        packs = {rel for rel in previous.values() if is_pack_relpath(rel)} - set(now.values())
        if not packs:
            return
        try:
            housekeeping.drop_unnamed_packs(self._index, self._layout, packs)
        except (OSError, index_db.sql.Error) as err:
            log.warning("cache: a pack left without instances stays until start-up (%s)", err)

    def _place(
        self, batch: list[Pending | Packed], rels: dict[int, str]
    ) -> list[tuple[Pending | Packed, Path]]:
        """Rename each durable temp file to its place (packs are in place); those that
        made it, with where they are."""
        moved: list[tuple[Pending | Packed, Path]] = []
        packs: dict[str, Path] = {}  # a batch is mostly one pack: its path made once
        for item in batch:
            if isinstance(item, Packed):
                if item.rel not in packs:
                    packs[item.rel] = self._layout.absolute(item.rel)
                moved.append((item, packs[item.rel]))
                continue
            try:
                moved.append((item, self._move_into_place(item, rels[id(item)])))
            except OSError as err:
                item.discard()
                item.future.set_exception(disk_error(err, self.root))
        return moved

    def _move_into_place(self, item: Pending, rel: str) -> Path:
        for attempt in range(3):
            target = self._layout.make_instance_dirs(rel, self._known_dirs)
            if sys.platform == "win32":  # Windows cannot rename an open file
                close_fd(item)
            try:
                item.temp_path.replace(target)
            except FileNotFoundError:
                # The study folder went away in between (the study was deleted by
                # another process): make it again.
                self._known_dirs.clear()
                if attempt == 2 or not item.temp_path.exists():
                    raise
                continue
            return target
        raise AssertionError("unreachable")
