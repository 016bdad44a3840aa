"""Stored values (PS3.5 §8) and the Modality LUT (PS3.3 C.11.1), values worked by hand."""

from __future__ import annotations

import numpy as np
import pytest
from pydicom.dataset import Dataset

from viewer.errors import InvalidDataError
from viewer.imaging.modality_lut import (
    LUT,
    Rescale,
    apply_lut,
    apply_modality_lut,
    apply_rescale,
    lut_descriptor,
    modality_transform,
    stored_values,
)

# 12 bits stored in 16-bit cells; the top 4 bits hold junk (an old overlay plane).
CELLS_12_OF_16_WITH_JUNK = np.array([0xF123, 0xA800, 0x07FF, 0x0FFF], dtype=np.uint16)
LUT_4_ENTRIES_FROM_10 = [100, 200, 300, 400]


def _lut_item(descriptor: list[int], data: list[int] | bytes) -> Dataset:
    item = Dataset()
    item.LUTDescriptor = descriptor
    if isinstance(data, bytes):
        item.add_new(0x00283006, "OW", data)
    else:
        item.LUTData = data
    return item


class TestStoredValues:
    def test_unsigned_12_bit_drops_the_bits_above_high_bit(self) -> None:
        values = stored_values(CELLS_12_OF_16_WITH_JUNK, 12, 0)
        assert values.tolist() == [0x123, 0x800, 0x7FF, 0xFFF]
        assert values.dtype == np.uint16

    def test_signed_12_bit_is_sign_extended_from_bit_11(self) -> None:
        values = stored_values(CELLS_12_OF_16_WITH_JUNK, 12, 1)
        assert values.tolist() == [0x123, -2048, 2047, -1]
        assert values.dtype == np.int16

    def test_high_bit_above_bits_stored_shifts_the_value_down(self) -> None:
        cells = np.array([0x1230, 0xFFF0], dtype=np.uint16)  # bits 15…4, High Bit 15
        assert stored_values(cells, 12, 0, high_bit=15).tolist() == [0x123, 0xFFF]
        assert stored_values(cells, 12, 1, high_bit=15).tolist() == [0x123, -1]

    def test_pydicom_decoded_signed_values_pass_through(self) -> None:
        decoded = np.array([-2048, -1, 0, 2047], dtype=np.int16)
        assert stored_values(decoded, 12, 1).tolist() == [-2048, -1, 0, 2047]

    def test_big_endian_cells_give_the_same_values(self) -> None:
        big = CELLS_12_OF_16_WITH_JUNK.astype(">u2")
        assert big.tobytes() != CELLS_12_OF_16_WITH_JUNK.tobytes()
        np.testing.assert_array_equal(
            stored_values(big, 12, 1), stored_values(CELLS_12_OF_16_WITH_JUNK, 12, 1)
        )
        assert stored_values(big, 12, 1).dtype.isnative

    def test_full_width_8_16_32_bit_signed(self) -> None:
        assert stored_values(np.array([0x80, 0x7F], np.uint8), 8, 1).tolist() == [-128, 127]
        assert stored_values(np.array([0x8000], np.uint16), 16, 1).tolist() == [-32768]
        assert stored_values(np.array([0xFFFFFFFF], np.uint32), 32, 1).tolist() == [-1]
        assert stored_values(np.array([0xFFFFFFFF], np.uint32), 32, 0).tolist() == [2**32 - 1]

    def test_multi_frame_shape_is_kept(self) -> None:
        frames = np.arange(2 * 3 * 4, dtype=np.uint16).reshape(2, 3, 4) | 0xF000
        values = stored_values(frames, 12, 0)
        assert values.shape == (2, 3, 4)
        assert values[1, 2, 3] == 23

    def test_bits_stored_wider_than_the_cell_is_refused(self) -> None:
        with pytest.raises(InvalidDataError):
            stored_values(np.zeros(2, np.uint8), 12, 0)


