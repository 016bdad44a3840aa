"""The shape every series builder returns: descriptions plus random access to instances."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from pydicom.dataset import Dataset

# An instance without patient identity and without PixelData, plus its pixels
# (rows, columns[, samples]) or (frames, rows, columns[, samples]).
Instance = tuple[Dataset, NDArray[np.generic]]


@dataclass(frozen=True)
class SeriesBuild:
    """One series: ``make(i)`` builds instance ``i`` (0-based) deterministically."""

    number: int
    modality: str
    description: str
    sop_class_uid: str
    count: int
    make: Callable[[int], Instance]


@dataclass(frozen=True)
class StudyBuild:
    """One study: what the General Study Module and the manifest say about it."""

    description: str
    body_part: str
    series: tuple[SeriesBuild, ...]

    @property
    def modalities(self) -> list[str]:
        seen: list[str] = []
        for s in self.series:
            if s.modality not in seen:
                seen.append(s.modality)
        return seen
