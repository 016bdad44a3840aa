"""The cache's budget after new images came: the one evict-after-fetch rule.

A download from the window, ``fetch`` on the command line and the clinic prefetch all
end here. Kept apart from :mod:`viewer.session.downloads` so the command line, which
waits for one fetch and needs no events, does not import the event library to use it.
"""

from __future__ import annotations

import logging
from typing import Protocol

from viewer.errors import QingyingError

log = logging.getLogger(__name__)


class EvictingStore(Protocol):
    def evict(self) -> object: ...


def keep_budget(store: EvictingStore, *, strict: bool = False) -> None:
    """Evict least recently used studies to keep the cache's budget (pinned studies and
    those open for reading are spared). A failure is logged and the images stay, or with
    ``strict`` (a command the user waits on) raised so it is said."""
    try:
        store.evict()
    except QingyingError as err:
        if strict:
            raise
        log.warning("eviction to keep the cache's budget failed: %s", type(err).__name__)
