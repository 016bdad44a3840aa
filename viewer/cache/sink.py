"""Where retrieved instances go: the seam between WADO-RS retrieval and the cache.

Retrieval streams each multipart part into an InstanceSink; only ``commit`` makes the
instance visible (durable on disk first, then indexed), so nothing an interrupted
transfer wrote half is ever indexed or named in a study folder.

A sink may also offer ``commit_async`` (:class:`AsyncInstanceSink`, the cache's does):
the same checks and the same promise, but it returns as soon as the instance is handed
over, with a future that ends when the instance is durable and visible. Retrieval uses it
when it is there, so the next part is read while the previous ones reach the disk; it
waits for every future before it returns (or raises), and reports each instance only
once its future has ended well.

Every sink is told which instances it may accept (:class:`Accept`: the study, series or
instance the request asked for, and the source asked): an instance with other UIDs is
refused at its end (:class:`ForeignInstanceError`) and the cache is unchanged. A source
that answers a request for one study with an instance of another must never replace
what the cache holds of that other study, which may be another patient's.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from viewer.cache.sealed import SealKey
from viewer.errors import InvalidDataError
from viewer.instance_file import InstanceFile


class ForeignInstanceError(InvalidDataError):
    """A source sent an instance the request did not ask for; it was discarded."""


@dataclass(frozen=True)
class Accept:
    """The instances one request may bring: of ``study_uid`` (always), of ``series_uid``
    and exactly ``sop_uid`` when the request named them. ``source`` names who was asked,
    for the message. :data:`ANY_INSTANCE` is for files the user brings (an import)."""

    source: str
    study_uid: str | None
    series_uid: str | None = None
    sop_uid: str | None = None

    def check(self, study_uid: str, series_uid: str, sop_uid: str) -> None:
        """ForeignInstanceError unless the instance is one the request asked for."""
        for what, wanted, got in (
            ("study", self.study_uid, study_uid),
            ("series", self.series_uid, series_uid),
            ("instance", self.sop_uid, sop_uid),
        ):
            if wanted is not None and got != wanted:
                raise ForeignInstanceError(
                    f"{self.source}: sent an instance the request did not ask for "
                    f"({what} {got} instead of {wanted}); it was discarded"
                )


ANY_INSTANCE = Accept("a file brought by the user", None)


@dataclass(frozen=True)
class CachedInstance:
    study_uid: str
    series_uid: str
    sop_uid: str
    path: Path  # its own file, or the pack it is in
    size: int  # bytes on disk
    checksum: str  # of the instance's bytes (unsealed), for `cache verify` (viewer.cache.checksum)
    transfer_syntax_uid: str
    start: int = 0  # where it begins in ``path`` (not 0 in a pack)
    key: SealKey | None = field(default=None, compare=False, repr=False)  # sealed with it

    @property
    def file(self) -> InstanceFile:
        return InstanceFile(self.path, self.start, self.size, self.key)


class InstanceSink(Protocol):
    """One instance being written: bytes in, then exactly one of commit or abort. The
    bytes given to ``write`` must not change afterwards (a sink may keep a view of them
    until the instance ends)."""

    def write(self, data: bytes | memoryview) -> None: ...

    def commit(self) -> CachedInstance:
        """Make the instance durable and visible; raises InvalidDataError if it is not a
        readable DICOM Part 10 file with valid UIDs (the bytes are then discarded), and
        DiskFullError if the disk is full (nothing is left behind either)."""
        ...

    def abort(self) -> None:
        """Discard what was written; nothing becomes visible."""
        ...


class AsyncInstanceSink(InstanceSink, Protocol):
    def commit_async(self) -> Future[CachedInstance]:
        """Check the instance now (InvalidDataError at once, as ``commit``), then make it
        durable and visible in the background. The future's result is the instance once
        it is durable and indexed; its exception (DiskFullError, say) means that nothing
        of it is visible. Exactly one of commit, commit_async or abort is called."""
        ...


class SinkFactory(Protocol):
    def begin_instance(self, accept: Accept) -> InstanceSink:
        """A sink for the next instance; it refuses any instance ``accept`` does not."""
        ...


@runtime_checkable
class BatchingSinkFactory(SinkFactory, Protocol):
    """A factory whose sinks make instances durable in groups (the cache's packs)."""

    def flush(self) -> None:
        """No more parts come for now: make what was committed durable without waiting
        for more. Retrieval calls it before it waits for the commits of an answer."""
        ...
