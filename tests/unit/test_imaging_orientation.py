"""Orientation letters in LPS (PS3.3 C.7.6.1.1.1): L/R, A/P, H/F, strongest axis first."""

from __future__ import annotations

import math

import pytest

from viewer.imaging.orientation import EdgeLetters, Plane, direction_letters, edge_letters, plane

AXIAL = ((1, 0, 0), (0, 1, 0))
CORONAL = ((1, 0, 0), (0, 0, -1))
SAGITTAL = ((0, 1, 0), (0, 0, -1))
C45 = math.sqrt(0.5)
OBLIQUE_45 = ((C45, C45, 0), (0, 0, -1))  # axial rows turned 45° towards posterior


class TestEdgeLetters:
    @pytest.mark.parametrize(
        ("orientation", "letters", "expected_plane"),
        [
            (AXIAL, EdgeLetters(left="R", right="L", top="A", bottom="P"), Plane.AXIAL),
            (CORONAL, EdgeLetters(left="R", right="L", top="H", bottom="F"), Plane.CORONAL),
            (SAGITTAL, EdgeLetters(left="A", right="P", top="H", bottom="F"), Plane.SAGITTAL),
            (OBLIQUE_45, EdgeLetters(left="RA", right="LP", top="H", bottom="F"), Plane.OBLIQUE),
        ],
    )
    def test_standard_planes_and_an_oblique(
        self, orientation: tuple, letters: EdgeLetters, expected_plane: Plane
    ) -> None:
        assert edge_letters(*orientation) == letters
        assert plane(*orientation) == expected_plane


class TestDirectionLetters:
    def test_double_oblique_gets_three_letters_strongest_first(self) -> None:
        assert direction_letters((0.6, -0.64, 0.48)) == "ALH"
        assert direction_letters((-0.6, 0.64, -0.48)) == "PRF"

    def test_components_below_the_threshold_add_no_letter(self) -> None:
        assert direction_letters((0.97, 0.2425, 0)) == "L"  # 0.2425 < 0.25 (≈ 14°)
        assert direction_letters((0.96, 0.28, 0)) == "LP"

    def test_slightly_tilted_axial_is_still_axial(self) -> None:
        tilted_column = (0, math.cos(math.radians(20)), -math.sin(math.radians(20)))
        assert plane((1, 0, 0), tilted_column) == Plane.AXIAL
