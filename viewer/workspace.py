"""What a running Qingying works with: the offline cache of a config.

The CLI commands and the window open it the same way from here; the sources come from
:func:`viewer.sources.opening.open_sources`.
"""

from __future__ import annotations

from viewer.cache.store import CacheStore
from viewer.config import Config


def open_store(config: Config) -> CacheStore:
    return CacheStore(config.cache.dir, config.cache.max_size)
