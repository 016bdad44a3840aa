"""Where retrieved instances go: the seam between WADO-RS retrieval and the cache.

Retrieval streams each multipart part into an InstanceSink; only ``commit`` makes the
instance visible (durable on disk first, then indexed), so an interrupted transfer never
leaves a half file behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class CachedInstance:
    study_uid: str
    series_uid: str
    sop_uid: str
    path: Path
    size: int  # bytes on disk
    sha256: str  # of the file as stored, for `cache verify`
    transfer_syntax_uid: str


class InstanceSink(Protocol):
    """One instance being written: bytes in, then exactly one of commit or abort."""

    def write(self, data: bytes) -> None: ...

    def commit(self) -> CachedInstance:
        """Make the instance durable and visible; raises InvalidDataError if it is not a
        readable DICOM Part 10 file with valid UIDs (the bytes are then discarded)."""
        ...

    def abort(self) -> None:
        """Discard what was written; nothing becomes visible."""
        ...


class SinkFactory(Protocol):
    def begin_instance(self) -> InstanceSink: ...
