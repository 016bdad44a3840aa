"""Measurement reports and key image selections cached with a study, read as the
study's measurements: an SR or KO series fetched with the study — another
workstation's, or ours sent to the platform and fetched back at another hospital —
shows its measurements on their images and marks its key images, as the doctor's own.

Only series the cache lists as SR are read, and highdicom is imported only then. A
report that cannot be read is left out (logged without patient data), never guessed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from pydicom.dataset import Dataset

from viewer.cache.store import CacheStore
from viewer.errors import InvalidDataError
from viewer.history.series import SeriesListing, list_series
from viewer.imaging.bad_data import bad_data
from viewer.imaging.headers import read_header
from viewer.instance_file import InstanceFile
from viewer.session.annotation_file import AnnotationFile, checked
from viewer.session.annotations import Annotation, StudyAnnotations

log = logging.getLogger(__name__)

FilesOf = Callable[[str], list[InstanceFile]]  # a series' cached files


def report_files(
    listing: SeriesListing, files_of: FilesOf, modality: str = "SR"
) -> list[InstanceFile]:
    """The cached files of the study's series of ``modality`` (SR reports, KO selections)."""
    return [
        f for s in listing.series if s.modality.upper() == modality for f in files_of(s.series_uid)
    ]


def read_reports(files: list[InstanceFile]) -> list[Annotation]:
    """The measurements of the reports in ``files`` (those naming their image's series)."""
    if not files:
        return []
    from viewer.measure.report_read import read_report

    def read(ds: Dataset) -> list[Annotation]:
        items, skipped = read_report(ds)
        if skipped:
            log.info("%d group(s) of a cached report could not be read", skipped)
        made = [
            Annotation(
                i.uid, i.tool, i.points, i.series_uid, i.sop_instance_uid, i.frame, i.text,
                i.known_mm, reported=tuple((n, float(v)) for n, v in i.reported.items()),
            )
            for i in items
        ]  # fmt: skip
        return _drawable(made)

    return _each(files, "a measurement report", read)


def read_key_selections(files: list[InstanceFile]) -> list[Annotation]:
    """The key images the Key Object Selections in ``files`` mark."""
    if not files:
        return []
    from viewer.measure.key_objects import key_images_of

    def read(ds: Dataset) -> list[Annotation]:
        return [Annotation.key_image(image) for image in key_images_of(ds)]

    return _each(files, "a key image selection", read)


def _drawable(made: list[Annotation]) -> list[Annotation]:
    """What a report from elsewhere holds that passes every check of our own file
    (:func:`viewer.session.annotation_file.checked`): nothing else is ever drawn."""
    kept = []
    for annotation in made:
        try:
            kept.append(checked(annotation))
        except (ValueError, TypeError):
            log.info("a measurement of a cached report left out: not drawable")
    return kept


def _each(
    files: list[InstanceFile], what: str, read: Callable[[Dataset], list[Annotation]]
) -> list[Annotation]:
    """What ``read`` finds in each file; a file it cannot read left out (logged by kind
    of error only: no patient data in the log)."""
    found: list[Annotation] = []
    for file in files:
        try:
            ds = read_header(file)
            with bad_data(what):
                found += read(ds)
        except InvalidDataError as err:
            log.info("%s cached could not be read (%s)", what, type(err).__name__)
    return found


def study_annotations(store: CacheStore, study_uid: str) -> StudyAnnotations:
    """A study's measurements as the cache holds them: the doctor's own (the study's
    file, where each step is written) and those of its cached reports not yet among
    them (the same measurement sent and fetched back is one)."""
    file = AnnotationFile(store.root, study_uid, store.key)
    study = file.studied()
    kept = study.items
    listing = list_series(study_uid, store, ())

    def files_of(series: str) -> list[InstanceFile]:
        return store.instance_files(study_uid, series)

    reports = read_reports(report_files(listing, files_of))
    reports += read_key_selections(report_files(listing, files_of, "KO"))
    known = {a.uid for a in kept} | study.removed  # a measurement removed never comes back
    return StudyAnnotations(
        study_uid, kept + [a for a in reports if a.uid not in known], file.save, study.removed
    )
