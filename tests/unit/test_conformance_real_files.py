"""The imaging core against real files from other vendors and toolkits, not the demo data.

Issue 5: "the pipeline is also checked against real files of every transfer syntax and
photometric interpretation that are not in the repo: follow the standard, not the demo
data". The pydicom wheel ships such files (GE, Siemens, Philips, DCMTK, GDCM, dcmqi, the
NEMA WG04 set: CT, MR, CR, RT Dose, SEG, secondary capture) in every transfer syntax it
supports. They are used where pip installed them, never copied into this repository,
and this module skips when they are not there.

For every file with Pixel Data:

- ``export`` (in-process, the CLI entry) exits 0 with a PNG of Columns × Rows, L for
  grayscale and RGB for colour, or exits 6 with one line naming the problem; which files
  exit 6, and why, is listed in EXIT_6 so that a regression either way fails;
- grayscale: the PNG equals pydicom's own Modality LUT and VOI LUT (or min/max) chain,
  MONOCHROME1 inverted, within one grey level of rounding;
- colour: the PNG equals pydicom's decoded array turned into RGB by pydicom
  (``convert_color_space``, ``apply_color_lut``);
- the decoder plugins agree with each other on lossless transfer syntaxes;
- the cache's fast header reader and the pixel layout reader agree with pydicom, or decline.
"""

from __future__ import annotations

import contextlib
import functools
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest
from PIL import Image
from pydicom.data import DATA_ROOT
from pydicom.dataset import Dataset
from pydicom.pixels import (
    apply_color_lut,
    apply_modality_lut,
    apply_voi_lut,
    convert_color_space,
    get_decoder,
)
from pydicom.uid import UID

from tests.conftest import REPO_ROOT
from viewer.cache.header import PREFIX_BYTES, header_from_prefix, read_header
from viewer.cli import run
from viewer.errors import InvalidDataError
from viewer.imaging.decode import decode, plugin_order, read_dataset
from viewer.imaging.pixel_layout import layout_from_prefix

# Not pydicom.data.get_testdata_file: for a name it lacks, that downloads.
TEST_FILES = Path(DATA_ROOT) / "test_files"
PIXEL_DATA = 0x7FE00010

# Files whose export exits 6, and the words its one line must hold (besides the path).
EXIT_6: dict[str, tuple[str, str]] = {
    # 12-bit JPEG Extended whose scan header says Ss/Se other than 0/63, which sequential
    # DCT forbids (ISO/IEC 10918-1 B.2.3): libjpeg refuses it; GDCM and Pillow have no
    # 12-bit JPEG. JPGExtended.dcm is the repaired copy and decodes.
    "JPEG-lossy.dcm": ("1.2.840.10008.1.2.4.51", "cannot decode JPEG Extended"),
    # A JPEG 2000 codestream with 4 bytes overwritten by a Sequence Delimiter: not a
    # codestream any decoder can read (made to test pydicom's fragment parsing).
    "JPEG2000-embedded-sequence-delimiter.dcm": (
        "1.2.840.10008.1.2.4.91",
        "cannot decode JPEG 2000",
    ),
    # Pixel Data shorter than Rows × Columns × Bits Allocated says (PS3.5 §8.1.1).
    "MR_truncated.dcm": ("Explicit VR Little Endian", "damaged pixel data"),
    # Number of Frames (0028,0008) IS "1A" is no Integer String (PS3.5 §6.2).
    "badVR.dcm": ("Number of Frames (0028,0008)", "'1A'"),
    # Two bytes of Pixel Data and no Image Pixel module at all (PS3.3 C.7.6.3).
    "meta_missing_tsyntax.dcm": ("no image", "Rows (0028,0010) is missing"),
    "nested_priv_SQ.dcm": ("no image", "Rows (0028,0010) is missing"),
}


