"""Where a study's measurements are kept: one JSON file per study beside the offline
cache (``<cache>/measurements/<StudyInstanceUID>.json``), offline as the images are.

Kept apart from the study's images on purpose: evicting a study to make room takes its
pixels, not the doctor's work (a measurement is a few hundred bytes; it finds its image
again when the study is fetched back). The folder and files are the user's alone
(0700/0600): they name images of a patient. Each save is whole and atomic (a temporary
file, flushed, renamed over): a crash leaves the last save or the one before, never
half of one.

Reading is a boundary: the file may be damaged, hand-edited or from another version.
What cannot be read is left out and counted (``skipped``), never taken for a
measurement; a file that is not ours at all reads as no measurement. UIDs are checked
before the study's one becomes a file name.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from viewer.cache import file_seal
from viewer.cache.layout import MEASUREMENTS_DIR, MEASUREMENTS_SEALED
from viewer.errors import InvalidDataError
from viewer.measure.tools import Tool, check_points
from viewer.session.annotations import Annotation, StudyAnnotations
from viewer.uids import is_valid_uid, require_uid

log = logging.getLogger(__name__)

VERSION = 1
MAX_BYTES = 8 << 20  # far beyond any study's measurements: more is not ours
MAX_TEXT = 1000  # characters of a note
MAX_REPORTED = 16  # values a report states for one measurement
LOCK_WAIT_S = 5.0  # a save waits this long for another writer of the same study


@dataclass
class Parsed:
    found: list[Annotation]
    skipped: int  # entries left out
    unread: list[Any] = field(default_factory=list)  # entries this cannot read, as they are
    removed: set[str] = field(default_factory=set)  # ids the doctor removed
    ours: bool = True  # False: the file is not one this version can read at all


class AnnotationFile:
    """``cache_key``: the cache's (its store's ``key``); each save is sealed with a key
    derived from it and bound to the study (:mod:`viewer.cache.file_seal`). None: in
    clear (tests and tools)."""

    def __init__(self, cache_root: Path, study_uid: str, cache_key: bytes | None = None) -> None:
        self._key = file_seal.purpose_key(cache_key, "measurements") if cache_key else None
        self.folder = Path(cache_root) / MEASUREMENTS_DIR
        self.path = self.folder / f"{require_uid(study_uid, 'StudyInstanceUID')}.json"
        self.study_uid = study_uid
        self.skipped = 0  # entries of the last load that could not be read
        self.removed: set[str] = set()  # ids the doctor removed (a report's never return)
        self._unread: list[Any] = []  # written back as they were: a later version's, say

    def load(self) -> list[Annotation]:
        """The measurements kept for the study (none when there is no file yet). A file
        this cannot read at all is set aside whole (``<name>.unreadable-<time>.json``),
        never written over; entries it cannot read are kept to be written back."""
        self.skipped = 0
        try:
            with self.path.open("rb") as f:
                data = f.read(MAX_BYTES + 1)
        except FileNotFoundError:
            return []
        except OSError as err:
            log.warning("measurements unreadable (%s)", type(err).__name__)
            return []
        parsed = parse(self._opened(data), self.study_uid)
        if not parsed.ours:
            self._set_aside()
            return []
        self.skipped, self._unread, self.removed = parsed.skipped, parsed.unread, parsed.removed
        if self.skipped:
            log.warning("%d measurement(s) of a study could not be read", self.skipped)
        return parsed.found

    def studied(self) -> StudyAnnotations:
        """The study's measurements as kept, each step written back here."""
        found = self.load()
        return StudyAnnotations(self.study_uid, found, self.save, self.removed)

    def save(self, items: list[Annotation], removed: set[str] | None = None) -> list[Annotation]:
        """Every measurement (and the ids removed), whole and atomic: a temporary file
        of this writer's own, flushed, renamed over the last.

        Another writer may have saved since this one read the file (``measure --save``
        while the window has the study open): under the study's lock the file is read
        again and what it holds that this writer never had is kept — a measurement
        added there is written back with ours and returned, for the caller to show; one
        removed there stays removed unless this writer has it. Nothing drawn is lost
        to a save made elsewhere."""
        if removed is not None:
            self.removed = set(removed)
        with self._locked():
            theirs = self._theirs(items)
            self._write(items + theirs)
        return theirs

    def seal_in_place(self) -> bool:
        """The file, if in clear (from before the cache was sealed), sealed as it is,
        under the study's lock; True when it was."""
        with self._locked():
            try:
                data = self.path.read_bytes()
            except FileNotFoundError:
                return False
            if self._key is None or file_seal.is_sealed(data):
                return False
            self._write_bytes(data)
        return True

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = FileLock(self.folder / f".{self.path.name}.lock", timeout=LOCK_WAIT_S, mode=0o600)
        try:
            lock.acquire()
        except Timeout:  # another writer stuck: ours is written all the same, atomically
            log.warning("measurements written without the study's lock")
        try:
            yield
        finally:
            lock.release()

    def _theirs(self, items: list[Annotation]) -> list[Annotation]:
        """What the file holds now that this writer never had (another writer's since
        this one read it); the ids removed and the entries unread there joined to ours."""
        try:
            with self.path.open("rb") as f:
                parsed = parse(self._opened(f.read(MAX_BYTES + 1)), self.study_uid)
        except OSError:  # none yet (or unreadable now): nothing of another writer's
            return []
        if not parsed.ours:
            self._set_aside()  # written since by something else: kept, never written over
            return []
        ours = {a.uid for a in items}
        self.removed |= parsed.removed - ours  # ours, drawn here, outlive a removal there
        kept = {json.dumps(e, sort_keys=True) for e in self._unread}
        self._unread += [e for e in parsed.unread if json.dumps(e, sort_keys=True) not in kept]
        return [a for a in parsed.found if a.uid not in ours and a.uid not in self.removed]

    def _opened(self, data: bytes) -> bytes:
        """The file's JSON, unsealed; b"" (not ours: set aside, never written over) when
        it does not open (changed, another cache's or study's) or is in clear where the
        cache's files are sealed (the files from before were sealed as the cache opened:
        :func:`seal_measurements`), for a file in clear could say anything."""
        if self._key is None:
            return data
        return file_seal.unseal(self._key, data, self.study_uid.encode("ascii")) or b""

    def _set_aside(self) -> None:
        aside = self.path.with_name(f"{self.path.stem}.unreadable-{time.time_ns()}.json")
        with contextlib.suppress(FileNotFoundError):
            self.path.replace(aside)
            log.warning("a measurements file that cannot be read was set aside")

    def _write(self, items: list[Annotation]) -> None:
        body = {
            "version": VERSION,
            "study": self.study_uid,
            "measurements": [_entry(a) for a in items] + self._unread,
            "removed": sorted(self.removed),
        }
        self._write_bytes(json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"))

    def _write_bytes(self, data: bytes) -> None:
        if self._key is not None:
            data = file_seal.seal(self._key, data, self.study_uid.encode("ascii"))
        fd, name = tempfile.mkstemp(dir=self.folder, prefix=self.path.name, suffix=".part")
        tmp = Path(name)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
            os.close(fd)
            tmp.replace(self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.close(fd)
            tmp.unlink(missing_ok=True)
            raise


def parse(data: bytes, study_uid: str) -> Parsed:
    """The measurements ``data`` holds for ``study_uid``; InvalidDataError never escapes:
    what is not ours is no measurement (``ours`` False for a whole file of another
    kind, study or a later version)."""
    if len(data) > MAX_BYTES:
        return Parsed([], 1, ours=False)
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return Parsed([], 1, ours=False)
    if not isinstance(body, dict) or body.get("study") != study_uid:
        return Parsed([], 1, ours=False)
    version, entries = body.get("version"), body.get("measurements")
    if not isinstance(version, int) or version > VERSION or not isinstance(entries, list):
        return Parsed([], 1, ours=False)
    removed = body.get("removed", [])
    gone = {u for u in removed if isinstance(u, str)} if isinstance(removed, list) else set()
    parsed = Parsed([], 0, removed=gone)
    seen: set[str] = set()
    for entry in entries:
        try:
            annotation = _annotation(entry)
        except (InvalidDataError, ValueError, TypeError, KeyError):
            parsed.unread.append(entry)
            continue
        if annotation.uid not in seen:
            seen.add(annotation.uid)
            parsed.found.append(annotation)
    parsed.skipped = len(entries) - len(parsed.found)
    return parsed


def _entry(a: Annotation) -> dict[str, Any]:
    return {
        "uid": a.uid,
        "tool": str(a.tool),
        "points": [list(p) for p in a.points],
        "series": a.series_uid,
        "instance": a.sop_instance_uid,
        "frame": a.frame,
        "text": a.text,
        **({"known_mm": a.known_mm} if a.known_mm is not None else {}),
        **({"label": list(a.label_offset)} if a.label_offset != (0.0, 0.0) else {}),
        **({"reported": [list(r) for r in a.reported]} if a.reported else {}),
    }


def _annotation(entry: Any) -> Annotation:
    if not isinstance(entry, dict):
        raise ValueError("not an entry")
    points = tuple(_point(p) for p in entry["points"])
    offset = _point(entry["label"]) if "label" in entry else (0.0, 0.0)
    reported = tuple((str(n), float(v)) for n, v in entry.get("reported", []))
    made = Annotation(
        entry["uid"], Tool(entry["tool"]), points, entry["series"], entry["instance"],
        entry["frame"], entry.get("text", ""), entry.get("known_mm"), offset, reported,
    )  # fmt: skip
    return checked(made)


def checked(a: Annotation) -> Annotation:
    """``a`` when it can be drawn and kept — whatever brought it (this file, a report
    from a server, a key image selection) — else ValueError: an id, a tool and its
    points (finite, within reach), a frame, UIDs for its image, a note of a sensible
    length, a known length for a calibration line and only for it."""
    if not isinstance(a.uid, str) or not (0 < len(a.uid) <= 64) or not a.uid.isalnum():
        raise ValueError("no id")
    Tool(a.tool)
    for point in (*a.points, a.label_offset):
        _point(list(point))
    check_points(a.tool, a.points)
    frame = a.frame
    if not isinstance(frame, int) or isinstance(frame, bool) or not 1 <= frame <= 1 << 20:
        raise ValueError("no frame")
    if not (is_valid_uid(a.series_uid) and is_valid_uid(a.sop_instance_uid)):
        raise ValueError("no image")
    if not isinstance(a.text, str) or len(a.text) > MAX_TEXT:
        raise ValueError("no text")
    if len(a.reported) > MAX_REPORTED or not all(
        isinstance(n, str) and len(n) <= 64 and isinstance(v, float) and math.isfinite(v)
        for n, v in a.reported
    ):
        raise ValueError("no reported values")
    known = a.known_mm
    if (a.tool is Tool.CALIBRATE) != (known is not None):
        raise ValueError("a calibration line, and only one, has a known length")
    if known is not None and (
        isinstance(known, bool)
        or not isinstance(known, int | float)
        or not math.isfinite(known)
        or not 0 < known <= 1e5
    ):
        raise ValueError("no known length")
    return a


def _point(value: Any) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("not a point")
    x, y = (float(v) for v in value)
    if not (math.isfinite(x) and math.isfinite(y)) or max(abs(x), abs(y)) > 1e6:
        raise ValueError("not a point")
    return (x, y)


def seal_measurements(cache_root: Path, cache_key: bytes) -> int:
    """Seal, once, the studies' files written in clear before the cache was sealed (the
    folder marked after); how many were. Run as the cache opens, before any is read."""
    folder = Path(cache_root) / MEASUREMENTS_DIR
    mark = Path(cache_root) / MEASUREMENTS_SEALED
    if not folder.is_dir() or mark.exists():
        return 0
    sealed = 0
    for path in sorted(folder.glob("*.json")):
        if is_valid_uid(path.stem):
            sealed += AnnotationFile(cache_root, path.stem, cache_key).seal_in_place()
    mark.touch(mode=0o600)
    return sealed
