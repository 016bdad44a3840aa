"""Importing a patient's CD or USB stick: a folder of DICOM files, or a DICOMDIR.

A DICOMDIR (PS3.10 §8, the Basic Directory IOD of PS3.3 F) lists the files of a media
set; when there is one, the files it lists are imported. Otherwise every file under the
folder is tried. A file that is not DICOM, or that cannot be read, is counted and listed
in the report; it never stops the import.

Progress (:class:`ImportProgress`, after each file) and cancel are plain callbacks. Every
file is committed on its own (durable, then indexed) before the next is read, so an
import cancelled half-way keeps exactly the files committed before it stopped, and the
file being copied at that moment is discarded. The studies of a cancelled import stay
marked unfinished (partial): what the rest of the disc holds is not known.
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from viewer.cache.models import ImportReport, SkippedFile
from viewer.cache.sink import CachedInstance
from viewer.cache.writer import FileSink
from viewer.errors import CancelledError, InvalidDataError

log = logging.getLogger(__name__)

_CHUNK = 1 << 20
_DICOMDIR = "DICOMDIR"
_PREFIX_END = 132  # 128-byte preamble, then "DICM"


class _Store(Protocol):
    def begin_instance(self) -> FileSink: ...

    def set_expected(self, study_uid: str, series_uid: str, sop_uids: list[str]) -> None: ...

    def mark_unfinished_import(self, study_uid: str) -> None: ...


@dataclass(frozen=True)
class ImportProgress:
    files_done: int  # files tried so far
    files_total: int  # files to try
    imported: int  # instances committed to the cache so far
    skipped: int  # files that were not DICOM or could not be read


def import_path(
    store: _Store,
    path: Path,
    *,
    on_progress: Callable[[ImportProgress], None] = lambda _p: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> ImportReport:
    """Import a folder, a DICOMDIR or one file; ``cancelled`` is asked before each file
    and between reads, and raises CancelledError (what was committed stays)."""
    report = ImportReport(source=path)
    done: dict[tuple[str, str], list[str]] = defaultdict(list)
    begun: set[str] = set()  # studies marked unfinished by this import
    files = candidate_files(path, report)
    on_progress(ImportProgress(0, len(files), 0, report.skipped))
    for number, file in enumerate(files, 1):
        if cancelled():
            raise CancelledError("import cancelled")
        instance = _import_file(store, file, report, cancelled)
        if instance is not None:
            if instance.study_uid not in begun:
                # From its first instance on, until the end says what the disc held: a
                # cancelled or killed import leaves the study partial. (A crash between
                # the instance's row and this mark is the one way one goes unseen.)
                store.mark_unfinished_import(instance.study_uid)
                begun.add(instance.study_uid)
            done[(instance.study_uid, instance.series_uid)].append(instance.sop_uid)
        imported = sum(len(v) for v in done.values())
        on_progress(ImportProgress(number, len(files), imported, report.skipped))
    # What a CD holds is all there is to know of its studies: they count as complete
    # for what they hold (unless a source told us of more).
    for (study_uid, series_uid), sop_uids in done.items():
        store.set_expected(study_uid, series_uid, sop_uids)
        report.studies.add(study_uid)
    report.imported = sum(len(v) for v in done.values())
    return report


def candidate_files(path: Path, report: ImportReport) -> list[Path]:
    """The files to import: those a DICOMDIR lists, else every file under ``path``."""
    dicomdir = _find_dicomdir(path)
    if dicomdir is not None:
        listed = _files_of_dicomdir(dicomdir, report)
        if listed is not None:
            return listed
    if path.is_file():
        return [path]
    if not path.is_dir():
        report.unreadable.append(SkippedFile(path, "no such file or folder"))
        return []
    files = []
    for folder, dirs, names in os.walk(path):
        dirs.sort()
        files += [Path(folder) / n for n in sorted(names) if n.upper() != _DICOMDIR]
    return files


def _find_dicomdir(path: Path) -> Path | None:
    if path.is_file():
        return path if path.name.upper() == _DICOMDIR else None
    if path.is_dir():
        for entry in os.scandir(path):
            if entry.name.upper() == _DICOMDIR and entry.is_file():
                return Path(entry.path)
    return None


def _files_of_dicomdir(dicomdir: Path, report: ImportReport) -> list[Path] | None:
    from pydicom.fileset import FileSet

    try:
        fileset = FileSet(dicomdir)
        return [Path(instance.path) for instance in fileset]
    except Exception as err:  # a damaged DICOMDIR: fall back to the folder's files
        log.warning("import: %s cannot be read (%s); importing every file instead", dicomdir, err)
        report.unreadable.append(SkippedFile(dicomdir, f"unreadable DICOMDIR: {err}"))
        return None


def _import_file(
    store: _Store, file: Path, report: ImportReport, cancelled: Callable[[], bool]
) -> CachedInstance | None:
    head = b""
    try:
        with file.open("rb") as source, store.begin_instance() as sink:
            while chunk := source.read(_CHUNK):
                if cancelled():  # leaving the block aborts the sink: nothing stays
                    raise CancelledError("import cancelled")
                head = head or chunk[:_PREFIX_END]
                sink.write(chunk)
            return sink.commit()
    except InvalidDataError as err:
        # With the Part 10 prefix (PS3.10 §7.1) it is a damaged DICOM file; without it,
        # something else that happens to be on the disc.
        damaged = head[_PREFIX_END - 4 :] == b"DICM"
        (report.unreadable if damaged else report.not_dicom).append(SkippedFile(file, str(err)))
    except OSError as err:
        report.unreadable.append(SkippedFile(file, f"{type(err).__name__}: {err.strerror}"))
    return None
