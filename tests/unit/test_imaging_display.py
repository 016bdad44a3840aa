"""The whole grayscale chain (PS3.4 Annex N) and its lookup-table form."""

from __future__ import annotations

import numpy as np
import pytest
from pydicom.dataset import Dataset

from viewer.imaging.display import (
    GrayscaleChain,
    apply_display_lut,
    display_frames,
    display_lut,
    display_lut_for_bits,
    grayscale_chain,
    to_display,
)
from viewer.imaging.modality_lut import LUT, Rescale
from viewer.imaging.voi_lut import VOILUT, VOIFunction, Window

RNG = np.random.default_rng(20240322)
CT_12_BIT_SIGNED = RNG.integers(-2048, 2048, size=(3, 16, 16)).astype(np.int16)
MR_16_BIT_UNSIGNED = RNG.integers(0, 65536, size=(2, 16, 16)).astype(np.uint16)


def _ct(photometric: str = "MONOCHROME2") -> Dataset:
    ds = Dataset()
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.RescaleSlope, ds.RescaleIntercept = "1", "-1024"
    ds.WindowCenter, ds.WindowWidth = ["40", "-600"], ["400", "1500"]
    ds.WindowCenterWidthExplanation = ["SOFT TISSUE", "LUNG"]
    return ds


class TestGrayscaleChain:
    def test_modality_lut_comes_before_the_window(self) -> None:
        # stored 1024 → 0 HU → ((0 − 39.5)/399 + 0.5)·255 = 102.26 → 102. Without the
        # rescale the window would see 1024 and give 255.
        stored = np.array([1024, 864, 1263, 3000], dtype=np.uint16)  # −160, 239 HU at the bounds
        assert to_display(stored, grayscale_chain(_ct())).tolist() == [102, 0, 255, 255]

    def test_another_window_of_the_file_by_index(self) -> None:
        chain = grayscale_chain(_ct(), voi=1)
        assert chain.voi == Window(-600, 1500, explanation="LUNG")

    def test_monochrome1_is_inverted_once(self) -> None:
        stored = np.array([1024, 864, 1263], dtype=np.uint16)
        assert to_display(stored, grayscale_chain(_ct("MONOCHROME1"))).tolist() == [153, 255, 0]

    def test_monochrome1_with_inverse_shape_is_still_inverted_once(self) -> None:
        ds = _ct("MONOCHROME1")
        ds.PresentationLUTShape = "INVERSE"
        assert to_display(np.array([864]), grayscale_chain(ds)).tolist() == [255]

    def test_no_window_uses_min_max_of_the_modality_values(self) -> None:
        ds = _ct()
        del ds.WindowCenter, ds.WindowWidth, ds.WindowCenterWidthExplanation
        stored = np.array([[100, 600], [1100, 350]], dtype=np.uint16)
        shown = to_display(stored, grayscale_chain(ds, pixels=stored))
        assert shown.tolist() == [[0, 128], [255, 64]]  # (x − 100)/1000 · 255, rounded

    def test_display_values_are_rounded_to_nearest(self) -> None:
        # c = 128, w = 256: ((x − 127.5)/255 + 0.5)·255 = x on 0 … 255
        chain = GrayscaleChain(Rescale(), Window(128, 256), inverted=False)
        assert to_display(np.array([0, 17, 255]), chain).tolist() == [0, 17, 255]
        quarter = GrayscaleChain(Rescale(0.25, 0), Window(128, 256), inverted=False)
        assert to_display(np.array([1, 3, 9]), quarter).tolist() == [0, 1, 2]  # .25 .75 2.25

    def test_multi_frame_and_big_endian_give_the_same_result(self) -> None:
        chain = grayscale_chain(_ct())
        frames = (CT_12_BIT_SIGNED.astype(np.int32) + 2048).astype(np.uint16)
        shown = to_display(frames, chain)
        assert shown.shape == frames.shape
        np.testing.assert_array_equal(to_display(frames.astype(">u2"), chain), shown)
        np.testing.assert_array_equal(to_display(frames[1], chain), shown[1])


