"""One series' slice in a vtkRenderWindow, drawn exactly as ``export`` writes it.

The stored values stay in the series' volume: one vtkImageData points at its memory, so
showing another slice or window copies nothing. A colour series' volume holds 8-bit RGB
frames (:mod:`viewer.imaging.frames`, export's own pixels): they are drawn as they are,
three components with no lookup table. Grey levels come from the core's display
table (PS3.4 Annex N: Modality LUT → VOI LUT → Presentation LUT, evaluated once per stored
value by :mod:`viewer.imaging.display`), loaded into a vtkLookupTable as that module's
docstring says, sampled nearest-neighbour: the screen at 1:1 equals the PNG export.

World coordinates are the volume's index space scaled by its spacing (x along a row,
i.e. by column, y by row, z by slice), with no direction matrix: orientation on screen
is the camera's. numpy's row 0 is y = 0, which VTK draws at the bottom by default, so the
camera looks along +z with its view-up -y, putting row 0 at the top and column 0 at the
left, as the image is stored and exported (PS3.3 C.7.6.2.1.1: rows run along the row
cosine, from the first transmitted pixel at the top left). Rotating and flipping
(:mod:`viewer.render.view_turns`) turn the camera's view-up and look from behind the
slice; the pixels and the display table are untouched.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

# Imported for their factory overrides, never named: the OpenGL implementations of the
# classes below, and the FreeType text renderer behind vtkTextActor.
import vtkmodules.vtkRenderingFreeType
import vtkmodules.vtkRenderingOpenGL2  # noqa: F401
from vtkmodules.util.numpy_support import numpy_to_vtk as _numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkLookupTable
from vtkmodules.vtkCommonDataModel import vtkImageData
from vtkmodules.vtkRenderingCore import vtkImageActor, vtkRenderer, vtkRenderWindow

from viewer.imaging.display import MAX_TABLE_BITS, DisplayLUT, GrayscaleChain, display_lut
from viewer.imaging.geometry import Stack
from viewer.render.crosshair import Crosshair
from viewer.render.scene_overlay import SceneOverlay
from viewer.render.view_plane import ViewPlane
from viewer.render.view_turns import ViewTurns

CAMERA_DISTANCE = 1000.0  # mm in front of the slice; parallel projection: any > 0 will do


class ShownSeries(Protocol):
    """What the scene reads of an open series (``viewer.session.reading.OpenSeries``),
    named here so the pixels floor imports nothing from the session above it."""

    slice: int

    @property
    def volume(self) -> Any: ...  # .voxels (slices, rows, columns) stored values, .stack

    @property
    def chain(self) -> GrayscaleChain: ...

    def display_table(self) -> DisplayLUT | None: ...


class SliceScene:
    """A renderer in ``render_window`` showing the current slice of one series.

    The caller owns the window (a Qt widget's, or an offscreen one) and calls
    :meth:`render` after changes; the refresh methods only update VTK's state.
    """

    def __init__(self, render_window: vtkRenderWindow) -> None:
        self.window = render_window
        self.renderer = vtkRenderer()
        self.renderer.SetBackground(0.0, 0.0, 0.0)
        render_window.AddRenderer(self.renderer)
        self.series: ShownSeries | None = None
        self.volume_shown: Any = None
        self._image: vtkImageData | None = None
        self._voxels: npt.NDArray[Any] | None = None  # the memory the vtkImageData points at
        self._actor = vtkImageActor()
        # Edge pixels whole: by default VTK stops the image at their centres, cutting half
        # a pixel off each side.
        self._actor.GetMapper().BorderOn()
        prop = self._actor.GetProperty()
        prop.SetInterpolationTypeToNearest()  # each stored value one flat cell, never blended
        prop.SetUseLookupTableScalarRange(True)  # the table's range, not ColorWindow/Level
        self._lut = vtkLookupTable()
        prop.SetLookupTable(self._lut)
        self._actor.VisibilityOff()
        self.renderer.AddViewProp(self._actor)
        self._spacing = (1.0, 1.0, 1.0)
        self._size = (0, 0)  # viewport size at the last fit/render, to follow resizes
        self._fitted = True
        self.turns = ViewTurns()
        self.plane = ViewPlane.stack(self.turns)  # which plane, lying how (view_plane.py)
        self._index = 0  # the plane's position along its axis (the slice, for the stack's)
        self.overlay = SceneOverlay(self.renderer)
        self._crosshair = Crosshair(self.renderer)

    # -- what is shown -------------------------------------------------------------------
    def show(self, series: ShownSeries, *, keep_view: bool = False) -> None:
        """Show ``series`` at its current slice and window, fitted to the viewport; with
        ``keep_view`` (a volume that grew as a series arrived) the doctor's zoom and pan
        stay when its own plane is shown and the image's size and spacing are unchanged."""
        before = (self._voxels.shape[1:3], self._spacing[:2]) if self._voxels is not None else None
        voxels = series.volume.voxels
        if not voxels.dtype.isnative:  # VTK reads native byte order only: one copy, rare
            voxels = voxels.astype(voxels.dtype.newbyteorder("="))
        voxels = np.ascontiguousarray(voxels)  # a view when already contiguous (the loader's)
        slices, rows, columns = voxels.shape[:3]
        colour = voxels.ndim == 4  # 8-bit RGB frames, shown as they are (no table)
        image = vtkImageData()
        image.SetDimensions(columns, rows, slices)  # x fastest: numpy's last axis
        self._spacing = _spacing(series.volume.stack)
        image.SetSpacing(*self._spacing)
        cells = voxels.reshape(-1, 3) if colour else voxels.reshape(-1)
        image.GetPointData().SetScalars(numpy_to_vtk(cells, deep=False))
        prop = self._actor.GetProperty()
        # RGB is passed through untouched: no lookup table, window 255 at level 127.5 (the
        # identity on unsigned char, which VTK copies as it is).
        prop.SetLookupTable(None if colour else self._lut)
        prop.SetColorWindow(255.0)
        prop.SetColorLevel(127.5)
        self.series, self._image, self._voxels = series, image, voxels
        self.volume_shown = series.volume  # a series' volume may be replaced (arriving)
        self._actor.SetInputData(image)
        self._actor.VisibilityOn()
        self.refresh_window()
        self.refresh_slice()
        same = before == (voxels.shape[1:3], self._spacing[:2]) and self.plane.axis == 2
        if not (keep_view and same and not self._fitted):
            self.fit()

    def clear(self) -> None:
        """Show nothing: no image, no overlay (an empty viewport of a layout)."""
        self.series, self._image, self._voxels = None, None, None
        self._actor.VisibilityOff()
        for corner in ("top-left", "top-right", "bottom-left", "bottom-right"):
            self.overlay.set_corner_text(corner, "")
        self.overlay.set_edge_letters("", "", "", "")
        self.overlay.set_banner("")
        self.overlay.set_scale_bar(None, "")
        self.overlay.set_progress(None, "")
        self.overlay.set_placeholder("")

    def refresh_window(self) -> None:
        """Load the series' current display table (after ``window_changed``)."""
        if self.series is None or self._voxels is None or self._voxels.ndim == 4:
            return  # colour has no window
        table = self.series.display_table()
        if table is None:
            table = self._wide_table(self.series)
        # P-Values as gray, R = G = B, opaque: packed as one little-endian word per entry
        # (a fifth of the time of filling four channels, on every W/L drag event).
        packed = table.table.astype("<u4") * 0x00010101 | 0xFF000000
        rgba = packed.view(np.uint8).reshape(-1, 4)
        self._lut.SetTable(numpy_to_vtk(rgba, deep=True))
        # display.py: entry floor((v − min)·N / (max − min)) is v − first for integer v.
        self._lut.SetTableRange(table.first_stored - 0.5, table.last_stored + 0.5)
        self._lut.Modified()

    def set_plane(self, plane: ViewPlane) -> None:
        """Show another plane of the volume (a reformat: :func:`view_plane.reformat`), or
        the stack's own again; a reformat does not turn (:meth:`turn` leaves it)."""
        self.plane = plane
        if plane.axis == 2:
            self.turns = ViewTurns()
        self._aim(*self.renderer.GetActiveCamera().GetFocalPoint())
        if self._voxels is not None:
            self.refresh_slice()
            self.fit()

    def refresh_slice(self, index: int | None = None) -> None:
        """Show the series' current slice (after ``slice_changed``), or for a reformat the
        plane at ``index`` along its axis: moves the display extent and the camera with
        it; no pixel is copied."""
        if self.series is None or self._voxels is None:
            return
        axis = self.plane.axis
        if axis == 2:
            index = self.series.slice
        elif index is None:
            index = self._index
        dims = self._dims()
        self._index = k = min(max(0, int(index)), dims[axis] - 1)
        extent = [0, dims[0] - 1, 0, dims[1] - 1, 0, dims[2] - 1]
        extent[2 * axis : 2 * axis + 2] = [k, k]
        self._actor.SetDisplayExtent(*extent)
        focal = list(self.renderer.GetActiveCamera().GetFocalPoint())
        focal[axis] = k * self._spacing[axis]
        self._aim(*focal)

    def refresh_pixels(self) -> None:
        """The volume's memory changed (slices arriving while a series loads): draw it anew."""
        if self._image is not None:
            self._image.GetPointData().GetScalars().Modified()
            self._image.Modified()

    def show_crosshair(self, point: tuple[int, int, int] | None, kinds: dict[int, str]) -> None:
        """The MPR crosshair through the voxel ``point`` (column, row, slice), its lines
        coloured by ``kinds`` (axis → plane kind); None hides it."""
        if point is None or self._voxels is None:
            self._crosshair.hide()
            return
        spacing = self._spacing
        bounds = tuple((-s / 2, (d - 0.5) * s) for d, s in zip(self._dims(), spacing, strict=True))
        centre = (point[0] * spacing[0], point[1] * spacing[1], point[2] * spacing[2])
        self._crosshair.place(self.plane, centre, bounds, kinds)

    @property
    def spacing(self) -> tuple[float, float, float]:
        """World mm a voxel along x (columns), y (rows) and z (slices)."""
        return self._spacing

    def index_at(self, x_px: float, y_px: float) -> tuple[float, float, float]:
        """The volume's (column, row, slice) index coordinates under the viewport pixel
        (``x_px``, ``y_px``) counted from its top left, on the plane shown."""
        _, height = self._viewport_size()
        self.renderer.SetDisplayPoint(x_px, height - 1 - y_px, 0.0)
        self.renderer.DisplayToWorld()
        x, y, z, w = self.renderer.GetWorldPoint()
        world = [c / w if w else c for c in (x, y, z)]
        world[self.plane.axis] = self._index * self._spacing[self.plane.axis]
        return (
            world[0] / self._spacing[0],
            world[1] / self._spacing[1],
            world[2] / self._spacing[2],
        )

    # -- camera ---------------------------------------------------------------------------
    def fit(self) -> None:
        """The whole image visible and centred, as large as the viewport allows."""
        if self._voxels is None:
            return
        dims, spacing = self._dims(), self._spacing
        width_px, height_px = self._viewport_size()
        across, down = self.plane.across, self.plane.down
        width_mm, height_mm = dims[across] * spacing[across], dims[down] * spacing[down]
        camera = self.renderer.GetActiveCamera()
        # Parallel scale is half the viewport's height in world units (mm).
        camera.SetParallelScale(max(height_mm / 2, width_mm * height_px / width_px / 2))
        focal = list(camera.GetFocalPoint())
        for a in (across, down):
            focal[a] = (dims[a] - 1) / 2 * spacing[a]
        self._aim(*focal)
        self._fitted = True
        self._size = (width_px, height_px)

    def zoom(self, factor: float) -> None:
        """Enlarge by ``factor`` (> 1 closer) about the viewport's centre."""
        self.follow_viewport()  # a resize not followed yet would count against this zoom
        if factor > 0:
            camera = self.renderer.GetActiveCamera()
            camera.SetParallelScale(camera.GetParallelScale() / factor)
            self._fitted = False

    def pan(self, dx_px: float, dy_px: float) -> None:
        """Move the image ``dx_px`` display pixels right and ``dy_px`` down (screen and Qt
        convention: y grows downwards), as a drag carries it."""
        camera = self.renderer.GetActiveCamera()
        mm_per_px = 1.0 / self._px_per_mm()
        # The camera moves against the image: the focal point goes dx to the screen's
        # left and dy to its top (the plane says which world directions those are).
        right, up = np.asarray(self.plane.right), np.asarray(self.plane.up)
        focal = np.asarray(camera.GetFocalPoint()) - right * dx_px * mm_per_px
        self._aim(*(focal + up * dy_px * mm_per_px))
        self._fitted = False

    def one_to_one(self, factor: float = 1.0) -> None:
        """``factor`` screen pixels per image pixel (1: one to one; along the finer
        spacing when pixels are not square), an image pixel's edges on screen pixels'
        edges at a whole factor so nothing is resampled: each pixel a factor² block."""
        if self._voxels is None or factor <= 0:
            return
        fine = self.fine_spacing()
        width_px, height_px = self._viewport_size()
        camera = self.renderer.GetActiveCamera()
        camera.SetParallelScale(height_px * fine / 2 / factor)
        focal = list(camera.GetFocalPoint())
        for axis, size in ((self.plane.across, width_px), (self.plane.down, height_px)):
            focal[axis] = _snap(focal[axis], fine / factor, size - factor)
        self._aim(*focal)
        self._fitted = False
        self._size = (width_px, height_px)

    def turn(self, turns: ViewTurns) -> None:
        """Show the image turned and mirrored as ``turns`` says (about the viewport's
        centre; a fitted image is fitted anew, its width and height may have swapped)."""
        if self.plane.axis != 2:
            return  # a reformat lies as its kind is read
        self.turns = turns
        self.plane = ViewPlane.stack(turns)
        self._aim(*self.renderer.GetActiveCamera().GetFocalPoint())
        if self._fitted:
            self.fit()

    def zoom_factor(self) -> float:
        """Screen pixels per image pixel (along the finer spacing), for the overlay."""
        self.follow_viewport()
        return self._px_per_mm() * self.fine_spacing()

    # -- overlay (SceneOverlay's, named here too for the callers that draw a series) ------
    def set_corner_text(self, corner: str, text: str) -> None:
        self.overlay.set_corner_text(corner, text)

    def set_edge_letters(self, left: str, right: str, top: str, bottom: str) -> None:
        self.overlay.set_edge_letters(left, right, top, bottom)

    def set_banner(self, text: str) -> None:
        self.overlay.set_banner(text)

    def set_scale_bar(self, length_mm: float | None, label: str) -> None:
        self.overlay.set_scale_bar(length_mm, label)

    def set_progress(self, share: float | None, label: str) -> None:
        self.overlay.set_progress(share, label)

    def set_placeholder(self, text: str) -> None:
        """Instead of the image, ``text`` in the middle ("" shows the image again): a
        slice not yet received, or one that cannot be decoded, never passes for black."""
        self.overlay.set_placeholder(text)
        if self._voxels is not None:
            self._actor.SetVisibility(not text)

    def set_overlays_visible(self, visible: bool) -> None:
        self.overlay.set_visible(visible)

    def follow_viewport(self) -> None:
        """Catch up with the viewport's size (a fitted image refitted, a zoomed one kept at
        its zoom): before reading :meth:`zoom_factor` for the corners after a resize."""
        size = self._viewport_size()
        if size != self._size and self._voxels is not None:
            self._follow_resize(size)

    def render(self) -> None:
        self.follow_viewport()
        self.overlay.place(self._viewport_size(), self._px_per_mm())
        self.renderer.ResetCameraClippingRange()
        self.window.Render()

    # -- inside ---------------------------------------------------------------------------
    def _aim(self, x: float, y: float, z: float) -> None:
        camera = self.renderer.GetActiveCamera()
        camera.ParallelProjectionOn()
        camera.SetFocalPoint(x, y, z)
        # The stack's plane unturned: looking along +z with row 0 (y = 0) at the top,
        # column 0 left; from behind (along -z) the image is mirrored left-right.
        tx, ty, tz = self.plane.toward
        camera.SetPosition(
            x - tx * CAMERA_DISTANCE, y - ty * CAMERA_DISTANCE, z - tz * CAMERA_DISTANCE
        )
        camera.SetViewUp(*self.plane.up)

    def _dims(self) -> tuple[int, int, int]:
        """(columns, rows, slices): the volume's size along world x, y, z."""
        assert self._voxels is not None
        slices, rows, columns = self._voxels.shape[:3]
        return columns, rows, slices

    def fine_spacing(self) -> float:
        """The finer spacing of the plane shown (mm per image pixel at 1:1)."""
        return min(self._spacing[self.plane.across], self._spacing[self.plane.down])

    def _viewport_size(self) -> tuple[int, int]:
        width, height = self.renderer.GetSize()
        if width <= 0 or height <= 0:
            width, height = self.window.GetSize()
        return max(1, int(width)), max(1, int(height))

    def _px_per_mm(self) -> float:
        scale = self.renderer.GetActiveCamera().GetParallelScale()
        return self._viewport_size()[1] / (2.0 * scale) if scale > 0 else 1.0

    def _follow_resize(self, size: tuple[int, int]) -> None:
        """A fitted image stays fitted; a zoomed one keeps its zoom (VTK's parallel scale
        is in viewport heights, so it would otherwise change with the height)."""
        if self._fitted:
            self.fit()
            return
        if self._size[1] > 0:
            camera = self.renderer.GetActiveCamera()
            camera.SetParallelScale(camera.GetParallelScale() * size[1] / self._size[1])
        self._size = size

    def _wide_table(self, series: ShownSeries) -> DisplayLUT:
        """Stored values wider than 16 bits: the chain over the values this volume holds,
        which fits one table for any image a scanner writes."""
        voxels = series.volume.voxels
        low, high = int(np.min(voxels)), int(np.max(voxels))
        high = min(high, low + (1 << MAX_TABLE_BITS) - 1)  # beyond: the last entry
        return display_lut(series.chain, low, high)


def numpy_to_vtk(array: npt.NDArray[Any], *, deep: bool) -> Any:
    """vtkmodules' converter, typed. ``deep=False`` points the VTK array at ``array``'s
    memory (the caller keeps ``array`` alive)."""
    return _numpy_to_vtk(array, deep=deep)  # type: ignore[no-untyped-call]


def _spacing(stack: Stack) -> tuple[float, float, float]:
    """(x, y, z) spacing: column spacing, row spacing (Pixel Spacing's second and first
    values, PS3.3 10.7.1.3; 1 mm when absent, as the geometry warns), slice step."""
    sx, sy, sz = stack.vtk_spacing
    return float(sx), float(sy), float(sz) if sz > 0 else 1.0


def _snap(centre: float, step: float, span: float) -> float:
    """``centre`` moved by less than a screen pixel (``step`` mm) so that image pixel
    edges land on screen pixel edges. The viewport's centre is at ``size / 2`` screen
    pixels, an image pixel ``factor`` wide: its edge sits on a whole pixel when the
    focal point is a whole number of steps off ``(size - factor) / 2`` (``span``)."""
    offset = (span / 2) % 1.0
    return (round(centre / step - offset) + offset) * step
