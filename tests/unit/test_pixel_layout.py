"""Pixel layout and plane geometry read from a file's first bytes (no pydicom), as the
cache keeps them in its index: the same values pydicom reads, or None (pydicom then)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, generate_uid

from tests.conftest import DEMO_DATA_DIR
from viewer import part10
from viewer.demo import Manifest
from viewer.imaging.geometry import slice_geometry
from viewer.imaging.pixel_layout import (
    LAYOUT_TAGS,
    PixelLayout,
    layout_from_prefix,
    layout_from_scan,
    read_layout,
)


def ct_slice(**changes: object) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.SliceThickness = "2.5"
    ds.ImagePositionPatient = [-120.5, -99.75, 42.0]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.FrameOfReferenceUID = "1.2.3.4"
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows, ds.Columns = 3, 4
    ds.PixelSpacing = [0.7, 0.8]
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 12, 11
    ds.PixelRepresentation = 1
    ds.PixelData = np.arange(12, dtype="<i2").tobytes()
    for keyword, value in changes.items():
        setattr(ds, keyword, value)
    return ds


def encoded(ds: Dataset, *, little_endian: bool = True) -> bytes:
    out = io.BytesIO()
    if little_endian:
        ds.save_as(out, enforce_file_format=True)
    else:
        ds.file_meta.TransferSyntaxUID = ExplicitVRBigEndian
        ds.save_as(out, implicit_vr=False, little_endian=False, enforce_file_format=True)
    return out.getvalue()


def test_the_layout_is_what_pydicom_reads() -> None:
    data = encoded(ct_slice())
    layout = layout_from_prefix(data, True)
    assert layout is not None
    assert (layout.rows, layout.columns) == (3, 4)
    assert (layout.bits_allocated, layout.bits_stored) == (16, 12)
    assert (layout.high_bit, layout.pixel_representation, layout.frames) == (11, 1, 1)
    assert layout.position == (-120.5, -99.75, 42.0)
    assert layout.orientation == (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
    assert layout.pixel_spacing == (0.7, 0.8)
    assert layout.spacing_hint == 2.5
    assert layout.frame_of_reference == "1.2.3.4"
    assert layout.native_single_frame
    # The offset is where the pixel values start in the file.
    pixels = data[layout.pixel_offset : layout.pixel_offset + layout.pixel_length]
    assert np.array_equal(np.frombuffer(pixels, "<i2"), np.arange(12))


def test_every_demo_file_gives_pydicoms_geometry_and_pixel_offset(demo_data: Manifest) -> None:
    files = sorted(DEMO_DATA_DIR.glob("*/*/*/*.dcm"))  # the demo_data fixture made them
    compared = 0
    for path in files[::5]:
        layout = read_layout(path)
        ds = pydicom.dcmread(path, defer_size=1024)
        assert layout is not None, path.name
        element = ds.get_item(0x7FE00010, keep_deferred=True)
        assert layout.pixel_offset == element.value_tell, path.name
        assert layout.pixel_length == element.length, path.name
        assert layout.transfer_syntax == ds.file_meta.TransferSyntaxUID
        assert (layout.rows, layout.columns) == (ds.Rows, ds.Columns)
        assert layout.bits_allocated == ds.BitsAllocated
        assert layout.pixel_representation == ds.PixelRepresentation
        assert layout.samples_per_pixel == ds.SamplesPerPixel
        assert layout.frames == int(ds.get("NumberOfFrames", 1) or 1)
        assert layout.geometry() == slice_geometry(ds), path.name
        compared += 1
    assert compared > 100


def test_a_header_longer_than_the_prefix_gives_no_layout() -> None:
    ds = ct_slice()
    ds.private_block(0x0009, "QINGYING TEST", create=True).add_new(0x10, "OB", b"x" * 70_000)
    data = encoded(ds)
    assert layout_from_prefix(data[: part10.PREFIX_BYTES], False) is None
    assert layout_from_prefix(data, True) is not None


def test_big_endian_is_left_to_pydicom() -> None:
    assert layout_from_prefix(encoded(ct_slice(), little_endian=False), True) is None


def test_a_value_that_is_not_a_number_gives_no_layout() -> None:
    ds = ct_slice()
    data = encoded(ds).replace(b"-120.5\\-99.75\\42.0", b"-120.5\\abcde\\42.0 ")
    assert b"abcde" in data
    assert layout_from_prefix(data, True) is None


def test_an_element_of_another_vr_than_the_dictionarys_gives_no_layout() -> None:
    data = encoded(ct_slice())
    rows_us = b"\x28\x00\x10\x00US\x02\x00\x03\x00"
    rows_un = b"\x28\x00\x10\x00UN\x00\x00\x02\x00\x00\x00\x03\x00"
    assert data.count(rows_us) == 1
    assert layout_from_prefix(data, True) is not None
    assert layout_from_prefix(data.replace(rows_us, rows_un), True) is None


def test_encapsulated_pixel_data_is_not_read_natively() -> None:
    ds = ct_slice()
    ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.5"  # RLE
    ds.PixelData = pydicom.encaps.encapsulate([b"\x00" * 8])
    layout = layout_from_prefix(encoded(ds), True)
    assert layout is not None
    assert layout.pixel_length == part10.UNDEFINED_LENGTH
    assert not layout.native_single_frame


def test_the_layout_survives_its_json_form() -> None:
    layout = layout_from_prefix(encoded(ct_slice()), True)
    assert layout is not None
    assert PixelLayout.from_json(layout.to_json()) == layout
    assert PixelLayout.from_json('{"rows": 3}') is None
    assert PixelLayout.from_json("not json") is None


def test_a_cut_prefix_says_how_far_it_saw(tmp_path: Path) -> None:
    data = encoded(ct_slice())
    rows_tag = 0x00280010
    cut = data.index(b"\x28\x00\x10\x00")  # the Rows element's header starts here
    found = part10.scan(data[: cut + 4], False, frozenset(), frozenset({rows_tag}))
    assert not found.covers(rows_tag)
    assert found.covers(0x00200052)  # Frame of Reference UID came before it
    assert found.pixel_data is None
    whole = part10.scan(data, True, frozenset(), frozenset({rows_tag}))
    assert whole.elements[rows_tag][1] == b"\x03\x00"
    assert whole.pixel_data is not None


def test_a_position_or_frame_count_that_is_not_finite_gives_no_layout() -> None:
    # PS3.5 allows no such DS/IS value; inf must never reach the geometry as measured.
    data = encoded(ct_slice()).replace(b"-120.5\\-99.75\\42.0", b"-120.5\\infinity\\42")
    frames = ct_slice()
    frames.NumberOfFrames = "1"
    many = encoded(frames).replace(b"IS\x02\x001 ", b"IS\x06\x001e999 ")
    for bad in (data, many):
        assert b"inf" in bad or b"1e999" in bad
        found = part10.scan(bad, True, frozenset(), LAYOUT_TAGS)
        assert layout_from_scan(found) is None
