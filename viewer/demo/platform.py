"""The demo platform as a context manager: both instances started, seeded, then stopped.

The integration tests and the benchmarks use it on free ports in a folder of their own,
so they never collide with a running ``make demo``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from viewer.demo.manifest import Manifest
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


@contextmanager
def running_platform(root: Path, data_dir: Path, manifest: Manifest) -> Iterator[RunningPlatform]:
    """Start both instances on free ports under ``root``, seed them from ``data_dir``.

    They are stopped on exit, also when start-up or seeding fails half way.
    """
    instances = demo_instances(root, ports={target: find_free_port() for target in TARGETS})
    try:
        for instance in instances.values():
            start(instance)
        seed_instances(instances.values(), data_dir, expected_counts(manifest))
        config_path = root / "demo-config.toml"
        config_path.write_text(client_config_toml(instances.values()), encoding="utf-8")
        yield RunningPlatform(instances, manifest, data_dir, config_path)
    finally:
        stop_all(instances.values())
