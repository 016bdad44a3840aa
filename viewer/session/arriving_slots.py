"""Where each slice of a series still arriving goes, and the stack it makes so far.

Why a module of its own: :mod:`viewer.session.arriving` runs the arrival (a thread, the
cache, events); this is the bookkeeping it does, pure and testable: the slots of one
volume allocated once, which instance holds which slot, and a provisional
:class:`~viewer.imaging.geometry.Stack` over them.

The slots follow the series' instances in InstanceNumber order as the source listed
them. Once two placed slices have arrived, their positions say whether InstanceNumber
runs up or down the stack's normal; :meth:`Slots.direction` then says to turn the slots
over when it runs down, so that the order while arriving is already the one
:func:`~viewer.imaging.volume.load_volume` gives (ascending along the normal) in the usual
case. A series whose InstanceNumber does not follow its positions is put in order once
whole (see the arrival).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from pydicom.dataset import Dataset

from viewer.imaging.geometry import (
    ORIENTATION_TOLERANCE,
    GeometryIssue,
    GeometryWarning,
    SliceGeometry,
    Stack,
)
from viewer.imaging.headers import HeaderSequence
from viewer.imaging.projection import projection_stack
from viewer.instance_file import InstanceFile

NO_HEADER = Dataset()  # what a slice not yet arrived says of itself: nothing


class SlotHeaders(HeaderSequence):
    """Each slot's header: the instance's once arrived, an empty data set before (so an
    overlay asking a slice not yet arrived for its thickness gets no answer, not
    another slice's)."""

    def __init__(self, headers: list[Dataset | None]) -> None:
        self._headers = headers  # shared with the slots: arrivals show here at once

    def __len__(self) -> int:
        return len(self._headers)

    def header(self, index: int) -> Dataset:
        found = self._headers[index]
        return NO_HEADER if found is None else found


class Slots:
    """The slots of one series: ``count`` of them, the ``order`` listed (SOP UIDs by
    InstanceNumber; may be empty: slots are then taken as instances come)."""

    def __init__(
        self,
        count: int,
        order: Sequence[str],
        first: Dataset,
        kind: SliceGeometry | None = None,
    ) -> None:
        """``first`` is the first image's header, ``kind`` its plane (the orientation and
        size the volume is made of; None for a film)."""
        self.count = count
        self.sops: list[str | None] = [None] * count
        self.headers: list[Dataset | None] = [None] * count
        self.paths: list[InstanceFile | None] = [None] * count
        self.geometries: dict[int, SliceGeometry] = {}
        self._listed = {sop: k for k, sop in enumerate(order) if k < count}
        self._reserved = set(self._listed.values())
        self.oriented = False  # whether the direction along the normal is known
        self._first = first
        self._kind = kind

    def slot_for(self, sop: str) -> int | None:
        """The slot of instance ``sop``: its place in the listed order, else the first free
        slot nobody is listed for; None when the series has more instances than slots."""
        k = self._listed.get(sop)
        if k is not None and self.sops[k] in (None, sop):
            return k
        free = [k for k in range(self.count) if self.sops[k] is None]
        # An instance nobody listed (cached before, gone at the source) takes a listed
        # one's place only if no other is free; that one is then left over, and the
        # series is loaded anew once whole.
        return next((k for k in free if k not in self._reserved), free[0] if free else None)

    def fill(
        self, k: int, sop: str, header: Dataset, path: InstanceFile, geometry: SliceGeometry | None
    ) -> None:
        self.sops[k], self.headers[k], self.paths[k] = sop, header, path
        if geometry is not None:
            self.geometries[k] = geometry

    def direction(self) -> bool:
        """Whether to turn the slots over now: True once, when the first two placed slices
        of the first one's kind say InstanceNumber runs down the normal."""
        if self.oriented or self.count < 2:
            return False
        placed = self._alike()
        if len(placed) < 2:
            return False
        (a, ga), (b, gb) = placed[0], placed[-1]
        normal = ga.normal
        da, db = float(np.dot(normal, ga.position)), float(np.dot(normal, gb.position))
        if math.isclose(da, db, abs_tol=1e-3):
            return False  # one place twice (phases, echoes): not yet told
        self.oriented = True
        return (db - da) * (b - a) < 0

    def turned_over(self) -> list[int]:
        """Turn the slots over (slot k becomes ``count - 1 - k``); the new slot of each."""
        new_of_old = [self.count - 1 - k for k in range(self.count)]
        self.rearrange(new_of_old)
        return new_of_old

    def rearrange(self, new_of_old: Sequence[int]) -> None:
        """Move slot k to ``new_of_old[k]`` (a permutation of the slots)."""
        sops: list[str | None] = [None] * self.count
        headers: list[Dataset | None] = [None] * self.count
        paths: list[InstanceFile | None] = [None] * self.count
        for old, new in enumerate(new_of_old):
            sops[new], headers[new], paths[new] = self.sops[old], self.headers[old], self.paths[old]
        self.sops, self.headers, self.paths = sops, headers, paths
        self.geometries = {new_of_old[k]: g for k, g in self.geometries.items()}
        self._listed = {sop: new_of_old[k] for sop, k in self._listed.items()}
        self._reserved = set(self._listed.values())

    def stack(self, rows: int, columns: int, first: SliceGeometry | None) -> Stack:
        """The stack so far: slot k is slice k; a slot not arrived has no distance (NaN).
        The step between slots comes from two placed slices once known, else from the
        first one's spacing (Spacing Between Slices, else Slice Thickness, else 1 mm)."""
        if first is None:  # a film, a scan: laid in order as load_volume lays them
            ds = self._first
            return projection_stack(
                self.count, rows, columns, ds.get("PixelSpacing"), ds.get("PatientOrientation")
            )
        placed = self._alike() or [(0, first)]
        (a, ga), (b, gb) = placed[0], placed[-1]
        normal = first.normal
        hint = first.spacing_hint if first.spacing_hint and first.spacing_hint > 0 else 1.0
        step = normal * hint
        if self.oriented and b != a:
            step = (np.asarray(gb.position) - np.asarray(ga.position)) / (b - a)
        origin = np.asarray(ga.position) - a * step
        distances = tuple(
            float(np.dot(normal, self.geometries[k].position)) if k in self.geometries else math.nan
            for k in range(self.count)
        )
        warnings: tuple[GeometryWarning, ...] = ()
        if first.pixel_spacing is None:  # the scale bar must not pretend while arriving
            warnings = (
                GeometryWarning(
                    GeometryIssue.NO_PIXEL_SPACING,
                    "no Pixel Spacing: 1 mm assumed",
                    tuple(range(self.count)),
                ),
            )
        spacing = abs(float(np.dot(step, normal))) or hint
        vector = (float(step[0]), float(step[1]), float(step[2]))
        return Stack(
            indices=tuple(range(self.count)),
            distances=distances,
            origin=(float(origin[0]), float(origin[1]), float(origin[2])),
            row_cosine=first.row_cosine,
            column_cosine=first.column_cosine,
            normal=(float(normal[0]), float(normal[1]), float(normal[2])),
            pixel_spacing=first.pixel_spacing or (1.0, 1.0),
            slice_spacing=spacing,
            slice_step=vector,
            rows=rows,
            columns=columns,
            warnings=warnings,
        )

    def _alike(self) -> list[tuple[int, SliceGeometry]]:
        """Placed slices of the first image's orientation and size, by slot."""
        found = sorted(self.geometries.items())
        kind = self._kind
        if not found or kind is None:
            return []
        cosines = np.array(kind.row_cosine + kind.column_cosine)
        return [
            (k, g)
            for k, g in found
            if (g.rows, g.columns) == (kind.rows, kind.columns)
            and np.allclose(cosines, g.row_cosine + g.column_cosine, atol=ORIENTATION_TOLERANCE)
        ]