CHAINS = {
    "linear": GrayscaleChain(Rescale(1, -1024), Window(40, 400), inverted=False),
    "linear exact, inverted": GrayscaleChain(
        Rescale(1, 0), Window(-300, 777, VOIFunction.LINEAR_EXACT), inverted=True
    ),
    "sigmoid, float rescale": GrayscaleChain(
        Rescale(0.37, 12.5), Window(100, 600, VOIFunction.SIGMOID), inverted=False
    ),
    "voi lut": GrayscaleChain(
        Rescale(2, 0),
        VOILUT(LUT(-500, 16, np.linspace(0, 65535, 700).astype(np.uint16))),
        inverted=False,
    ),
    "modality lut": GrayscaleChain(
        LUT(-2048, 12, (np.arange(4096) // 3).astype(np.uint16)), Window(700, 1000), False
    ),
}


class TestDisplayLUT:
    @pytest.mark.parametrize("name", CHAINS)
    def test_table_equals_chain_for_signed_12_bit(self, name: str) -> None:
        chain = CHAINS[name]
        table = display_lut_for_bits(chain, 12, signed=True)
        assert (table.first_stored, table.last_stored) == (-2048, 2047)
        np.testing.assert_array_equal(
            apply_display_lut(CT_12_BIT_SIGNED, table), to_display(CT_12_BIT_SIGNED, chain)
        )

    @pytest.mark.parametrize("name", CHAINS)
    def test_table_equals_chain_for_unsigned_16_bit_big_endian(self, name: str) -> None:
        chain = CHAINS[name]
        table = display_lut_for_bits(chain, 16, signed=False)
        assert len(table.table) == 65536
        big = MR_16_BIT_UNSIGNED.astype(">u2")
        np.testing.assert_array_equal(
            apply_display_lut(big, table), to_display(MR_16_BIT_UNSIGNED, chain)
        )

    def test_every_entry_of_a_12_bit_table_is_the_chain(self) -> None:
        chain = CHAINS["linear"]
        every = np.arange(-2048, 2048, dtype=np.int16)
        table = display_lut_for_bits(chain, 12, signed=True)
        np.testing.assert_array_equal(table.table, to_display(every, chain))

    def test_values_outside_the_table_clamp_to_its_ends(self) -> None:
        table = display_lut(CHAINS["linear"], 0, 9)
        assert apply_display_lut(np.array([-5, 100]), table).tolist() == [
            table.table[0],
            table.table[-1],
        ]

    def test_more_than_16_bits_is_not_a_table(self) -> None:
        with pytest.raises(ValueError, match="does not fit"):
            display_lut_for_bits(CHAINS["linear"], 32, signed=True)


class TestDisplayFrames:
    def test_each_frame_uses_its_own_functional_group_window(self) -> None:
        shared_voi, own_voi = Dataset(), Dataset()
        shared_voi.WindowCenter, shared_voi.WindowWidth = "100.5", "201"  # 0 → 0, 200 → 255
        own_voi.WindowCenter, own_voi.WindowWidth = "1000", "1"  # a threshold at 999.5
        shared, frame0, frame1 = Dataset(), Dataset(), Dataset()
        shared.FrameVOILUTSequence = [shared_voi]
        frame1.FrameVOILUTSequence = [own_voi]
        ds = Dataset()
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsStored, ds.PixelRepresentation = 16, 0
        ds.SharedFunctionalGroupsSequence = [shared]
        ds.PerFrameFunctionalGroupsSequence = [frame0, frame1]
        frames = np.array([[[0, 200]], [[0, 200]]], dtype=np.uint16)
        assert display_frames(frames, ds).tolist() == [[[0, 255]], [[0, 0]]]
        assert display_frames(np.array([[[100]], [[1000]]], np.uint16), ds).tolist() == [
            [[128]],  # ((100 − 100)/200 + 0.5)·255 = 127.5 → 128
            [[255]],
        ]
