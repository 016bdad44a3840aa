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
from viewer.demo import Manifest
from viewer.demo.platform import RunningPlatform, running_platform


@pytest.fixture(scope="session")
def platform(
    demo_data: Manifest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningPlatform]:
    """Both Orthanc instances, started on free ports and seeded with the demo data set."""
    with running_platform(tmp_path_factory.mktemp("platform"), DEMO_DATA_DIR, demo_data) as up:
        yield up
