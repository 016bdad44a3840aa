"""Where the cache keeps things, and the file-system steps that make a write durable.

Layout under the cache root::

    index.sqlite3                        the index (SQLite, WAL)
    .tmp/<pid>-<random>.part             files being written; never read as instances
    .quarantine/<SOPUID>.<time>.dcm      files ``verify`` found damaged
    <StudyUID>/<SeriesUID>/<SOPUID>.dcm  committed instances, a file each
    <StudyUID>/packs/<pid>-<random>.pack the instances of one retrieval, one after
                                         another (viewer.cache.pack); the index says
                                         where each one starts and how long it is

Every UID is checked (PS3.5 §9.1: digits and dots, at most 64 characters) before it
becomes part of a path, so no value read from a file can name a place outside the root.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from viewer.cache.sealed import SealKey
from viewer.instance_file import InstanceFile
from viewer.private_files import PRIVATE_DIR, make_private
from viewer.uids import is_valid_uid, require_uid

INDEX_NAME = "index.sqlite3"
TEMP_DIR = ".tmp"
QUARANTINE_DIR = ".quarantine"
MEASUREMENTS_DIR = "measurements"  # a study's measurements, a file each (annotation_file)
MEASUREMENTS_SEALED = f"{MEASUREMENTS_DIR}/.sealed-v1"  # each file there sealed, old ones too
TEMP_SUFFIX = ".part"
INSTANCE_SUFFIX = ".dcm"
PACK_DIR = "packs"  # not a UID, so never taken for a series folder
PACK_SUFFIX = ".pack"

# Windows cannot open a directory to fsync it; NTFS makes renames durable itself.
_CAN_FSYNC_DIRS = os.name == "posix"


@dataclass(frozen=True)
class CacheLayout:
    root: Path
    seal: SealKey | None = None  # the instances' key (viewer.cache.sealed); None: in clear

    @property
    def index_path(self) -> Path:
        return self.root / INDEX_NAME

    @property
    def temp_dir(self) -> Path:
        return self.root / TEMP_DIR

    @property
    def quarantine_dir(self) -> Path:
        return self.root / QUARANTINE_DIR

    def create(self) -> None:
        """The cache's folders, private to the user: patient data inside (a cache made
        before, 0755, is closed now; one of another user is left as it is)."""
        for folder in (self.root, self.temp_dir, self.quarantine_dir):
            folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
            make_private(folder, PRIVATE_DIR)

    def relative_instance_path(self, study_uid: str, series_uid: str, sop_uid: str) -> str:
        """The index's name for an instance file: ``<study>/<series>/<sop>.dcm``."""
        parts = (
            require_uid(study_uid, "StudyInstanceUID"),
            require_uid(series_uid, "SeriesInstanceUID"),
            require_uid(sop_uid, "SOPInstanceUID") + INSTANCE_SUFFIX,
        )
        return "/".join(parts)

    def pack_dir(self, study_uid: str) -> Path:
        return self.root / require_uid(study_uid, "StudyInstanceUID") / PACK_DIR

    def make_pack_dir(self, study_uid: str) -> tuple[Path, list[Path]]:
        """Create a study's pack folder (and the study folder): the folder, and the
        folders to fsync before anything in it is named by the index (those holding a
        new entry, the pack folder itself last: a new pack is named there)."""
        folder = self.pack_dir(study_uid)
        to_sync: list[Path] = []
        for made in (folder.parent, folder):
            if not made.is_dir():
                made.mkdir(mode=PRIVATE_DIR, exist_ok=True)
                to_sync.append(made.parent)
        return folder, [*to_sync, folder]

    def relative(self, path: Path) -> str:
        return "/".join(path.relative_to(self.root).parts)

    def instance_file(self, relative: str, start: int, size: int) -> InstanceFile:
        """Where an indexed instance is: its range of a pack, or its own whole file."""
        if is_pack_relpath(relative):
            return InstanceFile(self.absolute(relative), start, size, self.seal)
        return InstanceFile(self.absolute(relative), key=self.seal)

    def absolute(self, relative: str) -> Path:
        return self.root.joinpath(*relative.split("/"))

    def make_instance_dirs(self, relative: str, known: set[Path] | None = None) -> Path:
        """Create the study and series folders of an instance, durably; its final path.

        ``known`` holds folders already made (or seen) that need no look on disk; the
        folders made or seen here are added to it."""
        target = self.absolute(relative)
        if known is not None and target.parent in known:
            return target
        folder = self.root
        for part in relative.split("/")[:-1]:
            child = folder / part
            if not child.is_dir():
                child.mkdir(mode=PRIVATE_DIR, exist_ok=True)
                fsync_dir(folder)  # the new folder's entry must survive a crash too
            folder = child
        if known is not None:
            known.add(target.parent)
        return target


def parse_instance_relpath(relative: str) -> tuple[str, str, str] | None:
    """``<study>/<series>/<sop>.dcm`` → its three UIDs, or None if it is not one of ours."""
    parts = relative.split("/")
    if len(parts) != 3 or not parts[2].endswith(INSTANCE_SUFFIX):
        return None
    study, series, sop = parts[0], parts[1], parts[2][: -len(INSTANCE_SUFFIX)]
    if all(is_valid_uid(uid) for uid in (study, series, sop)):
        return study, series, sop
    return None


def is_pack_relpath(relative: str) -> bool:
    """Whether an index path names a pack (``<study>/packs/<name>.pack``)."""
    parts = relative.split("/")
    return (
        len(parts) == 3
        and parts[1] == PACK_DIR
        and parts[2].endswith(PACK_SUFFIX)
        and is_valid_uid(parts[0])
    )


def fsync_dir(folder: Path) -> None:
    """Make a folder's entries (a rename, a new file) durable (POSIX; a no-op on Windows)."""
    if not _CAN_FSYNC_DIRS:
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
