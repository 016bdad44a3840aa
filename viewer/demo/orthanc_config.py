"""A private Orthanc instance described: where it lives, its users, its JSON
configuration, and the Qingying configuration that points at the demo instances.

:mod:`viewer.demo.orthanc` starts and stops the processes; this module only says what
they are and writes what they read. The instance refuses non-loopback peers
(``"RemoteAccessAllowed": false``) and requires HTTP Basic credentials.
"""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DICOMWEB_PLUGIN = Path("/usr/share/orthanc/plugins/libOrthancDicomWeb.so")
INSTALL_HINT = "apt-get install orthanc orthanc-dicomweb"
DEMO_USER = "doctor"
# Demo-only credentials, printed in the README on purpose.
DEMO_PLATFORM_PASSWORD = "demo-platform"  # noqa: S105
DEMO_PACS_PASSWORD = "demo-pacs"  # noqa: S105
DEMO_PORTS: Mapping[str, int] = {"platform": 8142, "pacs": 8143}


class OrthancError(RuntimeError):
    """Base class of the errors raised while managing a local Orthanc."""


class OrthancNotInstalledError(OrthancError):
    """The Orthanc binary or its DICOMweb plugin is missing."""


class PortInUseError(OrthancError):
    """Something else already listens on the instance's HTTP port."""


class OrthancStartError(OrthancError):
    """Orthanc exited or did not answer in time; the message ends with its log tail."""


class OrthancStopError(OrthancError):
    """Orthanc did not exit, even after SIGKILL."""


@dataclass(frozen=True)
class OrthancInstance:
    """One private Orthanc: what it is called, where it listens and where it keeps its files.

    ``key`` is the short name used in paths and in the demo data layout (``platform`` or
    ``pacs``); ``name`` is Orthanc's own ``Name`` (reported by ``/system``). ``source``,
    ``label`` and ``issuer`` describe it as a Qingying source: the source's name in a
    Qingying configuration, a display name and the IssuerOfPatientID of its PatientIDs.
    """

    key: str
    name: str
    http_port: int
    users: Mapping[str, str]
    root: Path
    source: str = ""
    label: str = ""
    issuer: str = ""
    threads: int = 16
    extra_config: Mapping[str, Any] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def dicomweb_url(self) -> str:
        return f"{self.base_url}/dicom-web"

    @property
    def config_path(self) -> Path:
        return self.root / "orthanc.json"

    @property
    def storage_dir(self) -> Path:
        return self.root / "storage"

    @property
    def log_dir(self) -> Path:
        return self.root / "logs"

    @property
    def log_file(self) -> Path:
        """Orthanc's current log (a symbolic link Orthanc points at its newest log)."""
        return self.log_dir / "Orthanc.log"

    @property
    def console_log(self) -> Path:
        return self.root / "console.log"

    @property
    def pid_file(self) -> Path:
        return self.root / "orthanc.pid"

    @property
    def auth(self) -> tuple[str, str]:
        """The first registered user's credentials (the demo has exactly one)."""
        user, password = next(iter(self.users.items()))
        return user, password


def demo_instances(
    root: Path, ports: Mapping[str, int] | None = None
) -> dict[str, OrthancInstance]:
    """The demo's two instances, keyed ``platform`` and ``pacs``, under ``root/<key>``.

    ``ports`` overrides the demo ports (the tests use free ephemeral ones).
    """
    chosen = {**DEMO_PORTS, **(ports or {})}
    return {
        "platform": OrthancInstance(
            key="platform",
            name="QINGYING-PLATFORM",
            http_port=chosen["platform"],
            users={DEMO_USER: DEMO_PLATFORM_PASSWORD},
            root=root / "platform",
            source="provincial",
            label="江苏省区域影像平台",
            issuer="JS-EMPI",
        ),
        "pacs": OrthancInstance(
            key="pacs",
            name="QINGYING-PACS",
            http_port=chosen["pacs"],
            users={DEMO_USER: DEMO_PACS_PASSWORD},
            root=root / "pacs",
            source="gulou",
            label="南京鼓楼医院 PACS",
            issuer="NJGL",
        ),
    }


def toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def client_config_toml(instances: Iterable[OrthancInstance]) -> str:
    """A Qingying configuration listing ``instances`` as DICOMweb sources (no passwords)."""
    lines = [
        "# Qingying configuration for the local demo platform,",
        "# written by `python -m viewer.demo up`. Demo-only credentials.",
    ]
    for instance in instances:
        user, _ = instance.auth
        lines += [
            "",
            "[[sources]]",
            f"name = {toml_string(instance.source or instance.key)}",
            f"url = {toml_string(instance.dicomweb_url)}",
            'auth = "basic"',
            f"username = {toml_string(user)}",
            f"issuer = {toml_string(instance.issuer)}",
        ]
        if instance.key == "platform":  # the platform takes measurement reports back
            lines.append("store = true")
    return "\n".join(lines) + "\n"


def find_orthanc() -> str:
    """The path of the Orthanc binary; raises if Orthanc or its DICOMweb plugin is missing."""
    path = shutil.which("Orthanc") or shutil.which("Orthanc", path="/usr/sbin:/usr/local/sbin")
    if path is None:
        raise OrthancNotInstalledError(f"Orthanc is not installed: {INSTALL_HINT}")
    if not DICOMWEB_PLUGIN.is_file():
        raise OrthancNotInstalledError(
            f"the Orthanc DICOMweb plugin {DICOMWEB_PLUGIN} is missing: {INSTALL_HINT}"
        )
    return path


def config_dict(instance: OrthancInstance) -> dict[str, Any]:
    """Orthanc's JSON configuration for ``instance``."""
    storage = str(instance.storage_dir.resolve())
    config: dict[str, Any] = {
        "Name": instance.name,
        "StorageDirectory": storage,
        "IndexDirectory": storage,
        "StorageCompression": False,
        "HttpPort": instance.http_port,
        "HttpServerEnabled": True,
        "HttpThreadsCount": instance.threads,
        "KeepAlive": True,
        "TcpNoDelay": True,
        "HttpTimeout": 60,
        "DicomServerEnabled": False,
        "RemoteAccessAllowed": False,
        "AuthenticationEnabled": True,
        "RegisteredUsers": dict(instance.users),
        "SslEnabled": False,
        # Required for Chinese names: without it QIDO drops the ideographic component.
        "DefaultEncoding": "Utf8",
        # No patient data in the logs.
        "DeidentifyLogs": True,
        "LogExportedResources": False,
        # Answer every match; the data set is small.
        "LimitFindResults": 0,
        "LimitFindInstances": 0,
        "MaximumStorageSize": 0,
        "MaximumPatientCount": 0,
        "OverwriteInstances": False,
        "SaveJobs": False,
        "ConcurrentJobs": 2,
        "ExecuteLuaEnabled": False,
        "RestApiWriteToFileSystemEnabled": False,
        "Plugins": [str(DICOMWEB_PLUGIN)],
        "DicomWeb": {
            "Enable": True,
            "Root": "/dicom-web/",
            "Ssl": False,
            "StudiesMetadata": "Full",
            "SeriesMetadata": "Full",
        },
    }
    config.update(instance.extra_config)
    return config


def write_config(instance: OrthancInstance) -> Path:
    """Create the instance's directories and write its configuration; returns its path."""
    for directory in (instance.root, instance.storage_dir, instance.log_dir):
        directory.mkdir(parents=True, exist_ok=True)
    path = instance.config_path
    tmp = path.with_suffix(".json.tmp")
    # Orthanc's own configuration holds the demo passwords: keep it private.
    tmp.write_text(json.dumps(config_dict(instance), indent=2, ensure_ascii=False) + "\n")
    tmp.chmod(0o600)
    tmp.replace(path)
    return path


def find_free_port() -> int:
    """A TCP port that is free on every interface right now (Orthanc binds to all)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("", 0))
        port: int = sock.getsockname()[1]
        return port