class TestRescale:
    def test_ct_intercept_keeps_integers(self) -> None:
        hu = apply_rescale(np.array([0, 1024, 2048], dtype=np.uint16), 1.0, -1024.0)
        assert hu.tolist() == [-1024, 0, 1024]
        assert hu.dtype.kind == "i"

    def test_fractional_slope_gives_float64(self) -> None:
        values = apply_rescale(np.array([1024], dtype=np.int16), 0.5, 10.0)
        assert values.dtype == np.float64
        assert values.tolist() == [522.0]  # 0.5 · 1024 + 10

    def test_integer_result_never_overflows(self) -> None:
        values = apply_rescale(np.array([65535], dtype=np.uint16), 2.0, 1.0)
        assert values.tolist() == [131071]

    def test_identity_returns_the_input(self) -> None:
        stored = np.array([1, 2, 3], dtype=np.int16)
        assert apply_rescale(stored, 1.0, 0.0) is stored

    def test_dataset_rescale(self) -> None:
        ds = Dataset()
        ds.RescaleSlope = "2"
        ds.RescaleIntercept = "-100"
        ds.RescaleType = "HU"
        assert modality_transform(ds) == Rescale(2.0, -100.0, "HU")
        assert apply_modality_lut(np.array([50, 60]), ds).tolist() == [0, 20]

    def test_no_rescale_is_identity(self) -> None:
        assert modality_transform(Dataset()).is_identity


class TestModalityLUTSequence:
    def _ds(self, descriptor: list[int], data: list[int] | bytes, signed: bool = False) -> Dataset:
        ds = Dataset()
        ds.PixelRepresentation = int(signed)
        ds.ModalityLUTSequence = [_lut_item(descriptor, data)]
        return ds

    def test_inputs_map_from_the_first_value_and_clamp_at_both_ends(self) -> None:
        ds = self._ds([4, 10, 16], LUT_4_ENTRIES_FROM_10)
        stored = np.array([5, 10, 11, 12, 13, 14, 99])
        assert apply_modality_lut(stored, ds).tolist() == [100, 100, 200, 300, 400, 400, 400]

    def test_zero_entries_means_65536(self) -> None:
        data = list(range(65536))
        lut = modality_transform(self._ds([0, 0, 16], data))
        assert isinstance(lut, LUT)
        assert len(lut.data) == 65536
        assert apply_lut(np.array([65535]), lut).tolist() == [65535]

    def test_first_value_is_signed_for_signed_pixels(self) -> None:
        ds = self._ds([3, 65534, 16], [7, 8, 9], signed=True)  # 65534 read as US is −2
        assert apply_modality_lut(np.array([-3, -2, -1, 0, 5]), ds).tolist() == [7, 7, 8, 9, 9]

    def test_first_value_stays_unsigned_for_unsigned_pixels(self) -> None:
        assert lut_descriptor([3, 65534, 16], signed=False) == (3, 65534, 16)

    def test_eight_bit_entries_are_packed_two_per_word(self) -> None:
        ds = self._ds([4, 0, 8], [0x0201, 0x0403])  # low byte first
        assert apply_modality_lut(np.arange(4), ds).tolist() == [1, 2, 3, 4]

    def test_eight_bit_entries_one_per_word_are_detected_by_length(self) -> None:
        ds = self._ds([4, 0, 8], [1, 2, 3, 4])
        assert apply_modality_lut(np.arange(4), ds).tolist() == [1, 2, 3, 4]

    def test_ow_lut_data(self) -> None:
        ds = self._ds([2, 0, 16], np.array([1000, 2000], "<u2").tobytes())
        assert apply_modality_lut(np.array([0, 1]), ds).tolist() == [1000, 2000]

    def test_short_lut_data_is_invalid(self) -> None:
        with pytest.raises(InvalidDataError):
            modality_transform(self._ds([5, 0, 16], [1, 2]))


class TestFunctionalGroupRescale:
    def _enhanced(self) -> Dataset:
        shared, frame0, frame1, transform = Dataset(), Dataset(), Dataset(), Dataset()
        transform.RescaleSlope, transform.RescaleIntercept = "1", "-1024"
        shared.PixelValueTransformationSequence = [transform]
        own = Dataset()
        own.RescaleSlope, own.RescaleIntercept = "2", "0"
        frame1.PixelValueTransformationSequence = [own]
        ds = Dataset()
        ds.SharedFunctionalGroupsSequence = [shared]
        ds.PerFrameFunctionalGroupsSequence = [frame0, frame1]
        return ds

    def test_shared_rescale_applies_to_frames_without_their_own(self) -> None:
        assert modality_transform(self._enhanced(), frame=0) == Rescale(1.0, -1024.0)

    def test_per_frame_rescale_wins_over_shared(self) -> None:
        assert modality_transform(self._enhanced(), frame=1) == Rescale(2.0, 0.0)