def _image_files() -> list[str]:
    """Every file under TEST_FILES holding Pixel Data, as paths relative to it."""
    if not TEST_FILES.is_dir():
        return []
    found = []
    for path in sorted(p for p in TEST_FILES.rglob("*") if p.is_file()):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ds = pydicom.dcmread(path, force=True, stop_before_pixels=False, defer_size=256)
        except Exception:  # noqa: S112 - JSON, dumps, ICC profiles: not DICOM, not ours
            continue
        if PIXEL_DATA in ds:
            found.append(path.relative_to(TEST_FILES).as_posix())
    return found


IMAGE_FILES = _image_files()
pytestmark = [
    pytest.mark.skipif(
        not IMAGE_FILES, reason=f"pydicom's test files are not installed ({TEST_FILES})"
    ),
    # pydicom warns about the odd values these files hold on purpose; not what is tested.
    pytest.mark.filterwarnings("ignore::UserWarning"),
]


def read(name: str) -> Dataset:
    return pydicom.dcmread(TEST_FILES / name, force=True)


@functools.cache
def header(name: str) -> Dataset:
    """The file's header, read once, for choosing parameters (tests read afresh: pydicom's
    windowing writes to the dataset it is given)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pydicom.dcmread(TEST_FILES / name, force=True, stop_before_pixels=True)


def frame_count(ds: Dataset) -> int:
    return int(ds.get("NumberOfFrames", 1) or 1)


def frames_to_check(name: str) -> list[int]:
    if name in EXIT_6:
        return [1]
    count = frame_count(header(name))
    return sorted({1, count})


def export(
    capsys: pytest.CaptureFixture[str], path: Path, out: Path, frame: int = 1
) -> tuple[int, str]:
    code = run(["export", "--file", str(path), "--frame", str(frame), "--out", str(out)])
    return code, capsys.readouterr().err


def frames_first(arr: np.ndarray, ds: Dataset) -> np.ndarray:
    single = arr.ndim == (2 if int(ds.get("SamplesPerPixel", 1)) == 1 else 3)
    return arr[np.newaxis] if single else arr


# -- every file: exit 0 with the right PNG, or exit 6 in one line ---------------------------


@pytest.mark.parametrize("name", IMAGE_FILES)
def test_export_gives_a_native_size_png_or_exit_6_in_one_line(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = TEST_FILES / name
    out = tmp_path / "out.png"
    code, err = export(capsys, path, out)
    assert "Traceback" not in err
    if name in EXIT_6:
        assert code == 6, err
        assert err.count("\n") == 1 and err.startswith("qingying: "), err
        assert str(path) in err and all(words in err for words in EXIT_6[name]), err
        assert not out.exists()
        return
    assert code == 0, err
    ds = read(name)
    png = Image.open(out)
    assert png.size == (ds.Columns, ds.Rows)
    grey = str(ds.PhotometricInterpretation).startswith("MONOCHROME")
    assert png.mode == ("L" if grey else "RGB")


def test_the_files_cover_every_syntax_and_photometric_interpretation() -> None:
    """What this module claims to check is there: a pydicom without some of these files
    would quietly check less."""
    syntaxes, photometrics = set(), set()
    for name in IMAGE_FILES:
        ds = header(name)
        syntaxes.add(str(ds.file_meta.get("TransferSyntaxUID", "")))
        photometrics.add(str(ds.get("PhotometricInterpretation", "")))
    assert {
        "1.2.840.10008.1.2",  # implicit VR little endian
        "1.2.840.10008.1.2.1",  # explicit VR little endian
        "1.2.840.10008.1.2.1.99",  # deflated
        "1.2.840.10008.1.2.2",  # explicit VR big endian
        "1.2.840.10008.1.2.5",  # RLE
        "1.2.840.10008.1.2.4.50",  # JPEG baseline
        "1.2.840.10008.1.2.4.51",  # JPEG extended
        "1.2.840.10008.1.2.4.70",  # JPEG lossless SV1
        "1.2.840.10008.1.2.4.80",  # JPEG-LS lossless
        "1.2.840.10008.1.2.4.81",  # JPEG-LS near-lossless
        "1.2.840.10008.1.2.4.90",  # JPEG 2000 lossless
        "1.2.840.10008.1.2.4.91",  # JPEG 2000
    } <= syntaxes
    assert {
        "MONOCHROME1",
        "MONOCHROME2",
        "RGB",
        "YBR_FULL",
        "YBR_FULL_422",
        "YBR_RCT",
        "PALETTE COLOR",
    } <= photometrics


def test_a_real_process_also_fails_in_one_line(tmp_path: Path) -> None:
    """Codec libraries write to file descriptor 2 themselves (OpenJPEG inside GDCM prints
    "Invalid number of tiles" for the damaged codestream) and pydicom warns about '1A';
    capsys would not see either, a user's terminal does."""
    command = [sys.executable, "main.py", "export"]
    for name in ("JPEG2000-embedded-sequence-delimiter.dcm", "badVR.dcm"):
        result = subprocess.run(
            [*command, "--file", str(TEST_FILES / name), "--out", str(tmp_path / "x.png")],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 6
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("qingying: "), (
            result.stderr
        )


# -- grayscale: pydicom's own chain ---------------------------------------------------------


def pydicom_display(ds: Dataset, frame: int) -> np.ndarray:
    """Display values of ``frame`` (1-based) computed with pydicom's functions only.

    ``apply_modality_lut`` (PS3.3 C.11.1), then ``apply_voi_lut`` with the file's first
    window (C.11.2.1.2; ``prefer_lut=False``: the first window is the default, as in the
    viewer) or, with no window, min/max over every frame of the file (one window for the
    whole file, as the viewer shows it). MONOCHROME1 is inverted (C.7.6.3.1.2).

    pydicom's windowing does not output 0 … 255: it outputs ``y_min … y_max``, the range
    every possible stored value spans after the rescale (``0 … 2**BitsStored − 1``
    unsigned, two's complement signed, through slope and intercept; for a Modality LUT
    Sequence ``0 … 2**bits − 1`` of its descriptor). Values far below and far above any
    window give exactly ``y_min`` and ``y_max`` (LINEAR and LINEAR_EXACT clip to them;
    SIGMOID tends to them), so those two values normalise its output to 0 … 255 without
    copying pydicom's range rules here. A VOI LUT Sequence outputs its entries, so it is
    normalised by its descriptor's bits.
    """
    stored = frames_first(ds.pixel_array, ds)
    values = apply_modality_lut(stored, ds).astype(np.float64)
    if "WindowCenter" in ds or "VOILUTSequence" in ds:
        shown = apply_voi_lut(values[frame - 1], ds, index=0, prefer_lut=False)
        if "WindowCenter" in ds:
            y_min, y_max = apply_voi_lut(np.array([-1e15, 1e15]), ds, prefer_lut=False)
        else:
            y_min, y_max = 0.0, 2.0 ** int(ds.VOILUTSequence[0].LUTDescriptor[2]) - 1
        scaled = (np.asarray(shown, dtype=np.float64) - y_min) / (y_max - y_min) * 255
    else:
        low, high = float(values.min()), float(values.max())
        span = high - low
        scaled = (values[frame - 1] - low) / span * 255 if span else values[frame - 1] * 0
    # Presentation LUT Shape INVERSE inverts too (C.11.6.1); none of these files has it.
    shape = str(ds.get("PresentationLUTShape", "")).upper()
    if ds.PhotometricInterpretation == "MONOCHROME1" or shape == "INVERSE":
        scaled = 255 - scaled
    return np.floor(scaled + 0.5)


GRAYSCALE = [
    (name, frame)
    for name in IMAGE_FILES
    if name not in EXIT_6
    and str(header(name).get("PhotometricInterpretation", "")).startswith("MONOCHROME")
    for frame in frames_to_check(name)
]


@pytest.mark.parametrize(("name", "frame"), GRAYSCALE)
def test_grayscale_matches_pydicoms_modality_and_voi_chain(
    name: str, frame: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "grey.png"
    code, err = export(capsys, TEST_FILES / name, out, frame)
    assert code == 0, err
    png = np.asarray(Image.open(out)).astype(np.int64)
    expected = pydicom_display(read(name), frame)
    # One grey level: both compute in float64 but in different orders (a value on .5 can
    # round either way); an error in the chain moves many pixels by far more.
    assert np.abs(png - expected).max() <= 1


# -- colour: pydicom's decoded array, its colour conversion ---------------------------------


def pydicom_rgb(ds: Dataset, frame: int) -> np.ndarray:
    """8-bit RGB of ``frame`` (1-based) from pydicom's own decoding and colour functions.

    Decoded ``raw`` (no colour conversion) by the first plugin that decodes the file in
    the viewer's order: lossy JPEG decoders differ by a few levels among themselves
    (see test_lossy_jpeg_decoders_differ_only_by_a_few_levels), so the same decoder is
    used and the colour steps must then agree exactly. pydicom reports the photometric
    interpretation of what it returns (JPEG 2000's YBR_ICT/RCT come back RGB); YBR_FULL
    and YBR_FULL_422 go through ``convert_color_space`` (C.7.6.3.1.2), PALETTE COLOR
    through ``apply_color_lut`` (C.7.6.3.1.5, C.7.9). Samples of more than 8 bits (the
    palette's entry bits for palettes) are scaled to 0 … 255 and rounded.
    """
    syntax = UID(ds.file_meta.TransferSyntaxUID)
    decoder = get_decoder(syntax)
    for plugin in plugin_order(syntax) or ("",):
        try:
            arr, meta = decoder.as_array(ds, raw=True, decoding_plugin=plugin)
            break
        except RuntimeError:
            continue
    else:
        pytest.fail(f"no plugin decodes {syntax.name}")
    image = frames_first(arr, ds)[frame - 1]
    photometric = str(meta["photometric_interpretation"])
    if photometric == "PALETTE COLOR":
        rgb = apply_color_lut(image, ds)
        bits = int(ds.RedPaletteColorLookupTableDescriptor[2])
    else:
        if photometric in ("YBR_FULL", "YBR_FULL_422"):
            rgb = convert_color_space(image, photometric, "RGB")
        else:
            assert photometric == "RGB"
            rgb = image
        bits = int(ds.BitsStored)
    return np.floor(rgb.astype(np.float64) * 255 / (2**bits - 1) + 0.5)


COLOUR = [
    (name, frame)
    for name in IMAGE_FILES
    if name not in EXIT_6
    and not str(header(name).get("PhotometricInterpretation", "")).startswith("MONOCHROME")
    for frame in frames_to_check(name)
]


@pytest.mark.parametrize(("name", "frame"), COLOUR)
def test_colour_matches_pydicoms_colour_conversion(
    name: str, frame: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "colour.png"
    code, err = export(capsys, TEST_FILES / name, out, frame)
    assert code == 0, err
    png = np.asarray(Image.open(out)).astype(np.int64)
    assert np.array_equal(png, pydicom_rgb(read(name), frame))


# -- decoders: the viewer's order against every other plugin --------------------------------

LOSSLESS = {
    "1.2.840.10008.1.2.5",  # RLE Lossless
    "1.2.840.10008.1.2.4.57",  # JPEG Lossless
    "1.2.840.10008.1.2.4.70",  # JPEG Lossless SV1
    "1.2.840.10008.1.2.4.80",  # JPEG-LS Lossless
    "1.2.840.10008.1.2.4.90",  # JPEG 2000 Lossless Only
    "1.2.840.10008.1.2.4.201",  # HTJ2K Lossless
    "1.2.840.10008.1.2.4.202",  # HTJ2K Lossless RPCL
}
LOSSY_JPEG = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51"}


def compressed(syntaxes: set[str]) -> list[str]:
    return [
        name
        for name in IMAGE_FILES
        if name not in EXIT_6
        and str(header(name).file_meta.get("TransferSyntaxUID", "")) in syntaxes
    ]


def every_plugins_array(ds: Dataset) -> dict[str, np.ndarray]:
    """Each installed plugin's decoding of ``ds`` (those that decode it at all)."""
    decoder = get_decoder(UID(ds.file_meta.TransferSyntaxUID))
    arrays: dict[str, Any] = {}
    for plugin in decoder.available_plugins:
        try:
            arrays[plugin] = frames_first(decoder.as_array(ds, decoding_plugin=plugin)[0], ds)
        except RuntimeError:
            continue
    return arrays


@pytest.mark.parametrize("name", compressed(LOSSLESS))
def test_lossless_syntaxes_decode_identically_whichever_plugin(name: str) -> None:
    """A lossless transfer syntax has one right answer: the plugin the viewer picks gives
    the stored values every other installed plugin gives."""
    ds = read_dataset(TEST_FILES / name)
    ours = decode(ds).frames
    others = every_plugins_array(ds)
    assert others, "no plugin decodes it"
    for plugin, arr in others.items():
        assert np.array_equal(arr, ours), plugin


@pytest.mark.parametrize("name", compressed(LOSSY_JPEG))
def test_lossy_jpeg_decoders_differ_only_by_a_few_levels(name: str) -> None:
    """ISO/IEC 10918-1 leaves the inverse DCT's arithmetic (within the accuracy 10918-2
    tests) and the upsampling of sub-sampled chroma to the decoder, so libjpeg
    (pylibjpeg), libjpeg-turbo (Pillow) and GDCM's IJG differ by up to 3 levels on these
    files. The viewer decodes with the first of them that works; this bounds the rest."""
    ds = read_dataset(TEST_FILES / name)
    ours = decode(ds).frames.astype(np.int64)
    for plugin, arr in every_plugins_array(ds).items():  # YBR already RGB, as for ours
        assert np.abs(arr.astype(np.int64) - ours).max() <= 3, plugin


# -- the cache's fast readers: pydicom's values, or None ------------------------------------


@pytest.mark.parametrize("name", IMAGE_FILES)
def test_fast_header_agrees_with_read_header_or_declines(name: str) -> None:
    path = TEST_FILES / name
    data = path.read_bytes()
    whole = len(data) <= PREFIX_BYTES
    try:
        expected = read_header(path)
    except InvalidDataError:
        # A file read_header refuses: the fast reader refuses it too, or leaves it to
        # read_header (None); it never makes up a header.
        with contextlib.suppress(InvalidDataError):
            assert header_from_prefix(data[:PREFIX_BYTES], whole) is None
        return
    fast = header_from_prefix(data[:PREFIX_BYTES], whole)
    assert fast is None or fast == expected


@pytest.mark.parametrize("name", IMAGE_FILES)
def test_pixel_layout_agrees_with_pydicom_or_declines(name: str) -> None:
    path = TEST_FILES / name
    data = path.read_bytes()
    layout = layout_from_prefix(data[:PREFIX_BYTES], len(data) <= PREFIX_BYTES)
    if layout is None:
        return
    ds = pydicom.dcmread(path, force=True)
    assert (layout.rows, layout.columns) == (ds.Rows, ds.Columns)
    assert (layout.bits_allocated, layout.bits_stored) == (ds.BitsAllocated, ds.BitsStored)
    assert layout.high_bit == ds.get("HighBit")
    assert layout.pixel_representation == ds.PixelRepresentation
    assert layout.samples_per_pixel == ds.SamplesPerPixel
    assert layout.photometric == ds.PhotometricInterpretation
    assert layout.frames == frame_count(ds)
    assert layout.transfer_syntax == ds.file_meta.TransferSyntaxUID
    assert layout.pixel_offset == ds.get_item(PIXEL_DATA, keep_deferred=True).value_tell
