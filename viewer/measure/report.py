"""A study's measurements as a DICOM SR Imaging Measurement Report (TID 1500), with
highdicom: what another workstation, a PACS or the next visit reads as measurements.

- Lengths, angles, Cobb angles, long and short axes and polylines are Measurement
  Groups (TID 1501) whose measurements point at their coordinates on the image
  (SCOORD POLYLINE: a Cobb angle's two lines, a bidirectional's two axes).
- Rectangles, ellipses and freehand outlines are Planar ROI groups (TID 1410) with the
  region (a closed POLYLINE, or an ELLIPSE by its two axes' ends) and its area, mean,
  SD, min and max.
- A probe, an arrow and a note carry no measurement a report holds: they stay in the
  study's own file (and the CSV); :func:`measurement_report` says how many it left out.
  Key images go in a Key Object Selection (:mod:`viewer.measure.key_objects`).

Every group has a Tracking Identifier naming the measurement (its UID derived from the
measurement's own id, so reading it back finds the same measurement) and, as its
method, the calibration its values are in (a private code, "99QY": PixelSpacing, at
detector, …). SCOORD coordinates count from the top left corner of the top left pixel
(PS3.3 C.18.6.1.1): a pixel centre, at an integer here, is half a pixel further.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

import highdicom as hd
import numpy as np
from pydicom.dataset import Dataset
from pydicom.sr.codedict import codes
from pydicom.uid import generate_uid

from viewer import __version__
from viewer.measure.report_tools import LINES, REGIONS
from viewer.measure.tools import Measured, Tool
from viewer.uids import is_valid_uid

SCHEME = "99QY"  # Qingying's private coding scheme: the calibration a value is in
PIXEL_ORIGIN = 0.5  # our pixel centres are integers; SCOORD's are at .5
UNITS = {
    "mm": hd.sr.CodedConcept("mm", "UCUM", "millimeter"),
    "mm²": hd.sr.CodedConcept("mm2", "UCUM", "square millimeter"),
    "°": hd.sr.CodedConcept("deg", "UCUM", "degree"),
    "px": hd.sr.CodedConcept("{pixels}", "UCUM", "pixels"),
    "px²": hd.sr.CodedConcept("{pixels}", "UCUM", "pixels"),
    "HU": hd.sr.CodedConcept("[hnsf'U]", "UCUM", "Hounsfield unit"),
    "": hd.sr.CodedConcept("1", "UCUM", "no units"),
}


@dataclass(frozen=True)
class Reported:
    """One measurement to report: its id and note, the image's header, its values."""

    uid: str  # the measurement's own id (a UUID's hex)
    text: str
    image: Dataset  # the header of the image it is on (pixels not needed)
    frame: int
    measured: Measured


def tracking_uid(uid: str) -> str:
    """A DICOM UID for a measurement id: 2.25 and the UUID as a number (PS3.5 B.2)."""
    return f"2.25.{int(uid, 16)}"


def measurement_report(
    reported: Sequence[Reported], *, series_number: int = 990
) -> tuple[Dataset, int]:
    """(the SR dataset, how many measurements it could not hold: probes, arrows, notes)."""
    groups: list[hd.sr.MeasurementsAndQualitativeEvaluations] = []
    regions: list[hd.sr.PlanarROIMeasurementsAndQualitativeEvaluations] = []
    left_out = 0
    for item in reported:
        tool = item.measured.tool
        if tool in LINES:
            groups.append(_line_group(item))
        elif tool in REGIONS:
            regions.append(_region_group(item))
        else:
            left_out += 1
    if not groups and not regions:
        raise ValueError("nothing a report holds: no length, angle or region")
    device = hd.sr.ObserverContext(
        observer_type=codes.DCM.Device,
        observer_identifying_attributes=hd.sr.DeviceObserverIdentifyingAttributes(
            uid=generate_uid(), name="Qingying", manufacturer_name="Qingying"
        ),
    )
    report = hd.sr.MeasurementReport(
        observation_context=hd.sr.ObservationContext(observer_device_context=device),
        procedure_reported=codes.SCT.ImagingProcedure,
        imaging_measurements=[*groups, *regions],
    )
    evidence = _evidence(reported)
    return _document(report, evidence, series_number), left_out


def _document(report: hd.sr.MeasurementReport, evidence: list[Dataset], number: int) -> Dataset:
    sr = hd.sr.Comprehensive3DSR(
        evidence=evidence,
        content=report,
        series_instance_uid=generate_uid(),
        series_number=number,
        sop_instance_uid=generate_uid(),
        instance_number=1,
        manufacturer="Qingying",
        software_versions=__version__,
        series_description="Qingying measurements",
    )
    return sr


# Type 2 attributes of the patient and study the report copies from its evidence: a
# file may leave them out altogether, where the report must have them, if empty.
COPIED = (
    "PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyDate", "StudyTime",
    "ReferringPhysicianName", "StudyID", "AccessionNumber",
)  # fmt: skip


def evidence_copy(image: Dataset) -> Dataset:
    """``image``'s header as a report's evidence: the patient and study attributes a
    report copies present, empty where the file left them out."""
    made = copy.copy(image)
    for keyword in COPIED:
        if keyword not in made:
            setattr(made, keyword, "")
    return made


