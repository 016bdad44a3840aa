"""Finding files of the demo data set by what they are."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import DEMO_DATA_DIR
from viewer.demo import Manifest


def platform_series_files(
    manifest: Manifest, modality: str, syntax: str | None = None
) -> list[Path]:
    """The files of the first platform series of ``modality`` (and transfer ``syntax``)."""
    for study in manifest.studies:
        if "platform" not in study.targets:
            continue
        for series in study.series:
            if series.modality == modality and syntax in (None, series.transfer_syntax_uid):
                folder = (
                    DEMO_DATA_DIR
                    / "platform"
                    / study.study_instance_uid
                    / series.series_instance_uid
                )
                return sorted(folder.glob("*.dcm"))
    raise AssertionError(f"no {modality} series ({syntax or 'any syntax'}) in the demo data")
