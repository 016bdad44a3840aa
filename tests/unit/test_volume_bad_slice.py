"""One slice that cannot be decoded is that slice's problem: the series opens, the slice
stays zeros and not ready with why, the others are read (issue 14 point 7)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydicom import dcmread
from pydicom.encaps import encapsulate
from pydicom.uid import JPEGBaseline8Bit

from tests.support.stacks import open_stack
from viewer.errors import InvalidDataError
from viewer.imaging.volume import load_volume


def damage(path: Path) -> None:
    """The file's pixels replaced by a JPEG stream that is not one."""
    ds = dcmread(path)
    ds.file_meta.TransferSyntaxUID = JPEGBaseline8Bit
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    ds.PixelData = encapsulate([b"\xff\xd8 not a jpeg \xff\xd9"])
    ds["PixelData"].VR = "OB"
    ds.save_as(path, enforce_file_format=True)


def test_a_slice_that_cannot_be_decoded_leaves_the_others_read(tmp_path: Path) -> None:
    open_stack(tmp_path / "ct", count=5, size=(8, 8))  # slice k holds k * 100
    paths = sorted((tmp_path / "ct").glob("*.dcm"))
    damage(paths[3])
    volume = load_volume(paths)
    assert list(volume.ready) == [True, True, True, False, True]
    assert set(volume.failed) == {3} and volume.failed[3]
    assert str(paths[3]) not in volume.failed[3]
    assert np.all(volume.voxels[3] == 0)
    assert [int(volume.voxels[k][0, 0]) for k in (0, 1, 2, 4)] == [0, 100, 200, 400]


def test_a_series_with_no_image_that_decodes_is_refused(tmp_path: Path) -> None:
    open_stack(tmp_path / "ct", count=3, size=(8, 8))
    paths = sorted((tmp_path / "ct").glob("*.dcm"))
    for path in paths[1:]:
        damage(path)
    damage(paths[0])
    with pytest.raises(InvalidDataError):
        load_volume(paths)


def test_a_first_image_that_cannot_be_decoded_is_said_in_its_place_too(tmp_path: Path) -> None:
    open_stack(tmp_path / "ct", count=4, size=(8, 8))
    paths = sorted((tmp_path / "ct").glob("*.dcm"))
    damage(paths[0])
    volume = load_volume(paths)
    assert list(volume.ready) == [False, True, True, True] and set(volume.failed) == {0}
