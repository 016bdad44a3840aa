"""Colour: planar configuration, YBR_FULL → RGB, palettes incl. segmented (PS3.3 C.7.6.3, C.7.9)."""

from __future__ import annotations

import numpy as np
import pytest
from pydicom.dataset import Dataset

from viewer.errors import InvalidDataError
from viewer.imaging.color import (
    RGB_TO_YBR_FULL,
    apply_palette,
    expand_segmented,
    palette,
    palette_to_rgb8,
    samples_last,
    to_rgb,
    ybr_full_to_rgb,
)

# 2 × 2 RGB, one frame: red, green, blue, white.
RGB_8_3_1F = np.array([[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [255, 255, 255]]], np.uint8)

# Segments (16-bit words, byte offsets in brackets):
#   [0]  discrete 0, 2 entries: 0 50
#   [8]  discrete 0, 2 entries: 100 200
#   [16] linear 1, 4 entries to 1000: from 200 → 400 600 800 1000
#   [22] indirect 2, copy 1 segment at byte offset 8 (word 4): 100 200
SEGMENTED_10_ENTRIES = [0, 2, 0, 50, 0, 2, 100, 200, 1, 4, 1000, 2, 1, 8, 0]
EXPANDED_10_ENTRIES = [0, 50, 100, 200, 400, 600, 800, 1000, 100, 200]


def _palette_ds(bits: int, entries: list[list[int]], first: int = 0) -> Dataset:
    ds = Dataset()
    ds.PhotometricInterpretation = "PALETTE COLOR"
    ds.PixelRepresentation = 0
    dtype = np.uint8 if bits == 8 else np.dtype("<u2")
    for channel, values in zip(("Red", "Green", "Blue"), entries, strict=True):
        setattr(ds, f"{channel}PaletteColorLookupTableDescriptor", [len(values), first, bits])
        data = np.array(values, dtype=dtype).tobytes()
        setattr(ds, f"{channel}PaletteColorLookupTableData", data + b"\0" * (len(data) % 2))
    return ds


class TestPlanarConfiguration:
    def test_interleaved_samples(self) -> None:
        flat = RGB_8_3_1F.reshape(-1)  # R1 G1 B1 R2 G2 B2 …
        np.testing.assert_array_equal(
            samples_last(flat, 2, 2, planar_configuration=0)[0], RGB_8_3_1F
        )

    def test_colour_planes(self) -> None:
        flat = np.moveaxis(RGB_8_3_1F, -1, 0).reshape(-1)  # R1 R2 R3 R4 G1 … B4
        assert flat[:4].tolist() == [255, 0, 0, 255]
        np.testing.assert_array_equal(
            samples_last(flat, 2, 2, planar_configuration=1)[0], RGB_8_3_1F
        )

    def test_two_frames_of_colour_planes(self) -> None:
        frames = np.stack([RGB_8_3_1F, 255 - RGB_8_3_1F])
        flat = np.moveaxis(frames, -1, 1).reshape(-1)
        np.testing.assert_array_equal(samples_last(flat, 2, 2, 3, 1, frames=2), frames)

    def test_wrong_size_is_invalid(self) -> None:
        with pytest.raises(InvalidDataError):
            samples_last(np.zeros(11), 2, 2)


