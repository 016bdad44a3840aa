"""Importing a patient's CD or USB stick: a folder of DICOM files, or a DICOMDIR.

A DICOMDIR (PS3.10 §8, the Basic Directory IOD of PS3.3 F) lists the files of a media
set; when there is one, the files it lists are imported. Otherwise every file under the
folder is tried. A file that is not DICOM, or that cannot be read, is counted and listed
in the report; it never stops the import.

A disc or stick is not trusted to hold files only: what is opened is a regular file
inside the folder imported, checked when listed and again on the descriptor opened
(O_NOFOLLOW, O_NONBLOCK, fstat). FIFOs (an open would wait for a writer for good),
devices (``/dev/zero`` never ends), sockets, links that lead out of the folder and
DICOMDIR references out of it are skipped and named with the reason.

Progress (:class:`ImportProgress`, after each file) and cancel are plain callbacks. Every
file is committed on its own (durable, then indexed) before the next is read, so an
import cancelled half-way keeps exactly the files committed before it stopped, and the
file being copied at that moment is discarded. The studies of a cancelled import stay
marked unfinished (partial): what the rest of the disc holds is not known.
"""

from __future__ import annotations

import logging
import os
import stat
import struct
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

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
    root = _root_of(path)
    on_progress(ImportProgress(0, len(files), 0, report.skipped))
    for number, file in enumerate(files, 1):
        if cancelled():
            raise CancelledError("import cancelled")
        instance = _import_file(store, file, root, report, cancelled)
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
    """The files to import: those a DICOMDIR lists, else every file under ``path``; only
    regular files inside the folder (see :func:`open_regular`), the rest named in
    ``report.not_regular``."""
    root = _root_of(path)
    dicomdir = _find_dicomdir(path, root, report)
    if dicomdir is not None:
        listed = _files_of_dicomdir(dicomdir, report)
        if listed is not None:
            return [f for f in listed if _is_regular_inside(f, root, report)]
        path = dicomdir.parent  # a damaged DICOMDIR: every file of its folder instead
    if path.is_dir():
        return _files_under(path, root, report)
    if os.path.lexists(path):
        return [path] if _is_regular_inside(path, root, report) else []
    report.unreadable.append(SkippedFile(path, "no such file or folder"))
    return []


def _root_of(path: Path) -> Path:
    """The folder whose files may be read: links may not lead out of it."""
    real = Path(os.path.realpath(path))
    return real if real.is_dir() else real.parent


def _files_under(path: Path, root: Path, report: ImportReport) -> list[Path]:
    files = []

    def unreadable_folder(err: OSError) -> None:
        report.unreadable.append(SkippedFile(Path(err.filename), f"folder: {err.strerror}"))

    for folder, dirs, names in os.walk(path, onerror=unreadable_folder):  # links not followed
        for name in [d for d in dirs if Path(folder, d).is_symlink()]:
            report.not_regular.append(SkippedFile(Path(folder, name), "a link to a folder"))
        dirs.sort()
        for name in sorted(names):
            file = Path(folder) / name
            if name.upper() != _DICOMDIR and _is_regular_inside(file, root, report):
                files.append(file)
    return files


def _is_regular_inside(file: Path, root: Path, report: ImportReport) -> bool:
    """Whether ``file`` is a regular file inside ``root`` (directly, or through links
    that stay inside); if not, it is named in the report with the reason."""
    reason = _not_regular(file, root)
    if reason is not None:
        report.not_regular.append(SkippedFile(file, reason))
    return reason is None


def _not_regular(file: Path, root: Path) -> str | None:
    try:
        mode = os.lstat(file).st_mode
        if stat.S_ISLNK(mode):
            real = os.path.realpath(file)
            if not _inside(real, root):
                return "a link that leads out of the folder"
            mode = Path(real).stat().st_mode
    except OSError as err:
        return f"cannot be examined: {err.strerror}"
    return None if stat.S_ISREG(mode) else f"not a file: {_kind(mode)}"


def _inside(real: str, root: Path) -> bool:
    return os.path.commonpath([real, root]) == str(root)


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")


class NotRegularFileError(InvalidDataError):
    """What was to be imported is not a regular file inside the folder imported."""


