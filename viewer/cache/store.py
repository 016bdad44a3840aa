"""The offline cache: DICOM files under one folder, indexed in SQLite.

Retrieval writes each instance through :meth:`CacheStore.begin_instance` (the
:class:`viewer.cache.sink.SinkFactory` seam); an instance becomes visible only once its
file is complete and durable: temp file in ``.tmp`` → header read (from the bytes kept in
memory) and UIDs checked → checksum and fsync → atomic rename to
``<StudyUID>/<SeriesUID>/<SOPUID>.dcm`` → fsync of the folder → index row. The steps
after the header check run in batches on the :class:`viewer.cache.writer.GroupCommitter`
(renames, folder fsyncs and rows shared by whatever is durable at the time:
:mod:`viewer.cache.publish`), so the writer goes on with the next instance meanwhile.

A retrieval of many instances (a series or a study) writes through
:meth:`CacheStore.pack_sinks` instead: its instances are appended to one pack file,
synced in groups and indexed as (pack, start, size) once durable (see
:mod:`viewer.cache.pack` for why and how). Readers get an
:class:`~viewer.instance_file.InstanceFile` either way.

A crash at any moment leaves no half file in a study folder and no row pointing at
bytes that are not on disk; see :mod:`viewer.cache.housekeeping` for what start-up
repairs. Several threads (one SQLite connection each) and several processes may use one
cache at the same time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Self

from viewer.cache import housekeeping, index_db, quarantine, queries, seal_existing
from viewer.cache.evict import evict as _evict
from viewer.cache.export import export_study as _export_study
from viewer.cache.file_seal import purpose_key
from viewer.cache.housekeeping import VerifyProgress
from viewer.cache.importer import ImportProgress
from viewer.cache.importer import import_path as _import_path
from viewer.cache.index import CacheIndex
from viewer.cache.layout import CacheLayout
from viewer.cache.leases import Leases
from viewer.cache.models import (
    CachedStudy,
    EvictReport,
    ImportReport,
    StudyState,
    VerifyReport,
)
from viewer.cache.pack import Packed, PackWriter
from viewer.cache.publish import Publisher
from viewer.cache.queries import StudyFilter
from viewer.cache.sealed import SealKey
from viewer.cache.sink import ANY_INSTANCE, Accept
from viewer.cache.writer import (
    FileSink,
    GroupCommitter,
    Pending,
    TempFiles,
)
from viewer.errors import DiskFullError, NotFoundError, UsageError
from viewer.imaging.pixel_layout import PixelLayout
from viewer.instance_file import InstanceFile
from viewer.private_files import PRIVATE_FILE, make_private
from viewer.uids import require_uid

log = logging.getLogger(__name__)

# Temp files younger than this are left alone at start-up: a writer in another process
# may have created one an instant before locking it.
TEMP_GRACE_S = 5.0
_FILTER_KEYS = frozenset(f.name for f in dataclasses.fields(StudyFilter))


class CacheStore:
    """The offline cache under ``root``, kept near ``max_size`` bytes by :meth:`evict`."""

    emptied_for_lost_key = False  # opened anew, its key lost (viewer.workspace.open_store)

    def __init__(
        self,
        root: Path,
        max_size: int,
        *,
        key: bytes | None = None,
        temp_grace_s: float = TEMP_GRACE_S,
    ) -> None:
        """``key``: the cache's (:func:`viewer.cache.cache_key.cache_key`), which seals its
        index; None keeps it in clear (tests and tools: the app's cache always has one)."""
        if max_size < 0:
            raise UsageError(f"cache.max_size must not be negative (got {max_size})")
        self.root = Path(root)
        self.max_size = max_size
        self.key = key  # seals the index here, and the cache's small files (file_seal)
        # The instances are sealed under a key of their own, derived from the cache's.
        seal = SealKey.from_bytes(purpose_key(key, "instances")) if key is not None else None
        self._layout = CacheLayout(self.root, seal)
        self._layout.create()
        with index_db.damage_said(self.root):
            self._index = CacheIndex(self._layout.index_path, key)
        make_private(self._layout.index_path, PRIVATE_FILE)  # made just now, perhaps
        self._leases = Leases(self._index)
        self._publisher = Publisher(self.root, self._layout, self._index)
        self._committer = GroupCommitter(self.root, self._publish_batch)
        self._temp_files = TempFiles(self._layout.temp_dir, self.root)
        self._stop_sealing = threading.Event()
        self._sealing: threading.Thread | None = None
        try:
            with index_db.damage_said(self.root):
                self._startup(temp_grace_s)
        except BaseException:
            self.close()  # its threads and connections: nobody holds this store
            raise
        if seal is not None and not seal_existing.all_sealed(self._layout):
            self._sealing = threading.Thread(
                target=self._seal_existing, name="cache-seal", daemon=True
            )
            self._sealing.start()

    def _seal_existing(self) -> None:
        """Instances cached in clear by an earlier version, sealed (viewer.cache.seal_existing)."""
        try:
            seal_existing.seal_existing(
                self._index,
                self._layout,
                self._publish_batch,
                self._leases.busy,
                self._stop_sealing,
            )
        except Exception as err:  # tried again at the next start
            log.warning("cache: sealing the instances in clear stopped (%s)", type(err).__name__)

    def wait_sealed(self, timeout: float | None = None) -> bool:
        """Wait for the instances in clear to be sealed; whether none is left."""
        if self._sealing is not None:
            self._sealing.join(timeout)
        return seal_existing.all_sealed(self._layout) or self._layout.seal is None

    def _startup(self, temp_grace_s: float) -> None:
        housekeeping.clean_temp_dir(self._layout, temp_grace_s)
        quarantine.purge(self._layout)  # what was kept longer than a week (frees space)
        try:
            self._leases.drop_stale()
            housekeeping.finish_pending_deletes(self._index, self._layout)
            housekeeping.reconcile(self._index, self._layout, temp_grace_s)
        except DiskFullError:
            # What is cached can still be read: the repair waits for the next start.
            log.warning("cache: the disk is full; start-up repair postponed")

    @property
    def instance_key(self) -> SealKey | None:
        """What seals the cache's instances (None: they are kept in clear)."""
        return self._layout.seal

    # -- writing ------------------------------------------------------------------

    def begin_instance(self, accept: Accept = ANY_INSTANCE) -> FileSink:
        """A file of its own for one instance (one-instance requests, imports); it refuses
        any instance ``accept`` does not allow (a retrieval names what it asked for; an
        import of the user's own files accepts any)."""
        return FileSink(self._temp_files, self._committer, self.root, accept, self._layout.seal)

    def pack_sinks(self, study_uid: str) -> PackWriter:
        """A sink factory for one retrieval of ``study_uid`` (a series or the study): its
        instances go into one pack. Use it as a context manager around the retrieval."""
        require_uid(study_uid, "StudyInstanceUID")
        return PackWriter(self._layout, study_uid, self._publish_batch)

    def _publish_batch(self, batch: list[Pending] | list[Packed]) -> None:
        """Durable instances into place, then into the index (:mod:`viewer.cache.publish`)."""
        self._publisher.publish(batch)

    # -- completeness -------------------------------------------------------------

    def set_expected(self, study_uid: str, series_uid: str, sop_uids: Iterable[str]) -> None:
        """Instances known to exist at the source (added to what was known before)."""
        require_uid(study_uid, "StudyInstanceUID")
        require_uid(series_uid, "SeriesInstanceUID")
        self._index.add_expected(study_uid, series_uid, [require_uid(u) for u in sop_uids])

    def set_expected_counts(self, study_uid: str, n_instances: int) -> None:
        """How many instances the source holds for a study (NumberOfStudyRelatedInstances)."""
        self._index.set_expected_count(require_uid(study_uid, "StudyInstanceUID"), n_instances)

    def expect_at_least(self, study_uid: str, n_instances: int) -> None:
        """The study holds at least ``n_instances`` at the source, whatever was known (kept
        as its count, never lowered): a fetch that starts before it has the instance
        lists says so, so that, stopped before they are known, it leaves the study
        partial."""
        self._index.raise_expected_count(require_uid(study_uid, "StudyInstanceUID"), n_instances)

    def missing_instances(self, study_uid: str, series_uid: str | None = None) -> set[str]:
        return self._index.missing_sop_uids(study_uid, series_uid)

    def cached_sop_uids(self, study_uid: str, series_uid: str | None = None) -> set[str]:
        return self._index.cached_sop_uids(study_uid, series_uid)

    def mark_unfinished_import(self, study_uid: str) -> None:
        """An import has begun bringing this study: partial until an inventory
        (:meth:`set_expected`) says what it holds."""
        self._index.mark_unfinished_import(require_uid(study_uid, "StudyInstanceUID"))

    def study_state(self, study_uid: str, source_count: int | None = None) -> StudyState:
        """none, partial or complete; ``source_count`` is what a source says the study
        holds, when the caller knows it (a history search does)."""
        return queries.study_state(self._index.connection(), study_uid, source_count)

    # -- reading ------------------------------------------------------------------

    def studies(self) -> list[CachedStudy]:
        return queries.select_studies(self._index.connection())

    def search(self, **filters: str) -> list[CachedStudy]:
        """Studies matching every filter given; the keys are the fields of
        :class:`viewer.cache.queries.StudyFilter` (those of a QIDO StudyQuery)."""
        unknown = set(filters) - _FILTER_KEYS
        if unknown:
            raise UsageError(f"cannot search the cache by {', '.join(sorted(unknown))}")
        where, params = StudyFilter(**filters).where()
        return queries.select_studies(self._index.connection(), where, params)

    def study(self, study_uid: str) -> CachedStudy | None:
        found = queries.select_studies(
            self._index.connection(), " AND s.study_uid = ?", [study_uid]
        )
        return found[0] if found else None

    def instance_files(self, study_uid: str, series_uid: str | None = None) -> list[InstanceFile]:
        """Where the instances of a study (or one series) are, by series then
        InstanceNumber: files of their own or ranges of packs."""
        rows = self._index.instance_ranges(study_uid, series_uid)
        return [self._layout.instance_file(rel, start, size) for rel, start, size in rows]

    def series_files(
        self, study_uid: str, series_uid: str
    ) -> tuple[list[InstanceFile], list[PixelLayout | None]]:
        """A series' instances by InstanceNumber, with the pixel layout the index keeps
        of each (None where it has none): what :func:`viewer.imaging.volume.load_volume`
        needs to load them without reading every header."""
        rows = self._index.series_layouts(study_uid, series_uid)
        files = [self._layout.instance_file(rel, start, size) for rel, start, size, _t in rows]
        return files, [PixelLayout.from_json(text) if text else None for *_, text in rows]

    def size(self) -> int:
        """Bytes on disk: the indexed packs and files, and the quarantine's."""
        return self._index.total_size() + quarantine.size(self._layout)

    def quarantined(self) -> list[quarantine.Quarantined]:
        """The damaged files kept for a while (counted in :meth:`size`), oldest first."""
        return quarantine.contents(self._layout)

    # -- bookkeeping ----------------------------------------------------------------

    def touch(self, study_uid: str) -> None:
        self._index.set_study_flag(study_uid, "last_access", time.time())

    def pin(self, study_uid: str) -> None:
        self._require_study(study_uid)
        self._index.set_study_flag(study_uid, "pinned", 1)

    def unpin(self, study_uid: str) -> None:
        self._require_study(study_uid)
        self._index.set_study_flag(study_uid, "pinned", 0)

    def _require_study(self, study_uid: str) -> None:
        if not self._index.study_exists(study_uid):
            raise NotFoundError(f"study {study_uid} is not in the cache")

    @contextlib.contextmanager
    def open_study(self, study_uid: str) -> Iterator[None]:
        """Mark a study in use while inside: eviction (here and in other processes, through
        a lease row) leaves it alone. Entering also counts as an access."""
        with self._leases.hold(study_uid):
            self.touch(study_uid)
            yield

    # -- chores -------------------------------------------------------------------

    def evict(self, to_size: int | None = None) -> EvictReport:
        """Delete least recently used studies until the cache is within ``to_size``
        (default: ``max_size``); never pinned studies, never open ones."""
        target = self.max_size if to_size is None else to_size
        return _evict(self._index, self._layout, target, self._leases.busy())

    def verify(
        self,
        *,
        on_progress: Callable[[VerifyProgress], None] = lambda _p: None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> VerifyReport:
        """Recompute every checksum (see :func:`viewer.cache.housekeeping.verify`);
        CancelledError when ``cancelled`` says so, the damaged found until then removed."""
        return housekeeping.verify(
            self._index, self._layout, on_progress=on_progress, cancelled=cancelled
        )

    def import_path(
        self,
        path: Path,
        *,
        on_progress: Callable[[ImportProgress], None] = lambda _p: None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> ImportReport:
        """Import a folder or DICOMDIR (see :mod:`viewer.cache.importer`); CancelledError
        when ``cancelled`` says so, the files committed until then kept (their studies
        stay marked unfinished, so partial)."""
        return _import_path(self, Path(path), on_progress=on_progress, cancelled=cancelled)

    def export_study(self, study_uid: str, out_dir: Path) -> list[Path]:
        return _export_study(self._index, self._layout, study_uid, Path(out_dir))

    def delete_study(self, study_uid: str) -> None:
        require_uid(study_uid, "StudyInstanceUID")
        if study_uid in self._leases.busy():
            raise UsageError(f"study {study_uid} is open and cannot be deleted now")
        housekeeping.delete_study(self._index, self._layout, study_uid)

    def close(self) -> None:
        self._stop_sealing.set()
        if self._sealing is not None:
            self._sealing.join()
        self._committer.close()
        self._temp_files.close()
        if not self._index.closed:
            # Best effort: a lease left behind is dropped by the next store (its pid is
            # gone). SQLCipher says a page that fails its HMAC as it writes with NOMEM.
            with contextlib.suppress(index_db.sql.Error, MemoryError):
                self._leases.release_all()
        self._index.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
