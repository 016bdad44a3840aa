"""The 2-D actors a slice scene draws over the image: text anchored to the viewport and
a polyline in display pixels (the scale bar)."""

from __future__ import annotations

from vtkmodules.vtkCommonCore import VTK_FONT_FILE, vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkRenderingCore import (
    vtkActor2D,
    vtkCoordinate,
    vtkPolyDataMapper2D,
    vtkRenderer,
    vtkTextActor,
)

from viewer.render.fonts import cjk_font

TEXT_RGB = (0.92, 0.92, 0.92)


def polyline(count: int) -> tuple[vtkPolyData, vtkPoints]:
    """One open line through ``count`` points (set later, in the caller's coordinates)."""
    points = vtkPoints()
    points.SetNumberOfPoints(count)
    lines = vtkCellArray()
    lines.InsertNextCell(count)
    for i in range(count):
        lines.InsertCellPoint(i)
    poly = vtkPolyData()
    poly.SetPoints(points)
    poly.SetLines(lines)
    return poly, points


def line_actor(
    renderer: vtkRenderer, rgb: tuple[float, float, float]
) -> tuple[vtkActor2D, vtkPoints]:
    """A four-point line in display pixels (the scale bar with its ticks)."""
    poly, points = polyline(4)
    mapper = vtkPolyDataMapper2D()
    mapper.SetInputData(poly)
    actor = vtkActor2D()
    actor.SetMapper(mapper)
    actor.GetProperty().SetColor(*rgb)
    actor.GetProperty().SetLineWidth(2)
    actor.VisibilityOff()
    renderer.AddViewProp(actor)
    return actor, points


def text_actor(
    renderer: vtkRenderer, anchor: tuple[float, float], offset: tuple[int, int], justify: str
) -> vtkTextActor:
    actor = vtkTextActor()
    reference = vtkCoordinate()
    reference.SetCoordinateSystemToNormalizedViewport()
    reference.SetValue(*anchor, 0.0)
    position = actor.GetPositionCoordinate()
    position.SetCoordinateSystemToViewport()  # pixels from the anchor: fixed margins
    position.SetReferenceCoordinate(reference)
    position.SetValue(*offset, 0.0)
    prop = actor.GetTextProperty()
    font = cjk_font()
    if font is not None:  # VTK's own fonts draw boxes for Chinese names
        prop.SetFontFamily(VTK_FONT_FILE)
        prop.SetFontFile(font)
    prop.SetFontSize(15)
    prop.SetColor(*TEXT_RGB)
    prop.ShadowOn()  # legible over bright bone as over black air
    prop.SetJustification({"left": 0, "centre": 1, "right": 2}[justify])
    actor.VisibilityOff()
    renderer.AddViewProp(actor)
    return actor
