"""verify and import report progress and stop when cancelled, leaving the cache consistent."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_cache_store import Study, commit, half_written, visible_files
from viewer.cache.housekeeping import VerifyProgress
from viewer.cache.importer import ImportProgress
from viewer.cache.store import CacheStore
from viewer.cli import run
from viewer.errors import CancelledError


def cd_folder(tmp_path: Path, study: Study, count: int) -> tuple[Path, list[str]]:
    """A patient's CD: ``count`` instances of one series, then a file that is not DICOM."""
    folder = tmp_path / "cd"
    folder.mkdir()
    sops = []
    for number in range(1, count + 1):
        sop, data = study.instance(number=number)
        (folder / f"IMG{number:03d}").write_bytes(data)
        sops.append(sop)
    (folder / "README.TXT").write_text("not DICOM")  # sorts after the images
    return folder, sops


class TestVerifyProgress:
    def test_counts_every_file_and_the_damaged_ones(self, store: CacheStore) -> None:
        study = Study()
        paths = [commit(store, study.instance(number=n)[1]) for n in (1, 2, 3)]
        paths[1].write_bytes(paths[1].read_bytes()[:-4] + b"\0\0\0\0")
        seen: list[VerifyProgress] = []
        report = store.verify(on_progress=seen.append)
        assert seen[0] == VerifyProgress(0, 3, 0)
        assert [p.checked for p in seen] == [0, 1, 2, 3]
        assert seen[-1] == VerifyProgress(3, 3, 1)
        assert len(report.damaged) == 1

    def test_cancel_stops_before_the_next_file_and_keeps_the_cache_consistent(
        self, store: CacheStore
    ) -> None:
        study = Study()
        paths = [commit(store, study.instance(number=n)[1]) for n in range(1, 6)]
        for path in paths:  # every file damaged: each one checked is removed
            path.write_bytes(path.read_bytes()[:-4] + b"\0\0\0\0")
        seen: list[VerifyProgress] = []
        with pytest.raises(CancelledError):
            store.verify(on_progress=seen.append, cancelled=lambda: len(seen) > 2)
        assert seen[-1] == VerifyProgress(2, 5, 2)  # two checked, then it stopped
        assert len(store.cached_sop_uids(study.uid)) == 3  # the unchecked stay indexed
        assert len(visible_files(store.root)) == 3  # index and files agree
        assert store.study_state(study.uid) == "partial"  # the removed are expected again
        # Nothing half done: a full run afterwards finds exactly the three others.
        assert len(store.verify().damaged) == 3

    def test_an_empty_cache_reports_zero_of_zero(self, store: CacheStore) -> None:
        seen: list[VerifyProgress] = []
        assert store.verify(on_progress=seen.append).checked == 0
        assert seen == [VerifyProgress(0, 0, 0)]


@pytest.mark.filterwarnings("ignore:End of file reached")
class TestImportProgress:
    def test_counts_files_imported_and_skipped(self, store: CacheStore, tmp_path: Path) -> None:
        folder, _sops = cd_folder(tmp_path, Study(), 3)
        seen: list[ImportProgress] = []
        report = store.import_path(folder, on_progress=seen.append)
        assert seen[0] == ImportProgress(0, 4, 0, 0)
        assert [p.files_done for p in seen] == [0, 1, 2, 3, 4]
        assert seen[-1] == ImportProgress(4, 4, 3, 1)
        assert report.imported == 3

    def test_cancel_between_files_keeps_the_committed_ones_and_marks_nothing_complete(
        self, store: CacheStore, tmp_path: Path
    ) -> None:
        study = Study()
        folder, sops = cd_folder(tmp_path, study, 6)
        seen: list[ImportProgress] = []
        with pytest.raises(CancelledError):
            store.import_path(
                folder,
                on_progress=seen.append,
                cancelled=lambda: bool(seen) and seen[-1].files_done >= 2,
            )
        assert seen[-1] == ImportProgress(2, 7, 2, 0)
        assert store.cached_sop_uids(study.uid) == set(sops[:2])
        assert len(visible_files(store.root)) == 2
        assert half_written(store.root) == []
        # What the rest of the CD holds is not known: not complete.
        assert store.study_state(study.uid) == "partial"
        # Importing again brings the rest and completes it.
        report = store.import_path(folder)
        assert report.imported == 6
        assert store.cached_sop_uids(study.uid) == set(sops)
        assert store.study_state(study.uid) == "complete"

    def test_an_unfinished_import_stays_partial_after_a_restart_until_an_inventory(
        self, tmp_path: Path
    ) -> None:
        study = Study()
        folder, sops = cd_folder(tmp_path, study, 4)
        root = tmp_path / "cache"
        with CacheStore(root, 10**9) as store, pytest.raises(CancelledError):
            store.import_path(folder, cancelled=lambda: bool(store.cached_sop_uids(study.uid)))
        with CacheStore(root, 10**9) as store:
            assert store.cached_sop_uids(study.uid) == {sops[0]}
            assert store.study_state(study.uid) == "partial"
            (listed,) = store.studies()
            assert (listed.state, listed.expected_instance_count) == ("partial", 0)
            # A fetch's inventory says what the study holds: that one image, it turns out.
            store.set_expected(study.uid, study.series, [sops[0]])
            assert store.study_state(study.uid) == "complete"

    def test_cancel_in_the_middle_of_a_file_discards_that_file(
        self, store: CacheStore, tmp_path: Path
    ) -> None:
        study = Study()
        folder, sops = cd_folder(tmp_path, study, 2)
        big = folder / "IMG002"
        # A file larger than one read, so the cancel comes between two of its reads.
        _sop, data = study.instance(number=2)
        big.write_bytes(data + b"\0" * (3 << 20))  # trailing padding is kept as is
        asked = []

        def cancelled() -> bool:
            asked.append(1)
            return len(asked) > 3  # before IMG001, one read of it, before IMG002, one read

        with pytest.raises(CancelledError):
            store.import_path(folder, cancelled=cancelled)
        assert store.cached_sop_uids(study.uid) == {sops[0]}
        assert len(visible_files(store.root)) == 1
        assert half_written(store.root) == []


def test_cli_verify_and_import_show_progress_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[cache]\ndir = "{(tmp_path / "cache").as_posix()}"\n', encoding="utf-8")
    folder, _ = cd_folder(tmp_path, Study(), 3)
    assert run(["--config", str(config), "cache", "import", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert "imported 3 instances" in out
    assert "importing: 4/4 files, 3 imported, 1 skipped" in err
    assert run(["--config", str(config), "cache", "verify"]) == 0
    out, err = capsys.readouterr()
    assert "checked 3 instances: 0 damaged" in out
    assert "verifying: 3/3 files, 0 damaged" in err
