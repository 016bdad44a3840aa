"""Chest radiographs: CR (PS3.3 A.2) and DX For Presentation (PS3.3 A.26).

Both are MONOCHROME1 (high values display dark) and carry ImagerPixelSpacing, the
spacing at the detector; neither carries PixelSpacing, so a viewer must say that
measurements are at the detector (DX adds the estimated magnification, PS3.3 C.8.11.7).
"""

from __future__ import annotations

import zlib

import numpy as np
from numpy.typing import NDArray
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence as DicomSequence
from pydicom.uid import ComputedRadiographyImageStorage, DigitalXRayImageStorageForPresentation

from viewer.demo.dicom_modules import (
    add_seconds,
    ds_list,
    ds_str,
    equipment_module,
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

ROWS = 1440
COLUMNS = 1200
DETECTOR_PIXEL_MM = 0.3  # 360 x 432 mm detector
BITS_STORED = 12
SOURCE_TO_DETECTOR_MM = 1800.0
SOURCE_TO_PATIENT_MM = 1600.0  # estimated magnification 1800 / 1600 = 1.125

# Log-exposure model: value = _UNATTENUATED - sum(mu * path length in mm)
_UNATTENUATED = 3900.0
_MU_SOFT = 8.0
_MU_LUNG_DEFICIT = 6.5  # lung is mostly air: removes most of the soft-tissue loss
_MU_BONE = 20.0


def _chord(
    u: NDArray[np.float64],
    v: NDArray[np.float64],
    cu: float,
    cv: float,
    au: float,
    av: float,
    depth: float,
) -> NDArray[np.float64]:
    """Path length (mm) through an ellipsoid seen from the front; zero outside."""
    q = 1.0 - ((u - cu) / au) ** 2 - ((v - cv) / av) ** 2
    return np.asarray(2.0 * depth * np.sqrt(np.clip(q, 0.0, None)), dtype=np.float64)


def chest_radiograph(seed: int) -> NDArray[np.uint16]:
    """A PA chest radiograph as stored (MONOCHROME1: air brightest value, bone lowest).

    ``u`` runs to the patient's left across columns, ``v`` down the rows, in mm at the
    detector, origin at the image centre.
    """
    columns = (np.arange(COLUMNS, dtype=np.float64) - COLUMNS / 2 + 0.5) * DETECTOR_PIXEL_MM
    rows = (np.arange(ROWS, dtype=np.float64) - ROWS / 2 + 0.5) * DETECTOR_PIXEL_MM
    u, v = np.meshgrid(columns, rows)
    soft = _chord(u, v, 0.0, 40.0, 165.0, 300.0, 110.0)  # trunk
    soft += _chord(u, v, 0.0, -190.0, 55.0, 60.0, 50.0)  # neck
    lung = _chord(u, v, -70.0, -20.0, 60.0, 130.0, 70.0) + _chord(
        u, v, 70.0, -20.0, 60.0, 130.0, 70.0
    )
    heart = _chord(u, v, 25.0, 50.0, 60.0, 55.0, 50.0)
    lung = np.clip(lung - heart, 0.0, None)
    bone = np.where(np.abs(u) < 14.0, 30.0, 0.0) * (soft > 0)  # spine
    # ribs: arcs sloping down and outwards, 10 mm wide, every 24 mm
    arc = (v + 140.0 - 0.004 * u**2 - 0.25 * np.abs(u)) % 24.0
    ribs = (arc < 10.0) & (np.abs(u) > 14.0) & (np.abs(u) < 140.0) & (v > -150.0) & (v < 110.0)
    bone += np.where(ribs, 12.0, 0.0)
    clavicle = np.abs(v + 150.0 - 0.002 * u**2) < 7.0
    bone += np.where(clavicle & (np.abs(u) < 120.0), 15.0, 0.0)
    attenuation = _MU_SOFT * soft - _MU_LUNG_DEFICIT * lung + _MU_BONE * bone
    value = _UNATTENUATED - attenuation / 1.5
    rng = np.random.default_rng(seed)
    value += 6.0 * rng.standard_normal(value.shape)  # quantum mottle
    return np.clip(np.rint(value), 0, (1 << BITS_STORED) - 1).astype(np.uint16)


def _anatomic_region() -> Dataset:
    # SNOMED CT "Chest" (PS3.16 CID 4031)
    item = Dataset()
    item.CodeValue = "43799004"
    item.CodingSchemeDesignator = "SCT"
    item.CodeMeaning = "Chest"
    return item


def _common_image(s: StudyDef) -> Dataset:
    image = Dataset()
    image.InstanceNumber = 1
    image.ContentDate = s.date
    image.ContentTime = add_seconds(s.time, 90)
    image.AcquisitionNumber = 1
    image.PatientOrientation = ["L", "F"]  # PA view displayed as if facing the patient
    image.ViewPosition = "PA"
    image.ImagerPixelSpacing = ds_list((DETECTOR_PIXEL_MM, DETECTOR_PIXEL_MM))
    image.KVP = "125"
    image.DistanceSourceToDetector = ds_str(SOURCE_TO_DETECTOR_MM)
    image.AnatomicRegionSequence = DicomSequence([_anatomic_region()])
    return image


def build_xray(s: StudyDef, digital: bool) -> StudyBuild:
    """A one-image chest study; ``digital`` selects DX, otherwise CR."""
    modality = "DX" if digital else "CR"
    sop_class = (
        DigitalXRayImageStorageForPresentation if digital else ComputedRadiographyImageStorage
    )
    description = f"胸部正位 {modality} Chest PA"
    study = study_module(s, description)
    series = series_module(s, 1, modality, "Chest PA", "CHEST", 60)
    equipment = equipment_module(s, f"Phantom {modality}")
    seed = zlib.crc32(s.key.encode())

    def make(_: int) -> Instance:
        image = _common_image(s)
        if digital:
            image.ImageType = ["ORIGINAL", "PRIMARY"]
            # DX Series (C.8.11.1), DX Image (C.8.11.3), DX Detector (C.8.11.4) modules
            image.PresentationIntentType = "FOR PRESENTATION"
            image.PixelIntensityRelationship = "LOG"
            image.PixelIntensityRelationshipSign = 1  # lower values = less X-ray intensity
            image.RescaleIntercept = "0"
            image.RescaleSlope = "1"
            image.RescaleType = "US"
            image.PresentationLUTShape = "INVERSE"  # required with MONOCHROME1
            image.LossyImageCompression = "00"
            image.ImageLaterality = "U"
            image.DetectorType = "SCINTILLATOR"
            image.DistanceSourceToPatient = ds_str(SOURCE_TO_PATIENT_MM)
            image.EstimatedRadiographicMagnificationFactor = ds_str(
                SOURCE_TO_DETECTOR_MM / SOURCE_TO_PATIENT_MM
            )
            image.AcquisitionContextSequence = DicomSequence([])
        else:
            image.ImageType = ["ORIGINAL", "PRIMARY"]
        ds = merge(
            sop_common(sop_class, instance_uid(s, 1, 1)),
            study,
            series,
            equipment,
            image,
            image_pixel_module(ROWS, COLUMNS, "MONOCHROME1", BITS_STORED),
            windows((3000,), (2000,), ("CHEST",)),
        )
        return ds, chest_radiograph(seed)

    built = SeriesBuild(1, modality, "Chest PA", sop_class, 1, make)
    return StudyBuild(description, "CHEST", (built,))