class TestYBRFull:
    def test_known_colours(self) -> None:
        # R = Y + 1.402 (Cr−128), G = Y − 0.344 (Cb−128) − 0.714 (Cr−128), B = Y + 1.772 (Cb−128)
        ybr = np.array([[128, 128, 128], [255, 128, 128], [0, 128, 128], [76, 85, 255]], np.uint8)
        expected = [[128, 128, 128], [255, 255, 255], [0, 0, 0], [254, 0, 0]]
        assert ybr_full_to_rgb(ybr).tolist() == expected

    def test_round_trip_through_the_standard_equations(self) -> None:
        rgb = np.array([[10, 200, 90], [250, 250, 5], [33, 66, 99]], dtype=np.float64)
        ybr = rgb @ RGB_TO_YBR_FULL.T + [0, 128, 128]  # C.7.6.3.1.2, not rounded
        assert ybr_full_to_rgb(ybr.round(6)).tolist() == rgb.tolist()

    def test_ybr_full_422_uses_the_same_equations_once_upsampled(self) -> None:
        ybr = np.array([[[76, 85, 255]]], np.uint8)
        assert to_rgb(ybr, "YBR_FULL_422").tolist() == [[[254, 0, 0]]]

    def test_rgb_arrays_are_not_converted_again(self) -> None:
        assert to_rgb(RGB_8_3_1F, "RGB") is RGB_8_3_1F

    def test_multi_frame_keeps_its_shape(self) -> None:
        frames = np.full((2, 3, 4, 3), 128, np.uint8)
        assert to_rgb(frames, "YBR_FULL").shape == (2, 3, 4, 3)

    def test_grayscale_is_not_colour(self) -> None:
        with pytest.raises(InvalidDataError):
            to_rgb(RGB_8_3_1F, "MONOCHROME2")


class TestPalette:
    def test_eight_bit_entries(self) -> None:
        ds = _palette_ds(8, [[0, 85, 170, 255], [255, 170, 85, 0], [1, 2, 3, 4]])
        rgb = palette_to_rgb8(np.array([0, 1, 3, 9]), ds)  # 9 clamps to the last entry
        assert rgb.tolist() == [[0, 255, 1], [85, 170, 2], [255, 0, 4], [255, 0, 4]]

    def test_sixteen_bit_entries_scale_to_eight_bits(self) -> None:
        ds = _palette_ds(16, [[0, 0x8080, 0xFFFF], [0xFFFF, 0, 0], [0x0101, 0x0202, 0x0303]])
        assert palette_to_rgb8(np.array([0, 1, 2]), ds).tolist() == [
            [0, 255, 1],
            [128, 0, 2],  # 0x8080 · 255 / 65535 = 128
            [255, 0, 3],
        ]

    def test_first_value_mapped(self) -> None:
        ds = _palette_ds(16, [[10, 20], [30, 40], [50, 60]], first=100)
        assert apply_palette(np.array([99, 100, 101, 102]), palette(ds))[:, 0].tolist() == [
            10,
            10,
            20,
            20,
        ]

    def test_descriptors_that_disagree_are_invalid(self) -> None:
        ds = _palette_ds(16, [[1, 2], [3, 4], [5, 6]])
        ds.BluePaletteColorLookupTableDescriptor = [2, 1, 16]
        with pytest.raises(InvalidDataError):
            palette(ds)


class TestSegmentedPalette:
    def test_discrete_linear_and_indirect_segments(self) -> None:
        assert expand_segmented(SEGMENTED_10_ENTRIES, 10).tolist() == EXPANDED_10_ENTRIES

    def test_linear_segment_rounds_and_does_not_repeat_its_start(self) -> None:
        assert expand_segmented([0, 1, 0, 1, 3, 10], 4).tolist() == [0, 3, 7, 10]  # 3.33 6.67

    def test_linear_segment_first_is_invalid(self) -> None:
        with pytest.raises(InvalidDataError):
            expand_segmented([1, 4, 100], 4)

    def test_indirect_may_not_copy_an_indirect_segment(self) -> None:
        with pytest.raises(InvalidDataError):
            expand_segmented([2, 1, 0, 0], 1)

    def test_too_few_entries_is_invalid(self) -> None:
        with pytest.raises(InvalidDataError):
            expand_segmented([0, 2, 1, 2], 3)

    def test_segmented_palette_in_a_dataset(self) -> None:
        ds = Dataset()
        ds.PixelRepresentation = 0
        words = np.array(SEGMENTED_10_ENTRIES, "<u2").tobytes()
        for channel in ("Red", "Green", "Blue"):
            setattr(ds, f"{channel}PaletteColorLookupTableDescriptor", [10, 0, 16])
            setattr(ds, f"Segmented{channel}PaletteColorLookupTableData", words)
        table = palette(ds)
        assert table.table[:, 1].tolist() == EXPANDED_10_ENTRIES
        assert apply_palette(np.array([5]), table).tolist() == [[600, 600, 600]]
