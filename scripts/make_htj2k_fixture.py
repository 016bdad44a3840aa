"""Generate the small HTJ2K test files in tests/data/htj2k/ (generated pixels, no patient).

usage: python scripts/make_htj2k_fixture.py [--out DIR] [--encoder PATH]

The encoder is OpenJPH's ``ojph_compress`` (Debian: ``apt install openjph-tools``); it is
a tool for making these files, never a dependency of the project. Each image is coded
reversibly (lossless), wrapped into a DICOM Part 10 file by pydicom as encapsulated pixel
data (PS3.5 A.4, one fragment), and written next to its expected stored values (``.npy``)
so that the tests compare with numbers that never went through a codec.

Two things the encoder does not do by itself are done here, on the codestream:

- Signed images are coded as unsigned samples offset by 2^(B-1), then the SIZ sign bit is
  set. For reversible coding this is exactly the codestream of the signed samples: the
  only difference between the two is the DC level shift, which applies to unsigned
  components only (T.800 G.1). It also keeps clear of the signed path of OpenJPH 0.9.0
  (Debian 12's), which codes negative samples in a way other decoders read differently
  (seen here: OpenJPEG turned every negative sample into 32767; cf. OpenJPH issue #102).
- HTJ2K Lossless RPCL (1.2.840.10008.1.2.4.202) requires TLM marker segments (PS3.5
  10.18); ``ojph_compress`` 0.9 writes none, so one is inserted into the main header.
"""

from __future__ import annotations

import argparse
import shutil
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.filewriter import dcmwrite
from pydicom.uid import UID, generate_uid

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "tests" / "data" / "htj2k"
ROWS, COLUMNS = 48, 64

HTJ2K_LOSSLESS = UID("1.2.840.10008.1.2.4.201")
HTJ2K_LOSSLESS_RPCL = UID("1.2.840.10008.1.2.4.202")
HTJ2K = UID("1.2.840.10008.1.2.4.203")  # lossy or lossless at the sender's choice
CT_IMAGE_STORAGE = UID("1.2.840.10008.5.1.4.1.1.2")
SECONDARY_CAPTURE = UID("1.2.840.10008.5.1.4.1.1.7")

# JPEG 2000 markers (T.800 A.2) that the checks below look for.
SOC, SIZ, CAP, COD, TLM, SOT, EOC = 0xFF4F, 0xFF51, 0xFF50, 0xFF52, 0xFF55, 0xFF90, 0xFFD9
RPCL = 2  # SGcod progression order (T.800 Table A.16)


@dataclass(frozen=True)
class Fixture:
    name: str  # file stem
    series: str  # files with the same series name form one series
    syntax: UID
    pixels: npt.NDArray[Any]  # stored values, (rows, columns)
    bits_stored: int
    instance: int = 1
    z: float = 0.0


