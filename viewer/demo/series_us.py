"""Colour ultrasound cine: US Multi-frame Image Storage (PS3.3 A.7), RGB.

A sector scan of speckled liver with a dark cyst that moves with breathing and a
vessel whose colour-flow signal pulses over the cine; one calibrated region
(SequenceOfUltrasoundRegions, PS3.3 C.8.5.5) gives physical deltas in cm.
"""

from __future__ import annotations

import zlib

import numpy as np
from numpy.typing import NDArray
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence as DicomSequence
from pydicom.tag import Tag
from pydicom.uid import UltrasoundMultiFrameImageStorage

from viewer.demo.dicom_modules import (
    add_seconds,
    ds_str,
    equipment_module,
    image_pixel_module,
    instance_uid,
    merge,
    series_module,
    sop_common,
    study_module,
)
from viewer.demo.patients import StudyDef
from viewer.demo.series import Instance, SeriesBuild, StudyBuild

ROWS = 480
COLUMNS = 640
FRAMES = 12
FRAME_TIME_MS = 50.0  # 20 frames per second
CM_PER_PIXEL = 0.03  # 400 rows of depth = 12 cm
APEX = (40, 320)  # (row, column) of the transducer face centre
DEPTH_ROWS = 400
HALF_ANGLE_DEG = 35.0
# Region of the sector in pixels: bounding box of the fan.
REGION = (
    APEX[1] - int(DEPTH_ROWS * np.sin(np.radians(HALF_ANGLE_DEG))) - 1,
    APEX[0],
    APEX[1] + int(DEPTH_ROWS * np.sin(np.radians(HALF_ANGLE_DEG))) + 1,
    APEX[0] + DEPTH_ROWS,
)


def _speckle(rng: np.random.Generator) -> NDArray[np.float64]:
    """Speckle: Rayleigh noise smoothed along the beam, as ultrasound looks."""
    n = np.abs(
        rng.standard_normal((ROWS + 4, COLUMNS)) + 1j * rng.standard_normal((ROWS + 4, COLUMNS))
    )
    out = sum(n[i : i + ROWS] for i in range(5)) / 5.0
    return np.asarray(out)


def us_frames(seed: int) -> NDArray[np.uint8]:
    """All frames, shape (FRAMES, ROWS, COLUMNS, 3), RGB."""
    rows = np.arange(ROWS)[:, None].astype(np.float64)
    cols = np.arange(COLUMNS)[None, :].astype(np.float64)
    depth = np.hypot(rows - APEX[0], cols - APEX[1])
    angle = np.degrees(np.arctan2(cols - APEX[1], rows - APEX[0]))
    fan = (depth <= DEPTH_ROWS) & (np.abs(angle) <= HALF_ANGLE_DEG) & (rows >= APEX[0])
    rng = np.random.default_rng(seed)
    speckle = _speckle(rng)
    # Echo strength: brighter capsule line, gain falling with depth.
    tissue = 110.0 * speckle * (1.0 - 0.35 * depth / DEPTH_ROWS)
    tissue += np.where(np.abs(depth - 70.0) < 3.0, 90.0, 0.0)
    frames = np.zeros((FRAMES, ROWS, COLUMNS, 3), dtype=np.uint8)
    for f in range(FRAMES):
        phase = 2.0 * np.pi * f / FRAMES
        shift = 6.0 * np.sin(phase)  # breathing moves the cyst up and down
        cyst = np.hypot(rows - 250.0 - shift, cols - 260.0) < 35.0
        grey = np.where(cyst, 0.15 * tissue, tissue)
        grey = np.clip(np.where(fan, grey, 0.0), 0, 255)
        rgb = np.repeat(grey[..., None], 3, axis=2)
        # Colour flow in a vessel crossing the fan: red towards the probe, blue away.
        vessel = (np.abs(rows - 0.25 * cols - 230.0) < 9.0) & (np.abs(cols - 400.0) < 60.0) & fan
        velocity = np.sin(phase) * (1.0 - (np.abs(rows - 0.25 * cols - 230.0) / 9.0) ** 2)
        red = vessel & (velocity > 0.05)
        blue = vessel & (velocity < -0.05)
        speed = np.clip(np.abs(velocity) * 255, 0, 255)
        rgb[red] = np.stack([speed[red], 0.2 * speed[red], np.zeros(red.sum())], axis=-1)
        rgb[blue] = np.stack([np.zeros(blue.sum()), 0.4 * speed[blue], speed[blue]], axis=-1)
        # Grey-scale bar on the left, as scanners draw it.
        rgb[60:316, 12:24] = np.arange(255, -1, -1, dtype=np.float64)[:, None, None]
        frames[f] = np.rint(rgb).astype(np.uint8)
    return frames


def _region() -> Dataset:
    """One 2D tissue region with physical deltas: calibrated distances (C.8.5.5.1)."""
    item = Dataset()
    item.RegionSpatialFormat = 1  # 2D
    item.RegionDataType = 1  # tissue
    item.RegionFlags = 0
    item.RegionLocationMinX0, item.RegionLocationMinY0 = REGION[0], REGION[1]
    item.RegionLocationMaxX1, item.RegionLocationMaxY1 = REGION[2], REGION[3]
    item.ReferencePixelX0 = APEX[1]
    item.ReferencePixelY0 = APEX[0]
    item.ReferencePixelPhysicalValueX = 0.0
    item.ReferencePixelPhysicalValueY = 0.0
    item.PhysicalUnitsXDirection = 3  # cm
    item.PhysicalUnitsYDirection = 3
    item.PhysicalDeltaX = CM_PER_PIXEL
    item.PhysicalDeltaY = CM_PER_PIXEL
    item.TransducerFrequency = 3500  # kHz
    return item


def build_us(s: StudyDef) -> StudyBuild:
    description = "腹部彩超 US Abdomen"
    study = study_module(s, description)
    series = series_module(s, 1, "US", "Liver colour Doppler", "ABDOMEN", 180)
    equipment = equipment_module(s, "Phantom US C5")
    seed = zlib.crc32(s.key.encode())

    def make(_: int) -> Instance:
        image = Dataset()
        # US Image Module (PS3.3 C.8.5.6): value 4 is the mode bitmap, 2D + colour flow
        image.ImageType = ["ORIGINAL", "PRIMARY", "ABDOMINAL", "0011"]
        image.InstanceNumber = 1
        image.ContentDate = s.date
        image.ContentTime = add_seconds(s.time, 200)
        image.AcquisitionNumber = 1
        image.LossyImageCompression = "00"
        # Multi-frame and Cine Modules (PS3.3 C.7.6.6, C.7.6.5)
        image.NumberOfFrames = FRAMES
        image.FrameIncrementPointer = Tag("FrameTime")
        image.FrameTime = ds_str(FRAME_TIME_MS)
        image.CineRate = round(1000 / FRAME_TIME_MS)
        image.RecommendedDisplayFrameRate = round(1000 / FRAME_TIME_MS)
        image.SequenceOfUltrasoundRegions = DicomSequence([_region()])
        ds = merge(
            sop_common(UltrasoundMultiFrameImageStorage, instance_uid(s, 1, 1)),
            study,
            series,
            equipment,
            image,
            image_pixel_module(ROWS, COLUMNS, "RGB", 8, samples=3),
        )
        return ds, us_frames(seed)

    built = SeriesBuild(1, "US", "Liver colour Doppler", UltrasoundMultiFrameImageStorage, 1, make)
    return StudyBuild(description, "ABDOMEN", (built,))
