"""The private Orthanc configuration and pid handling, without starting Orthanc."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from viewer.demo import orthanc
from viewer.demo.__main__ import main as demo_main
from viewer.demo.orthanc import (
    DICOMWEB_PLUGIN,
    OrthancInstance,
    OrthancNotInstalledError,
    client_config_toml,
    config_dict,
    demo_instances,
    is_instance_process,
    read_pid,
    stop,
    write_config,
)


@pytest.fixture
def instance(tmp_path: Path) -> OrthancInstance:
    return OrthancInstance(
        key="platform",
        name="QINGYING-TEST",
        http_port=18142,
        users={"doctor": "pw"},
        root=tmp_path / "platform",
    )


def test_config_turns_authentication_on(instance: OrthancInstance) -> None:
    config = config_dict(instance)
    assert config["AuthenticationEnabled"] is True
    assert config["RegisteredUsers"] == {"doctor": "pw"}


def test_config_refuses_remote_peers_and_dicom_network(instance: OrthancInstance) -> None:
    config = config_dict(instance)
    assert config["RemoteAccessAllowed"] is False
    assert config["DicomServerEnabled"] is False
    assert config["SslEnabled"] is False


def test_config_keeps_chinese_names_with_utf8(instance: OrthancInstance) -> None:
    assert config_dict(instance)["DefaultEncoding"] == "Utf8"


def test_config_keeps_patient_data_out_of_logs(instance: OrthancInstance) -> None:
    assert config_dict(instance)["DeidentifyLogs"] is True


def test_config_loads_dicomweb_plugin_at_its_root(instance: OrthancInstance) -> None:
    config = config_dict(instance)
    assert config["Plugins"] == [str(DICOMWEB_PLUGIN)]
    assert DICOMWEB_PLUGIN.name == "libOrthancDicomWeb.so"
    assert config["DicomWeb"]["Enable"] is True
    assert config["DicomWeb"]["Root"] == "/dicom-web/"


def test_config_names_port_and_storage(instance: OrthancInstance) -> None:
    config = config_dict(instance)
    assert config["Name"] == "QINGYING-TEST"
    assert config["HttpPort"] == 18142
    assert Path(config["StorageDirectory"]) == instance.storage_dir.resolve()
    assert Path(config["IndexDirectory"]).is_absolute()
    assert config["LimitFindResults"] == 0


def test_written_config_is_private_json(instance: OrthancInstance) -> None:
    path = write_config(instance)
    assert path == instance.config_path
    assert json.loads(path.read_text(encoding="utf-8")) == config_dict(instance)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds passwords
    assert instance.storage_dir.is_dir()
    assert instance.log_dir.is_dir()


def test_demo_instances_use_demo_ports_names_and_users(tmp_path: Path) -> None:
    demo = demo_instances(tmp_path)
    assert {key: i.http_port for key, i in demo.items()} == {"platform": 8142, "pacs": 8143}
    assert demo["platform"].name == "QINGYING-PLATFORM"
    assert demo["pacs"].name == "QINGYING-PACS"
    assert demo["platform"].auth == ("doctor", "demo-platform")
    assert demo["pacs"].auth == ("doctor", "demo-pacs")
    assert (demo["platform"].issuer, demo["pacs"].issuer) == ("JS-EMPI", "NJGL")
    assert demo["pacs"].root == tmp_path / "pacs"
    assert demo["platform"].dicomweb_url == "http://127.0.0.1:8142/dicom-web"


def test_demo_ports_can_be_overridden(tmp_path: Path) -> None:
    demo = demo_instances(tmp_path, ports={"platform": 40001, "pacs": 40002})
    assert demo["platform"].http_port == 40001
    assert demo["pacs"].base_url == "http://127.0.0.1:40002"


def test_client_config_lists_sources_without_passwords_the_platform_taking_reports(
    tmp_path: Path,
) -> None:
    text = client_config_toml(demo_instances(tmp_path).values())
    assert "demo-platform" not in text
    assert "password" not in text
    sources = tomllib.loads(text)["sources"]
    assert sources == [
        {
            "name": "provincial",
            "url": "http://127.0.0.1:8142/dicom-web",
            "auth": "basic",
            "username": "doctor",
            "issuer": "JS-EMPI",
            "store": True,  # measurement reports sent back (STOW-RS); the PACS takes none
        },
        {
            "name": "gulou",
            "url": "http://127.0.0.1:8143/dicom-web",
            "auth": "basic",
            "username": "doctor",
            "issuer": "NJGL",
        },
    ]


def test_missing_orthanc_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda *args, **kwargs: None)
    with pytest.raises(OrthancNotInstalledError, match="apt-get install orthanc"):
        orthanc.find_orthanc()


# -- pid handling ---------------------------------------------------------------------


def spawn(argv0: Path, *args: str) -> subprocess.Popen[bytes]:
    """A harmless sleeping Python process whose argv[0] is ``argv0``, once its command
    line shows in /proc (right after the fork it can still read empty)."""
    process = subprocess.Popen(
        [str(argv0), "-c", "import time; time.sleep(60)", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 5
    cmdline = Path(f"/proc/{process.pid}/cmdline")
    while time.monotonic() < deadline and str(argv0).encode() not in cmdline.read_bytes():
        time.sleep(0.01)
    return process


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


@pytest.fixture
def fake_orthanc(tmp_path: Path) -> Path:
    """A link named ``Orthanc`` to the Python interpreter: looks like Orthanc in /proc."""
    link = tmp_path / "bin" / "Orthanc"
    link.parent.mkdir()
    link.symlink_to(sys.executable)
    return link


def test_pid_file_naming_a_foreign_process_is_not_signalled(
    instance: OrthancInstance, processes: list[subprocess.Popen[bytes]]
) -> None:
    write_config(instance)
    foreign = spawn(Path(sys.executable))
    processes.append(foreign)
    instance.pid_file.write_text(f"{foreign.pid}\n")

    assert not is_instance_process(foreign.pid, instance)
    assert stop(instance, timeout=1) is False
    assert foreign.poll() is None  # still alive
    assert not instance.pid_file.exists()  # stale pid file removed


def test_orthanc_of_another_instance_is_not_signalled(
    instance: OrthancInstance,
    processes: list[subprocess.Popen[bytes]],
    fake_orthanc: Path,
    tmp_path: Path,
) -> None:
    write_config(instance)
    other = spawn(fake_orthanc, str(tmp_path / "other" / "orthanc.json"))
    processes.append(other)
    instance.pid_file.write_text(f"{other.pid}\n")

    assert not is_instance_process(other.pid, instance)
    assert stop(instance, timeout=1) is False
    assert other.poll() is None


def test_own_orthanc_is_recognised_and_stopped(
    instance: OrthancInstance, processes: list[subprocess.Popen[bytes]], fake_orthanc: Path
) -> None:
    write_config(instance)
    own = spawn(fake_orthanc, str(instance.config_path.resolve()))
    processes.append(own)
    instance.pid_file.write_text(f"{own.pid}\n")

    assert is_instance_process(own.pid, instance)
    assert stop(instance, timeout=5) is True
    assert own.wait(timeout=5) != 0  # ended by a signal
    assert not instance.pid_file.exists()


@pytest.mark.parametrize("content", ["", "garbage", "-5", "0"])
def test_unreadable_pid_file_means_not_running(instance: OrthancInstance, content: str) -> None:
    write_config(instance)
    instance.pid_file.write_text(content)
    assert read_pid(instance) is None
    assert stop(instance) is False
    assert not instance.pid_file.exists()


def test_pid_of_a_dead_process_is_stale(instance: OrthancInstance) -> None:
    write_config(instance)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    instance.pid_file.write_text(f"{dead.pid}\n")
    assert not is_instance_process(dead.pid, instance)
    assert stop(instance) is False
    assert not instance.pid_file.exists()


# -- command line ---------------------------------------------------------------------


def test_status_of_a_stopped_demo_fails_quietly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert demo_main(["status", "--dir", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "platform: not running",
        "pacs: not running",
        "oidc-provider: not running",
        "sso: not running",
    ]


def test_down_of_a_stopped_demo_is_harmless(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert demo_main(["down", "--dir", str(tmp_path)]) == 0
    assert "pacs: not running" in capsys.readouterr().out


def test_up_without_orthanc_exits_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("shutil.which", lambda *args, **kwargs: None)
    assert demo_main(["up", "--dir", str(tmp_path), "--data", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("error: Orthanc is not installed: apt-get install orthanc")
