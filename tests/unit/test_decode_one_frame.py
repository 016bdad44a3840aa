"""Decoding one frame of a multi-frame image gives that frame, as decoding them all does."""

from __future__ import annotations

import numpy as np
import pytest
from pydicom import dcmread
from pydicom.data import get_testdata_file

from tests.support.demo_files import platform_series_files
from viewer.demo import Manifest
from viewer.errors import UsageError
from viewer.imaging.decode import decode, read_dataset
from viewer.imaging.export import display_image


def test_each_frame_of_the_demo_colour_cine_decodes_alone_as_in_the_whole(
    demo_data: Manifest,
) -> None:
    ds = read_dataset(platform_series_files(demo_data, "US")[0])
    whole = decode(ds)
    assert whole.frames.shape[0] == int(ds.NumberOfFrames) > 1
    for frame in (1, 2, whole.frames.shape[0]):
        alone = decode(ds, frame=frame)
        assert alone.frames.shape == (1, *whole.frames.shape[1:])
        assert np.array_equal(alone.frames[0], whole.frames[frame - 1])
        assert alone.photometric == whole.photometric


def test_a_frame_of_rle_colour_decodes_alone_as_in_the_whole() -> None:
    path = get_testdata_file("SC_rgb_rle_2frame.dcm")
    if path is None:
        pytest.skip("pydicom's test file is not installed")
    ds = dcmread(path)
    assert np.array_equal(decode(ds, frame=2).frames[0], decode(ds).frames[1])


def test_a_frame_that_does_not_exist_is_a_usage_error_alone_too(demo_data: Manifest) -> None:
    ds = read_dataset(platform_series_files(demo_data, "US")[0])
    frames = int(ds.NumberOfFrames)
    with pytest.raises(UsageError, match=f"frame {frames + 1} does not exist"):
        display_image(ds, frame=frames + 1, frame_alone=True)