def evidence_series(ds: Dataset) -> dict[str, str]:
    """SOP Instance UID → Series Instance UID of each image a report or a selection
    names as its evidence (PS3.3 C.17.2: Current Requested Procedure and Pertinent Other
    Evidence); only those with a valid series UID."""
    found: dict[str, str] = {}
    for keyword in ("CurrentRequestedProcedureEvidenceSequence", "PertinentOtherEvidenceSequence"):
        for study in ds.get(keyword) or ():
            for series in study.get("ReferencedSeriesSequence") or ():
                uid = str(series.get("SeriesInstanceUID", ""))
                for sop in series.get("ReferencedSOPSequence") or ():
                    found[str(sop.get("ReferencedSOPInstanceUID", ""))] = uid
    return {k: v for k, v in found.items() if is_valid_uid(v)}


def _evidence(reported: Sequence[Reported]) -> list[Dataset]:
    seen: dict[str, Dataset] = {}
    for item in reported:
        if item.measured.tool in LINES + REGIONS:
            sop = str(item.image.SOPInstanceUID)
            if sop not in seen:
                seen[sop] = evidence_copy(item.image)
    return list(seen.values())


def _identifier(item: Reported) -> hd.sr.TrackingIdentifier:
    words = f"{item.measured.tool} {item.text}".strip()[:64]
    return hd.sr.TrackingIdentifier(uid=tracking_uid(item.uid), identifier=words)


def _method(item: Reported) -> hd.sr.CodedConcept:
    basis = str(item.measured.calibration.basis)
    return hd.sr.CodedConcept(basis, SCHEME, f"calibration: {basis}")


def _source(item: Reported) -> hd.sr.SourceImageForRegion:
    frames = [item.frame] if int(item.image.get("NumberOfFrames", 1) or 1) > 1 else None
    return hd.sr.SourceImageForRegion.from_source_image(item.image, frames)


def _scoord(points: Sequence[tuple[float, float]]) -> np.ndarray:
    return np.asarray(points, dtype=np.float64) + PIXEL_ORIGIN


def _coordinates(
    item: Reported, points: Sequence[tuple[float, float]]
) -> hd.sr.CoordinatesForMeasurement:
    return hd.sr.CoordinatesForMeasurement(
        graphic_type=hd.sr.GraphicTypeValues.POLYLINE,
        graphic_data=_scoord(points),
        source_image=_source(item),
    )


def _measurement(
    name: hd.sr.CodedConcept, value: float, unit: str, where: list[hd.sr.CoordinatesForMeasurement]
) -> hd.sr.Measurement:
    return hd.sr.Measurement(
        name=name, value=value, unit=UNITS.get(unit, UNITS[""]), referenced_coordinates=where
    )


def _line_group(item: Reported) -> hd.sr.MeasurementsAndQualitativeEvaluations:
    measured = item.measured
    tool, pts, value = measured.tool, measured.points, measured.value
    assert value is not None
    if tool in (Tool.COBB, Tool.BIDIRECTIONAL):
        first, second = [_coordinates(item, pts[:2])], [_coordinates(item, pts[2:])]
    else:
        first = second = [_coordinates(item, pts)]
    if tool is Tool.BIDIRECTIONAL:
        assert measured.short is not None
        measurements = [
            _measurement(codes.SCT.LongAxis, value.value, value.unit, first),
            _measurement(codes.SCT.ShortAxis, measured.short.value, value.unit, second),
        ]
    else:
        name = {
            Tool.ANGLE: codes.SCT.Angle,
            Tool.COBB: codes.SCT.CobbAngle,
        }.get(tool, codes.SCT.Length)
        where = first + second if tool is Tool.COBB else first
        measurements = [_measurement(name, value.value, value.unit, where)]
    return hd.sr.MeasurementsAndQualitativeEvaluations(
        tracking_identifier=_identifier(item), method=_method(item), measurements=measurements
    )


def _region_group(item: Reported) -> hd.sr.PlanarROIMeasurementsAndQualitativeEvaluations:
    measured = item.measured
    pts, value = measured.points, measured.value
    assert value is not None
    if measured.tool is Tool.ELLIPSE:
        (x0, y0), (x1, y1) = pts
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        ends = [(x0, cy), (x1, cy), (cx, y0), (cx, y1)]  # the two axes' ends
        graphic, data = hd.sr.GraphicTypeValues.ELLIPSE, _scoord(ends)
    else:
        if measured.tool is Tool.RECTANGLE:
            (x0, y0), (x1, y1) = pts
            pts = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
        graphic, data = hd.sr.GraphicTypeValues.POLYLINE, _scoord([*pts, pts[0]])
    region = hd.sr.ImageRegion(graphic_type=graphic, graphic_data=data, source_image=_source(item))
    measurements = [
        hd.sr.Measurement(name=codes.SCT.Area, value=value.value, unit=UNITS[value.unit])
    ]
    stats = measured.stats
    if stats is not None:
        unit = UNITS.get(measured.value_unit, UNITS[""])
        for name, number in (
            (codes.SCT.Mean, stats.mean),
            (codes.SCT.StandardDeviation, stats.sd),
            (codes.SCT.Minimum, stats.minimum),
            (codes.SCT.Maximum, stats.maximum),
        ):
            measurements.append(hd.sr.Measurement(name=name, value=number, unit=unit))
    return hd.sr.PlanarROIMeasurementsAndQualitativeEvaluations(
        tracking_identifier=_identifier(item),
        referenced_region=region,
        method=_method(item),
        measurements=measurements,
    )