# Open flags that close the gap between looking at a path and opening it: never follow a
# link put there since (O_NOFOLLOW), never wait for a writer on a FIFO (O_NONBLOCK).
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def open_regular(file: Path, root: Path) -> BinaryIO:
    """``file`` open for reading if it is a regular file inside ``root``; otherwise
    NotRegularFileError (OSError if the system refuses). The file is opened where its
    links lead, with O_NOFOLLOW and O_NONBLOCK, and what was opened is checked (fstat),
    so a FIFO or a link swapped in after :func:`candidate_files` looked is refused too."""
    real = os.path.realpath(file)
    if not _inside(real, root):
        raise NotRegularFileError("a link that leads out of the folder")
    fd = os.open(real, _OPEN_FLAGS)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(f"not a file: {_kind(mode)}")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _find_dicomdir(path: Path, root: Path, report: ImportReport) -> Path | None:
    if path.is_file():
        found = path if path.name.upper() == _DICOMDIR else None
    elif path.is_dir():
        found = next((Path(e.path) for e in os.scandir(path) if e.name.upper() == _DICOMDIR), None)
    else:
        found = None
    return found if found is not None and _is_regular_inside(found, root, report) else None


def _files_of_dicomdir(dicomdir: Path, report: ImportReport) -> list[Path] | None:
    from pydicom.fileset import FileSet

    try:
        # pydicom refuses a Referenced File ID that leads out of the DICOMDIR's folder
        # ("../../etc/passwd"): the DICOMDIR is then not trusted at all.
        _require_a_tree_of_records(dicomdir)
        fileset = FileSet(dicomdir)
        return [Path(instance.path) for instance in fileset]
    except Exception as err:  # a damaged DICOMDIR: fall back to the folder's files
        log.warning("import: a DICOMDIR cannot be read (%s); importing every file instead", err)
        report.unreadable.append(SkippedFile(dicomdir, f"unreadable DICOMDIR: {err}"))
        return None


def _require_a_tree_of_records(dicomdir: Path) -> None:
    """The DICOMDIR's directory records form a tree (PS3.3 F.3.2.1: each record is
    reached once, through the root's first record or its parent's lower-level offset,
    then the next-record offsets). pydicom follows those offsets without looking back,
    so a record that points back at one already seen kept an import going for ever."""
    from pydicom import dcmread

    ds = dcmread(dicomdir, force=True)
    records = {item.seq_item_tell: item for item in ds.get("DirectoryRecordSequence", [])}
    seen: set[int] = set()
    chains = [int(ds.get("OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity", 0) or 0)]
    while chains:
        offset = chains.pop()
        while offset:
            if offset in seen or offset not in records:
                raise ValueError("its directory records do not form a tree")
            seen.add(offset)
            record = records[offset]
            chains.append(int(record.get("OffsetOfReferencedLowerLevelDirectoryEntity", 0) or 0))
            offset = int(record.get("OffsetOfTheNextDirectoryRecord", 0) or 0)


# What bad data makes a reader raise when nothing typed it (a defect there, but one file's
# defect): the file is skipped and named, the import goes on. Errors of the cache itself
# (sqlite3.Error, a full disk's OSError on writing) still stop the import.
_UNTYPED_BAD_DATA = (ValueError, OverflowError, RecursionError, struct.error, IndexError)


def _import_file(
    store: _Store, file: Path, root: Path, report: ImportReport, cancelled: Callable[[], bool]
) -> CachedInstance | None:
    head = b""
    try:
        with open_regular(file, root) as source, store.begin_instance() as sink:
            while chunk := source.read(_CHUNK):
                if cancelled():  # leaving the block aborts the sink: nothing stays
                    raise CancelledError("import cancelled")
                head = head or chunk[:_PREFIX_END]
                sink.write(chunk)
            return sink.commit()
    except NotRegularFileError as err:
        report.not_regular.append(SkippedFile(file, str(err)))
    except InvalidDataError as err:
        # With the Part 10 prefix (PS3.10 §7.1) it is a damaged DICOM file; without it,
        # something else that happens to be on the disc.
        damaged = head[_PREFIX_END - 4 :] == b"DICM"
        (report.unreadable if damaged else report.not_dicom).append(SkippedFile(file, str(err)))
    except OSError as err:
        report.unreadable.append(SkippedFile(file, f"{type(err).__name__}: {err.strerror}"))
    except _UNTYPED_BAD_DATA as err:
        log.warning("import: a file could not be read (%s); skipped", type(err).__name__)
        report.unreadable.append(SkippedFile(file, f"unreadable ({type(err).__name__})"))
    return None
