"""An analytic chest/abdomen CT phantom with known geometry.

Air (-1000 HU) outside an elliptic body of soft tissue (40 HU) holding two lungs
(about -800 HU), a spine and ribs of bone (about 700 HU), a liver (60 HU) and two 5 mm
spherical markers (1000 HU) whose centres lie exactly 100.0 mm apart on pixel and slice
centres. Air, soft tissue and markers are exact; lungs and bone carry a seeded texture
so they look like tissue. Everything is in patient coordinates (LPS, mm).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

AIR_HU = -1000
SOFT_TISSUE_HU = 40
LIVER_HU = 60
LUNG_HU = -800
BONE_HU = 700
DISC_HU = 80
MARKER_HU = 1000
MARKER_DIAMETER_MM = 5.0
MARKER_DISTANCE_MM = 100.0

# Stored values are unsigned 12-bit: HU = stored - 1024 (PS3.3 C.11.1.1.2 Modality LUT).
RESCALE_INTERCEPT = -1024
BITS_STORED = 12

_LUNG_TEXTURE_HU = 25.0
_BONE_TEXTURE_HU = 40.0


@dataclass(frozen=True)
class CtGeometry:
    """Axial slices from head to feet: slice ``k`` lies at z = top_z - k * spacing."""

    slices: int
    spacing_mm: float  # SpacingBetweenSlices == SliceThickness (contiguous)
    rows: int = 512
    columns: int = 512
    pixel_mm: float = 0.78125  # 400 mm field of view; 100 mm is exactly 128 pixels
    top_z: float = 0.0

    @property
    def x0(self) -> float:
        """x of the centre of column 0 (the volume is centred on x = 0)."""
        return -(self.columns / 2 - 0.5) * self.pixel_mm

    @property
    def y0(self) -> float:
        return -(self.rows / 2 - 0.5) * self.pixel_mm

    def z(self, k: int) -> float:
        return self.top_z - k * self.spacing_mm

    def position(self, k: int) -> tuple[float, float, float]:
        """ImagePositionPatient of slice ``k`` (PS3.3 C.7.6.2.1.1)."""
        return (self.x0, self.y0, self.z(k))

    @cached_property
    def grid(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Patient x and y of every pixel centre of a slice (rows, columns)."""
        x = self.x0 + np.arange(self.columns) * self.pixel_mm
        y = self.y0 + np.arange(self.rows) * self.pixel_mm
        xx, yy = np.meshgrid(x, y)
        return xx, yy


# Marker slice and pixels: the slice at z = -350 mm exists for both 1.25 and 2.0 mm
# spacing, columns 192 and 320 are 128 pixels (100 mm at 0.78125 mm) apart.
MARKER_Z = -350.0
MARKER_ROW = 256
MARKER_COLUMNS = (192, 320)


def marker_centres(geometry: CtGeometry) -> list[tuple[float, float, float]]:
    """Marker centres in patient coordinates, on pixel and slice centres."""
    y = geometry.y0 + MARKER_ROW * geometry.pixel_mm
    return [(geometry.x0 + c * geometry.pixel_mm, y, MARKER_Z) for c in MARKER_COLUMNS]


def _ellipse(
    xx: NDArray[np.float64], yy: NDArray[np.float64], cx: float, cy: float, ax: float, ay: float
) -> NDArray[np.bool_]:
    return ((xx - cx) / ax) ** 2 + ((yy - cy) / ay) ** 2 <= 1.0


def _lung_scale(z: float) -> float:
    """Lung cross-section scale: grows from the apex (z=-10) and ends in a dome at -210."""
    if z > -10.0 or z < -210.0:
        return 0.0
    if z > -70.0:
        return float(np.sqrt((-10.0 - z) / 60.0))
    if z < -170.0:
        return float(np.sqrt(max(0.0, (z + 210.0) / 40.0)))
    return 1.0


