"""What a running Qingying works with: the offline cache and the sources of a config.

The CLI commands and the window build them the same way from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from viewer.cache.store import CacheStore
from viewer.config import Config
from viewer.history.folder import FolderSource
from viewer.history.offline import CACHE_SOURCE_NAME, CacheSource
from viewer.history.sources import ImagingSource, open_configured_sources


def open_store(config: Config) -> CacheStore:
    return CacheStore(config.cache.dir, config.cache.max_size)


def history_sources(
    config: Config,
    store: CacheStore,
    names: Sequence[str] = (),
    folders: Sequence[Path] = (),
) -> list[ImagingSource]:
    """The configured sources (or those named), the offline cache, and local folders.

    With only ``folders`` given (and no names), just the folders are searched: a CD is
    read as it is, without asking the network.
    """
    wanted = [n for n in names if n != CACHE_SOURCE_NAME]
    if folders and not names:
        return [FolderSource(folder) for folder in folders]
    chosen = [config.source(n) for n in wanted] if names else list(config.sources)
    sources = open_configured_sources(chosen)
    if not names or CACHE_SOURCE_NAME in names:
        sources.append(CacheSource(store))
    sources += [FolderSource(folder) for folder in folders]
    return sources
