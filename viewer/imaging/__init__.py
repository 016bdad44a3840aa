"""Imaging math: pixel values to display values, colour, slice geometry. No Qt, no VTK.

The grayscale pipeline, in the order of PS3.4 Annex N, one module per step:

1. stored values from pixel cells (PS3.5 §8) and the **Modality LUT** (PS3.3 C.11.1):
   ``modality_lut``. It always comes before the VOI LUT;
2. the **VOI LUT** (C.11.2): windows (LINEAR, LINEAR_EXACT, SIGMOID) or a VOI LUT
   Sequence: ``voi_lut``;
3. the **Presentation LUT** (C.11.6): MONOCHROME1 and Presentation LUT Shape:
   ``presentation``.

``display`` runs the whole chain to 8-bit display values and builds the same chain as
one lookup table over stored values, which the viewport and the PNG export both use.
``color`` handles RGB, YBR and PALETTE COLOR images (convert once: see its docstring for
how to decode). ``geometry`` sorts slices into stacks with typed warnings and maps
indices to patient coordinates; ``orientation`` names directions with L/R, A/P, H/F.

Every function is pure numpy over arrays (frames first for multi-frame data) or reads a
pydicom ``Dataset``; none of them decodes pixel data.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from viewer.imaging.display import (
        DisplayLUT,
        GrayscaleChain,
        apply_display_lut,
        apply_grayscale,
        display_lut,
        display_lut_for_bits,
        grayscale_chain,
        to_display,
    )
    from viewer.imaging.modality_lut import apply_modality_lut, stored_values
    from viewer.imaging.voi_lut import VOI, VOILUT, Window, voi_choices

# Where each name below lives. They are imported when first asked for, not with the
# package: its light modules (pixel_layout, which the cache uses for every instance it
# fetches) must not bring numpy and pydicom with them.
_HOMES = {
    **dict.fromkeys(
        (
            "DisplayLUT",
            "GrayscaleChain",
            "apply_display_lut",
            "apply_grayscale",
            "display_lut",
            "display_lut_for_bits",
            "grayscale_chain",
            "to_display",
        ),
        "viewer.imaging.display",
    ),
    **dict.fromkeys(("apply_modality_lut", "stored_values"), "viewer.imaging.modality_lut"),
    **dict.fromkeys(("VOI", "VOILUT", "Window", "voi_choices"), "viewer.imaging.voi_lut"),
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)


__all__ = [
    "VOI",
    "VOILUT",
    "DisplayLUT",
    "GrayscaleChain",
    "Window",
    "apply_display_lut",
    "apply_grayscale",
    "apply_modality_lut",
    "display_lut",
    "display_lut_for_bits",
    "grayscale_chain",
    "stored_values",
    "to_display",
    "voi_choices",
]
