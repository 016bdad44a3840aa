"""The MPR crosshair: where the two other planes cut the plane a viewport shows.

Each line lies in the plane shown (a hair in front of it, towards the camera), across
the whole volume, at the other planes' positions; it takes the colour of the plane it
stands for, as that plane's viewport names it (axial red, coronal green, sagittal
yellow, the colours most reading software uses), so the eye finds the matching view.
"""

from __future__ import annotations

from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper, vtkRenderer

from viewer.render.scene_actors import polyline
from viewer.render.view_plane import AXIAL, CORONAL, SAGITTAL, ViewPlane

PLANE_RGB = {
    AXIAL: (0.95, 0.33, 0.33),
    CORONAL: (0.35, 0.85, 0.35),
    SAGITTAL: (0.95, 0.85, 0.25),
}
IN_FRONT_MM = 0.05  # towards the camera, so the image never hides the line


class Crosshair:
    """Two line actors in world coordinates (mm), hidden until :meth:`place`."""

    def __init__(self, renderer: vtkRenderer) -> None:
        self._lines = []
        for _ in range(2):
            poly, points = polyline(2)
            mapper = vtkPolyDataMapper()
            mapper.SetInputData(poly)
            actor = vtkActor()
            actor.SetMapper(mapper)
            actor.GetProperty().SetLineWidth(1.5)
            actor.GetProperty().LightingOff()
            actor.PickableOff()
            actor.VisibilityOff()
            renderer.AddViewProp(actor)
            self._lines.append((actor, points))

    def place(
        self,
        plane: ViewPlane,
        point_mm: tuple[float, float, float],
        bounds_mm: tuple[tuple[float, float], ...],
        kinds: dict[int, str],
    ) -> None:
        """Lines through ``point_mm`` along the plane's two in-plane axes, each across the
        volume (``bounds_mm``: its extent along x, y, z) and coloured for the plane it
        stands for:
        the line along one axis is where the plane holding the other axis fixed cuts
        this one (``kinds``: axis → its plane's kind)."""
        toward = plane.toward
        depth = [p - t * IN_FRONT_MM for p, t in zip(point_mm, toward, strict=True)]
        in_plane = (plane.across, plane.down)
        for (actor, points), along in zip(self._lines, in_plane, strict=True):
            other = in_plane[1] if along == in_plane[0] else in_plane[0]
            start, end = list(depth), list(depth)
            start[along], end[along] = bounds_mm[along]
            points.SetPoint(0, *start)
            points.SetPoint(1, *end)
            points.Modified()
            actor.GetProperty().SetColor(*PLANE_RGB[kinds[other]])
            actor.VisibilityOn()

    def hide(self) -> None:
        for actor, _ in self._lines:
            actor.VisibilityOff()
