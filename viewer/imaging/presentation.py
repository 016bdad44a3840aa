"""The Presentation LUT step: MONOCHROME1 and Presentation LUT Shape (PS3.3 C.11.6).

The last step of the grayscale pipeline (PS3.4 Annex N), after the Modality and VOI LUTs.
Its output is P-Values, where a higher value is brighter.

MONOCHROME1 (C.7.6.3.1.2: "the minimum sample value is intended to be displayed as
white") is inverted here, once. Presentation LUT Shape (2050,0020) CS, in the image IODs
that carry it (e.g. DX, C.8.11.3; enhanced CT/MR), is defined as an identity "other than
to account for the value of Photometric Interpretation": INVERSE is required with
MONOCHROME1 and names that same inversion, it is not a second one. So:

- MONOCHROME1, shape absent or INVERSE: inverted, once.
- MONOCHROME1 with IDENTITY: inverted. IDENTITY is an identity "other than to account for"
  the photometric interpretation, which still says low values are white. (The standard
  requires INVERSE here; following Photometric Interpretation keeps bone white on a
  mislabelled CR/DX instead of showing it as a negative.)
- MONOCHROME2, shape absent or IDENTITY: not inverted.
- MONOCHROME2 with INVERSE: inverted (not conformant for DX, but the file asks for it).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset

FloatArray = npt.NDArray[np.float64]


def needs_inversion(photometric: str, shape: str | None = None) -> bool:
    """Whether the grayscale output is inverted once, per the table in this module."""
    photometric = photometric.strip().upper()
    shape = (shape or "").strip().upper()
    if photometric == "MONOCHROME1":
        return True
    return shape == "INVERSE"


def presentation_inverts(ds: Dataset) -> bool:
    """``needs_inversion`` for Photometric Interpretation (0028,0004) and the shape of ``ds``."""
    shape = ds.get("PresentationLUTShape")
    return needs_inversion(str(ds.get("PhotometricInterpretation", "")), shape and str(shape))


def invert(values: npt.NDArray[Any], out_min: float = 0.0, out_max: float = 255.0) -> FloatArray:
    """Mirror ``values`` within ``[out_min, out_max]``: ``ymax − (y − ymin)``."""
    return out_max + out_min - np.asarray(values, dtype=np.float64)
