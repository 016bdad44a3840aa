"""HTJ2K (PS3.5 A.4.11; 1.2.840.10008.1.2.4.201/.202/.203) decodes losslessly everywhere.

The files in tests/data/htj2k/ are generated images coded by OpenJPH
(``scripts/make_htj2k_fixture.py``); next to each is the array it was made from. Decoding
goes through the project's paths (``decode``, ``load_volume``, ``export``) and must give
those stored values exactly.
"""

from __future__ import annotations

import random
import struct
from pathlib import Path

import numpy as np
import pydicom
import pytest
from PIL import Image
from pydicom.encaps import generate_frames
from pydicom.pixels import get_decoder
from pydicom.uid import UID

from viewer.cli import run
from viewer.imaging.decode import decode, read_dataset, transfer_syntax
from viewer.imaging.volume import load_volume

DATA = Path(__file__).resolve().parent.parent / "data" / "htj2k"
HTJ2K_LOSSLESS = UID("1.2.840.10008.1.2.4.201")
HTJ2K_LOSSLESS_RPCL = UID("1.2.840.10008.1.2.4.202")
HTJ2K = UID("1.2.840.10008.1.2.4.203")

FILES = [
    ("ct16s_htj2k_lossless_1", HTJ2K_LOSSLESS),
    ("ct16s_htj2k_lossless_2", HTJ2K_LOSSLESS),
    ("ct16s_htj2k_lossless_3", HTJ2K_LOSSLESS),
    ("ct16s_htj2k_rpcl", HTJ2K_LOSSLESS_RPCL),
    ("ct12s_htj2k_lossless", HTJ2K_LOSSLESS),
    ("mono8u_htj2k", HTJ2K),
]
CT_SERIES = ["ct16s_htj2k_lossless_1", "ct16s_htj2k_lossless_2", "ct16s_htj2k_lossless_3"]

# Skip only when no installed plugin can decode HTJ2K (pylibjpeg + pylibjpeg-openjpeg);
# a plugin that is there but decodes wrongly must fail.
_MISSING = [
    f"{uid.name}: {'; '.join(get_decoder(uid).missing_dependencies) or 'no plugin'}"
    for uid in (HTJ2K_LOSSLESS, HTJ2K_LOSSLESS_RPCL, HTJ2K)
    if not get_decoder(uid).is_available
]
pytestmark = pytest.mark.skipif(
    bool(_MISSING), reason=f"no HTJ2K decoder plugin installed ({' | '.join(_MISSING)})"
)


def path(stem: str) -> Path:
    return DATA / f"{stem}.dcm"


def expected(stem: str) -> np.ndarray:
    return np.load(DATA / f"{stem}.npy")


def linear_window(x: np.ndarray, center: float, width: float) -> np.ndarray:
    """PS3.3 C.11.2.1.2.1 written out from the standard, output range 0..255."""
    x = x.astype(np.float64)
    y = ((x - (center - 0.5)) / (width - 1) + 0.5) * 255
    y = np.where(x <= center - 0.5 - (width - 1) / 2, 0, y)
    y = np.where(x > center - 0.5 + (width - 1) / 2, 255, y)
    return np.floor(y + 0.5)


def markers(codestream: bytes) -> dict[int, bytes]:
    """The main header's marker segments (T.800 A.2), up to the first SOT."""
    found: dict[int, bytes] = {}
    pos = 2
    while (marker := struct.unpack_from(">H", codestream, pos)[0]) != 0xFF90:
        length = struct.unpack_from(">H", codestream, pos + 2)[0]
        found[marker] = codestream[pos + 4 : pos + 2 + length]
        pos += 2 + length
    return found


@pytest.mark.parametrize(("stem", "syntax"), FILES)
def test_files_are_the_htj2k_they_claim(stem: str, syntax: UID) -> None:
    ds = pydicom.dcmread(path(stem))
    assert ds.file_meta.TransferSyntaxUID == syntax
    (codestream,) = generate_frames(ds.PixelData, number_of_frames=1)
    found = markers(codestream)
    assert 0xFF50 in found  # CAP: a Part 15 (HTJ2K) codestream
    if syntax == HTJ2K_LOSSLESS_RPCL:  # PS3.5 10.18: RPCL order and TLM present
        assert found[0xFF52][1] == 2 and 0xFF55 in found


@pytest.mark.parametrize(("stem", "syntax"), FILES)
def test_decode_gives_the_stored_values_exactly(stem: str, syntax: UID) -> None:
    ds = read_dataset(path(stem))
    assert transfer_syntax(ds) == syntax
    pixels = decode(ds, str(path(stem)))
    want = expected(stem)
    assert pixels.photometric == "MONOCHROME2"
    assert pixels.frames.shape == (1, *want.shape)
    assert pixels.frames.dtype == want.dtype  # int16 for signed, uint8 for 8-bit
    assert np.array_equal(pixels.frames[0], want)


def test_ct_series_loads_sorted_and_lossless() -> None:
    paths = [path(stem) for stem in CT_SERIES]
    shuffled = paths[:]
    random.Random(5).shuffle(shuffled)
    shown: list[np.ndarray] = []
    volume = load_volume(shuffled, on_first=lambda pixels, _ds: shown.append(pixels.copy()))
    assert np.array_equal(shown[0], expected(shuffled[0].stem))
    # z = 5.0, 2.5, 0.0 for instances 1, 2, 3: sorted along +z the last comes first.
    want = np.stack([expected(stem) for stem in reversed(CT_SERIES)])
    assert volume.voxels.dtype == np.int16
    assert np.array_equal(volume.voxels, want)
    assert volume.ready.all()


@pytest.mark.parametrize("stem", ["ct16s_htj2k_rpcl", "ct12s_htj2k_lossless", "mono8u_htj2k"])
def test_single_images_load_as_a_volume_unchanged(stem: str) -> None:
    volume = load_volume([path(stem)])
    assert np.array_equal(volume.voxels, expected(stem)[np.newaxis])


@pytest.mark.parametrize("stem", ["ct16s_htj2k_lossless_2", "ct16s_htj2k_rpcl"])
def test_ct_export_uses_the_files_window_on_exact_values(
    stem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ct.png"
    code = run(["export", "--file", str(path(stem)), "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    # Rescale is identity (slope 1, intercept 0); the file's window is 40/400.
    assert np.array_equal(np.asarray(Image.open(out)), linear_window(expected(stem), 40, 400))


def test_8bit_export_through_an_identity_window_is_the_stored_image(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mono8.png"
    # Center 128, width 256 maps x to ((x - 127.5) / 255 + 0.5) * 255 = x.
    args = ["export", "--file", str(path("mono8u_htj2k")), "--window", "128", "256"]
    code = run([*args, "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert np.array_equal(np.asarray(Image.open(out)), expected("mono8u_htj2k"))
