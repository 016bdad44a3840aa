"""The VOI LUT (PS3.3 C.11.2): window functions at their exact bounds, VOI LUTs, choices."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydicom.dataset import Dataset

from viewer.imaging.voi_lut import (
    VOILUT,
    VOIFunction,
    Window,
    apply_voi,
    default_voi,
    linear_exact_window,
    linear_window,
    sigmoid_window,
    voi_choices,
    window_from_range,
)

SOFT_TISSUE = Window(40.0, 400.0)  # c − 0.5 − (w−1)/2 = −160, c − 0.5 + (w−1)/2 = 239


def _item(descriptor: list[int], data: list[int], explanation: str = "") -> Dataset:
    item = Dataset()
    item.LUTDescriptor = descriptor
    item.LUTData = data
    if explanation:
        item.LUTExplanation = explanation
    return item


class TestLinearWindow:
    def test_bounds_of_the_c_minus_half_w_minus_one_formula(self) -> None:
        x = np.array([-161, -160, -159, 40, 238, 239, 239.5, 240])
        y = linear_window(x, 40, 400)
        # ((x − 39.5)/399 + 0.5)·255: −159 → 255/399, 40 → 127.5 + 0.5·255/399, 238 → 255·398/399
        expected = [0, 0, 255 / 399, 127.5 + 127.5 / 399, 255 * 398 / 399, 255, 255, 255]
        np.testing.assert_allclose(y, expected)

    def test_width_one_is_a_threshold_at_c_minus_half(self) -> None:
        assert linear_window(np.array([99, 99.5, 99.6, 100]), 100, 1).tolist() == [0, 0, 255, 255]

    def test_width_below_one_is_refused(self) -> None:
        with pytest.raises(ValueError, match="width"):
            linear_window(np.array([0]), 0, 0.5)

    def test_output_range_is_a_parameter(self) -> None:
        y = linear_window(np.array([-160, 239, 40]), 40, 400, out_min=0, out_max=65535)
        np.testing.assert_allclose(y, [0, 65535, (0.5 / 399 + 0.5) * 65535])


class TestLinearExactWindow:
    def test_bounds_of_the_c_plus_minus_half_w_formula(self) -> None:
        x = np.array([-161, -160, -159, 0, 40, 240, 241])
        y = linear_exact_window(x, 40, 400)
        # ((x − 40)/400 + 0.5)·255: −159 → 255/400, 0 → 102, 240 → 255
        np.testing.assert_allclose(y, [0, 0, 255 / 400, 102, 127.5, 255, 255])

    def test_fractional_width_is_allowed(self) -> None:
        assert linear_exact_window(np.array([0.0]), 0, 0.5).tolist() == [127.5]


class TestSigmoidWindow:
    def test_center_is_mid_range_and_w_over_4_is_one_logistic_unit(self) -> None:
        y = sigmoid_window(np.array([40, 140, -60]), 40, 400)
        np.testing.assert_allclose(
            y, [127.5, 255 / (1 + math.exp(-1)), 255 / (1 + math.exp(1))], rtol=1e-12
        )

    def test_far_below_the_center_is_ymin_without_overflow(self) -> None:
        assert sigmoid_window(np.array([-1e6]), 0, 1).tolist() == [0.0]


class TestVOILUTSequence:
    def test_entries_scale_by_their_bits_and_clamp(self) -> None:
        ds = Dataset()
        ds.VOILUTSequence = [_item([3, 100, 8], [0x8000, 0x00FF], "custom")]  # 0, 128, 255
        (voi,) = voi_choices(ds)
        assert isinstance(voi, VOILUT)
        assert voi.explanation == "custom"
        y = apply_voi(np.array([50, 100, 101, 102, 500]), voi)
        np.testing.assert_allclose(y, [0, 0, 128, 255, 255])

    def test_twelve_bit_entries(self) -> None:
        ds = Dataset()
        ds.VOILUTSequence = [_item([4, 0, 12], [0, 4095, 2048, 1000])]
        y = apply_voi(np.array([0, 1, 2, 3]), voi_choices(ds)[0])
        np.testing.assert_allclose(y, [0, 255, 2048 * 255 / 4095, 1000 * 255 / 4095])

    def test_signed_first_value_for_ct(self) -> None:
        ds = Dataset()
        ds.PixelRepresentation = 1
        ds.VOILUTSequence = [_item([2, 65536 - 1024, 16], [0, 65535])]  # first −1024
        y = apply_voi(np.array([-2000, -1024, -1023]), voi_choices(ds)[0])
        np.testing.assert_allclose(y, [0, 0, 255])


class TestVOIChoices:
    def test_first_window_is_default_and_the_others_are_offered(self) -> None:
        ds = Dataset()
        ds.WindowCenter = ["40", "-600"]
        ds.WindowWidth = ["400", "1500"]
        ds.WindowCenterWidthExplanation = ["SOFT TISSUE", "LUNG"]
        ds.VOILUTSequence = [_item([2, 0, 16], [0, 65535], "LUT")]
        choices = voi_choices(ds)
        assert choices[:2] == [
            Window(40, 400, VOIFunction.LINEAR, "SOFT TISSUE"),
            Window(-600, 1500, VOIFunction.LINEAR, "LUNG"),
        ]
        assert isinstance(choices[2], VOILUT)
        assert default_voi(ds) == choices[0]

    def test_single_window_and_function(self) -> None:
        ds = Dataset()
        ds.WindowCenter, ds.WindowWidth, ds.VOILUTFunction = "50", "350", "SIGMOID"
        assert voi_choices(ds) == [Window(50, 350, VOIFunction.SIGMOID)]

    def test_forbidden_widths_are_not_offered(self) -> None:
        ds = Dataset()
        ds.WindowCenter, ds.WindowWidth = ["40", "0"], ["0.5", "80"]
        assert voi_choices(ds) == [Window(0, 80)]

    def test_no_voi_gives_none_and_min_max_maps_the_range_exactly(self) -> None:
        assert default_voi(Dataset()) is None
        window = window_from_range(-1000, 3000)
        y = linear_window(np.array([-1000, 3000]), window.center, window.width)
        np.testing.assert_allclose(y, [0, 255])

    def test_flat_image_gets_a_width_one_window(self) -> None:
        assert window_from_range(7, 7).width == 1


class TestEnhancedFrameVOI:
    def _enhanced(self) -> Dataset:
        shared_voi, own_voi = Dataset(), Dataset()
        shared_voi.WindowCenter, shared_voi.WindowWidth = "40", "400"
        own_voi.WindowCenter, own_voi.WindowWidth = "300", "1500"
        own_voi.WindowCenterWidthExplanation = "BONE"
        shared, frame0, frame1 = Dataset(), Dataset(), Dataset()
        shared.FrameVOILUTSequence = [shared_voi]
        frame1.FrameVOILUTSequence = [own_voi]
        ds = Dataset()
        ds.SharedFunctionalGroupsSequence = [shared]
        ds.PerFrameFunctionalGroupsSequence = [frame0, frame1]
        return ds

    def test_windows_only_in_shared_functional_groups_are_found(self) -> None:
        assert default_voi(self._enhanced(), frame=0) == Window(40, 400)

    def test_per_frame_window_wins_over_shared(self) -> None:
        assert default_voi(self._enhanced(), frame=1) == Window(300, 1500, explanation="BONE")
