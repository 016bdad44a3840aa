"""Compressed series are lossless: they decode to the pixels the generator made."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.uid import (
    ExplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEGLosslessSV1,
    JPEGLSLossless,
    RLELossless,
)

from viewer.demo import Manifest
from viewer.demo.compression import set_pixel_data
from viewer.demo.dicom_modules import image_pixel_module
from viewer.demo.generate import original_instance

DEMO_DATA_DIR = Path(
    os.environ.get("QINGYING_DEMO_DATA", Path(__file__).resolve().parents[2] / ".demo" / "data")
)
COMPRESSED = (JPEGLSLossless, JPEG2000Lossless, RLELossless, JPEGLosslessSV1)


def test_every_codec_is_used(demo_data: Manifest) -> None:
    used = {s.transfer_syntax_uid for st in demo_data.studies for s in st.series}
    assert used == {ExplicitVRLittleEndian, *COMPRESSED}


def test_compressed_series_decode_to_original_pixels(demo_data: Manifest) -> None:
    checked = set()
    for study in demo_data.studies:
        for series in study.series:
            if series.transfer_syntax_uid not in COMPRESSED:
                continue
            folder = Manifest.series_dir(DEMO_DATA_DIR, study.targets[0], study, series)
            by_number = {
                int(pydicom.dcmread(f, stop_before_pixels=True).InstanceNumber): f
                for f in folder.glob("*.dcm")
            }
            for number in sorted({1, (series.instances + 1) // 2, series.instances}):
                ds = pydicom.dcmread(by_number[number])
                assert ds["PixelData"].is_undefined_length  # encapsulated
                _, original = original_instance(study.key, series.series_number, number)
                decoded = ds.pixel_array
                assert decoded.dtype == original.dtype
                assert np.array_equal(decoded, original)
            checked.add(series.transfer_syntax_uid)
    assert checked == set(COMPRESSED)


@pytest.mark.parametrize("syntax", COMPRESSED)
def test_codecs_round_trip_full_12_bit_range(syntax: str) -> None:
    ds = image_pixel_module(64, 48, "MONOCHROME2", 12)
    pixels = np.random.default_rng(7).integers(0, 4096, (64, 48)).astype(np.uint16)
    pixels[0, :4] = (0, 4095, 0, 4095)
    set_pixel_data(ds, pixels, syntax)
    assert np.array_equal(ds.pixel_array, pixels)


def test_colour_jpeg_ls_round_trip() -> None:
    ds = image_pixel_module(32, 40, "RGB", 8, samples=3)
    ds.NumberOfFrames = 2
    pixels = np.random.default_rng(3).integers(0, 256, (2, 32, 40, 3)).astype(np.uint8)
    set_pixel_data(ds, pixels, JPEGLSLossless)
    assert np.array_equal(ds.pixel_array, pixels)
