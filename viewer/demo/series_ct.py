"""CT chest/abdomen study: one axial series of the phantom (PS3.3 A.3 CT Image IOD)."""

from __future__ import annotations

import zlib

from pydicom.dataset import Dataset
from pydicom.uid import CTImageStorage

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
from viewer.demo.phantom_ct import (
    BITS_STORED,
    RESCALE_INTERCEPT,
    CtGeometry,
    ct_slice_stored,
)
from viewer.demo.series import Instance, SeriesBuild, StudyBuild

AXIAL = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
SERIES_NUMBER = 2  # series 1 would be the scout, which the demo leaves out


def ct_geometry(s: StudyDef) -> CtGeometry:
    """The main patient's CT is thinner (1.25 mm x 300); the others 2 mm x 200+."""
    spacing = 1.25 if s.main else 2.0
    return CtGeometry(slices=s.slices, spacing_mm=spacing)


def ct_seed(s: StudyDef) -> int:
    # A stable seed per study (crc32 is the same everywhere, unlike hash()).
    return zlib.crc32(s.key.encode())


def build_ct(s: StudyDef) -> StudyBuild:
    geometry = ct_geometry(s)
    description = "胸腹部CT平扫 CT Chest/Abdomen"
    body_part = "CHEST"  # CHESTABDOMEN is not a defined term; the scan starts at the chest
    series_description = f"Axial {ds_str(geometry.spacing_mm)}mm Body"
    study = study_module(s, description)
    series = series_module(s, SERIES_NUMBER, "CT", series_description, body_part, 120)
    series.PatientPosition = "HFS"
    equipment = equipment_module(s, "Phantom CT 64")
    seed = ct_seed(s)

    def make(k: int) -> Instance:
        sop_uid = instance_uid(s, SERIES_NUMBER, k + 1)
        image = Dataset()
        image.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        image.InstanceNumber = k + 1
        image.ContentDate = s.date
        image.ContentTime = add_seconds(s.time, 150 + k // 10)
        image.AcquisitionNumber = 1
        # Image Plane Module (PS3.3 C.7.6.2): rows run along +x, columns along +y;
        # the normal is +z and slice k steps -spacing along it (head to feet).
        image.ImageOrientationPatient = ds_list(AXIAL)
        image.ImagePositionPatient = ds_list(geometry.position(k))
        image.SliceLocation = ds_str(geometry.z(k))
        image.PixelSpacing = ds_list((geometry.pixel_mm, geometry.pixel_mm))
        image.SliceThickness = ds_str(geometry.spacing_mm)
        image.SpacingBetweenSlices = ds_str(geometry.spacing_mm)
        image.FrameOfReferenceUID = frame_of_reference_uid(s)
        image.PositionReferenceIndicator = ""
        # CT Image Module (PS3.3 C.8.2.1)
        image.RescaleIntercept = str(RESCALE_INTERCEPT)
        image.RescaleSlope = "1"
        image.RescaleType = "HU"
        image.KVP = "120"
        image.XRayTubeCurrent = 200
        image.ConvolutionKernel = "B30f"
        image.ReconstructionDiameter = ds_str(geometry.pixel_mm * geometry.columns)
        ds = merge(
            sop_common(CTImageStorage, sop_uid),
            study,
            series,
            equipment,
            image,
            image_pixel_module(geometry.rows, geometry.columns, "MONOCHROME2", BITS_STORED),
            windows((40, -600, 400), (400, 1500, 1800), ("SOFT TISSUE", "LUNG", "BONE")),
        )
        return ds, ct_slice_stored(geometry, k, seed)

    built = SeriesBuild(
        SERIES_NUMBER, "CT", series_description, CTImageStorage, geometry.slices, make
    )
    return StudyBuild(description, body_part, (built,))
