"""Login and history search against the real demo platform (two Orthanc sources)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.memory_keyring import MemoryKeyring
from viewer.cli import run
from viewer.demo import Manifest
from viewer.demo.orthanc import find_free_port
from viewer.demo.platform import RunningPlatform

pytestmark = pytest.mark.integration

JSON_KEYS = {
    "StudyInstanceUID", "PatientID", "IssuerOfPatientID", "PatientName", "PatientBirthDate",
    "PatientSex", "StudyDate", "StudyTime", "AccessionNumber", "StudyDescription",
    "ModalitiesInStudy", "BodyPartExamined", "InstitutionName", "NumberOfStudyRelatedSeries",
    "NumberOfStudyRelatedInstances", "sources", "RecentSimilar", "cached",
}  # fmt: skip


def cli(
    args: list[str], capsys: pytest.CaptureFixture[str], stdin: str = ""
) -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdin", io.StringIO(stdin))
        code = run(args)
    out, err = capsys.readouterr()
    return code, out, err


def sign_in_everywhere(platform: RunningPlatform, capsys: pytest.CaptureFixture[str]) -> None:
    for source, target in (("provincial", "platform"), ("gulou", "pacs")):
        password = platform.auth(target)[1]
        code, _, err = cli(
            [
                "--config",
                str(platform.config_path),
                "login",
                "--source",
                source,
                "--password-stdin",
            ],
            capsys,
            stdin=password + "\n",
        )
        assert code == 0, err


def search(
    config: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[dict[str, Any]], str]:
    code, out, err = cli(["--config", str(config), "search", *args, "--json"], capsys)
    return code, (json.loads(out) if out.strip() else []), err


def main_patient_search(platform: RunningPlatform) -> list[str]:
    p1 = platform.manifest.patient("p1")
    return ["--patient-id", p1.platform_id, "--issuer", p1.platform_issuer]


class TestLogin:
    def test_wrong_password_exits_3_with_a_clear_message_and_stores_nothing(
        self,
        platform: RunningPlatform,
        memory_keyring: MemoryKeyring,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        code, _, err = cli(
            [
                "--config",
                str(platform.config_path),
                "login",
                "--source",
                "provincial",
                "--password-stdin",
            ],
            capsys,
            stdin="not-the-password\n",
        )
        assert code == 3
        assert err.strip() == "qingying: provincial: wrong username or password"
        assert memory_keyring.entries == {}

    def test_accepted_password_is_kept_in_the_keyring_only(
        self,
        platform: RunningPlatform,
        memory_keyring: MemoryKeyring,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        sign_in_everywhere(platform, capsys)
        service = f"qingying:{platform.platform_url}"
        assert memory_keyring.entries[(service, "doctor")] == platform.auth("platform")[1]
        assert platform.auth("platform")[1] not in platform.config_path.read_text()

    def test_logout_forgets_the_password(
        self,
        platform: RunningPlatform,
        memory_keyring: MemoryKeyring,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        sign_in_everywhere(platform, capsys)
        code, out, _ = cli(
            ["--config", str(platform.config_path), "logout", "--source", "gulou"], capsys
        )
        assert code == 0 and "signed out" in out
        code, _, err = search(platform.config_path, capsys, *main_patient_search(platform))
        assert code == 0
        assert "gulou: not signed in" in err


class TestHistory:
    @pytest.fixture
    def history(
        self,
        platform: RunningPlatform,
        memory_keyring: MemoryKeyring,
        capsys: pytest.CaptureFixture[str],
    ) -> list[dict[str, Any]]:
        sign_in_everywhere(platform, capsys)
        code, rows, err = search(platform.config_path, capsys, *main_patient_search(platform))
        assert code == 0, err
        assert err == ""  # every source answered, nothing to warn about
        return rows

    def test_every_study_of_the_patient_from_both_sources_is_listed_once(
        self, history: list[dict[str, Any]], platform: RunningPlatform
    ) -> None:
        expected = {
            s.study_instance_uid for s in platform.manifest.studies if s.patient_key == "p1"
        }
        uids = [row["StudyInstanceUID"] for row in history]
        assert sorted(uids) == sorted(expected)
        assert len(uids) == len(set(uids))

    def test_study_held_by_both_sources_is_one_row_naming_both(
        self, history: list[dict[str, Any]], platform: RunningPlatform
    ) -> None:
        both = [s for s in platform.manifest.studies if s.patient_key == "p1" and "both" in s.tags]
        assert both
        rows = {r["StudyInstanceUID"]: r for r in history}
        for study in both:
            assert rows[study.study_instance_uid]["sources"] == ["provincial", "gulou"]

    def test_hospital_only_study_is_found_through_the_linked_id(
        self, history: list[dict[str, Any]], platform: RunningPlatform
    ) -> None:
        p1 = platform.manifest.patient("p1")
        pacs_only = [
            s for s in platform.manifest.studies if s.patient_key == "p1" and "pacs_only" in s.tags
        ]
        assert pacs_only
        rows = {r["StudyInstanceUID"]: r for r in history}
        for study in pacs_only:
            row = rows[study.study_instance_uid]
            assert row["sources"] == ["gulou"]
            assert (row["PatientID"], row["IssuerOfPatientID"]) == (p1.mrns["NJGL"], "NJGL")

    def test_same_name_other_patient_is_left_out(
        self, history: list[dict[str, Any]], platform: RunningPlatform
    ) -> None:
        p1, p4 = platform.manifest.patient("p1"), platform.manifest.patient("p4")
        assert p1.name == p4.name and p1.birth_date != p4.birth_date
        other = {s.study_instance_uid for s in platform.manifest.studies if s.patient_key == "p4"}
        assert other.isdisjoint(r["StudyInstanceUID"] for r in history)

    def test_repeated_exam_is_flagged_both_ways(
        self, history: list[dict[str, Any]], platform: RunningPlatform
    ) -> None:
        repeats = [
            (s.study_instance_uid, tag.split(":", 1)[1])
            for s in platform.manifest.studies
            if s.patient_key == "p1"
            for tag in s.tags
            if tag.startswith("repeat_of:")
        ]
        assert repeats
        rows = {r["StudyInstanceUID"]: r for r in history}
        for later, earlier in repeats:
            assert earlier in rows[later]["RecentSimilar"]
            assert later in rows[earlier]["RecentSimilar"]

    def test_json_rows_have_the_documented_keys_and_plain_values(
        self, history: list[dict[str, Any]], platform: RunningPlatform
    ) -> None:
        for row in history:
            assert set(row) == JSON_KEYS
            assert row["PatientName"] == "Wang^XiaoDong=王^小东="
            assert isinstance(row["ModalitiesInStudy"], list)
            assert row["cached"] in ("none", "partial", "complete")
        dates = [r["StudyDate"] + r["StudyTime"] for r in history]
        assert dates == sorted(dates, reverse=True)


class TestSourcesDown:
    def config_with_dead_pacs(self, platform: RunningPlatform, tmp_path: Path) -> tuple[Path, str]:
        dead = f"http://127.0.0.1:{find_free_port()}/dicom-web"
        text = platform.config_path.read_text(encoding="utf-8").replace(platform.pacs_url, dead)
        path = tmp_path / "dead-pacs.toml"
        path.write_text(text, encoding="utf-8")
        return path, dead

    def test_one_source_down_gives_the_others_results_with_a_warning(
        self,
        platform: RunningPlatform,
        memory_keyring: MemoryKeyring,
        capsys: pytest.CaptureFixture[str],
        tmp_path: Path,
    ) -> None:
        sign_in_everywhere(platform, capsys)
        config, dead_url = self.config_with_dead_pacs(platform, tmp_path)
        # Signed in to the dead source too, so that it is really asked.
        memory_keyring.set_password(f"qingying:{dead_url}", "doctor", "whatever")
        code, rows, err = search(config, capsys, *main_patient_search(platform))
        assert code == 0
        assert rows and all(r["sources"] == ["provincial"] for r in rows)
        assert "warning: gulou: cannot reach the server" in err

    def test_no_source_reachable_exits_4(
        self,
        platform: RunningPlatform,
        memory_keyring: MemoryKeyring,
        capsys: pytest.CaptureFixture[str],
        tmp_path: Path,
    ) -> None:
        config = tmp_path / "all-dead.toml"
        dead = f"http://127.0.0.1:{find_free_port()}/dicom-web"
        config.write_text(
            f'[[sources]]\nname = "gone"\nurl = "{dead}"\nauth = "none"\nissuer = "JS-EMPI"\n'
        )
        code, rows, err = search(config, capsys, *main_patient_search(platform))
        assert code == 4
        assert rows == [] and "gone: cannot reach the server" in err and "Traceback" not in err


def test_name_search_shows_two_same_name_patients_apart(
    platform: RunningPlatform, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_in_everywhere(platform, capsys)
    code, rows, _ = search(platform.config_path, capsys, "--name", "Wang^XiaoDong")
    assert code == 0
    manifest: Manifest = platform.manifest
    p1, p4 = manifest.patient("p1"), manifest.patient("p4")
    owners = {r["StudyInstanceUID"]: r["PatientBirthDate"] for r in rows}
    for study in manifest.studies:
        if study.patient_key in ("p1", "p4"):
            wanted = p1.birth_date if study.patient_key == "p1" else p4.birth_date
            assert owners[study.study_instance_uid] == wanted
