"""Starting and stopping a private Orthanc: clean stops, clear failures, idempotent seeding."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from viewer.demo.orthanc import (
    OrthancInstance,
    OrthancStartError,
    PortInUseError,
    find_free_port,
    is_instance_process,
    read_pid,
    start,
    status,
    stop,
)
from viewer.demo.platform import RunningPlatform
from viewer.demo.seed import (
    RejectedFileError,
    SeedError,
    count_instances,
    expected_counts,
    seed_instance,
    seed_instances,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[OrthancInstance]:
    """A fresh, empty instance on a free port; stopped at the end whatever happens."""
    fresh = OrthancInstance(
        key="scratch",
        name="QINGYING-SCRATCH",
        http_port=find_free_port(),
        users={"doctor": "scratch"},
        root=tmp_path / "scratch",
    )
    yield fresh
    stop(fresh)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_platform_stops_cleanly(instance: OrthancInstance) -> None:
    pid = start(instance)
    assert read_pid(instance) == pid
    assert is_instance_process(pid, instance)
    assert status(instance).healthy

    assert stop(instance) is True
    assert not is_instance_process(pid, instance)
    assert not instance.pid_file.exists()
    assert not port_open(instance.http_port)
    assert not status(instance).running
    assert stop(instance) is False  # stopping twice is harmless


def test_start_reuses_a_running_instance(instance: OrthancInstance) -> None:
    assert start(instance) == start(instance)


def test_start_refuses_a_busy_port(instance: OrthancInstance) -> None:
    with socket.socket() as sock:
        sock.bind(("", instance.http_port))
        sock.listen()
        with pytest.raises(PortInUseError, match=str(instance.http_port)):
            start(instance)
    assert not instance.pid_file.exists()


def test_failed_start_reports_the_log_tail(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("", 0))
        sock.listen()
        busy = sock.getsockname()[1]
        # The health check polls a free port while Orthanc itself tries the busy one.
        broken = OrthancInstance(
            key="broken",
            name="QINGYING-BROKEN",
            http_port=find_free_port(),
            users={"doctor": "x"},
            root=tmp_path / "broken",
            extra_config={"HttpPort": busy},
        )
        with pytest.raises(OrthancStartError) as raised:
            start(broken, timeout=10)
    message = str(raised.value)
    assert "exited" in message
    assert "already in use" in message  # from Orthanc's own log
    assert read_pid(broken) is None


def test_seeding_stops_at_a_file_orthanc_rejects(instance: OrthancInstance, tmp_path: Path) -> None:
    start(instance)
    folder = tmp_path / "data" / "study" / "series"
    folder.mkdir(parents=True)
    (folder / "1.2.3.dcm").write_bytes(b"not DICOM at all" * 64)
    with pytest.raises(RejectedFileError) as raised:
        seed_instance(instance, tmp_path / "data", expected=1)
    assert raised.value.path == folder / "1.2.3.dcm"
    assert raised.value.status == 400
    with pytest.raises(SeedError, match="manifest lists 5"):
        seed_instance(instance, tmp_path / "data", expected=5)
    assert count_instances(instance) == 0


def test_seeding_again_uploads_nothing(platform: RunningPlatform) -> None:
    results = seed_instances(
        platform.instances.values(), platform.data_dir, expected_counts(platform.manifest)
    )
    assert all(result.skipped for result in results)
    assert {r.key: r.stored for r in results} == expected_counts(platform.manifest)


def test_demo_config_lists_both_sources(platform: RunningPlatform) -> None:
    from viewer.config import load_config

    config = load_config(platform.config_path)
    assert {(s.url, s.auth, s.issuer) for s in config.sources} == {
        (platform.platform_url, "basic", "JS-EMPI"),
        (platform.pacs_url, "basic", "NJGL"),
    }
    for source in config.sources:
        target = "platform" if source.issuer == "JS-EMPI" else "pacs"
        user, password = platform.auth(target)
        assert source.username == user
        response = requests.get(f"{source.url}/studies?limit=1", auth=(user, password), timeout=10)
        assert response.status_code == 200
