"""Scrolling viewports together by where the slices are in the patient.

Two series in one frame of reference (FrameOfReferenceUID, PS3.3 C.7.4.1) share patient
coordinates: a slice at 120 mm along the normal in one is the slice at 120 mm in the
other, so they scroll together without asking. A prior study from another day or
hospital has its own frame: the same anatomy sits at another table position, so they
are linked only when the doctor says the images now on screen show the same level
(:meth:`ScrollLink.link`), and then keep that offset.

Only parallel stacks are linked (an axial with an axial; a sagittal never moves with an
axial), only stacks placed in the patient with more than one slice, and only series of
one patient. Each series is measured along its own normal, as its stack sorts it
(:attr:`viewer.imaging.geometry.Stack.distances`); a stack whose normal points the other
way counts its distances with the opposite sign.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from viewer.session.reading import OpenSeries, one_patient

PARALLEL = float(np.cos(np.radians(5.0)))  # normals within 5° count as parallel


@dataclass(frozen=True)
class Placement:
    frame: str  # FrameOfReferenceUID, or the series UID when the file names none
    normal: tuple[float, float, float]
    distances: tuple[float, ...]  # along ``normal``, ascending, one per slice
    spacing: float


def placement(series: OpenSeries) -> Placement | None:
    """Where ``series``' slices are, or None when it cannot scroll with another."""
    stack = series.volume.stack
    if not stack.placed or len(stack.distances) < 2 or series.slice_count < 2:
        return None
    # The first slice here says the frame (a series still arriving has empty headers
    # where its slices have not landed).
    ready = series.volume.ready
    first = int(np.argmax(ready)) if ready.size and ready.any() else 0
    frame = str(series.volume.headers[first].get("FrameOfReferenceUID", "") or "").strip()
    normal = tuple(float(x) for x in stack.normal)
    return Placement(
        frame or series.series_uid,
        (normal[0], normal[1], normal[2]),
        tuple(float(d) for d in stack.distances),
        float(stack.slice_spacing) or 1.0,
    )


def _sign(a: Placement, b: Placement) -> float | None:
    """+1 or -1 when the stacks are parallel (same or opposite normals), else None."""
    dot = float(np.dot(a.normal, b.normal))
    if dot >= PARALLEL:
        return 1.0
    if dot <= -PARALLEL:
        return -1.0
    return None


def _partner(
    series: OpenSeries, here: Placement, other: OpenSeries
) -> tuple[Placement, float] | None:
    """``other``'s placement and the sign of its normal against ``series``' (placed at
    ``here``) when the two may scroll together: another series of the same patient,
    parallel, placed, of several slices."""
    there = placement(other)
    if there is None or other is series or not one_patient(series, other):
        return None
    sign = _sign(here, there)
    return None if sign is None else (there, sign)


class ScrollLink:
    """Which open series scroll together, and the offsets the doctor set between frames."""

    def __init__(self) -> None:
        # Manual links: per frame of reference, the millimetres to subtract from a
        # distance (in the reference series' direction) to reach the common level.
        self._offsets: dict[str, float] = {}
        self._reference: Placement | None = None

    @property
    def manual(self) -> bool:
        return self._reference is not None

    def link(self, active: OpenSeries, others: Sequence[OpenSeries]) -> list[OpenSeries]:
        """The images on screen now show the same level: keep them together from here
        on. Returns the series linked to ``active`` (across frames or within one)."""
        self.unlink()
        here = placement(active)
        if here is None:
            return []
        self._reference = here
        self._offsets = {here.frame: 0.0}
        level = here.distances[active.slice]
        linked = []
        for other in others:
            partner = _partner(active, here, other)
            if partner is None:
                continue
            there, sign = partner
            if there.frame not in self._offsets:
                self._offsets[there.frame] = sign * there.distances[other.slice] - level
            linked.append(other)
        if len(self._offsets) == 1:  # nothing across frames: the automatic link is all
            self.unlink()
        return linked

    def unlink(self) -> None:
        self._offsets = {}
        self._reference = None

    def _level(self, place: Placement, k: int) -> float | None:
        """The common level of slice ``k`` (in the reference's direction and frame)."""
        if self._reference is None or place.frame not in self._offsets:
            return None
        sign = _sign(self._reference, place)
        if sign is None:
            return None
        return sign * place.distances[k] - self._offsets[place.frame]

    def follow(self, moved: OpenSeries, others: Sequence[OpenSeries]) -> dict[int, int]:
        """Where each of ``others`` should go now that ``moved`` shows its current slice:
        {position in ``others``: slice}. Series not linked to ``moved``, or with no slice
        within one spacing of that level, are left out (they stay where they are)."""
        here = placement(moved)
        if here is None:
            return {}
        targets: dict[int, int] = {}
        for i, other in enumerate(others):
            partner = _partner(moved, here, other)
            if partner is None:
                continue
            there, sign = partner
            if there.frame == here.frame:
                target = sign * here.distances[moved.slice]  # one patient space: as it is
            else:
                level = self._level(here, moved.slice)
                ref_sign = _sign(self._reference, there) if self._reference else None
                if level is None or ref_sign is None or there.frame not in self._offsets:
                    continue
                target = ref_sign * (level + self._offsets[there.frame])
            k = _nearest(there.distances, target)
            if k is not None and abs(there.distances[k] - target) <= max(
                there.spacing, here.spacing
            ):
                targets[i] = k
        return targets


def _nearest(distances: tuple[float, ...], target: float) -> int | None:
    """The slice nearest ``target`` among those with a place (a slice still arriving has
    none yet: NaN); None when none has."""
    gaps = np.abs(np.asarray(distances, dtype=np.float64) - target)
    return None if np.all(np.isnan(gaps)) else int(np.nanargmin(gaps))
