"""The local imaging platform for integration tests: two real Orthanc instances.

The ``platform`` fixture runs the same code as ``python -m viewer.demo up`` but on free
ephemeral ports in a temporary folder, so it never collides with a running demo. Both
instances are seeded with the demo data set and stopped at the end of the session, also
when a test or the set-up fails.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import DEMO_DATA_DIR
from tests.support.memory_keyring import MemoryKeyring
from viewer.demo import Manifest
from viewer.demo.platform import RunningPlatform, running_platform


@pytest.fixture(scope="session")
def platform(
    demo_data: Manifest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningPlatform]:
    """Both Orthanc instances, started on free ports and seeded with the demo data set."""
    with running_platform(tmp_path_factory.mktemp("platform"), DEMO_DATA_DIR, demo_data) as up:
        yield up


@pytest.fixture
def signed_in(platform: RunningPlatform, memory_keyring: MemoryKeyring):  # type: ignore[no-untyped-def]
    """Signs in to the platform under any URL (a proxy's too), in the test's keyring."""

    def sign_in(url: str) -> None:
        memory_keyring.set_password(f"qingying:{url}", "doctor", platform.auth("platform")[1])

    return sign_in
