"""The local imaging platform for integration tests: two real Orthanc instances.

The ``platform`` fixture runs the same code as ``python -m viewer.demo up`` but on free
ephemeral ports in a temporary folder, so it never collides with a running demo. Both
instances are seeded with the demo data set and stopped at the end of the session, also
when a test or the set-up fails.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.conftest import DEMO_DATA_DIR
from viewer.demo import Manifest
from viewer.demo.orthanc import (
    OrthancInstance,
    client_config_toml,
    demo_instances,
    find_free_port,
    start,
    stop_all,
)
from viewer.demo.seed import expected_counts, seed_instances

TARGETS = ("platform", "pacs")


@dataclass(frozen=True)
class RunningPlatform:
    """Both running instances, keyed by target (``platform``, ``pacs``)."""

    instances: Mapping[str, OrthancInstance]
    manifest: Manifest
    data_dir: Path
    config_path: Path  # a Qingying configuration listing both as sources

    def dicomweb_url(self, target: str) -> str:
        """E.g. ``http://127.0.0.1:PORT/dicom-web`` (no trailing slash)."""
        return self.instances[target].dicomweb_url

    def base_url(self, target: str) -> str:
        """Orthanc's REST root, e.g. ``http://127.0.0.1:PORT``."""
        return self.instances[target].base_url

    def auth(self, target: str) -> tuple[str, str]:
        """The (user, password) of the target's demo user."""
        return self.instances[target].auth

    def session(self, target: str) -> requests.Session:
        """A new session with the target's Basic credentials; close it after use."""
        session = requests.Session()
        session.auth = self.auth(target)
        return session

    @property
    def platform_url(self) -> str:
        return self.dicomweb_url("platform")

    @property
    def pacs_url(self) -> str:
        return self.dicomweb_url("pacs")


@pytest.fixture(scope="session")
def platform(
    demo_data: Manifest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningPlatform]:
    """Both Orthanc instances, started on free ports and seeded with the demo data set."""
    root = tmp_path_factory.mktemp("platform")
    instances = demo_instances(root, ports={target: find_free_port() for target in TARGETS})
    try:
        for instance in instances.values():
            start(instance)
        seed_instances(instances.values(), DEMO_DATA_DIR, expected_counts(demo_data))
        config_path = root / "demo-config.toml"
        config_path.write_text(client_config_toml(instances.values()), encoding="utf-8")
        yield RunningPlatform(instances, demo_data, DEMO_DATA_DIR, config_path)
    finally:
        stop_all(instances.values())
