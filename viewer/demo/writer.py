"""Writing one instance as a DICOM Part 10 file (PS3.10 §7.1), byte-for-byte stable."""

from __future__ import annotations

from pathlib import Path

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filewriter import dcmwrite
from pydicom.uid import UID

from viewer.demo.identifiers import IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME


def instance_path(root: Path, target: str, ds: Dataset) -> Path:
    """``root/<target>/<StudyInstanceUID>/<SeriesInstanceUID>/<SOPInstanceUID>.dcm``."""
    study, series, sop = str(ds.StudyInstanceUID), str(ds.SeriesInstanceUID), str(ds.SOPInstanceUID)
    return root / target / study / series / f"{sop}.dcm"


def write_instance(ds: Dataset, path: Path) -> None:
    """Write ``ds`` with a complete File Meta Information group (PS3.10 §7.1).

    The transfer syntax must already be in ``ds.file_meta`` (set with the pixel data).
    Our own implementation UID replaces pydicom's so the files do not change when
    pydicom is upgraded.
    """
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = UID(ds.file_meta.TransferSyntaxUID)
    meta.ImplementationClassUID = UID(IMPLEMENTATION_CLASS_UID)
    meta.ImplementationVersionName = IMPLEMENTATION_VERSION_NAME
    ds.file_meta = meta
    path.parent.mkdir(parents=True, exist_ok=True)
    dcmwrite(path, ds, enforce_file_format=True)
