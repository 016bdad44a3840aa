"""How the image is turned on screen: quarter turns and a mirror, as a camera sees it.

The image goes to the screen as ``F^mirrored · R^quarters``: first turned clockwise by
``quarters`` × 90°, then mirrored left-right when ``mirrored``. A vertical flip is the
horizontal one followed by a half turn (V = F·R²), so two numbers hold every one of the
eight ways a rectangle can lie, and the camera shows each without touching a pixel:
turning is the camera's view-up, mirroring is looking at the slice from behind.

Directions are in the image's index plane: (column, row), +column to the right of the
stored image and +row down it, the world's +x and +y in :mod:`viewer.render.slice_scene`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

Vector = tuple[int, int]

# Screen-up for 0, 1, 2, 3 clockwise quarter turns: the stored top (-row), then the
# stored left edge (-column), the bottom (+row), the right (+column).
_UP: tuple[Vector, ...] = ((0, -1), (-1, 0), (0, 1), (1, 0))


@dataclass(frozen=True)
class ViewTurns:
    quarters: int = 0  # clockwise quarter turns, 0 … 3
    mirrored: bool = False  # mirrored left-right after turning

    def rotated(self, clockwise: bool = True) -> ViewTurns:
        """Turned a further 90° as seen on screen (R·F = F·R⁻¹: mirrored, the turn runs
        the other way in the image)."""
        step = 1 if clockwise != self.mirrored else -1
        return replace(self, quarters=(self.quarters + step) % 4)

    def flipped_horizontally(self) -> ViewTurns:
        return replace(self, mirrored=not self.mirrored)

    def flipped_vertically(self) -> ViewTurns:
        return ViewTurns((self.quarters + 2) % 4, not self.mirrored)

    @property
    def up(self) -> Vector:
        """The image direction pointing to the top of the screen."""
        return _UP[self.quarters]

    @property
    def right(self) -> Vector:
        """The image direction pointing to the right of the screen."""
        ux, uy = self.up
        right = (-uy, ux)  # the up vector turned a quarter clockwise (rows grow downwards)
        return (-right[0], -right[1]) if self.mirrored else right

    @property
    def sideways(self) -> bool:
        """Rows run up the screen: the image's width is on screen vertically."""
        return self.quarters % 2 == 1
