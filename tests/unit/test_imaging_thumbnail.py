"""Series thumbnails: the middle image through the display chain, box-averaged, in proportion."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

from tests.support.demo_files import platform_series_files
from viewer.demo import Manifest
from viewer.errors import InvalidDataError
from viewer.imaging import export as export_module
from viewer.imaging.decode import read_dataset
from viewer.imaging.export import display_image
from viewer.imaging.thumbnail import (
    middle,
    pixel_aspect,
    series_thumbnail,
    shrink,
    thumbnail_shape,
)


class TestShrink:
    def test_each_output_pixel_is_the_mean_of_the_pixels_it_covers(self) -> None:
        image = np.array(
            [[0, 2, 10, 10], [4, 6, 10, 11], [255, 255, 0, 0], [255, 255, 0, 1]], dtype=np.uint8
        )
        # Means 3, 10.25, 255, 0.25: rounded half up like the display chain.
        assert shrink(image, 2).tolist() == [[3, 10], [255, 0]]

    def test_half_rounds_up(self) -> None:
        image = np.array([[0, 1]], dtype=np.uint8)
        assert shrink(image, 1).tolist() == [[1]]

    def test_uneven_bins_cover_every_pixel_once(self) -> None:
        image = np.arange(7, dtype=np.uint8).reshape(1, 7) * 10
        out = shrink(image, 3)
        # Bins [0,2) [2,4) [4,7): means 5, 25, 50.
        assert out.tolist() == [[5, 25, 50]]

    def test_longer_side_becomes_max_side_and_proportions_stay(self) -> None:
        image = np.zeros((480, 640), dtype=np.uint8)
        assert shrink(image, 96).shape == (72, 96)

    def test_colour_keeps_its_samples(self) -> None:
        image = np.zeros((480, 640, 3), dtype=np.uint8)
        image[..., 0] = 200
        out = shrink(image, 96)
        assert out.shape == (72, 96, 3)
        assert (out[..., 0] == 200).all() and (out[..., 1:] == 0).all()

    def test_a_small_image_is_not_enlarged(self) -> None:
        image = np.full((40, 30), 7, dtype=np.uint8)
        assert shrink(image, 96).shape == (40, 30)

    def test_tall_pixels_make_a_taller_thumbnail(self) -> None:
        # Rows spaced twice as far as columns: 100 × 200 pixels is physically square.
        assert thumbnail_shape(100, 200, 96, pixel_aspect=2.0) == (96, 96)
        assert shrink(np.zeros((100, 200), dtype=np.uint8), 96, 2.0).shape == (96, 96)

    def test_an_axis_that_must_grow_repeats_pixels(self) -> None:
        image = np.array([[10, 20], [30, 40]], dtype=np.uint8)
        # 2 × 2 pixels four times taller than wide: 8 × 2 in proportion.
        out = shrink(image, 8, pixel_aspect=4.0)
        assert out.shape == (8, 2)
        assert out[:, 0].tolist() == [10] * 4 + [30] * 4

    def test_at_least_one_pixel_each_way(self) -> None:
        assert thumbnail_shape(1, 4000, 96) == (1, 96)

    @pytest.mark.parametrize(
        ("rows", "columns", "side", "aspect"), [(0, 5, 96, 1.0), (5, 5, 0, 1.0), (5, 5, 9, 0.0)]
    )
    def test_impossible_sizes_are_refused(
        self, rows: int, columns: int, side: int, aspect: float
    ) -> None:
        with pytest.raises(ValueError):
            thumbnail_shape(rows, columns, side, aspect)

    def test_not_an_image_is_refused(self) -> None:
        with pytest.raises(ValueError):
            shrink(np.zeros((2, 2, 2, 2), dtype=np.uint8), 1)


class TestMiddle:
    def test_odd_and_even_counts(self) -> None:
        assert middle([1, 2, 3]) == 2
        assert middle([1, 2, 3, 4]) == 2  # the lower of the two
        assert middle([9]) == 9
        assert middle(range(1, 13)) == 6

    def test_nothing_has_no_middle(self) -> None:
        with pytest.raises(ValueError):
            middle([])


class TestPixelAspect:
    def test_pixel_spacing_rows_over_columns(self) -> None:
        ds = Dataset()
        ds.PixelSpacing = [0.5, 0.25]
        assert pixel_aspect(ds) == 2.0

    def test_imager_pixel_spacing_for_projection_radiographs(self) -> None:
        ds = Dataset()
        ds.ImagerPixelSpacing = [0.3, 0.3]
        assert pixel_aspect(ds) == 1.0

    def test_pixel_aspect_ratio_when_no_spacing(self) -> None:
        ds = Dataset()
        ds.PixelAspectRatio = [4, 3]
        assert pixel_aspect(ds) == pytest.approx(4 / 3)

    def test_square_when_nothing_usable(self) -> None:
        ds = Dataset()
        assert pixel_aspect(ds) == 1.0
        ds.PixelSpacing = [0, 0.5]
        assert pixel_aspect(ds) == 1.0


class TestSeriesThumbnail:
    def test_ct_is_the_middle_slice_through_the_display_chain(self, demo_data: Manifest) -> None:
        files = platform_series_files(demo_data, "CT")
        thumb = series_thumbnail(files)
        assert thumb.shape == (96, 96) and thumb.dtype == np.uint8
        ds = read_dataset(middle(files))
        assert np.array_equal(thumb, shrink(display_image(ds), 96))

    def test_colour_cine_is_its_middle_frame_in_rgb(self, demo_data: Manifest) -> None:
        files = platform_series_files(demo_data, "US")
        thumb = series_thumbnail(files)
        assert thumb.shape == (72, 96, 3)
        ds = read_dataset(middle(files))
        frames = int(ds.NumberOfFrames)
        assert np.array_equal(thumb, shrink(display_image(ds, frame=(frames + 1) // 2), 96))

    def test_monochrome1_is_shown_inverted_like_the_screen(self, demo_data: Manifest) -> None:
        files = platform_series_files(demo_data, "CR")
        ds = read_dataset(middle(files))
        assert ds.PhotometricInterpretation == "MONOCHROME1"
        assert np.array_equal(series_thumbnail(files), shrink(display_image(ds), 96))

    def test_a_colour_cine_decodes_its_middle_frame_alone(
        self, demo_data: Manifest, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        files = platform_series_files(demo_data, "US")
        asked: list[int | None] = []
        real = export_module.decode

        def spy(ds: Dataset, where: str = "", *, frame: int | None = None) -> object:
            asked.append(frame)
            return real(ds, where, frame=frame)

        monkeypatch.setattr(export_module, "decode", spy)
        series_thumbnail(files)
        frames = int(read_dataset(middle(files)).NumberOfFrames)
        assert asked == [(frames + 1) // 2]

    def test_a_grayscale_cine_without_a_window_is_windowed_over_all_its_frames(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = tmp_path / "cine.dcm"
        ramp = np.arange(16 * 16, dtype=np.uint16).reshape(16, 16)
        grayscale_cine(ramp[np.newaxis] * np.array([1, 2, 4], dtype=np.uint16)[:, None, None], path)
        asked: list[int | None] = []
        real = export_module.decode
        monkeypatch.setattr(
            export_module,
            "decode",
            lambda ds, where="", *, frame=None: asked.append(frame) or real(ds, where, frame=frame),
        )
        thumb = series_thumbnail([path])
        assert asked == [None]  # every frame: the window spans the darkest to the brightest
        assert np.array_equal(thumb, shrink(display_image(read_dataset(path), frame=2), 96))

    def test_an_unreadable_file_names_itself(self, tmp_path: Path) -> None:
        bad = tmp_path / "bad.dcm"
        bad.write_bytes(b"not dicom")
        with pytest.raises(InvalidDataError, match=r"bad\.dcm"):
            series_thumbnail([bad])


def grayscale_cine(frames: np.ndarray, path: Path) -> None:
    """A small MONOCHROME2 multi-frame file with no window in it."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7.2"
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.Modality = "XA"
    ds.NumberOfFrames = len(frames)
    ds.Rows, ds.Columns = frames.shape[1:]
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
    ds.PixelData = frames.astype("<u2").tobytes()
    ds.save_as(path, enforce_file_format=True)
