"""A cache whose key is lost: emptied, to be filled again from the sources.

Without its key (the keyring reset, the folder copied from another account) nothing the
cache holds can be read again, by anyone: keeping it would only keep patient data that
serves no one. Only what the cache itself writes is removed (its index and key id, its
working folders, folders named by a study UID, and the measurements sealed under the
lost key); anything else a user put in the folder stays, and no path outside it is
touched.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from viewer.cache import file_seal
from viewer.cache.cache_key import KEY_ID_NAME
from viewer.cache.layout import (
    INDEX_NAME,
    MEASUREMENTS_DIR,
    QUARANTINE_DIR,
    TEMP_DIR,
    fsync_dir,
)
from viewer.uids import is_valid_uid

log = logging.getLogger(__name__)

_INDEX_FILES = ("", "-wal", "-shm", "-journal", ".sealing", ".sealing-journal")


def empty_unreadable_cache(root: Path) -> None:
    """Remove what the cache at ``root`` holds, its key id last (until it goes, a start
    that is killed meanwhile still finds the cache keyless and empties it again)."""
    for name in (TEMP_DIR, QUARANTINE_DIR):
        shutil.rmtree(root / name, ignore_errors=True)
    for entry in root.iterdir():
        if entry.is_dir() and not entry.is_symlink() and is_valid_uid(entry.name):
            shutil.rmtree(entry, ignore_errors=True)
    _remove_sealed(root / MEASUREMENTS_DIR)
    for suffix in _INDEX_FILES:
        (root / f"{INDEX_NAME}{suffix}").unlink(missing_ok=True)
    (root / KEY_ID_NAME).unlink(missing_ok=True)
    fsync_dir(root)
    log.warning("cache: its key is lost, so it was emptied to be filled again (%s)", root)


def _remove_sealed(folder: Path) -> None:
    """The files sealed under the lost key (measurements): none can be opened again. One
    still in clear, from before the cache was sealed, is the doctor's work and stays."""
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if not entry.is_file() or entry.is_symlink():
            continue
        try:
            with entry.open("rb") as file:
                sealed = file_seal.is_sealed(file.read(len(file_seal.MAGIC)))
        except OSError:
            continue
        if sealed:
            entry.unlink(missing_ok=True)
