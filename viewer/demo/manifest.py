"""The manifest: what the generated demo data set holds, as JSON next to the files.

Seeding code and tests read it instead of walking the files; ``generator_version``
tells :func:`viewer.demo.ensure_demo_data` whether the files on disk are current.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class PatientEntry:
    key: str
    name: str  # PN as written, e.g. "Wang^XiaoDong=王^小东="
    birth_date: str
    sex: str
    platform_id: str
    platform_issuer: str
    mrns: dict[str, str]  # issuer -> MRN


@dataclass(frozen=True)
class SeriesEntry:
    series_instance_uid: str
    series_number: int
    modality: str
    series_description: str
    sop_class_uid: str
    transfer_syntax_uid: str
    instances: int


@dataclass(frozen=True)
class StudyEntry:
    key: str
    study_instance_uid: str
    patient_key: str
    study_date: str
    study_time: str
    accession_number: str
    modalities: list[str]
    body_part_examined: str
    study_description: str
    institution_name: str
    targets: list[str]  # among "platform", "pacs"
    series_count: int
    instance_count: int
    series: list[SeriesEntry]
    # free-form: "both", "pacs_only", "platform_only", "repeat_of:<uid>", "main_ct", ...
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CtMarkers:
    """The two spherical markers of the main patient's CT, patient coordinates in mm."""

    study_instance_uid: str
    series_instance_uid: str
    diameter_mm: float
    distance_mm: float
    centres_mm: list[list[float]]


@dataclass(frozen=True)
class TargetCounts:
    studies: int
    series: int
    instances: int


@dataclass(frozen=True)
class Manifest:
    generator_version: str
    patients: list[PatientEntry]
    studies: list[StudyEntry]
    ct_markers: CtMarkers
    counts: dict[str, TargetCounts]  # target -> what it must hold once seeded

    def patient(self, key: str) -> PatientEntry:
        return next(p for p in self.patients if p.key == key)

    def study(self, key_or_uid: str) -> StudyEntry:
        """A study by scenario key (e.g. ``"p1-ct-2023"``) or StudyInstanceUID."""
        return next(s for s in self.studies if key_or_uid in (s.key, s.study_instance_uid))

    def studies_in(self, target: str) -> list[StudyEntry]:
        return [s for s in self.studies if target in s.targets]

    def studies_tagged(self, tag: str) -> list[StudyEntry]:
        return [s for s in self.studies if tag in s.tags]

    @staticmethod
    def series_dir(root: Path, target: str, study: StudyEntry, series: SeriesEntry) -> Path:
        """Folder holding one series' files under the data set root."""
        return root / target / study.study_instance_uid / series.series_instance_uid

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        return cls(
            generator_version=data["generator_version"],
            patients=[PatientEntry(**p) for p in data["patients"]],
            studies=[
                StudyEntry(**{**s, "series": [SeriesEntry(**x) for x in s["series"]]})
                for s in data["studies"]
            ],
            ct_markers=CtMarkers(**data["ct_markers"]),
            counts={t: TargetCounts(**c) for t, c in data["counts"].items()},
        )

    def save(self, path: Path) -> None:
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
        path.write_text(text + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Manifest:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError(f"{path}: not a manifest")
        return cls.from_dict(data)


def read_version(path: Path) -> str | None:
    """The generator version stamped in a manifest file, or None if unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    version = data.get("generator_version") if isinstance(data, dict) else None
    return version if isinstance(version, str) else None
