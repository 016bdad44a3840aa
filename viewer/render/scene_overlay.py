"""What a slice scene draws over the image: corner text, orientation letters at the edges,
a warning banner, a scale bar and, while a series arrives, a progress line.

Everything is 2-D, in the viewport's pixels, so it keeps its size whatever the zoom. The
words come from the caller (the widgets put them in the reader's language); this module
only places them. :meth:`SceneOverlay.set_visible` hides all of it at once, for an image
area read back as rendered (``view --viewport-png``) and compared with ``export``.
"""

from __future__ import annotations

from vtkmodules.vtkRenderingCore import vtkProp, vtkRenderer, vtkTextActor

from viewer.render.scene_actors import line_actor, text_actor

MARGIN_PX = 6
CORNERS = {  # corner → (normalized viewport anchor, pixel offset, horizontal, vertical)
    "top-left": ((0.0, 1.0), (MARGIN_PX, -MARGIN_PX), "left", "top"),
    "top-right": ((1.0, 1.0), (-MARGIN_PX, -MARGIN_PX), "right", "top"),
    "bottom-left": ((0.0, 0.0), (MARGIN_PX, MARGIN_PX), "left", "bottom"),
    "bottom-right": ((1.0, 0.0), (-MARGIN_PX, MARGIN_PX), "right", "bottom"),
}
BANNER_RGB = (1.0, 0.72, 0.0)  # amber: a warning about the geometry, not an error
SCALE_BAR_RGB = (0.92, 0.92, 0.92)
PROGRESS_RGB = (0.25, 0.65, 1.0)  # the accent blue of the dark theme: work going on
PROGRESS_BAR_PX = 3  # a line along the bottom edge, as long as the share arrived


def _framed(actor: vtkTextActor, opacity: float) -> vtkTextActor:
    """Amber words in an amber frame on a dark ground: a warning, readable over any
    image."""
    words = actor.GetTextProperty()
    words.SetColor(*BANNER_RGB)
    words.SetBackgroundColor(0.08, 0.08, 0.08)
    words.SetBackgroundOpacity(opacity)
    words.SetFrame(True)
    words.SetFrameColor(*BANNER_RGB)
    return actor


