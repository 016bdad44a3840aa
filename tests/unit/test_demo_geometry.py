"""Geometry: slice positions, CT phantom values and the 100 mm marker pair (PS3.3 C.7.6.2)."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pydicom
from pydicom.dataset import Dataset

from viewer.demo import Manifest, StudyEntry

DEMO_DATA_DIR = Path(
    os.environ.get("QINGYING_DEMO_DATA", Path(__file__).resolve().parents[2] / ".demo" / "data")
)


def _series_headers(study: StudyEntry, index: int = 0) -> list[Dataset]:
    folder = Manifest.series_dir(DEMO_DATA_DIR, study.targets[0], study, study.series[index])
    headers = [pydicom.dcmread(f, stop_before_pixels=True) for f in folder.glob("*.dcm")]
    return sorted(headers, key=lambda d: int(d.InstanceNumber))


def _normal(ds: Dataset) -> np.ndarray:
    iop = np.array([float(v) for v in ds.ImageOrientationPatient])
    return np.cross(iop[:3], iop[3:])


def test_slice_positions_follow_orientation_normal(demo_data: Manifest) -> None:
    checked = 0
    for study in demo_data.studies:
        for index, series in enumerate(study.series):
            if series.modality not in ("CT", "MR"):
                continue
            headers = _series_headers(study, index)
            normal = _normal(headers[0])
            assert math.isclose(float(np.linalg.norm(normal)), 1.0)
            for ds in headers:
                assert np.allclose(_normal(ds), normal)
            along = [
                float(np.dot(normal, [float(v) for v in ds.ImagePositionPatient])) for ds in headers
            ]
            steps = np.diff(along)
            spacing = float(headers[0].SpacingBetweenSlices)
            assert np.allclose(np.abs(steps), spacing, atol=1e-4)
            assert np.all(np.sign(steps) == np.sign(steps[0]))  # one direction throughout
            assert float(headers[0].SliceThickness) <= spacing
            checked += 1
    assert checked >= 4 * 4  # one CT and three MR series per patient


def test_mr_head_has_a_sagittal_series(demo_data: Manifest) -> None:
    for study in (s for s in demo_data.studies if s.modalities == ["MR"]):
        orientations = {
            tuple(round(float(v)) for v in _series_headers(study, i)[0].ImageOrientationPatient)
            for i in range(len(study.series))
        }
        assert (0, 1, 0, 0, 0, -1) in orientations  # sagittal
        assert (1, 0, 0, 0, 1, 0) in orientations  # axial
        assert len(study.series) >= 3


def test_every_patient_has_a_large_ct(demo_data: Manifest) -> None:
    for patient in demo_data.patients:
        cts = [
            s for s in demo_data.studies if s.patient_key == patient.key and "CT" in s.modalities
        ]
        assert cts
        for study in cts:
            assert study.series[0].instances >= 200
            first = _series_headers(study)[0]
            assert (first.Rows, first.Columns) == (512, 512)
    assert demo_data.study("p1-ct-2023").series[0].instances == 300


def test_ct_markers_are_100mm_apart(demo_data: Manifest) -> None:
    markers = demo_data.ct_markers
    a, b = (np.array(c) for c in markers.centres_mm)
    assert float(np.linalg.norm(a - b)) == 100.0 == markers.distance_mm
    assert markers.diameter_mm == 5.0
    study = demo_data.study(markers.study_instance_uid)
    assert "main_ct" in study.tags
    folder = Manifest.series_dir(DEMO_DATA_DIR, study.targets[0], study, study.series[0])
    # The voxels of each marker, gathered over the slices, are centred on the manifest point.
    voxels: list[np.ndarray] = []
    for path in folder.glob("*.dcm"):
        ds = pydicom.dcmread(path)
        z = float(ds.ImagePositionPatient[2])
        if abs(z - a[2]) > markers.diameter_mm:
            continue
        hu = ds.pixel_array.astype(np.int32) * int(ds.RescaleSlope) + int(ds.RescaleIntercept)
        rows, cols = np.nonzero(hu == 1000)
        x0, y0 = (float(v) for v in ds.ImagePositionPatient[:2])
        dy, dx = (float(v) for v in ds.PixelSpacing)
        voxels.extend(
            np.array([x0 + c * dx, y0 + r * dy, z]) for r, c in zip(rows, cols, strict=True)
        )
        if z == a[2]:
            for centre in (a, b):
                col = round((centre[0] - x0) / dx)
                row = round((centre[1] - y0) / dy)
                assert x0 + col * dx == centre[0] and y0 + row * dy == centre[1]
                assert hu[row, col] == 1000
    points = np.array(voxels)
    left = points[points[:, 0] < (a[0] + b[0]) / 2]
    right = points[points[:, 0] >= (a[0] + b[0]) / 2]
    assert np.allclose(left.mean(axis=0), a, atol=1e-6)
    assert np.allclose(right.mean(axis=0), b, atol=1e-6)
    assert np.ptp(left[:, 0]) <= markers.diameter_mm


def test_ct_phantom_tissue_values(demo_data: Manifest) -> None:
    study = demo_data.study("p1-ct-2023")
    folder = Manifest.series_dir(DEMO_DATA_DIR, "platform", study, study.series[0])
    by_number = {
        int(pydicom.dcmread(f, stop_before_pixels=True).InstanceNumber): f
        for f in folder.glob("*.dcm")
    }
    ds = pydicom.dcmread(by_number[81])  # z = -100 mm: chest, lungs present
    assert ds.RescaleType == "HU"
    hu = ds.pixel_array.astype(np.int32) + int(ds.RescaleIntercept)
    assert hu[5, 5] == -1000  # air
    assert hu[256, 256] == 40  # soft tissue in the mediastinum
    values = np.unique(hu)
    lung = hu[(hu > -950) & (hu < -600)]
    assert abs(float(lung.mean()) + 800) < 5
    bone = hu[hu > 500]
    assert abs(float(np.median(bone)) - 700) < 10
    assert values.min() == -1000
