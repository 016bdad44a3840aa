"""What a running Qingying works with: the offline cache of a config.

The CLI commands and the window open it the same way from here; the sources come from
:func:`viewer.sources.opening.open_sources`.
"""

from __future__ import annotations

from collections.abc import Mapping

from viewer.audit.events import DetailValue, EventKind
from viewer.config import Config
from viewer.session.auditing import AuditedStore, Auditor

__all__ = ["AuditedStore", "audit_cached_study", "open_store"]


def open_store(config: Config, auditor: Auditor | None = None) -> AuditedStore:
    """The config's cache; what leaves it (deleted, evicted, exported) goes into the
    audit trail (``store.auditor``, for the caller's own events too)."""
    return AuditedStore(config.cache.dir, config.cache.max_size, auditor or Auditor.of(config))


def audit_cached_study(
    config: Config, kind: EventKind, study_uid: str, detail: Mapping[str, DetailValue]
) -> None:
    """Record ``kind`` done to a cached study, from a command that held no store (a
    screenshot, a measurement saved, a picture exported)."""
    with open_store(config) as store:
        record = store.study(study_uid)
        if record is not None:
            store.auditor.study(kind, record, detail=detail)
