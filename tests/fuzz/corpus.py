"""The valid inputs the fuzzer mutates, generated (small, deterministic, no patient data).

Part 10 files of every transfer syntax the viewer decodes (16×16 to 64×64, grayscale and
colour, single and multi-frame), a QIDO-RS study answer, and a patient's CD (a DICOMDIR
and the files it lists). They are written once per run into a folder
(``python -m tests.fuzz.corpus DIR``) and read by every worker: encoding JPEG 2000 or
JPEG lossless (through GDCM) in each restarted worker would cost more than its cases.

Every value is fixed, so a case index means the same input on every machine and run.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.filewriter import dcmwrite
from pydicom.uid import (
    UID,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEGBaseline8Bit,
    JPEGLosslessSV1,
    JPEGLSLossless,
    RLELossless,
)

VERSION = "1"  # bump when the corpus changes: a stale folder is made again
ROOT_UID = "1.2.826.0.1.3680043.8.498.7712"
STUDY_UID = f"{ROOT_UID}.1"
OTHER_STUDY_UID = f"{ROOT_UID}.2"  # "another patient's" study, spliced in by mutations
OUTSIDE_SOP_UID = f"{ROOT_UID}.9.99"  # the file outside a CD that a symlink points to
CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
MR_ENHANCED = "1.2.840.10008.5.1.4.1.1.4.1"

# name → (transfer syntax, rows, columns, samples, bits stored, frames, photometric)
PART10_SEEDS: dict[str, tuple[str, int, int, int, int, int, str]] = {
    "native-ct": (ExplicitVRLittleEndian, 32, 32, 1, 12, 1, "MONOCHROME2"),
    "native-implicit": (ImplicitVRLittleEndian, 16, 16, 1, 8, 1, "MONOCHROME1"),
    "native-rgb": (ExplicitVRLittleEndian, 16, 24, 3, 8, 1, "RGB"),
    "native-palette": (ExplicitVRLittleEndian, 16, 16, 1, 8, 1, "PALETTE COLOR"),
    "native-enhanced": (ExplicitVRLittleEndian, 16, 16, 1, 12, 3, "MONOCHROME2"),
    "deflated": (DeflatedExplicitVRLittleEndian, 16, 16, 1, 12, 1, "MONOCHROME2"),
    "rle": (RLELossless, 32, 32, 1, 16, 1, "MONOCHROME2"),
    "rle-rgb-cine": (RLELossless, 16, 16, 3, 8, 3, "RGB"),
    "jpeg-baseline": (JPEGBaseline8Bit, 64, 64, 1, 8, 1, "MONOCHROME2"),
    "jpeg-baseline-ybr": (JPEGBaseline8Bit, 32, 32, 3, 8, 1, "YBR_FULL_422"),
    "jpeg-lossless": (JPEGLosslessSV1, 32, 32, 1, 12, 1, "MONOCHROME2"),
    "jpeg-ls": (JPEGLSLossless, 32, 32, 1, 12, 1, "MONOCHROME2"),
    "jpeg-ls-rgb-cine": (JPEGLSLossless, 16, 16, 3, 8, 3, "RGB"),
    "jpeg2000": (JPEG2000Lossless, 64, 64, 1, 16, 1, "MONOCHROME2"),
    "jpeg2000-rgb": (JPEG2000Lossless, 64, 64, 3, 8, 1, "RGB"),
}
# Three small instances that make the multipart answers (a few KiB each).
MULTIPART_SEEDS = ("native-implicit", "rle", "jpeg-ls")
# The CD: these seeds, renumbered as instances of one series.
CD_SEEDS = ("native-ct", "jpeg-baseline", "rle")


def pixels(rows: int, columns: int, samples: int, bits: int, frames: int) -> np.ndarray:
    """A smooth pattern with a disc in it (codecs meet both flat and edged areas)."""
    y, x = np.mgrid[0:rows, 0:columns]
    top = (1 << bits) - 1
    out = []
    for f in range(frames):
        base = (x * 7 + y * 3 + f * 11) % (top + 1)
        disc = (x - columns / 2) ** 2 + (y - rows / 2) ** 2 < (min(rows, columns) / 3) ** 2
        plane = np.where(disc, top - base // 2, base)
        if samples == 3:
            plane = np.stack([plane, (plane * 3) % (top + 1), top - plane], axis=-1)
        out.append(plane)
    arr = np.array(out, dtype=np.uint16 if bits > 8 else np.uint8)
    return arr if frames > 1 else arr[0]


def dataset(name: str, number: int = 1, study_uid: str = STUDY_UID) -> Dataset:
    """One seed instance as a pydicom data set, pixel data encoded in its syntax."""
    syntax, rows, columns, samples, bits, frames, photometric = PART10_SEEDS[name]
    ds = Dataset()
    ds.SpecificCharacterSet = "GB18030" if number % 2 else "ISO_IR 192"
    enhanced = name == "native-enhanced"
    ds.SOPClassUID = MR_ENHANCED if enhanced else CT_IMAGE if samples == 1 else SECONDARY_CAPTURE
    ds.SOPInstanceUID = f"{ROOT_UID}.3.{number}"
    ds.StudyDate, ds.StudyTime = "20240131", "101500"
    ds.AccessionNumber = f"ACC{number:04d}"
    ds.Modality = "MR" if enhanced else "CT"
    ds.InstitutionName = "南京鼓楼医院"
    ds.StudyDescription = "Fuzz seed study"
    ds.StudyID = "S1"
    ds.SeriesDescription = f"seed {name}"
    ds.PatientName = "Wang^XiaoDong=王^小东"
    ds.PatientID = "320102199001011234"
    ds.IssuerOfPatientID = "JS-EMPI"
    other = Dataset()
    other.PatientID, other.IssuerOfPatientID = "MRN0042", "NJGL"
    ds.OtherPatientIDsSequence = [other]
    ds.PatientBirthDate, ds.PatientSex = "19900101", "M"
    ds.BodyPartExamined = "CHEST"
    ds.StudyInstanceUID = study_uid
    ds.SeriesInstanceUID = f"{ROOT_UID}.2.{number}"
    ds.SeriesNumber, ds.InstanceNumber = str(number), str(number)
    ds.ImagePositionPatient = ["-120.5", "-80", str(number * 2.5)]
    ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    ds.PixelSpacing = ["0.7", "0.7"]
    ds.SliceThickness = "2.5"
    ds.Rows, ds.Columns, ds.SamplesPerPixel = rows, columns, samples
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated = 8 if bits <= 8 else 16
    ds.BitsStored, ds.HighBit, ds.PixelRepresentation = bits, bits - 1, 0
    if samples == 3:
        ds.PlanarConfiguration = 0
    if frames > 1:
        ds.NumberOfFrames = str(frames)
    if samples == 1 and photometric.startswith("MONO") and bits > 8:
        ds.RescaleIntercept, ds.RescaleSlope = "-1024", "1"
        ds.WindowCenter, ds.WindowWidth = ["40", "400"], ["400", "1500"]
    if photometric == "PALETTE COLOR":
        _palette(ds)
    if enhanced:
        _functional_groups(ds, frames)
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = UID(syntax)
    ds.file_meta.ImplementationClassUID = f"{ROOT_UID}.0"
    _set_pixels(ds, pixels(rows, columns, samples, bits, frames), syntax, frames)
    return ds


def _palette(ds: Dataset) -> None:
    ramp = np.arange(256, dtype=np.uint16) * 257
    for colour, table in (("Red", ramp), ("Green", ramp[::-1].copy()), ("Blue", ramp // 2)):
        setattr(ds, f"{colour}PaletteColorLookupTableDescriptor", [256, 0, 16])
        setattr(ds, f"{colour}PaletteColorLookupTableData", table.astype("<u2").tobytes())


def _functional_groups(ds: Dataset, frames: int) -> None:
    items = []
    for f in range(frames):
        voi, position, item = Dataset(), Dataset(), Dataset()
        voi.WindowCenter, voi.WindowWidth = str(100 + f), "800"
        position.ImagePositionPatient = ["0", "0", str(f)]
        item.FrameVOILUTSequence = [voi]
        item.PlanePositionSequence = [position]
        items.append(item)
    ds.PerFrameFunctionalGroupsSequence = items
    shared, orientation = Dataset(), Dataset()
    orientation.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    shared.PlaneOrientationSequence = [orientation]
    ds.SharedFunctionalGroupsSequence = [shared]


def _set_pixels(ds: Dataset, arr: np.ndarray, syntax: str, frames: int) -> None:
    if not UID(syntax).is_compressed:
        ds.PixelData = arr.astype("<u2" if ds.BitsAllocated == 16 else "u1").tobytes()
        ds["PixelData"].VR = "OW" if ds.BitsAllocated == 16 else "OB"
        return
    each = list(arr) if frames > 1 else [arr]
    if syntax == JPEGBaseline8Bit:
        encoded = [_jpeg_baseline(f, str(ds.PhotometricInterpretation)) for f in each]
    elif syntax == JPEGLosslessSV1:
        from viewer.demo.compression import encode_sv1  # GDCM: pydicom cannot encode SV1

        encoded = [encode_sv1(f, ds) for f in each]
    else:
        from viewer.demo.compression import encode_frame

        encoded = [encode_frame(f, ds, syntax) for f in each]
    ds.PixelData = encapsulate(encoded, has_bot=frames > 1)
    ds["PixelData"].VR = "OB"


def _jpeg_baseline(frame: np.ndarray, photometric: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    if photometric == "YBR_FULL_422":  # Pillow converts RGB to YCbCr, subsampled 4:2:2
        Image.fromarray(frame, "RGB").save(out, "JPEG", quality=90, subsampling=1)
    else:
        Image.fromarray(frame, "L").save(out, "JPEG", quality=90)
    return out.getvalue()


def part10_bytes(ds: Dataset) -> bytes:
    out = io.BytesIO()
    dcmwrite(out, ds, enforce_file_format=True)
    return out.getvalue()


def qido_answer() -> list[dict[str, Any]]:
    """A QIDO-RS study search answer (PS3.18 F.2): three studies, every field the
    history asks for, a sequence, a PN with all groups, numbers as numbers."""
    answer = []
    for n in range(1, 4):
        answer.append(
            {
                "00080005": {"vr": "CS", "Value": ["ISO_IR 192"]},
                "00080020": {"vr": "DA", "Value": [f"2024010{n}"]},
                "00080030": {"vr": "TM", "Value": ["101500.000"]},
                "00080050": {"vr": "SH", "Value": [f"ACC{n}"]},
                "00080061": {"vr": "CS", "Value": ["CT", "SR"]},
                "00080080": {"vr": "LO", "Value": ["南京鼓楼医院"]},
                "00081030": {"vr": "LO", "Value": ["CT chest"]},
                "00100010": {
                    "vr": "PN",
                    "Value": [{"Alphabetic": "Wang^XiaoDong", "Ideographic": "王^小东"}],
                },
                "00100020": {"vr": "LO", "Value": ["320102199001011234"]},
                "00100021": {"vr": "LO", "Value": ["JS-EMPI"]},
                "00100030": {"vr": "DA", "Value": ["19900101"]},
                "00100040": {"vr": "CS", "Value": ["M"]},
                "00101002": {
                    "vr": "SQ",
                    "Value": [
                        {
                            "00100020": {"vr": "LO", "Value": ["MRN0042"]},
                            "00100021": {"vr": "LO", "Value": ["NJGL"]},
                        }
                    ],
                },
                "00180015": {"vr": "CS", "Value": ["CHEST"]},
                "0020000D": {"vr": "UI", "Value": [f"{ROOT_UID}.1.{n}"]},
                "0020000E": {"vr": "UI", "Value": [f"{ROOT_UID}.2.{n}"]},
                "00080018": {"vr": "UI", "Value": [f"{ROOT_UID}.3.{n}"]},
                "00080060": {"vr": "CS", "Value": ["CT"]},
                "00200011": {"vr": "IS", "Value": [n]},
                "0008103E": {"vr": "LO", "Value": ["axial"]},
                "00201206": {"vr": "IS", "Value": [2]},
                "00201208": {"vr": "IS", "Value": [120 + n]},
                "00201209": {"vr": "IS", "Value": [60]},
            }
        )
    return answer


def write(folder: Path) -> Path:
    """Write the corpus into ``folder`` (skipped when it is there, of this version)."""
    stamp = folder / f"corpus-v{VERSION}"
    if stamp.exists():
        return folder
    (folder / "part10").mkdir(parents=True, exist_ok=True)
    for n, name in enumerate(PART10_SEEDS, 1):
        _atomic(folder / "part10" / f"{name}.dcm", part10_bytes(dataset(name, n)))
    _atomic(folder / "qido.json", json.dumps(qido_answer(), ensure_ascii=False).encode())
    _write_cd(folder / "cd")
    outside = dataset("native-implicit", 99)
    outside.SOPInstanceUID = outside.file_meta.MediaStorageSOPInstanceUID = OUTSIDE_SOP_UID
    _atomic(folder / "outside.dcm", part10_bytes(outside))
    stamp.touch()
    return folder


def _write_cd(cd: Path) -> None:
    from pydicom.fileset import FileSet

    if (cd / "DICOMDIR").exists():
        return
    fileset = FileSet()
    for n, name in enumerate(CD_SEEDS, 1):
        ds = dataset(name, n)
        ds.SeriesInstanceUID = f"{ROOT_UID}.2.1"
        fileset.add(ds)
    tmp = cd.with_name(cd.name + f".{os.getpid()}")
    fileset.write(tmp)
    try:
        tmp.rename(cd)
    except OSError:  # another process made it first: same content
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


def _atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}")
    tmp.write_bytes(data)
    tmp.replace(path)


class Corpus:
    """The corpus read back: bytes by name, the QIDO answer, the CD folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.part10 = {
            name: (folder / "part10" / f"{name}.dcm").read_bytes() for name in PART10_SEEDS
        }
        self.qido = (folder / "qido.json").read_bytes()
        self.cd = folder / "cd"
        self.outside = folder / "outside.dcm"


if __name__ == "__main__":
    write(Path(sys.argv[1]))
