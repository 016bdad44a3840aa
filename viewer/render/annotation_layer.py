"""The measurements of the image shown, drawn over it: their lines in world coordinates
(mm, the image's own), so zoom, pan, turns and W/L move nothing off what was measured;
each label beside what it measures, a little way to the right on screen.

Colours: a measurement yellow, the one selected cyan, one being drawn orange — the
colours reading workstations use, legible over bone white and air black alike (each
line drawn over a dark shadow line).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vtkmodules.vtkCommonCore import VTK_FONT_FILE, vtkPoints, vtkUnsignedCharArray
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper, vtkRenderer, vtkTextActor

from viewer.measure.outline import Outline
from viewer.render.fonts import cjk_font

COLOURS = {
    "normal": (255, 214, 10),
    "selected": (64, 224, 255),
    "drawing": (255, 140, 0),
}
LABEL_GAP_PX = 10  # from the anchor to the label's left, on screen
EDGE_PX = 4  # a label kept this far inside the viewport's right edge


@dataclass(frozen=True)
class Drawn:
    """One measurement to draw: its outline, label (lines of text) and state."""

    outline: Outline
    label: str
    state: str = "normal"  # normal | selected | drawing
    uid: str = ""  # the measurement's id ("" while it is being drawn)
    offset: tuple[float, float] = (0.0, 0.0)  # the label moved from its anchor (image px)


def _placer(
    spacing: tuple[float, float, float], depth: float, axis: int
) -> Callable[[float, float], tuple[float, float, float]]:
    """(a, b) in the index coordinates of the plane holding ``axis`` at ``depth`` → world."""
    along = [i for i in range(3) if i != axis]  # the world axes of a and of b
    sa, sb = spacing[along[0]], spacing[along[1]]

    def world(a: float, b: float) -> tuple[float, float, float]:
        place = [0.0, 0.0, 0.0]
        place[along[0]], place[along[1]], place[axis] = a * sa, b * sb, depth
        return (place[0], place[1], place[2])

    return world


class AnnotationLayer:
    def __init__(self, renderer: vtkRenderer) -> None:
        self._renderer = renderer
        self._lines = vtkPolyData()
        # The shadow first: the same lines, wider and black, under the coloured ones.
        self._shadow = self._line_actor(3.6, scalars=False)
        self._shadow.GetProperty().SetColor(0.0, 0.0, 0.0)
        self._actor = self._line_actor(1.6, scalars=True)
        self._labels: list[vtkTextActor] = []
        self._labelled: list[Drawn] = []  # the measurements whose labels are shown, in order
        self.shown: list[Drawn] = []  # what the layer draws now (tests read it)

    def show(
        self,
        drawn: Sequence[Drawn],
        spacing: tuple[float, float, float],
        depth: float,
        right: tuple[float, float, float],
        mm_per_px: float,
        axis: int = 2,
        up: tuple[float, float, float] | None = None,
    ) -> None:
        """Draw ``drawn`` on the plane holding index ``axis`` fixed at world ``depth``
        along it (the slice or reformat shown, a hair toward the camera). A point (a, b)
        is in that plane's index coordinates — (column, row) on the stack's own plane,
        (column, slice) on a coronal reformat (``axis`` 1), (row, slice) on a sagittal
        (``axis`` 0) — and lands at them times the spacing. Labels sit
        ``LABEL_GAP_PX`` to the screen's ``right`` of their anchor."""
        self.shown = list(drawn)
        points, lines = vtkPoints(), vtkCellArray()
        colours = vtkUnsignedCharArray()
        colours.SetNumberOfComponents(3)
        world = _placer(spacing, depth, axis)

        for item in drawn:
            rgb = COLOURS.get(item.state, COLOURS["normal"])
            for ring, closed in item.outline.lines:
                if len(ring) < 2:
                    continue
                ids = []
                for x, y in ring:
                    ids.append(points.InsertNextPoint(*world(x, y)))
                if closed:
                    ids.append(ids[0])
                lines.InsertNextCell(len(ids))
                for i in ids:
                    lines.InsertCellPoint(i)
                colours.InsertNextTuple3(*rgb)
        self._lines.SetPoints(points)
        self._lines.SetLines(lines)
        self._lines.GetCellData().SetScalars(colours)
        self._lines.Modified()
        self._actor.SetVisibility(lines.GetNumberOfCells() > 0)
        self._shadow.SetVisibility(lines.GetNumberOfCells() > 0)
        labelled = [item for item in drawn if item.label]
        while len(self._labels) < len(labelled):
            self._labels.append(self._new_label())
        gap = LABEL_GAP_PX * mm_per_px
        self._labelled = labelled
        for actor, item in zip(self._labels, labelled, strict=False):
            x, y = item.outline.anchor
            x, y = x + item.offset[0], y + item.offset[1]
            rgb = COLOURS.get(item.state, COLOURS["normal"])
            actor.SetInput(item.label)
            actor.GetTextProperty().SetColor(*(c / 255 for c in rgb))
            at = world(x, y)
            actor.GetPositionCoordinate().SetValue(
                *(c + r * gap for c, r in zip(at, right, strict=True))
            )
            self._keep_inside(actor, right, up, mm_per_px)
            actor.VisibilityOn()
        for actor in self._labels[len(labelled) :]:
            actor.VisibilityOff()

    def _keep_inside(
        self,
        actor: vtkTextActor,
        right: tuple[float, float, float],
        up: tuple[float, float, float] | None,
        mm_per_px: float,
    ) -> None:
        """A label that would run past the viewport's right edge (a measurement near it)
        is moved left until it ends inside, never past the left edge; one past the bottom
        or the top (given the screen's ``up``) is moved back in: a value cut off is a
        value not read. A label whose measurement is off screen stays with it."""
        width, height = self._renderer.GetSize()
        coordinate = actor.GetPositionCoordinate()
        left_px, centre_px = coordinate.GetComputedDoubleDisplayValue(self._renderer)[:2]
        if not (0 <= left_px - LABEL_GAP_PX <= width and 0 <= centre_px <= height):
            return  # its measurement is off screen (zoomed, panned): its label too
        box = [0.0, 0.0, 0.0, 0.0]
        actor.GetBoundingBox(self._renderer, box)
        over = left_px + (box[1] - box[0]) - (width - EDGE_PX)
        shift = min(over, left_px - EDGE_PX)
        moves: list[tuple[tuple[float, float, float], float]] = []
        if width > 0 and shift > 0:
            moves.append((right, -shift))
        half = (box[3] - box[2]) / 2  # the label is centred on its height
        if up is not None and height > 0:
            below = EDGE_PX - (centre_px - half)  # display y counts from the bottom
            above = (centre_px + half) - (height - EDGE_PX)
            if below > 0:
                moves.append((up, below))
            elif above > 0:
                moves.append((up, -above))
        for direction, px in moves:
            start = coordinate.GetValue()
            coordinate.SetValue(
                *(c + d * px * mm_per_px for c, d in zip(start, direction, strict=True))
            )

    def label_at(self, x_px: float, y_px: float) -> str | None:
        """The id of the measurement whose label is under display pixel (``x_px``,
        ``y_px``; y from the bottom, as VTK counts), None where there is none."""
        box = [0.0, 0.0, 0.0, 0.0]
        for actor, item in zip(self._labels, self._labelled, strict=False):
            if not item.uid or not actor.GetVisibility():
                continue
            actor.GetBoundingBox(self._renderer, box)
            if box[0] <= x_px <= box[1] and box[2] <= y_px <= box[3]:
                return item.uid
        return None

    def clear(self) -> None:
        self.shown = []
        self._labelled = []
        self._actor.VisibilityOff()
        self._shadow.VisibilityOff()
        for actor in self._labels:
            actor.VisibilityOff()

    def _line_actor(self, width: float, *, scalars: bool) -> vtkActor:
        mapper = vtkPolyDataMapper()
        mapper.SetInputData(self._lines)
        mapper.SetScalarModeToUseCellData()
        mapper.SetScalarVisibility(scalars)
        actor = vtkActor()
        actor.SetMapper(mapper)
        actor.GetProperty().SetLineWidth(width)
        actor.GetProperty().LightingOff()
        actor.PickableOff()
        actor.VisibilityOff()
        self._renderer.AddViewProp(actor)
        return actor

    def _new_label(self) -> vtkTextActor:
        actor = vtkTextActor()
        actor.GetPositionCoordinate().SetCoordinateSystemToWorld()
        prop = actor.GetTextProperty()
        font = cjk_font()
        if font is not None:  # a note may be in Chinese
            prop.SetFontFamily(VTK_FONT_FILE)
            prop.SetFontFile(font)
        prop.SetFontSize(14)
        prop.ShadowOn()
        prop.SetVerticalJustificationToCentered()
        actor.PickableOff()
        self._renderer.AddViewProp(actor)
        return actor
