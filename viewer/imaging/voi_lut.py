"""The VOI LUT: modality values → the displayed range (PS3.3 C.11.2).

Its input is the output of the Modality LUT (``modality_lut``), never raw stored values
(PS3.4 Annex N). Output goes to ``[out_min, out_max]``, 0 … 255 unless asked otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset

from viewer.imaging.modality_lut import (
    LUT,
    apply_lut,
    dataset_little_endian,
    functional_group_item,
    lut_from_item,
)

AnyArray = npt.NDArray[Any]
FloatArray = npt.NDArray[np.float64]


class VOIFunction(StrEnum):
    """VOI LUT Function (0028,1056) CS: how a window maps values (PS3.3 C.11.2.1.3)."""

    LINEAR = "LINEAR"
    LINEAR_EXACT = "LINEAR_EXACT"
    SIGMOID = "SIGMOID"


@dataclass(frozen=True)
class Window:
    """A Window Center (0028,1050) DS / Window Width (0028,1051) DS pair (C.11.2.1.2)."""

    center: float
    width: float
    function: VOIFunction = VOIFunction.LINEAR
    explanation: str = ""  # Window Center & Width Explanation (0028,1055) LO


@dataclass(frozen=True)
class VOILUT:
    """One item of VOI LUT Sequence (0028,3010), with its LUT Explanation (0028,3003)."""

    lut: LUT

    @property
    def explanation(self) -> str:
        return self.lut.explanation


VOI = Window | VOILUT


def linear_window(
    x: AnyArray, center: float, width: float, out_min: float = 0.0, out_max: float = 255.0
) -> FloatArray:
    """The default LINEAR window function, PS3.3 C.11.2.1.2.1, exactly::

        x <= c − 0.5 − (w−1)/2  →  ymin
        x >  c − 0.5 + (w−1)/2  →  ymax
        else  ((x − (c − 0.5)) / (w−1) + 0.5) · (ymax − ymin) + ymin

    Window Width shall be ≥ 1; at exactly 1 the middle branch is empty (a threshold).
    """
    if width < 1:
        raise ValueError(f"LINEAR window width must be >= 1, got {width}")
    x = np.asarray(x, dtype=np.float64)
    low = center - 0.5 - (width - 1) / 2
    high = center - 0.5 + (width - 1) / 2
    ramp = ((x - (center - 0.5)) / max(width - 1, 1.0) + 0.5) * (out_max - out_min) + out_min
    return np.where(x <= low, out_min, np.where(x > high, out_max, ramp))


def linear_exact_window(
    x: AnyArray, center: float, width: float, out_min: float = 0.0, out_max: float = 255.0
) -> FloatArray:
    """LINEAR_EXACT, PS3.3 C.11.2.1.3.2::

    x <= c − w/2  →  ymin
    x >  c + w/2  →  ymax
    else  ((x − c) / w + 0.5) · (ymax − ymin) + ymin       (w > 0)
    """
    if width <= 0:
        raise ValueError(f"LINEAR_EXACT window width must be > 0, got {width}")
    x = np.asarray(x, dtype=np.float64)
    ramp = ((x - center) / width + 0.5) * (out_max - out_min) + out_min
    return np.where(
        x <= center - width / 2, out_min, np.where(x > center + width / 2, out_max, ramp)
    )


def sigmoid_window(
    x: AnyArray, center: float, width: float, out_min: float = 0.0, out_max: float = 255.0
) -> FloatArray:
    """SIGMOID, PS3.3 C.11.2.1.3.1: ``(ymax − ymin) / (1 + exp(−4 (x − c) / w)) + ymin``."""
    if width <= 0:
        raise ValueError(f"SIGMOID window width must be > 0, got {width}")
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(over="ignore"):  # exp overflow far below the center gives ymin, as it should
        return (out_max - out_min) / (1.0 + np.exp(-4.0 * (x - center) / width)) + out_min


_WINDOW_FUNCTIONS = {
    VOIFunction.LINEAR: linear_window,
    VOIFunction.LINEAR_EXACT: linear_exact_window,
    VOIFunction.SIGMOID: sigmoid_window,
}


def apply_voi_lut_table(
    x: AnyArray, voi: VOILUT, out_min: float = 0.0, out_max: float = 255.0
) -> FloatArray:
    """A VOI LUT Sequence item (PS3.3 C.11.2.1.1), its 0 … 2**bits − 1 output scaled.

    Inputs outside the table clamp to its first or last entry, as for the Modality LUT.
    Some writers declare more bits than the entries use, or fewer: the scale is the
    declared bits unless an entry exceeds them, then the bits the largest entry needs.
    """
    entries = apply_lut(x, voi.lut).astype(np.float64)
    top = int(voi.lut.data.max(initial=0))
    bits = max(voi.lut.bits, top.bit_length(), 1)
    return entries / ((1 << bits) - 1) * (out_max - out_min) + out_min


def apply_voi(x: AnyArray, voi: VOI, out_min: float = 0.0, out_max: float = 255.0) -> FloatArray:
    """Modality values → ``[out_min, out_max]`` through a window or a VOI LUT (C.11.2)."""
    if isinstance(voi, VOILUT):
        return apply_voi_lut_table(x, voi, out_min, out_max)
    return _WINDOW_FUNCTIONS[voi.function](x, voi.center, voi.width, out_min, out_max)


def window_from_range(low: float, high: float) -> Window:
    """The LINEAR window that maps ``low`` to ymin and ``high`` to ymax (C.11.2.1.2.1).

    Used when a file has no VOI: the min and max of the modality values. Solving the
    formula's bounds ``c − 0.5 ∓ (w − 1)/2 = low, high`` gives ``w = high − low + 1`` and
    ``c = (low + high + 1) / 2``; a flat image gets width 1.
    """
    low, high = float(min(low, high)), float(max(low, high))
    return Window((low + high + 1) / 2, high - low + 1, VOIFunction.LINEAR, "min/max")


def voi_choices(ds: Dataset, frame: int | None = None) -> list[VOI]:
    """Every VOI the file offers, in file order: windows first, then VOI LUTs.

    For enhanced images the Frame VOI LUT Sequence (0028,9132) of ``frame`` (per-frame
    over shared functional groups, PS3.3 C.7.6.16.2.10) is used when present, otherwise
    the top-level VOI LUT Module (C.11.2). Windows with a width the standard forbids for
    their function (LINEAR < 1, others ≤ 0) are not offered.
    """
    item = functional_group_item(ds, "FrameVOILUTSequence", frame)
    choices = _choices_in(item, ds) if item is not None else []
    return choices or _choices_in(ds, ds)


def default_voi(ds: Dataset, frame: int | None = None) -> VOI | None:
    """The file's first window (else its first VOI LUT), or None: then use min/max."""
    choices = voi_choices(ds, frame)
    return choices[0] if choices else None


def _choices_in(item: Dataset, ds: Dataset) -> list[VOI]:
    choices: list[VOI] = list(_windows(item))
    signed = int(ds.get("PixelRepresentation", 0)) == 1
    for lut_item in item.get("VOILUTSequence") or []:
        choices.append(VOILUT(lut_from_item(lut_item, signed, dataset_little_endian(ds))))
    return choices


def _windows(item: Dataset) -> list[Window]:
    centers = _numbers(item.get("WindowCenter"))
    widths = _numbers(item.get("WindowWidth"))
    explanations = _texts(item.get("WindowCenterWidthExplanation"))
    name = str(item.get("VOILUTFunction", "") or "LINEAR").strip().upper()
    function = VOIFunction(name) if name in VOIFunction.__members__ else VOIFunction.LINEAR
    windows = []
    for index, (center, width) in enumerate(zip(centers, widths, strict=False)):
        if width >= 1 if function is VOIFunction.LINEAR else width > 0:
            text = explanations[index] if index < len(explanations) else ""
            windows.append(Window(center, width, function, text))
    return windows


def _numbers(value: Any) -> list[float]:
    if value is None or value == "":
        return []
    if isinstance(value, str | int | float):
        return [float(value)]
    return [float(v) for v in value]


def _texts(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]
