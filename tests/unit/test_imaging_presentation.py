"""MONOCHROME1 and Presentation LUT Shape: inverted exactly once (PS3.3 C.11.6, C.8.11.3)."""

from __future__ import annotations

import numpy as np
import pytest
from pydicom.dataset import Dataset

from viewer.imaging.presentation import invert, needs_inversion, presentation_inverts


class TestPresentationLUTShape:
    @pytest.mark.parametrize(
        ("photometric", "shape", "inverted"),
        [
            ("MONOCHROME1", None, True),
            ("MONOCHROME1", "INVERSE", True),  # the same inversion, not a second one
            ("MONOCHROME1", "IDENTITY", True),  # identity "other than" the photometric one
            ("MONOCHROME2", None, False),
            ("MONOCHROME2", "IDENTITY", False),
            ("MONOCHROME2", "INVERSE", True),
        ],
    )
    def test_inversion_table(self, photometric: str, shape: str | None, inverted: bool) -> None:
        assert needs_inversion(photometric, shape) is inverted

    def test_read_from_the_dataset(self) -> None:
        ds = Dataset()
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.PresentationLUTShape = "INVERSE"
        assert presentation_inverts(ds)
        ds.PresentationLUTShape = "IDENTITY"
        assert not presentation_inverts(ds)

    def test_invert_mirrors_within_the_output_range(self) -> None:
        assert invert(np.array([0, 100, 255])).tolist() == [255, 155, 0]
        assert invert(np.array([10, 20]), out_min=10, out_max=20).tolist() == [20, 10]
