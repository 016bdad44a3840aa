"""What a running Qingying works with: the offline cache of a config.

The CLI commands and the window open it the same way from here; the sources come from
:func:`viewer.sources.opening.open_sources`.
"""

from __future__ import annotations

from collections.abc import Mapping

from viewer.audit.events import DetailValue, EventKind
from viewer.cache.cache_key import cache_key
from viewer.cache.layout import MEASUREMENTS_DIR, MEASUREMENTS_SEALED
from viewer.cache.lost_key import forget_lost_key
from viewer.config import Config
from viewer.errors import CacheKeyLostError
from viewer.session.auditing import AuditedStore, Auditor

__all__ = ["AuditedStore", "audit_cached_study", "open_store"]


def open_store(config: Config, auditor: Auditor | None = None) -> AuditedStore:
    """The config's cache, sealed with its key from the keyring; what leaves it (deleted,
    evicted, exported) goes into the audit trail (``store.auditor``, for the caller's own
    events too).

    A cache whose key is lost: what was sealed under it (its index, the measurements) is
    forgotten and it is opened anew under a new key (``store.emptied_for_lost_key``),
    the instances still readable adopted again, the rest fetched from the sources. A
    keyring that cannot answer (locked, absent, another one) is
    :class:`CacheKeyUnavailableError`: the cache is left as it is, closed, for when the
    keyring is back."""
    root, auditor = config.cache.dir, auditor or Auditor.of(config)
    try:
        key = cache_key(root, config.cache.machine_key_file)
        store = AuditedStore(root, config.cache.max_size, auditor, key=key)
    except CacheKeyLostError as lost:
        forget_lost_key(root, lost.key_id)  # (or another process of the user did)
        key = cache_key(root, config.cache.machine_key_file)
        store = AuditedStore(root, config.cache.max_size, auditor, key=key)
        store.emptied_for_lost_key = True
    if (root / MEASUREMENTS_DIR).is_dir() and not (root / MEASUREMENTS_SEALED).exists():
        # Once, files from before sealing; imported only then (it brings numpy and
        # psygnal, which a fetch command must not pay for).
        from viewer.session.annotation_file import seal_measurements

        seal_measurements(root, key)
    return store


def audit_cached_study(
    config: Config, kind: EventKind, study_uid: str, detail: Mapping[str, DetailValue]
) -> None:
    """Record ``kind`` done to a cached study, from a command that held no store (a
    screenshot, a measurement saved, a picture exported)."""
    with open_store(config) as store:
        record = store.study(study_uid)
        if record is not None:
            store.auditor.study(kind, record, detail=detail)