def _bone(xx: NDArray[np.float64], yy: NDArray[np.float64], z: float) -> NDArray[np.bool_]:
    """Spine (vertebral bodies with discs every 30 mm, arch round the canal) and ribs."""
    arch = _ellipse(xx, yy, 0.0, 102.0, 14.0, 12.0) & ~_ellipse(xx, yy, 0.0, 100.0, 7.0, 7.0)
    bone = arch.copy()
    if (-z) % 30.0 >= 6.0:  # a 6 mm disc between 24 mm vertebral bodies
        bone |= _ellipse(xx, yy, 0.0, 75.0, 18.0, 15.0)
    if -240.0 <= z <= -20.0 and (-z) % 28.0 < 9.0:  # ribs: 9 mm bands every 28 mm
        r = ((xx / 160.0) ** 2 + (yy / 110.0) ** 2) ** 0.5
        ring = (r >= 0.86) & (r <= 0.93)
        angle = np.degrees(np.arctan2(yy, xx))
        # no rib in front of the sternum gap or behind the spine
        bone |= ring & (np.abs(np.abs(angle) - 90.0) > 12.0)
    return bone


def _texture(rng: np.random.Generator, shape: tuple[int, int]) -> NDArray[np.float64]:
    """Unit-variance noise smoothed over 3x3 pixels so it reads as tissue, not static."""
    n = rng.standard_normal((shape[0] + 2, shape[1] + 2))
    acc = np.zeros(shape)
    for dy in range(3):
        for dx in range(3):
            acc += n[dy : dy + shape[0], dx : dx + shape[1]]
    return acc / 3.0


def ct_slice_hu(geometry: CtGeometry, k: int, seed: int) -> NDArray[np.int16]:
    """Slice ``k`` in Hounsfield units (rows, columns)."""
    xx, yy = geometry.grid
    z = geometry.z(k)
    hu = np.full(xx.shape, AIR_HU, dtype=np.float64)
    body = _ellipse(xx, yy, 0.0, 0.0, 160.0, 110.0)
    hu[body] = SOFT_TISSUE_HU
    if -330.0 <= z <= -180.0:  # liver on the patient's right (-x)
        hu[_ellipse(xx, yy, -60.0, -10.0, 80.0, 70.0)] = LIVER_HU
    rng = np.random.default_rng([seed, k])
    texture = _texture(rng, xx.shape)
    scale = _lung_scale(z)
    if scale > 0.0:
        lungs = _ellipse(xx, yy, -75.0, 5.0, 55.0 * scale, 75.0 * scale) | _ellipse(
            xx, yy, 75.0, 5.0, 55.0 * scale, 75.0 * scale
        )
        hu[lungs] = LUNG_HU + _LUNG_TEXTURE_HU * texture[lungs]
    bone = _bone(xx, yy, z)
    hu[bone] = BONE_HU + _BONE_TEXTURE_HU * texture[bone]
    disc = _ellipse(xx, yy, 0.0, 75.0, 18.0, 15.0) & ~bone
    hu[disc & ((-z) % 30.0 < 6.0)] = DISC_HU
    radius = MARKER_DIAMETER_MM / 2
    for cx, cy, cz in marker_centres(geometry):
        dz2 = (z - cz) ** 2
        if dz2 <= radius**2:
            hu[(xx - cx) ** 2 + (yy - cy) ** 2 + dz2 <= radius**2] = MARKER_HU
    return np.rint(hu).astype(np.int16)


def ct_slice_stored(geometry: CtGeometry, k: int, seed: int) -> NDArray[np.uint16]:
    """Slice ``k`` as stored pixel values (HU - RESCALE_INTERCEPT, within 12 bits)."""
    stored = ct_slice_hu(geometry, k, seed).astype(np.int32) - RESCALE_INTERCEPT
    return np.clip(stored, 0, (1 << BITS_STORED) - 1).astype(np.uint16)
