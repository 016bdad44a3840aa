"""A pack's instances sealed on a thread of their own while the next bytes arrive.

Sealed on the retrieving thread, the cipher's whole cost fell on the fetch: 1.14-1.21×
the time of the same fetch into a cache in clear, against issue 18's bound of 1.1×
(bench/RESULTS.md, 2026-12-07), the retrieving thread being busy all along and the
one-shot cipher holding the GIL. Here each piece a part is given is queued as it is, and
this thread seals it (with the streaming GCM, which lets go of the GIL while it works,
:mod:`viewer.cache.sealed`) and writes it: the cipher runs on another core while the
retrieving thread parses what comes next.

The rules that keep the pack's own (:mod:`viewer.cache.pack`):

- one thread per pack, first in, first out: the pieces of an aborted part (skipped
  once it is known aborted) come before those of the next part, which begins where the
  aborted one did and overwrites whatever of it was written;
- a committed instance's size on disk is known at its commit (the sealed size of what
  arrived), so the next part begins at once; the instance joins the group waiting for
  a sync only once its last chunk is written, and the flusher syncs only what was
  written before its sync began, as before;
- reading what a part wrote (a header walked beyond its first bytes, the whole check of
  an unusual instance) first seals its last chunk and waits for the queue to be empty;
- a failed write fails the pack: the part's instance fails, the next write or
  instance is refused with the same error.

The bytes a part is given are kept until sealed: the parser hands over bytes it never
changes; a writable buffer is copied first.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from viewer.cache.sealed import Sealer, SealKey

MAX_QUEUED = 32  # pieces waiting to be sealed (the parser's, up to 1 MiB each)

Write = Callable[[int, memoryview], None]  # (offset in the pack, bytes)
Failed = Callable[[BaseException], None]


@dataclass
class SealedPart:
    """What the sealing thread keeps of one part."""

    start: int  # where it begins in the pack
    sealer: Sealer
    written: int = 0  # sealed bytes written so far
    aborted: bool = False  # set by the retrieving thread: its pieces are skipped
    finished: bool = False  # its last chunk is queued
    error: BaseException | None = field(default=None)

    @classmethod
    def at(cls, start: int, key: SealKey) -> SealedPart:
        return cls(start, Sealer(key))


_Job = tuple[SealedPart, "bytes | memoryview | None", "Callable[[], None] | None"]


class SealingQueue:
    """The pack's sealing thread and what waits for it."""

    def __init__(self, write: Write, failed: Failed) -> None:
        self._write = write
        self._failed = failed
        self._queue: queue.Queue[_Job | None] = queue.Queue(MAX_QUEUED)
        self._thread = threading.Thread(target=self._run, name="cache-seal", daemon=True)
        self._thread.start()

    def piece(self, part: SealedPart, data: bytes | memoryview) -> None:
        view = memoryview(data)
        self._queue.put((part, data if view.readonly else bytes(view), None))

    def finish(self, part: SealedPart, then: Callable[[], None] | None = None) -> None:
        """Seal and write the part's last chunk, then call ``then`` (on this thread)."""
        part.finished = True
        self._queue.put((part, None, then))

    def drain(self) -> None:
        """Wait until everything queued is written (or failed)."""
        self._queue.join()

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                self._queue.task_done()
                return
            part, data, then = job
            try:
                self._seal(part, data)
            except BaseException as err:  # the pack fails; the part's instance with it
                part.error = part.error or err
                self._failed(err)
            finally:
                if then is not None:
                    then()
                self._queue.task_done()

    def _seal(self, part: SealedPart, data: bytes | memoryview | None) -> None:
        if part.aborted or part.error is not None:
            return
        out = part.sealer.feed(data) if data is not None else part.sealer.finish()
        if out:
            self._write(part.start + part.written, out)
            part.written += len(out)
