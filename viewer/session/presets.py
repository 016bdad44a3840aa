"""Which window each of the keys 1–9 gives a series, and the auto-window.

For CT the keys hold the clinical presets of ``resources/presets/window_level.toml``
(Hounsfield units, the same for every CT: a reader's hands learn them), in the order
:data:`CT_KEYS`. For every other modality Hounsfield presets mean nothing: the keys
pick the windows and VOI LUTs the file itself offers (``voi_choices``, file order,
windows first), as the modality's own protocol chose them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset

from viewer.imaging.voi_lut import VOI, VOIFunction, Window, voi_choices
from viewer.presets import presets

KEY_COUNT = 9
CT_KEYS = (  # key 1 … 8; key 9 is free for CT
    "ct-brain",
    "ct-subdural",
    "ct-stroke",
    "ct-lung",
    "ct-mediastinum",
    "ct-abdomen",
    "ct-liver",
    "ct-bone",
)
FILE_PRESET = "file"  # name of a preset that is one of the file's own windows or VOI LUTs
AUTO = "auto"
# Auto-window range: the 1st to the 99th percentile of the slice's modality values. Min
# and max would let a single metal artefact or the scanner's air padding set the window;
# the middle 98 % keeps the tissue that fills the slice and drops those few extremes.
AUTO_PERCENTILES = (1.0, 99.0)


@dataclass(frozen=True)
class KeyPreset:
    """What one key gives: ``name`` is a CT preset's name (``ct-brain`` …) or
    :data:`FILE_PRESET` / :data:`AUTO`; ``number`` the file's window or LUT number (1-based)
    for file presets, else 0."""

    name: str
    voi: VOI
    number: int = 0

    @property
    def explanation(self) -> str:
        """The file's own words for its window or LUT (Window Center & Width Explanation,
        LUT Explanation); empty for the CT presets and the auto-window."""
        return self.voi.explanation if self.name == FILE_PRESET else ""


def key_presets(header: Dataset) -> tuple[KeyPreset, ...]:
    """The presets on keys 1, 2, … (at most :data:`KEY_COUNT`) for a series whose first
    image is ``header``."""
    modality = str(header.get("Modality", "")).strip().upper()
    if modality == "CT":
        known = presets()
        return tuple(KeyPreset(name, known[name]) for name in CT_KEYS if name in known)
    choices = voi_choices(header)[:KEY_COUNT]
    return tuple(KeyPreset(FILE_PRESET, voi, n) for n, voi in enumerate(choices, 1))


BACKGROUND_SHARE = (0.2, 0.9)  # a dark class this share of the image is background …
SEPARATION = 0.85  # … when the two classes stand this far apart (Otsu's η; a ramp: 0.75)


def auto_window(values: npt.NDArray[np.float64]) -> Window | None:
    """A LINEAR window over :data:`AUTO_PERCENTILES` of ``values`` (modality values of the
    pixels to show, padding already left out) that are not background; None when there
    are none.

    Background: the darker of the two classes Otsu's threshold splits the values into,
    when it covers a fifth of the image or more, leaving a tenth or more, and the two
    classes stand well apart (the air around a CT's body, the empty field of an MR; an
    image of evenly spread values has none). Left in, it stretches the window down to
    its level and every tissue is squeezed into the top of the grey scale.
    """
    if values.size == 0:
        return None
    values = values.ravel()
    split = _otsu(values)
    if split is not None and split[1] >= SEPARATION:
        share = float(np.mean(values <= split[0]))
        if BACKGROUND_SHARE[0] <= share <= BACKGROUND_SHARE[1]:
            values = values[values > split[0]]
    low, high = np.percentile(values, AUTO_PERCENTILES)
    # The window that maps low to black and high to white (PS3.3 C.11.2.1.2.1), at least 1
    # wide as the standard asks: see viewer.imaging.voi_lut.window_from_range.
    width = max(1.0, float(high - low) + 1)
    return Window((float(low) + float(high) + 1) / 2, width, VOIFunction.LINEAR, AUTO)


def _otsu(values: npt.NDArray[np.float64], bins: int = 256) -> tuple[float, float] | None:
    """Otsu's threshold (the split of a 256-bin histogram with the largest variance
    between its two classes) and how well it separates them (η: that variance over the
    whole variance, 0 … 1); None for values all alike."""
    low, high = float(values.min()), float(values.max())
    if not high > low:
        return None
    counts, edges = np.histogram(values, bins=bins, range=(low, high))
    centres = (edges[:-1] + edges[1:]) / 2
    weight = np.cumsum(counts).astype(np.float64)
    total = weight[-1]
    mass = np.cumsum(counts * centres)
    below, above = weight[:-1], total - weight[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_below = mass[:-1] / below
        mean_above = (mass[-1] - mass[:-1]) / above
        between = below * above * (mean_below - mean_above) ** 2
    between = np.nan_to_num(between, nan=-1.0)
    best = int(np.argmax(between))
    spread = float(np.sum(counts * (centres - mass[-1] / total) ** 2))  # total × variance
    return float(edges[best + 1]), float(between[best] / total / spread) if spread else 0.0
