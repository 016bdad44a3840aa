"""Import from a folder that is not what it seems: it opens regular files inside the folder
only, names what it skips and why, and goes on past any file of bad data."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pydicom
import pytest
from pydicom.fileset import FileSet

from tests.unit.test_cache_store import Study
from tests.unit.test_cli_cache import cli, config  # noqa: F401 - the fixture
from tests.unit.test_numbers_and_nesting import with_instance_number, with_nesting
from viewer.cache.importer import NotRegularFileError, open_regular
from viewer.cache.models import ImportReport
from viewer.cache.store import CacheStore
from viewer.sources.folder import FolderSource

T = TypeVar("T")
_PROMPTLY = 10.0  # seconds; an import of a few small files takes well under one


def cd_folder(root: Path, files: int = 2) -> tuple[Study, Path]:
    """A folder with ``files`` good instances of one study (IMG1, IMG2, ...)."""
    study = Study()
    root.mkdir(parents=True, exist_ok=True)
    for n in range(1, files + 1):
        (root / f"IMG{n}").write_bytes(study.instance(number=n)[1])
    return study, root


def cd_with_dicomdir(cd: Path) -> tuple[Study, Path]:
    """Two instances of one study written as a media set: a DICOMDIR and its files."""
    study = Study()
    fileset = FileSet()
    for n in (1, 2):
        fileset.add(pydicom.dcmread(io.BytesIO(study.instance(number=n)[1])))
    fileset.write(cd)
    return study, cd


def promptly(work: Callable[[], T], folder: Path, stop: threading.Event | None = None) -> T:
    """What ``work()`` returns, failing the test if it does not end promptly. Work that
    hangs is then ended (``stop`` set, any FIFO under ``folder`` given a writer that goes
    away), so a failing test leaves no thread reading forever."""
    found: list[T | BaseException] = []

    def run() -> None:
        try:
            found.append(work())
        except BaseException as err:  # handed to the test
            found.append(err)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(_PROMPTLY)
    if worker.is_alive():
        if stop is not None:
            stop.set()
        for fifo in (p for p in folder.rglob("*") if stat.S_ISFIFO(p.lstat().st_mode)):
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(_PROMPTLY)
        pytest.fail(f"it did not end within {_PROMPTLY} s")
    if isinstance(found[0], BaseException):
        raise found[0]
    return found[0]


def import_promptly(store: CacheStore, path: Path) -> ImportReport:
    stop = threading.Event()
    return promptly(lambda: store.import_path(path, cancelled=stop.is_set), path, stop)


def skipped_names(found: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {s.path.name: s.reason for s in found}


def test_a_fifo_in_a_cd_folder_is_skipped_not_waited_on(store: CacheStore, tmp_path: Path) -> None:
    study, cd = cd_folder(tmp_path / "cd")
    os.mkfifo(cd / "IMG0")
    report = import_promptly(store, cd)
    assert report.imported == 2 and len(store.cached_sop_uids(study.uid)) == 2
    assert "FIFO" in skipped_names(report.not_regular)["IMG0"]


def test_a_link_to_dev_zero_is_not_read(store: CacheStore, tmp_path: Path) -> None:
    _, cd = cd_folder(tmp_path / "cd")
    (cd / "IMG0").symlink_to("/dev/zero")
    report = import_promptly(store, cd)
    assert report.imported == 2
    assert "IMG0" in skipped_names(report.not_regular)


def test_a_link_out_of_the_folder_is_not_followed_one_inside_is(
    store: CacheStore, tmp_path: Path
) -> None:
    outside = Study()
    (tmp_path / "elsewhere.dcm").write_bytes(outside.instance()[1])
    study, cd = cd_folder(tmp_path / "cd")
    (cd / "OUT").symlink_to(tmp_path / "elsewhere.dcm")
    (cd / "sub").mkdir()
    (cd / "sub" / "IN").symlink_to(cd / "IMG1")
    (cd / "UP").symlink_to(tmp_path)  # a folder link, never walked
    report = import_promptly(store, cd)
    skipped = skipped_names(report.not_regular)
    assert "out of the folder" in skipped["OUT"]
    assert "UP" in skipped and "IN" not in skipped
    assert store.cached_sop_uids(outside.uid) == set()
    assert len(store.cached_sop_uids(study.uid)) == 2


def test_a_device_is_not_opened(store: CacheStore, tmp_path: Path) -> None:
    _, cd = cd_folder(tmp_path / "cd")
    try:  # a copy of /dev/zero (character device 1, 5): needs root
        os.mknod(cd / "IMG0", 0o600 | stat.S_IFCHR, os.makedev(1, 5))
    except PermissionError:
        pytest.skip("making a device needs root")
    report = import_promptly(store, cd)
    assert report.imported == 2
    assert "device" in skipped_names(report.not_regular)["IMG0"]


def test_what_is_opened_is_checked_not_only_what_was_listed(tmp_path: Path) -> None:
    # A FIFO put where a file was listed, after the listing: the open itself refuses it
    # (O_NONBLOCK: no wait for a writer; fstat: not a regular file).
    os.mkfifo(tmp_path / "IMG1")

    with pytest.raises(NotRegularFileError, match="FIFO"):
        promptly(lambda: open_regular(tmp_path / "IMG1", tmp_path), tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "LINK").symlink_to("/etc/hostname")
    with pytest.raises(NotRegularFileError, match="out of the folder"):
        open_regular(tmp_path / "sub" / "LINK", tmp_path / "sub")


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_files_of_bad_numbers_or_nesting_never_stop_an_import(
    store: CacheStore, tmp_path: Path
) -> None:
    study, cd = cd_folder(tmp_path / "cd", files=1)
    for n, value in enumerate((b"1e999", b"inf", b"1e20"), 2):
        (cd / f"IMG{n}").write_bytes(with_instance_number(study.instance()[1], value))
    (cd / "IMG5").write_bytes(with_nesting(study.instance()[1], 600))
    report = import_promptly(store, cd)
    # Numbers out of range are unknown, the image kept; the nesting is bad data.
    assert report.imported == 4 and len(store.cached_sop_uids(study.uid)) == 4
    assert "nested" in skipped_names(report.unreadable)["IMG5"]


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_a_dicomdir_naming_a_path_out_of_the_tree_is_refused(
    store: CacheStore, tmp_path: Path
) -> None:
    study, cd = cd_with_dicomdir(tmp_path / "cd")
    dicomdir = pydicom.dcmread(cd / "DICOMDIR")
    images = [r for r in dicomdir.DirectoryRecordSequence if "ReferencedFileID" in r]
    images[0].ReferencedFileID = ["..", "..", "..", "etc", "passwd"]
    dicomdir.save_as(cd / "DICOMDIR")
    report = import_promptly(store, cd)
    assert "DICOMDIR" in skipped_names(report.unreadable)
    assert all("passwd" not in str(s.path) for s in report.not_dicom + report.unreadable)
    assert len(store.cached_sop_uids(study.uid)) == 2  # the folder's own files


def test_a_fifo_a_dicomdir_lists_is_skipped(store: CacheStore, tmp_path: Path) -> None:
    _study, cd = cd_with_dicomdir(tmp_path / "cd")
    listed = sorted(p for p in cd.rglob("*") if p.is_file() and p.name != "DICOMDIR")
    listed[0].unlink()
    os.mkfifo(listed[0])
    report = import_promptly(store, cd)
    assert report.imported == 1
    assert [s.path for s in report.not_regular] == [listed[0]]


def test_a_folder_source_reads_regular_files_only(tmp_path: Path) -> None:
    study, cd = cd_folder(tmp_path / "cd")
    os.mkfifo(cd / "IMG0")
    (cd / "ZERO").symlink_to("/dev/zero")
    source = promptly(lambda: FolderSource(cd), cd)
    assert len(source.studies[study.uid]) == 2
    assert {p.name for p in source.skipped} == {"IMG0", "ZERO"}


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_cache_import_goes_past_bad_files_and_exits_0(
    config: Path,  # noqa: F811 - the fixture
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    study, cd = cd_folder(tmp_path / "cd", files=1)
    os.mkfifo(cd / "IMG0")
    (cd / "IMG2").write_bytes(with_nesting(study.instance()[1], 600))
    (cd / "IMG3").write_bytes(with_instance_number(study.instance()[1], b"1e999"))
    code, out, _ = promptly(lambda: cli(config, capsys, "cache", "import", str(cd)), cd)
    assert code == 0
    assert "imported 2 instances" in out and "1 unreadable and 1 not regular" in out
    assert f"(not a file: a FIFO): {cd / 'IMG0'}" in out


@pytest.mark.parametrize("error", [RecursionError, OverflowError, ValueError, IndexError])
def test_a_file_that_breaks_a_reader_untyped_is_skipped_the_import_goes_on(
    store: CacheStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type
) -> None:
    # Whatever the readers behind the store do with a file, an error no typed error
    # describes is that file's: it is named, and the next file is still imported.
    study, cd = cd_folder(tmp_path / "cd", files=3)
    real = store.begin_instance

    def begin_instance() -> object:
        sink = real()
        commit = sink.commit
        written: list[bytes] = []
        write = sink.write

        def writing(chunk: bytes) -> None:
            written.append(chunk)
            write(chunk)

        def committing() -> object:
            if b"".join(written) == (cd / "IMG2").read_bytes():
                raise error("as a reader might")
            return commit()

        monkeypatch.setattr(sink, "write", writing)
        monkeypatch.setattr(sink, "commit", committing)
        return sink

    monkeypatch.setattr(store, "begin_instance", begin_instance)
    report = import_promptly(store, cd)
    assert report.imported == 2 and len(store.cached_sop_uids(study.uid)) == 2
    assert error.__name__ in skipped_names(report.unreadable)["IMG2"]


@pytest.mark.parametrize(
    "link", ["OffsetOfTheNextDirectoryRecord", "OffsetOfReferencedLowerLevelDirectoryEntity"]
)
def test_a_dicomdir_whose_records_point_back_is_refused_not_followed_for_ever(
    store: CacheStore, tmp_path: Path, link: str
) -> None:
    study, cd = cd_with_dicomdir(tmp_path / "cd")
    dicomdir = pydicom.dcmread(cd / "DICOMDIR")
    records = list(dicomdir.DirectoryRecordSequence)
    # The last image record points back at the image before it, which points at it:
    # pydicom followed next-record offsets round that loop for ever.
    setattr(records[-1], link, records[-2].seq_item_tell)
    dicomdir.save_as(cd / "DICOMDIR")
    report = import_promptly(store, cd)
    assert "DICOMDIR" in skipped_names(report.unreadable)
    assert len(store.cached_sop_uids(study.uid)) == 2  # the folder's own files


def test_a_damaged_dicomdir_given_by_its_own_path_imports_its_folder(
    store: CacheStore, tmp_path: Path
) -> None:
    study, cd = cd_with_dicomdir(tmp_path / "cd")
    dicomdir = pydicom.dcmread(cd / "DICOMDIR")
    records = list(dicomdir.DirectoryRecordSequence)
    records[-1].OffsetOfTheNextDirectoryRecord = records[-2].seq_item_tell
    dicomdir.save_as(cd / "DICOMDIR")
    report = import_promptly(store, cd / "DICOMDIR")
    assert [s.path.name for s in report.unreadable] == ["DICOMDIR"]
    assert len(store.cached_sop_uids(study.uid)) == 2
