"""A study's measurements on their way out: each with the values of its image (as the
screen computes them, in its series' calibration), and the documents made of them — the
measurement report (SR) and the key images' selection (KO) — to write to files or send
to a source. The CLI and the window both go through here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from pydicom.dataset import Dataset

from viewer.cache.store import CacheStore
from viewer.dicomweb.stow import StoreOutcome
from viewer.errors import InvalidDataError, NotFoundError, UsageError
from viewer.imaging.bad_data import bad_data
from viewer.imaging.decode import read_dataset
from viewer.imaging.headers import read_header
from viewer.instance_file import InstanceFile
from viewer.measure.image import measured_image
from viewer.measure.report_tools import LINES, REGIONS
from viewer.measure.tools import Measured, Tool, measure
from viewer.session.annotations import Annotation, StudyAnnotations
from viewer.sources.protocol import ImagingSource

# Each measurement with (its image's header, its values); None: its image is not cached.
Valued = list[tuple[Annotation, tuple[Dataset, Measured] | None]]
REPORTED = LINES + REGIONS  # what a measurement report holds


def valued_measurements(store: CacheStore, annotations: StudyAnnotations) -> Valued:
    study, items = annotations.study_uid, annotations.items
    files: dict[tuple[str, str], InstanceFile] = {}
    for series in {a.series_uid for a in items}:
        for cached in store.instance_files(study, series):
            sop = str(read_header(cached).get("SOPInstanceUID", ""))
            files[(series, sop)] = cached
    out: Valued = []
    for annotation in items:
        file = files.get((annotation.series_uid, annotation.sop_instance_uid))
        if file is None:
            out.append((annotation, None))
            continue
        try:  # one image that cannot be read, or a shape with no value, is that one's
            ds = read_dataset(file)
            image = measured_image(ds, annotation.frame, where=str(file))
            image = annotations.calibrated(image, annotation.series_uid)
            measured = measure(image, annotation.tool, annotation.points)
        except (InvalidDataError, ValueError):
            out.append((annotation, None))
            continue
        header = ds.copy()
        del header.PixelData
        out.append((annotation, (header, measured)))
    return out


@dataclass(frozen=True)
class Outgoing:
    """What leaves: the report and the selection (None where there is nothing for it)
    and the counts a doctor is told."""

    report: Dataset | None
    key_images: Dataset | None
    measurements: int  # in the report
    keys: int  # key images in the selection
    left_out: int  # probes, arrows, notes: no report holds them
    missing: int  # whose image is not in the cache any more

    def parts(self) -> list[bytes]:
        return [_bytes(d) for d in (self.report, self.key_images) if d is not None]


def outgoing(valued: Valued) -> Outgoing:
    from viewer.measure.key_objects import key_object_selection
    from viewer.measure.report import Reported, measurement_report

    here = [(a, found) for a, found in valued if found is not None]
    reported = [
        Reported(a.uid, a.text, found[0], a.frame, found[1])
        for a, found in here
        if a.tool in REPORTED
    ]
    keys = [(found[0], a.frame) for a, found in here if a.tool is Tool.KEY]
    report = key_images = None
    if reported:
        with bad_data("the measurement report"):  # what a header lacks, said as bad data
            report, _left = measurement_report(reported)
    if keys:
        with bad_data("the key image selection"):
            key_images = key_object_selection(keys)
    left_out = len(here) - len(reported) - len(keys)
    return Outgoing(report, key_images, len(reported), len(keys), left_out, len(valued) - len(here))


def send(source: ImagingSource, study_uid: str, out: Outgoing) -> StoreOutcome:
    """The report and the selection to ``source`` (STOW-RS), where the site lets it."""
    if not source.capabilities.can_store:
        raise UsageError(f"{source.name} is not configured to take reports (store = true)")
    parts = out.parts()
    if not parts:
        raise NotFoundError("no measurement or key image of the study is on a cached image")
    return source.store_instances(study_uid, parts)


def _bytes(ds: Any) -> bytes:
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


@dataclass(frozen=True)
class Sent:
    source: str
    out: Outgoing
    stored: StoreOutcome


def send_to_first_that_takes(
    store: CacheStore, sources: list[ImagingSource], annotations: StudyAnnotations
) -> Sent:
    """The study's report and key images to the first source the site lets take them
    (``store = true``); UsageError when none does."""
    taking = [s for s in sources if s.capabilities.can_store and s.capabilities.unavailable is None]
    if not taking:
        raise UsageError("no source is configured to take measurement reports (store = true)")
    out = outgoing(valued_measurements(store, annotations))
    return Sent(taking[0].name, out, send(taking[0], annotations.study_uid, out))
