"""Which studies are open, here and in other processes, so that eviction and deletion
leave them alone.

A study open in this process is counted in memory; every open study also has a lease row
in the index, so that another process sharing the cache sees it too. A lease whose
process is gone (POSIX), or older than :data:`LEASE_MAX_AGE_S` where that cannot be told,
is stale and dropped when leases are next read.
"""

from __future__ import annotations

import collections
import contextlib
import os
import secrets
import threading
import time
from collections.abc import Iterator

from viewer.cache.index import CacheIndex

# A lease (a study open in another process) older than this is stale even if its
# process cannot be checked (Windows).
LEASE_MAX_AGE_S = 24 * 3600.0


class Leases:
    def __init__(self, index: CacheIndex) -> None:
        self._index = index
        self._owner = f"{os.getpid()}-{secrets.token_hex(6)}"
        self._open: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def hold(self, study_uid: str) -> Iterator[None]:
        """The study is open while inside (nested holds count)."""
        with self._lock:
            self._open[study_uid] += 1
        with self._index.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO lease VALUES (?, ?, ?, ?)",
                (study_uid, self._owner, os.getpid(), time.time()),
            )
        try:
            yield
        finally:
            with self._lock:
                self._open[study_uid] -= 1
                last = self._open[study_uid] <= 0
                if last:
                    del self._open[study_uid]
            if last and not self._index.closed:  # closed: release_all let go of it
                with self._index.transaction() as conn:
                    conn.execute(
                        "DELETE FROM lease WHERE study_uid = ? AND owner = ?",
                        (study_uid, self._owner),
                    )

    def release_all(self) -> None:
        """Let go of every study this owner holds, as the cache closes: a series the window
        closes after it (its teardown) then has nothing left to release."""
        with self._index.transaction() as conn:
            conn.execute("DELETE FROM lease WHERE owner = ?", (self._owner,))

    def busy(self) -> set[str]:
        """The studies open in any process that still runs."""
        self.drop_stale()
        with self._lock:
            busy = set(self._open)
        rows = self._index.connection().execute("SELECT study_uid FROM lease")
        return busy | {row[0] for row in rows}

    def drop_stale(self) -> None:
        rows = self._index.connection().execute("SELECT study_uid, owner, pid, since FROM lease")
        stale = [
            (uid, owner)
            for uid, owner, pid, since in rows.fetchall()
            if owner != self._owner and (since < time.time() - LEASE_MAX_AGE_S or _dead(pid))
        ]
        if stale:
            with self._index.transaction() as conn:
                conn.executemany("DELETE FROM lease WHERE study_uid = ? AND owner = ?", stale)


def _dead(pid: int) -> bool:
    """Whether a process is known to be gone (POSIX only; elsewhere it cannot be told)."""
    if os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False
