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

import json
import logging
import math
import os
from pathlib import Path
from typing import Any

from viewer.errors import InvalidDataError
from viewer.measure.tools import Tool, check_points
from viewer.session.annotations import Annotation
from viewer.uids import is_valid_uid, require_uid

log = logging.getLogger(__name__)

VERSION = 1
MAX_BYTES = 8 << 20  # far beyond any study's measurements: more is not ours
MAX_TEXT = 1000  # characters of a note


class AnnotationFile:
    def __init__(self, cache_root: Path, study_uid: str) -> None:
        self.folder = Path(cache_root) / "measurements"
        self.path = self.folder / f"{require_uid(study_uid, 'StudyInstanceUID')}.json"
        self.study_uid = study_uid
        self.skipped = 0  # entries of the last load that could not be read

    def load(self) -> list[Annotation]:
        """The measurements kept for the study (none when there is no file yet)."""
        self.skipped = 0
        try:
            with self.path.open("rb") as f:
                data = f.read(MAX_BYTES + 1)
        except FileNotFoundError:
            return []
        except OSError as err:
            log.warning("measurements unreadable (%s)", type(err).__name__)
            return []
        found, self.skipped = parse(data, self.study_uid)
        if self.skipped:
            log.warning("%d measurement(s) of a study could not be read", self.skipped)
        return found

    def save(self, items: list[Annotation]) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        body = {
            "version": VERSION,
            "study": self.study_uid,
            "measurements": [_entry(a) for a in items],
        }
        data = json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")
        tmp = self.path.with_name(self.path.name + ".part")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        tmp.replace(self.path)


def parse(data: bytes, study_uid: str) -> tuple[list[Annotation], int]:
    """(the measurements ``data`` holds for ``study_uid``, how many entries were left
    out); InvalidDataError never escapes: what is not ours is no measurement."""
    if len(data) > MAX_BYTES:
        return [], 1
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return [], 1
    if not isinstance(body, dict) or body.get("study") != study_uid:
        return [], 1
    entries = body.get("measurements")
    if not isinstance(entries, list):
        return [], 1
    found: list[Annotation] = []
    seen: set[str] = set()
    for entry in entries:
        try:
            annotation = _annotation(entry)
        except (InvalidDataError, ValueError, TypeError, KeyError):
            continue
        if annotation.uid not in seen:
            seen.add(annotation.uid)
            found.append(annotation)
    return found, len(entries) - len(found)


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
    }


def _annotation(entry: Any) -> Annotation:
    if not isinstance(entry, dict):
        raise ValueError("not an entry")
    uid = entry["uid"]
    if not isinstance(uid, str) or not (0 < len(uid) <= 64) or not uid.isalnum():
        raise ValueError("no id")
    tool = Tool(entry["tool"])
    points = tuple(_point(p) for p in entry["points"])
    check_points(tool, points)
    frame = entry["frame"]
    if not isinstance(frame, int) or isinstance(frame, bool) or not 1 <= frame <= 1 << 20:
        raise ValueError("no frame")
    for key in ("series", "instance"):
        if not is_valid_uid(entry[key]):
            raise ValueError(f"no {key}")
    text = entry.get("text", "")
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise ValueError("no text")
    known = entry.get("known_mm")
    if (tool is Tool.CALIBRATE) != (known is not None):
        raise ValueError("a calibration line, and only one, has a known length")
    if known is not None and (
        isinstance(known, bool)
        or not isinstance(known, int | float)
        or not 0 < known <= 1e5
        or not math.isfinite(known)
    ):
        raise ValueError("no known length")
    series, sop = entry["series"], entry["instance"]
    offset = _point(entry["label"]) if "label" in entry else (0.0, 0.0)
    return Annotation(uid, tool, points, series, sop, frame, text, known, offset)


def _point(value: Any) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("not a point")
    x, y = (float(v) for v in value)
    if not (math.isfinite(x) and math.isfinite(y)) or max(abs(x), abs(y)) > 1e6:
        raise ValueError("not a point")
    return (x, y)
