"""A cache whose key is lost: what was sealed under it forgotten, the cache begun anew.

Without its key (the keyring reset, the folder copied from another account) nothing
sealed under it can be read again, by anyone: the index, the instances (packs and files
of their own, their copies in quarantine) and the measurements' files. Those go, and the
``key-id`` naming the lost key last; the studies are fetched again from the sources. An
instance still in clear in a file of its own (from before the cache sealed them) stays:
the next start-up's repair adopts it into the new index, as after any crash, and seals
it (a pack in clear that no row names is removed, as after any crash). Nothing else in
the folder is touched.

Several processes of the user may find the key lost at once (the window, a prefetch
job): one forgets, under the cache's key lock, and only if ``key-id`` still names the
lost key; the others find the new key made meanwhile and use it.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from viewer.cache import file_seal
from viewer.cache import sealed as sealed_format
from viewer.cache.cache_key import KEY_ID_NAME, read_key_id
from viewer.cache.layout import INDEX_NAME, MEASUREMENTS_DIR, QUARANTINE_DIR, fsync_dir
from viewer.cache.seal_existing import MARKER as SEALED_MARKER
from viewer.errors import CacheKeyLostError
from viewer.private_files import PRIVATE_FILE
from viewer.uids import is_valid_uid

log = logging.getLogger(__name__)

LOCK_NAME = ".key.lock"
LOCK_WAIT_S = 30.0
_INDEX_FILES = ("", "-wal", "-shm", "-journal", ".sealing", ".sealing-journal")


def forget_lost_key(root: Path, lost_id: str | None) -> bool:
    """Forget what was sealed under the lost key ``lost_id`` (None: the cache named no
    readable key); False when another process did meanwhile (``key-id`` names another
    key now)."""
    from filelock import FileLock  # ~15 ms: not at every command's start

    with FileLock(root / LOCK_NAME, timeout=LOCK_WAIT_S, mode=PRIVATE_FILE):
        try:
            now = read_key_id(root)
        except CacheKeyLostError:
            now = None  # still the damaged name that was found
        if now != lost_id:
            return False
        _remove_sealed(root / MEASUREMENTS_DIR)
        _remove_sealed_instances(root)
        (root / SEALED_MARKER).unlink(missing_ok=True)  # what stays in clear: sealed anew
        for suffix in _INDEX_FILES:
            (root / f"{INDEX_NAME}{suffix}").unlink(missing_ok=True)
        (root / KEY_ID_NAME).unlink(missing_ok=True)
        fsync_dir(root)
    log.warning("cache: its key is lost; what was sealed under it is forgotten (%s)", root)
    return True


def _remove_sealed_instances(root: Path) -> None:
    """Every instance sealed under the lost key: packs, files of their own, the copies in
    quarantine (a sealed instance begins with its header; a pack with its first's)."""
    folders = [root / QUARANTINE_DIR]
    with contextlib.suppress(OSError):
        folders += [entry for entry in root.iterdir() if is_valid_uid(entry.name)]
    for folder in folders:
        for path in _files_under(folder):
            with contextlib.suppress(OSError):
                with path.open("rb") as file:
                    sealed = file.read(len(sealed_format.MAGIC)) == sealed_format.MAGIC
                if sealed:
                    path.unlink()


def _files_under(folder: Path) -> list[Path]:
    found: list[Path] = []
    with contextlib.suppress(OSError):
        for parent, _dirs, files in os.walk(folder):  # symlinks to folders not followed
            found += [Path(parent) / name for name in files]
    return [path for path in found if not path.is_symlink()]


def _remove_sealed(folder: Path) -> None:
    """The files sealed under the lost key (measurements): none can be opened again. One
    still in clear, from before the cache was sealed, is the doctor's work and stays."""
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if not entry.is_file() or entry.is_symlink():
            continue
        with contextlib.suppress(OSError):
            with entry.open("rb") as file:
                sealed = file_seal.is_sealed(file.read(len(file_seal.MAGIC)))
            if sealed:
                entry.unlink()