class SceneOverlay:
    """The overlay actors of one renderer; :meth:`place` after the camera or size changed."""

    def __init__(self, renderer: vtkRenderer) -> None:
        self._renderer = renderer
        self._corners = {name: text_actor(renderer, *CORNERS[name][:3]) for name in CORNERS}
        for name, actor in self._corners.items():
            actor.GetTextProperty().SetVerticalJustification(2 if CORNERS[name][3] == "top" else 0)
        self._banner = _framed(text_actor(renderer, (0.5, 1.0), (0, -MARGIN_PX), "centre"), 0.75)
        banner = self._banner.GetTextProperty()
        banner.SetVerticalJustificationToTop()
        banner.BoldOn()
        # Orientation letters at the middle of each edge (PS3.3 C.7.6.2.1.1 directions).
        self._edges = {
            "left": text_actor(renderer, (0.0, 0.5), (MARGIN_PX, 0), "left"),
            "right": text_actor(renderer, (1.0, 0.5), (-MARGIN_PX, 0), "right"),
            "top": text_actor(renderer, (0.5, 1.0), (0, -3 * MARGIN_PX - 20), "centre"),
            "bottom": text_actor(renderer, (0.5, 0.0), (0, 3 * MARGIN_PX + 32), "centre"),
        }
        for name, actor in self._edges.items():
            vertical = actor.GetTextProperty()
            if name in ("left", "right"):
                vertical.SetVerticalJustificationToCentered()
            else:
                vertical.SetVerticalJustification(2 if name == "top" else 0)
            vertical.BoldOn()
        self._scale_mm: float | None = None
        self._scale_line, self._scale_points = line_actor(renderer, SCALE_BAR_RGB)
        self._scale_label = text_actor(renderer, (0.5, 0.0), (0, MARGIN_PX), "centre")
        self._scale_label.GetTextProperty().SetVerticalJustificationToBottom()
        self._share: float | None = None
        self._progress_line, self._progress_points = line_actor(renderer, PROGRESS_RGB)
        self._progress_line.GetProperty().SetLineWidth(PROGRESS_BAR_PX)
        # Above the bottom edge letter, clear of the corners' four lines.
        self._progress_label = text_actor(renderer, (0.5, 0.0), (0, 3 * MARGIN_PX + 56), "centre")
        label = self._progress_label.GetTextProperty()
        label.SetVerticalJustificationToBottom()
        label.SetColor(*PROGRESS_RGB)
        # Over the middle of the image area: why this slice shows no image (not yet
        # received, or it cannot be decoded). Shown even with the overlays off: a blank
        # area must never pass for an image.
        self._placeholder = _framed(text_actor(renderer, (0.5, 0.5), (0, 0), "centre"), 0.85)
        self._placeholder.GetTextProperty().SetVerticalJustificationToCentered()
        self._visible = True

    def _actors(self) -> list[vtkProp]:
        return [
            *self._corners.values(),
            *self._edges.values(),
            self._banner,
            self._scale_line,
            self._scale_label,
            self._progress_line,
            self._progress_label,
        ]

    def set_visible(self, visible: bool) -> None:
        """Show or hide everything over the image (the texts are kept for when it returns)."""
        self._visible = visible
        for actor in self._actors():
            actor.SetVisibility(visible and self._wanted(actor))

    def _wanted(self, actor: vtkProp) -> bool:
        if actor is self._scale_line:
            return self._scale_mm is not None
        if actor is self._progress_line:
            return self._share is not None
        assert isinstance(actor, vtkTextActor)
        return bool(actor.GetInput())  # a text actor: shown when it has something to say

    def _show(self, actor: vtkProp) -> None:
        actor.SetVisibility(self._visible and self._wanted(actor))

    def set_corner_text(self, corner: str, text: str) -> None:
        """Text in one corner ("top-left", "top-right", "bottom-left", "bottom-right");
        several lines with "\\n"; "" clears it."""
        if corner not in self._corners:
            raise ValueError(f"no corner {corner!r}: one of {', '.join(CORNERS)}")
        self._corners[corner].SetInput(text)
        self._show(self._corners[corner])

    def set_edge_letters(self, left: str, right: str, top: str, bottom: str) -> None:
        """Patient directions at the middle of each edge ("" hides one)."""
        for name, text in (("left", left), ("right", right), ("top", top), ("bottom", bottom)):
            self._edges[name].SetInput(text)
            self._show(self._edges[name])

    def set_banner(self, text: str) -> None:
        """A warning across the top (geometry: missing slices, tilt, …); "" hides it."""
        self._banner.SetInput(f" {text} " if text else "")
        self._show(self._banner)

    def set_scale_bar(self, length_mm: float | None, label: str) -> None:
        """A horizontal bar of ``length_mm`` at the bottom centre, ``label`` under it;
        None draws the label alone (e.g. "uncalibrated")."""
        self._scale_mm = length_mm if length_mm is not None and length_mm > 0 else None
        self._scale_label.SetInput(label)
        self._show(self._scale_label)
        self._show(self._scale_line)

    def set_placeholder(self, text: str) -> None:
        """Words over the middle of the image area ("" takes them away)."""
        self._placeholder.SetInput(f" {text} " if text else "")
        self._placeholder.SetVisibility(bool(text))

    @property
    def progress_label(self) -> str:
        """What the progress line says ("" with none: the series is whole)."""
        return str(self._progress_label.GetInput() or "")

    def set_progress(self, share: float | None, label: str) -> None:
        """A line along the bottom edge as long as ``share`` (0…1) of its width, ``label``
        above the scale bar; None and "" take both away (the series is whole)."""
        self._share = None if share is None else min(max(float(share), 0.0), 1.0)
        self._progress_label.SetInput(label)
        self._show(self._progress_label)
        self._show(self._progress_line)

    def place(self, size_px: tuple[int, int], px_per_mm: float) -> None:
        """Lay the bars out for a viewport of ``size_px`` at ``px_per_mm`` screen pixels
        a millimetre."""
        width_px, height_px = size_px
        bottom = self._lay_out_centre(width_px, height_px, px_per_mm)
        if self._scale_mm is not None:
            length = self._scale_mm * px_per_mm
            left, right = (width_px - length) / 2, (width_px + length) / 2
            base = bottom + 22.0  # above the label
            tick = 5.0
            for i, (x, y) in enumerate(
                ((left, base + tick), (left, base), (right, base), (right, base + tick))
            ):
                self._scale_points.SetPoint(i, x, y, 0.0)
            self._scale_points.Modified()
        if self._share is not None:
            end = max(1.0, width_px * self._share)
            y = PROGRESS_BAR_PX / 2
            for i, x in enumerate((0.0, end / 3, 2 * end / 3, end)):  # line_actor has 4 points
                self._progress_points.SetPoint(i, x, y, 0.0)
            self._progress_points.Modified()

    def _lay_out_centre(self, width_px: int, height_px: int, px_per_mm: float) -> float:
        """The middle column, clear of the corners: in a narrow viewport a long study
        description or slice location reaches the middle, and the banner, the edge
        letters and the scale bar go below or above it rather than over it. Returns the
        height the scale label stands at."""
        half = max(60.0, (self._scale_mm or 0.0) * px_per_mm / 2 + 10.0)
        band = (width_px / 2 - half, width_px / 2 + half)
        top = float(height_px - MARGIN_PX)
        for name in ("top-left", "top-right"):
            box = self._box(self._corners[name])
            if box is not None and box[0] < band[1] and box[1] > band[0]:
                top = min(top, box[2] - 4.0)
        bottom = float(MARGIN_PX)
        for name in ("bottom-left", "bottom-right"):
            box = self._box(self._corners[name])
            if box is not None and box[0] < band[1] and box[1] > band[0]:
                bottom = max(bottom, box[3] + 4.0)
        below_banner = top
        banner = self._box(self._banner)
        self._banner.GetPositionCoordinate().SetValue(0, top - height_px, 0)
        if banner is not None:
            below_banner = top - (banner[3] - banner[2]) - 4.0
        self._edges["top"].GetPositionCoordinate().SetValue(0, below_banner - height_px, 0)
        self._scale_label.GetPositionCoordinate().SetValue(0, bottom, 0)
        self._edges["bottom"].GetPositionCoordinate().SetValue(0, bottom + 3 * MARGIN_PX + 26, 0)
        self._progress_label.GetPositionCoordinate().SetValue(0, bottom + 3 * MARGIN_PX + 50, 0)
        return bottom

    def _box(self, actor: vtkTextActor) -> tuple[float, float, float, float] | None:
        """(left, right, bottom, top) in viewport pixels of a shown text, else None."""
        if not actor.GetVisibility() or not actor.GetInput():
            return None
        box = [0.0, 0.0, 0.0, 0.0]
        actor.GetBoundingBox(self._renderer, box)  # about the actor's own position
        x, y = actor.GetPositionCoordinate().GetComputedViewportValue(self._renderer)
        return x + box[0], x + box[1], y + box[2], y + box[3]
