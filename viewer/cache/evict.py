"""Keeping the cache within its size budget: least recently used studies go first.

Pinned studies and studies open somewhere (in this process, or holding a lease row from
another live process) are never evicted; the report says what was kept and why.

Sizes are bytes on disk: a study's packs count whole, with what was replaced or removed
in them (see the index's pack table), and the quarantine's damaged files count too, so
the budget holds for the disk, not only for the instances indexed. When the cache must
shrink, the quarantine is purged first (oldest first): no study a doctor may still want
goes while damaged copies are kept.
"""

from __future__ import annotations

from collections.abc import Collection

from viewer.cache import quarantine
from viewer.cache.housekeeping import delete_study
from viewer.cache.index import CacheIndex
from viewer.cache.layout import CacheLayout
from viewer.cache.models import EvictReport


def evict(
    index: CacheIndex, layout: CacheLayout, target: int, busy: Collection[str]
) -> EvictReport:
    quarantine.purge(layout)  # what was kept longer than a week goes in any case
    size_before = size = index.total_size() + quarantine.size(layout)
    report = EvictReport(target=target, size_before=size_before, size_after=size_before)
    if size <= target:
        return report
    purged = quarantine.purge(layout, free=size - target)
    size -= sum(item.size for item in purged)
    for study_uid, pinned, study_size in index.studies_by_access():
        if size <= target:
            break
        if pinned:
            report.kept_pinned.append(study_uid)
        elif study_uid in busy:
            report.kept_open.append(study_uid)
        else:
            delete_study(index, layout, study_uid)
            report.evicted.append(study_uid)
            size -= int(study_size)
    return EvictReport(
        target=target,
        size_before=size_before,
        size_after=index.total_size() + quarantine.size(layout),
        evicted=report.evicted,
        kept_pinned=report.kept_pinned,
        kept_open=report.kept_open,
        quarantine_purged=len(purged),
    )
