"""Deterministic demo data: a small regional-imaging scenario as DICOM files.

No Qt here. ``ensure_demo_data(out_dir)`` returns the :class:`Manifest` of a data set
laid out as ``out_dir/<target>/<StudyInstanceUID>/<SeriesInstanceUID>/<SOPInstanceUID>.dcm``
with target ``platform`` (the provincial platform) or ``pacs`` (南京鼓楼医院's PACS);
docs/demo-scenario.md describes the scenario.
"""

from viewer.demo.generate import GENERATOR_VERSION, ensure_demo_data
from viewer.demo.manifest import (
    CtMarkers,
    Manifest,
    PatientEntry,
    SeriesEntry,
    StudyEntry,
    TargetCounts,
)

__all__ = [
    "GENERATOR_VERSION",
    "CtMarkers",
    "Manifest",
    "PatientEntry",
    "SeriesEntry",
    "StudyEntry",
    "TargetCounts",
    "ensure_demo_data",
]
