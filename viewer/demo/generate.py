"""Generating the whole demo data set and keeping it current on disk.

Every study of the scenario is built once and written into each target that holds
it; only the Patient Module differs between the ``platform`` and ``pacs`` copies.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from viewer.demo.compression import set_pixel_data
from viewer.demo.dicom_modules import patient_module, study_uid
from viewer.demo.manifest import (
    MANIFEST_NAME,
    CtMarkers,
    Manifest,
    PatientEntry,
    SeriesEntry,
    StudyEntry,
    TargetCounts,
    read_version,
)
from viewer.demo.patients import (
    CR_CHEST,
    CT_CHEST_ABDOMEN,
    DX_CHEST,
    INSTITUTIONS,
    MR_HEAD,
    PACS,
    PATIENTS,
    PLATFORM,
    PLATFORM_ISSUER,
    STUDIES,
    TARGETS,
    US_ABDOMEN,
    StudyDef,
    patient,
    study_def,
)
from viewer.demo.phantom_ct import MARKER_DIAMETER_MM, MARKER_DISTANCE_MM, marker_centres
from viewer.demo.series import Instance, StudyBuild
from viewer.demo.series_ct import build_ct, ct_geometry
from viewer.demo.series_mr import build_mr
from viewer.demo.series_us import build_us
from viewer.demo.series_xray import build_xray
from viewer.demo.writer import instance_path, write_instance

# Bump whenever the output changes in any way: stale data sets are regenerated.
GENERATOR_VERSION = "2"

_BUILDERS: dict[str, Callable[[StudyDef], StudyBuild]] = {
    CT_CHEST_ABDOMEN: build_ct,
    MR_HEAD: build_mr,
    DX_CHEST: lambda s: build_xray(s, digital=True),
    CR_CHEST: lambda s: build_xray(s, digital=False),
    US_ABDOMEN: build_us,
}


def build_study(s: StudyDef) -> StudyBuild:
    """The (lazy) content of one study."""
    return _BUILDERS[s.kind](s)


def original_instance(study_key: str, series_number: int, instance_number: int) -> Instance:
    """The uncompressed dataset and pixels of one instance, rebuilt from scratch."""
    build = build_study(study_def(study_key))
    series = next(x for x in build.series if x.number == series_number)
    return series.make(instance_number - 1)


def _tags(s: StudyDef) -> list[str]:
    tags: list[str] = []
    if set(s.targets) == set(TARGETS):
        tags.append("both")
    elif s.targets == (PACS,):
        tags.append("pacs_only")
    else:
        tags.append("platform_only")
    if s.repeat_of:
        tags.append(f"repeat_of:{study_uid(study_def(s.repeat_of))}")
    if s.main:
        tags.append("main_ct")
    return tags


def write_study(s: StudyDef, root: Path) -> StudyEntry:
    """Write every instance of ``s`` under ``root`` for each of its targets."""
    build = build_study(s)
    p = patient(s.patient)
    identities = {t: patient_module(p, t) for t in s.targets}
    series_entries: list[SeriesEntry] = []
    for series in build.series:
        series_uid = ""
        for i in range(series.count):
            ds, pixels = series.make(i)
            set_pixel_data(ds, pixels, s.codec)
            series_uid = ds.SeriesInstanceUID
            for target in s.targets:
                for element in identities[target]:
                    ds.add(element)
                write_instance(ds, instance_path(root, target, ds))
        series_entries.append(
            SeriesEntry(
                series_instance_uid=series_uid,
                series_number=series.number,
                modality=series.modality,
                series_description=series.description,
                sop_class_uid=series.sop_class_uid,
                transfer_syntax_uid=s.codec,
                instances=series.count,
            )
        )
    return StudyEntry(
        key=s.key,
        study_instance_uid=study_uid(s),
        patient_key=s.patient,
        study_date=s.date,
        study_time=s.time,
        accession_number=s.accession_number,
        modalities=build.modalities,
        body_part_examined=build.body_part,
        study_description=build.description,
        institution_name=INSTITUTIONS[s.institution].name,
        targets=list(s.targets),
        series_count=len(series_entries),
        instance_count=sum(x.instances for x in series_entries),
        series=series_entries,
        tags=_tags(s),
    )


def _ct_markers(studies: list[StudyEntry]) -> CtMarkers:
    main = next(s for s in STUDIES if s.main)
    entry = next(e for e in studies if e.key == main.key)
    return CtMarkers(
        study_instance_uid=entry.study_instance_uid,
        series_instance_uid=entry.series[0].series_instance_uid,
        diameter_mm=MARKER_DIAMETER_MM,
        distance_mm=MARKER_DISTANCE_MM,
        centres_mm=[list(c) for c in marker_centres(ct_geometry(main))],
    )


def _counts(studies: list[StudyEntry]) -> dict[str, TargetCounts]:
    counts: dict[str, TargetCounts] = {}
    for target in (PLATFORM, PACS):
        held = [s for s in studies if target in s.targets]
        counts[target] = TargetCounts(
            studies=len(held),
            series=sum(s.series_count for s in held),
            instances=sum(s.instance_count for s in held),
        )
    return counts


def _patients() -> list[PatientEntry]:
    return [
        PatientEntry(
            key=p.key,
            name=p.name,
            birth_date=p.birth_date,
            sex=p.sex,
            platform_id=p.platform_id,
            platform_issuer=PLATFORM_ISSUER,
            mrns=dict(p.mrns),
        )
        for p in PATIENTS
    ]


def generate(out_dir: Path) -> Manifest:
    """Write the whole data set into ``out_dir`` (which should be empty) with its manifest."""
    studies = [write_study(s, out_dir) for s in STUDIES]
    manifest = Manifest(
        generator_version=GENERATOR_VERSION,
        patients=_patients(),
        studies=studies,
        ct_markers=_ct_markers(studies),
        counts=_counts(studies),
    )
    manifest.save(out_dir / MANIFEST_NAME)
    return manifest


def ensure_demo_data(out_dir: Path) -> Manifest:
    """The demo data set in ``out_dir``, generated first if missing or stale.

    Generation writes into a temporary sibling folder and renames it into place, so a
    reader never sees a half-written data set and an interrupted run leaves no stamp.
    """
    out_dir = Path(out_dir)
    manifest_path = out_dir / MANIFEST_NAME
    if read_version(manifest_path) == GENERATOR_VERSION:
        return Manifest.load(manifest_path)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        manifest = generate(tmp)
        # Another process may have finished first; its data set is as good as ours.
        if read_version(manifest_path) == GENERATOR_VERSION:
            shutil.rmtree(tmp)
            return Manifest.load(manifest_path)
        if out_dir.exists():
            stale = out_dir.parent / f".{out_dir.name}.stale-{os.getpid()}"
            out_dir.rename(stale)
            shutil.rmtree(stale)
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest
