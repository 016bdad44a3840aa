"""Importing a patient's CD (folder or DICOMDIR) into the cache, exporting a study."""

from __future__ import annotations

import io
from pathlib import Path

import pydicom
import pytest
from pydicom.fileset import FileSet

from tests.unit.test_cache_store import Study, commit
from viewer.cache.store import CacheStore
from viewer.errors import NotFoundError


@pytest.mark.filterwarnings("ignore:End of file reached")
def test_import_folder_and_dicomdir(store: CacheStore, tmp_path: Path) -> None:
    # A plain folder: DICOM files in nested folders, next to things that are not DICOM.
    folder_study = Study()
    folder = tmp_path / "usb"
    (folder / "a" / "b").mkdir(parents=True)
    made = [folder_study.instance(number=n) for n in (1, 2, 3)]
    for n, (_, data) in enumerate(made):
        (folder / ("a" if n else "a/b") / f"IMG{n}").write_bytes(data)
    (folder / "autorun.inf").write_text("[autorun]\n")
    (folder / "a" / "broken.dcm").write_bytes(b"\0" * 128 + b"DICM" + b"\xff" * 40)
    (folder / "a" / "cut.dcm").write_bytes(made[0][1][:300])

    report = store.import_path(folder)

    assert report.imported == 3
    assert report.studies == {folder_study.uid}
    assert [s.path.name for s in report.not_dicom] == ["autorun.inf"]
    assert sorted(s.path.name for s in report.unreadable) == ["broken.dcm", "cut.dcm"]
    assert store.study_state(folder_study.uid) == "complete"  # for what the CD holds

    # A DICOMDIR media set (PS3.10): the files it lists are imported.
    cd_study = Study()
    fileset = FileSet()
    cd_made = [cd_study.instance(number=n) for n in (1, 2)]
    for _, data in cd_made:
        fileset.add(pydicom.dcmread(io.BytesIO(data)))
    cd = tmp_path / "cd"
    fileset.write(cd)
    (cd / "README.TXT").write_text("not listed in the DICOMDIR, not imported")

    for given in (cd, cd / "DICOMDIR"):
        report = store.import_path(given)
        assert report.imported == 2 and report.skipped == 0, given
        assert report.studies == {cd_study.uid}
    assert store.cached_sop_uids(cd_study.uid) == {sop for sop, _ in cd_made}
    assert store.study_state(cd_study.uid) == "complete"
    assert store.search(name="*王*")[0].patient_name == "Wang^XiaoDong=王^小东"


def test_import_of_a_missing_path_is_reported(store: CacheStore, tmp_path: Path) -> None:
    report = store.import_path(tmp_path / "nowhere")
    assert report.imported == 0 and len(report.unreadable) == 1


def test_export_writes_part10_files_that_read_back_identical(
    store: CacheStore, tmp_path: Path
) -> None:
    study = Study()
    made = [study.instance(number=n) for n in (2, 1, 3)]
    for _, data in made:
        commit(store, data)
    out = tmp_path / "export"

    written = store.export_study(study.uid, out)

    assert [p.relative_to(out).as_posix() for p in written] == [
        f"{study.uid}/S001_CT/I00001.dcm",
        f"{study.uid}/S001_CT/I00002.dcm",
        f"{study.uid}/S001_CT/I00003.dcm",
    ]
    by_number = {pydicom.dcmread(io.BytesIO(d)).InstanceNumber: d for _, d in made}
    for n, path in enumerate(written, start=1):
        data = path.read_bytes()
        assert data[128:132] == b"DICM"  # Part 10 preamble and prefix
        assert data == by_number[n]
        assert pydicom.dcmread(path) == pydicom.dcmread(io.BytesIO(by_number[n]))
    assert sorted(p.name for p in (out / study.uid / "S001_CT").iterdir()) == [
        "I00001.dcm",
        "I00002.dcm",
        "I00003.dcm",
    ]


def test_export_of_a_study_not_cached_is_not_found(store: CacheStore, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        store.export_study(Study().uid, tmp_path / "out")
