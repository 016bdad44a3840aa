"""Key images as a DICOM Key Object Selection document (PS3.3 A.59, TID 2010), with
highdicom: the images the doctor marked (*) "Of Interest", for the next reader, at any
workstation. A KO names whole instances: a key frame of a multi-frame names its file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import highdicom as hd
from pydicom.dataset import Dataset
from pydicom.sr.codedict import codes
from pydicom.uid import generate_uid

from viewer.measure.report import evidence_copy, evidence_series
from viewer.uids import is_valid_uid


def key_object_selection(images: Sequence[Dataset], *, series_number: int = 991) -> Dataset:
    """The KO of ``images`` (their headers, each once)."""
    unique = {str(image.SOPInstanceUID): evidence_copy(image) for image in images}
    if not unique:
        raise ValueError("no key image to select")
    content = hd.ko.KeyObjectSelection(
        document_title=codes.DCM.OfInterest, referenced_objects=list(unique.values())
    )
    return hd.ko.KeyObjectSelectionDocument(
        evidence=list(unique.values()),
        content=content,
        series_instance_uid=generate_uid(),
        series_number=series_number,
        sop_instance_uid=generate_uid(),
        instance_number=1,
        manufacturer="Qingying",
    )


def key_images_of(ds: Dataset) -> list[tuple[str, str]]:
    """(series UID, SOP Instance UID) of each image a KO selects, the series as its
    evidence lists it; those it names without a series are left out."""
    document: Any = hd.ko.KeyObjectSelectionDocument.from_dataset(ds)
    series_of = evidence_series(ds)
    found = []
    for item in document.content.get_references():
        sop = str(item.ReferencedSOPSequence[0].ReferencedSOPInstanceUID)
        series = series_of.get(sop, "")
        if is_valid_uid(sop) and is_valid_uid(series):
            found.append((series, sop))
    return found
