"""MR head study: sagittal T1, axial T2 and axial T1 of an analytic head phantom.

PS3.3 A.4 MR Image IOD; each series shares the study's frame of reference so the
sagittal slices can be cross-referenced on the axial ones.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from pydicom.dataset import Dataset
from pydicom.uid import MRImageStorage

from viewer.demo.dicom_modules import (
    add_seconds,
    ds_list,
    ds_str,
    equipment_module,
    frame_of_reference_uid,
    image_pixel_module,
    instance_uid,
    merge,
    series_module,
    sop_common,
    study_module,
    windows,
)
from viewer.demo.patients import StudyDef
from viewer.demo.series import Instance, SeriesBuild, StudyBuild

MATRIX = 256
PIXEL_MM = 0.9375  # 240 mm field of view
BITS_STORED = 12

# Signal of each tissue in T1 and T2 weighting (arbitrary units, 12-bit).
_TISSUES = ("fat", "skull", "grey", "white", "csf")
_SIGNAL = {
    "T1": {"fat": 1100, "skull": 60, "grey": 600, "white": 800, "csf": 180},
    "T2": {"fat": 700, "skull": 60, "grey": 900, "white": 650, "csf": 1600},
}
_NOISE = 12.0


@dataclass(frozen=True)
class Plane:
    """A stack of parallel slices: row/column directions, first position, step."""

    row_dir: tuple[float, float, float]
    col_dir: tuple[float, float, float]
    first: tuple[float, float, float]  # ImagePositionPatient of slice 0
    slices: int
    spacing_mm: float
    thickness_mm: float

    @property
    def normal(self) -> NDArray[np.float64]:
        return np.cross(self.row_dir, self.col_dir)

    def position(self, k: int) -> tuple[float, float, float]:
        # slice k sits k * spacing further along the normal (PS3.3 C.7.6.2.1.1)
        p = np.asarray(self.first) + k * self.spacing_mm * self.normal
        return (float(p[0]), float(p[1]), float(p[2]))

    def points(self, k: int) -> NDArray[np.float64]:
        """Patient coordinates of every pixel centre, shape (rows, columns, 3)."""
        idx = np.arange(MATRIX) * PIXEL_MM
        rows = idx[:, None, None] * np.asarray(self.col_dir)
        cols = idx[None, :, None] * np.asarray(self.row_dir)
        return np.asarray(np.asarray(self.position(k)) + rows + cols, dtype=np.float64)


_HALF = (MATRIX / 2 - 0.5) * PIXEL_MM
AXIAL = Plane((1, 0, 0), (0, 1, 0), (-_HALF, -_HALF, -25.0), 20, 6.0, 5.0)
# Rows run anterior->posterior (+y), columns head->feet (-z): normal is -x, so the
# stack starts on the patient's left (+x) and steps towards the right.
SAGITTAL = Plane((0, 1, 0), (0, 0, -1), (60.0, -_HALF, 20.0 + _HALF), 25, 5.0, 4.0)


def _radius(
    p: NDArray[np.float64], centre: tuple[float, ...], axes: tuple[float, ...]
) -> NDArray[np.float64]:
    """Ellipsoidal radius: 1.0 on the surface of the ellipsoid."""
    scaled = (p - np.asarray(centre)) / np.asarray(axes)
    return np.asarray(np.sqrt(np.sum(scaled**2, axis=-1)), dtype=np.float64)


def head_signal(p: NDArray[np.float64], weighting: str) -> NDArray[np.float64]:
    """Noise-free signal of the head phantom at points ``p`` (..., 3)."""
    signal = _SIGNAL[weighting]
    r = _radius(p, (0.0, 5.0, 20.0), (72.0, 92.0, 95.0))
    out = np.zeros(p.shape[:-1])
    out[r <= 1.0] = signal["fat"]
    out[r <= 0.94] = signal["skull"]
    out[r <= 0.87] = signal["grey"]
    out[r <= 0.72] = signal["white"]
    for cx in (-11.0, 11.0):  # lateral ventricles
        out[_radius(p, (cx, 0.0, 35.0), (6.0, 24.0, 12.0)) <= 1.0] = signal["csf"]
    for cx in (-32.0, 32.0):  # eyes (vitreous behaves like CSF)
        out[_radius(p, (cx, -70.0, 0.0), (12.0, 12.0, 12.0)) <= 1.0] = signal["csf"]
    return out


def _mr_slice(plane: Plane, k: int, weighting: str, seed: int) -> NDArray[np.uint16]:
    clean = head_signal(plane.points(k), weighting)
    rng = np.random.default_rng([seed, k])
    # magnitude of a complex signal with Gaussian noise: Rician, as real MR is
    noisy = np.hypot(
        clean + _NOISE * rng.standard_normal(clean.shape), _NOISE * rng.standard_normal(clean.shape)
    )
    return np.clip(np.rint(noisy), 0, (1 << BITS_STORED) - 1).astype(np.uint16)


@dataclass(frozen=True)
class _Protocol:
    number: int
    description: str
    plane: Plane
    weighting: str
    tr_ms: float
    te_ms: float
    echo_train: int
    sequence_variant: str


_PROTOCOLS = (
    _Protocol(1, "Sag T1 SE", SAGITTAL, "T1", 500.0, 12.0, 1, "NONE"),
    _Protocol(2, "Ax T2 TSE", AXIAL, "T2", 4000.0, 100.0, 16, "SK"),
    _Protocol(3, "Ax T1 SE", AXIAL, "T1", 550.0, 10.0, 1, "NONE"),
)


def _series(s: StudyDef, proto: _Protocol, study: Dataset, equipment: Dataset) -> SeriesBuild:
    series = series_module(s, proto.number, "MR", proto.description, "HEAD", 300 * proto.number)
    series.PatientPosition = "HFS"
    seed = zlib.crc32(f"{s.key}/{proto.number}".encode())
    centre, width = (600, 1200) if proto.weighting == "T1" else (800, 1600)
    plane = proto.plane

    def make(k: int) -> Instance:
        image = Dataset()
        image.ImageType = ["ORIGINAL", "PRIMARY", "M", "ND"]
        image.InstanceNumber = k + 1
        image.ContentDate = s.date
        image.ContentTime = add_seconds(s.time, 300 * proto.number + 60)
        image.AcquisitionNumber = 1
        # Image Plane Module (PS3.3 C.7.6.2)
        image.ImageOrientationPatient = ds_list((*plane.row_dir, *plane.col_dir))
        image.ImagePositionPatient = ds_list(plane.position(k))
        image.PixelSpacing = ds_list((PIXEL_MM, PIXEL_MM))
        image.SliceThickness = ds_str(plane.thickness_mm)
        image.SpacingBetweenSlices = ds_str(plane.spacing_mm)
        image.SliceLocation = ds_str(float(np.dot(plane.position(k), plane.normal)))
        image.FrameOfReferenceUID = frame_of_reference_uid(s)
        image.PositionReferenceIndicator = ""
        # MR Image Module (PS3.3 C.8.3.1)
        image.ScanningSequence = "SE"
        image.SequenceVariant = proto.sequence_variant
        image.ScanOptions = ""
        image.MRAcquisitionType = "2D"
        image.RepetitionTime = ds_str(proto.tr_ms)
        image.EchoTime = ds_str(proto.te_ms)
        image.EchoTrainLength = proto.echo_train
        image.MagneticFieldStrength = "3"
        image.ImagedNucleus = "1H"
        ds = merge(
            sop_common(MRImageStorage, instance_uid(s, proto.number, k + 1)),
            study,
            series,
            equipment,
            image,
            image_pixel_module(MATRIX, MATRIX, "MONOCHROME2", BITS_STORED),
            windows((centre,), (width,), (f"{proto.weighting} BRAIN",)),
        )
        return ds, _mr_slice(plane, k, proto.weighting, seed)

    return SeriesBuild(proto.number, "MR", proto.description, MRImageStorage, plane.slices, make)


def build_mr(s: StudyDef) -> StudyBuild:
    description = "头颅MR平扫 MR Head"
    study = study_module(s, description)
    equipment = equipment_module(s, "Phantom MR 3T")
    series = tuple(_series(s, proto, study, equipment) for proto in _PROTOCOLS)
    return StudyBuild(description, "HEAD", series)
