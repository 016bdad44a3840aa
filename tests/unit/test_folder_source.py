"""A folder or DICOMDIR opened as a source: searched in place, nothing copied."""

from __future__ import annotations

import shutil
from pathlib import Path

import pydicom
import pytest
from pydicom.fileset import FileSet

from tests.conftest import DEMO_DATA_DIR
from viewer.demo import Manifest
from viewer.dicomweb.qido import StudyQuery
from viewer.errors import NotFoundError
from viewer.history.service import HistorySearch
from viewer.sources.folder import FolderSource


def never() -> bool:
    return False


def test_name_search_in_a_folder_keeps_two_patients_apart(demo_data: Manifest) -> None:
    source = FolderSource(DEMO_DATA_DIR / "pacs")
    result = HistorySearch([source]).run(StudyQuery(name="Wang"))
    births = sorted(h.birth_date for h in result.histories)
    assert births == sorted(
        {demo_data.patient("p1").birth_date, demo_data.patient("p4").birth_date}
    )
    pacs_studies = {s.study_instance_uid for s in demo_data.studies if "pacs" in s.targets}
    assert {s.study_uid for h in result.histories for s in h.studies} == pacs_studies


def test_id_search_and_files_in_instance_order(demo_data: Manifest) -> None:
    p1 = demo_data.patient("p1")
    source = FolderSource(DEMO_DATA_DIR / "pacs")
    answer = source.search_studies(StudyQuery(patient_id=p1.mrns["NJGL"], issuer="NJGL"), never)
    assert answer.studies and {s.patient.patient_id for s in answer.studies} == {p1.mrns["NJGL"]}
    mr = next(s for s in demo_data.studies if s.patient_key == "p4" and "MR" in s.modalities)
    paths = source.instance_paths(mr.study_instance_uid)
    numbers = [
        (pydicom.dcmread(p, stop_before_pixels=True).SeriesInstanceUID,
         pydicom.dcmread(p, stop_before_pixels=True).InstanceNumber)
        for p in paths
    ]  # fmt: skip
    assert len(paths) == mr.instance_count and numbers == sorted(numbers)


def test_a_cd_with_dicomdir_reads_only_what_it_lists(demo_data: Manifest, tmp_path: Path) -> None:
    study = next(s for s in demo_data.studies if "pacs" in s.targets and s.instance_count <= 30)
    files = sorted((DEMO_DATA_DIR / "pacs" / study.study_instance_uid).rglob("*.dcm"))
    fileset = FileSet()
    for path in files:
        fileset.add(pydicom.dcmread(path))
    cd = tmp_path / "cd"
    fileset.write(cd)
    (cd / "AUTORUN.INF").write_text("[autorun]\n")
    shutil.copy(files[0], cd / "stray.dcm")  # on the CD but not in its DICOMDIR
    source = FolderSource(cd)
    assert list(source.studies) == [study.study_instance_uid]
    assert len(source.studies[study.study_instance_uid]) == len(files)


def test_junk_files_are_skipped_not_fatal(tmp_path: Path, demo_data: Manifest) -> None:
    study = next(s for s in demo_data.studies if "pacs" in s.targets)
    folder = tmp_path / "usb"
    shutil.copytree(DEMO_DATA_DIR / "pacs" / study.study_instance_uid, folder)
    (folder / "notes.txt").write_text("hello")
    source = FolderSource(folder)
    assert list(source.studies) == [study.study_instance_uid]
    assert folder / "notes.txt" in source.skipped


def test_missing_folder_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        FolderSource(tmp_path / "no-cd")
