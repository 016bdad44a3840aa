"""Where the trail is kept: month files in one private folder, read line by line.

``<audit_dir>/audit-2026-12.jsonl``, one file per month (UTC), the chain running on
across them: names sort in the order they were written. The folder is the user's alone
(0700), as is each file (0600). Reading never trusts a file: a line is at most
:data:`~viewer.audit.lines.MAX_LINE` bytes read, whatever the file holds.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path

import platformdirs

from viewer.audit.lines import MAX_LINE
from viewer.errors import AuditError
from viewer.private_files import PRIVATE_DIR, PRIVATE_FILE, make_private

FILE_RE = re.compile(r"audit-(\d{4})-(\d{2})\.jsonl")
TORN_SUFFIX = ".torn"  # an interrupted write's bytes, set aside (see trail.py)
LOCK_NAME = ".audit.lock"
CURSOR_NAME = "forwarded"  # the last seq sent to the syslog collector


def default_dir() -> Path:
    return Path(platformdirs.user_data_dir("Qingying", appauthor=False)) / "audit"


def month_name(when: dt.datetime) -> str:
    return f"audit-{when.year:04d}-{when.month:02d}.jsonl"


def trail_files(folder: Path) -> list[Path]:
    """The month files, oldest first (regular files only: a link is not ours)."""
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if FILE_RE.fullmatch(entry.name))
    except FileNotFoundError:
        return []
    except OSError as err:
        raise AuditError(f"{folder}: the audit trail cannot be read ({err.strerror})") from err
    return [folder / name for name in names if (folder / name).is_file()]


def set_aside_files(folder: Path) -> list[Path]:
    return [p.with_name(p.name + TORN_SUFFIX) for p in trail_files(folder) if _torn_exists(p)]


def _torn_exists(path: Path) -> bool:
    return path.with_name(path.name + TORN_SUFFIX).is_file()


def ensure_folder(folder: Path) -> None:
    try:
        folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    except OSError as err:
        raise AuditError(
            f"{folder}: the audit trail's folder cannot be made ({err.strerror})"
        ) from err
    make_private(folder, PRIVATE_DIR)


def open_private(path: Path, flags: int) -> int:
    """A descriptor of ``path`` made 0600 if new (and closed to others if it was not)."""
    fd = os.open(path, flags | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), PRIVATE_FILE)
    make_private(path, PRIVATE_FILE)
    return fd


def lines(path: Path) -> Iterator[tuple[int, bytes, bool]]:
    """(line number from 1, the line's bytes without its newline, whether it ended in
    one). A line longer than MAX_LINE is cut there (and read no further)."""
    with path.open("rb") as f:
        number = 0
        while True:
            raw = f.readline(MAX_LINE + 2)
            if not raw:
                return
            number += 1
            whole = raw.endswith(b"\n")
            if not whole and len(raw) > MAX_LINE:
                yield number, raw, False  # too long: the caller stops at it
                return
            yield number, raw[:-1] if whole else raw, whole