def ct_slice(k: int) -> npt.NDArray[np.int16]:
    """A CT-like gradient in HU with the edge values of 16-bit signed at known places."""
    y, x = np.mgrid[0:ROWS, 0:COLUMNS]
    hu = x * 40 - y * 30 - 1000 + 7 * k
    hu[0, 0] = -32768  # most negative: sign bit alone
    hu[0, COLUMNS - 1] = 32767  # most positive
    hu[1, 1] = -1  # all bits set
    hu[ROWS - 1, 0] = -1024  # air
    hu[ROWS // 2, COLUMNS // 2] = 3071  # dense bone
    hu[ROWS - 1, COLUMNS - 1] = 0  # water
    return hu.astype(np.int16)


def ct12_slice() -> npt.NDArray[np.int16]:
    """Signed 12-bit stored values (the range of many older CTs) in 16-bit cells."""
    y, x = np.mgrid[0:ROWS, 0:COLUMNS]
    sv = x * 30 - y * 40 + 5
    sv[0, 0], sv[0, COLUMNS - 1], sv[1, 1] = -2048, 2047, -1
    return sv.astype(np.int16)


def mono8_image() -> npt.NDArray[np.uint8]:
    y, x = np.mgrid[0:ROWS, 0:COLUMNS]
    v = (x * 4 + y) % 256
    v[0, 0], v[0, COLUMNS - 1], v[ROWS - 1, 0] = 0, 255, 128
    return v.astype(np.uint8)


def fixtures() -> list[Fixture]:
    return [
        *(
            Fixture(f"ct16s_htj2k_lossless_{k}", "ct16s", HTJ2K_LOSSLESS, ct_slice(k), 16, k, z)
            # Instance numbers run against z on purpose: the volume test sorts by position.
            for k, z in ((1, 5.0), (2, 2.5), (3, 0.0))
        ),
        Fixture("ct16s_htj2k_rpcl", "ct16s-rpcl", HTJ2K_LOSSLESS_RPCL, ct_slice(4), 16),
        Fixture("ct12s_htj2k_lossless", "ct12s", HTJ2K_LOSSLESS, ct12_slice(), 12),
        Fixture("mono8u_htj2k", "mono8u", HTJ2K, mono8_image(), 8),
    ]


def encode(encoder: str, pixels: npt.NDArray[Any], bits: int, work: Path) -> bytes:
    """A reversible HTJ2K codestream (RPCL, 5 decompositions) of ``pixels``."""
    signed = pixels.dtype.kind == "i"
    offset = 1 << (bits - 1) if signed else 0
    unsigned = pixels.astype(np.int64) + offset  # see the module docstring
    if unsigned.min() < 0 or unsigned.max() >= 1 << bits:
        raise ValueError(f"values do not fit in {bits} bits")
    raw = work / "in.yuv"
    raw.write_bytes(unsigned.astype("u1" if bits <= 8 else "<u2").tobytes())
    out = work / "out.j2c"
    # fmt: off
    subprocess.run(
        [
            encoder, "-i", str(raw), "-o", str(out),
            "-dims", f"{{{COLUMNS},{ROWS}}}", "-num_comps", "1", "-signed", "false",
            "-bit_depth", str(bits), "-downsamp", "{1,1}",
            "-reversible", "true", "-prog_order", "RPCL", "-num_decomps", "5",
        ],
        check=True, capture_output=True,
    )
    # fmt: on
    stream = bytearray(out.read_bytes())
    ssiz = _siz_ssiz_offset(stream)
    if stream[ssiz] != bits - 1:
        raise RuntimeError(f"encoder wrote Ssiz {stream[ssiz]:#x}, expected {bits - 1:#x}")
    if signed:
        stream[ssiz] |= 0x80
    return bytes(stream)


def _siz_ssiz_offset(stream: bytes | bytearray) -> int:
    """Where the first component's Ssiz is (T.800 A.5.1): SOC, then SIZ."""
    if struct.unpack_from(">HH", stream, 0) != (SOC, SIZ):
        raise RuntimeError("not a JPEG 2000 codestream (no SOC, SIZ)")
    return 4 + 2 + 2 + 8 * 4 + 2  # Lsiz, Rsiz, 8 sizes, Csiz


def main_header(stream: bytes) -> tuple[dict[int, bytes], int]:
    """The main header's marker segments by marker, and where the first SOT starts."""
    segments: dict[int, bytes] = {}
    pos = 2
    while True:
        marker, length = struct.unpack_from(">HH", stream, pos)
        if marker == SOT:
            return segments, pos
        segments[marker] = stream[pos + 4 : pos + 2 + length]
        pos += 2 + length


def with_tlm(stream: bytes) -> bytes:
    """``stream`` with one TLM marker segment (T.800 A.7.1) listing every tile-part."""
    segments, first_sot = main_header(stream)
    if TLM in segments:
        return stream
    parts: list[tuple[int, int]] = []
    pos = first_sot
    while struct.unpack_from(">H", stream, pos)[0] == SOT:
        tile, length = struct.unpack_from(">HI", stream, pos + 4)
        if length == 0:  # the last tile-part may leave its length open: up to EOC
            length = len(stream) - 2 - pos
        parts.append((tile, length))
        pos += length
    if struct.unpack_from(">H", stream, pos)[0] != EOC or pos != len(stream) - 2:
        raise RuntimeError("tile-parts do not end at EOC")
    # Stlm 0x60: Ttlm 16 bits (ST = 2), Ptlm 32 bits (SP = 1).
    body = struct.pack(">BB", 0, 0x60) + b"".join(struct.pack(">HI", t, n) for t, n in parts)
    segment = struct.pack(">HH", TLM, 2 + len(body)) + body
    return stream[:first_sot] + segment + stream[first_sot:]


def check(stream: bytes, fixture: Fixture) -> None:
    """The codestream is what the file will claim: HTJ2K, size, precision, sign, order."""
    segments, _ = main_header(stream)
    if CAP not in segments:
        raise RuntimeError("no CAP marker: not an HTJ2K (Part 15) codestream")
    width, height = struct.unpack_from(">II", segments[SIZ], 2)
    ssiz = stream[_siz_ssiz_offset(stream)]
    signed = fixture.pixels.dtype.kind == "i"
    if (width, height) != (COLUMNS, ROWS) or ssiz != (fixture.bits_stored - 1) | (
        0x80 if signed else 0
    ):
        raise RuntimeError(f"{fixture.name}: SIZ does not describe the image")
    order, decompositions = segments[COD][1], segments[COD][5]
    if fixture.syntax == HTJ2K_LOSSLESS_RPCL and (
        order != RPCL or TLM not in segments or max(width, height) >> decompositions > 64
    ):
        raise RuntimeError(f"{fixture.name}: not what PS3.5 10.18 asks of HTJ2K RPCL")


def dataset(fixture: Fixture, stream: bytes) -> Dataset:
    ct = fixture.pixels.dtype.itemsize == 2

    def uid(*what: str) -> str:  # the same UIDs on every run: the files do not churn
        return generate_uid(entropy_srcs=["qingying-htj2k-fixture", *what])

    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = fixture.syntax
    ds.SOPClassUID = CT_IMAGE_STORAGE if ct else SECONDARY_CAPTURE
    ds.SOPInstanceUID = uid(fixture.name)
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.PatientName = "HTJ2K^Fixture"
    ds.PatientID = "HTJ2K-FIXTURE"
    ds.StudyInstanceUID = uid("study")
    ds.SeriesInstanceUID = uid("series", fixture.series)
    ds.FrameOfReferenceUID = uid("frame-of-reference", fixture.series)
    ds.StudyDate = ds.SeriesDate = "20240101"
    ds.Modality = "CT" if ct else "OT"
    if not ct:
        ds.ConversionType = "WSD"
    ds.SeriesDescription = f"generated test image, {fixture.syntax.keyword}"
    ds.SeriesNumber = 1
    ds.InstanceNumber = fixture.instance
    ds.ImagePositionPatient = [0.0, 0.0, fixture.z]
    ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    ds.PixelSpacing = [0.5, 0.5]
    ds.SliceThickness = 2.5
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows, ds.Columns = fixture.pixels.shape
    ds.BitsAllocated = fixture.pixels.dtype.itemsize * 8
    ds.BitsStored = fixture.bits_stored
    ds.HighBit = fixture.bits_stored - 1
    ds.PixelRepresentation = 1 if fixture.pixels.dtype.kind == "i" else 0
    if ct:
        ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = 0, 1, "HU"
        ds.WindowCenter, ds.WindowWidth = 40, 400
    ds.LossyImageCompression = "00"
    ds.PixelData = encapsulate([stream])
    ds["PixelData"].VR = "OB"
    return ds


def decodes_back(stream: bytes, expected: npt.NDArray[Any]) -> bool | None:
    """OpenJPEG's reading of ``stream`` equals ``expected``; None without pylibjpeg-openjpeg."""
    try:
        from openjpeg import decode
    except ImportError:
        return None
    return bool(np.array_equal(decode(stream), expected))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--encoder", default="ojph_compress", help="OpenJPH's ojph_compress")
    args = parser.parse_args(argv)
    encoder = shutil.which(args.encoder)
    if encoder is None:
        print(f"no {args.encoder} here (Debian: apt install openjph-tools)", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="htj2k-") as work:
        for fixture in fixtures():
            stream = encode(encoder, fixture.pixels, fixture.bits_stored, Path(work))
            if fixture.syntax == HTJ2K_LOSSLESS_RPCL:
                stream = with_tlm(stream)
            check(stream, fixture)
            if decodes_back(stream, fixture.pixels) is False:
                raise RuntimeError(f"{fixture.name}: OpenJPEG reads other pixels back")
            path = args.out / f"{fixture.name}.dcm"
            dcmwrite(path, dataset(fixture, stream), enforce_file_format=True)
            np.save(args.out / f"{fixture.name}.npy", fixture.pixels)
            print(
                f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}: "
                f"{fixture.syntax.name}, {path.stat().st_size} bytes"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
