"""Key images as a DICOM Key Object Selection document (PS3.3 A.59, TID 2010), with
highdicom: the images the doctor marked (*) "Of Interest", for the next reader, at any
workstation. A key frame of a multi-frame image is named by its file and its frame
numbers (Referenced Frame Number in the image's reference, PS3.3 C.17.3 Image SOP
Instance Reference Macro); a single-frame image by its file alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import highdicom as hd
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.sr.codedict import codes
from pydicom.uid import generate_uid

from viewer.measure.report import evidence_copy, evidence_series
from viewer.uids import is_valid_uid


def key_object_selection(
    images: Sequence[tuple[Dataset, int]], *, series_number: int = 991
) -> Dataset:
    """The KO of ``images``: (header, 1-based frame) of each key image, an instance
    named once with every key frame of it."""
    unique = {str(image.SOPInstanceUID): evidence_copy(image) for image, _frame in images}
    if not unique:
        raise ValueError("no key image to select")
    frames: dict[str, set[int]] = {}
    for image, frame in images:
        if int(image.get("NumberOfFrames", 1) or 1) > 1:
            frames.setdefault(str(image.SOPInstanceUID), set()).add(int(frame))
    content = hd.ko.KeyObjectSelection(
        document_title=codes.DCM.OfInterest, referenced_objects=list(unique.values())
    )
    for item in content.get_references():  # highdicom names instances: the frames added
        reference = item.ReferencedSOPSequence[0]
        chosen = frames.get(str(reference.ReferencedSOPInstanceUID))
        if chosen:
            reference.ReferencedFrameNumber = sorted(chosen)
    return hd.ko.KeyObjectSelectionDocument(
        evidence=list(unique.values()),
        content=content,
        series_instance_uid=generate_uid(),
        series_number=series_number,
        sop_instance_uid=generate_uid(),
        instance_number=1,
        manufacturer="Qingying",
    )


def key_images_of(ds: Dataset) -> list[tuple[str, str, int]]:
    """(series UID, SOP Instance UID, 1-based frame) of each image a KO selects, the
    series as its evidence lists it (those it names without a series are left out); an
    instance named without frames is its first."""
    document: Any = hd.ko.KeyObjectSelectionDocument.from_dataset(ds)
    series_of = evidence_series(ds)
    found = []
    for item in document.content.get_references():
        reference = item.ReferencedSOPSequence[0]
        sop = str(reference.ReferencedSOPInstanceUID)
        series = series_of.get(sop, "")
        if not (is_valid_uid(sop) and is_valid_uid(series)):
            continue
        for frame in _frames(reference.get("ReferencedFrameNumber")):
            found.append((series, sop, frame))
    return found


def _frames(value: Any) -> list[int]:
    """Frame numbers as a reference gives them (one, several, or none: the first);
    a value that is no frame number is left out."""
    if value is None or value == "":
        return [1]
    values = list(value) if isinstance(value, (MultiValue, list, tuple)) else [value]
    frames = []
    for v in values:
        try:
            number = int(v)
        except (TypeError, ValueError):
            continue
        if number >= 1:
            frames.append(number)
    return sorted(set(frames)) or [1]
