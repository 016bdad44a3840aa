"""VTK's Qt widget, bound to PySide6, with its offscreen buffer kept at its size.

vtkmodules.qt picks its Qt binding when its interactor module is first imported; the
choice is made here, once, so every import of the widget gets the PySide6 one.

The widget's resizeEvent sizes its window through the base vtkRenderWindow.SetSize,
which an OSMesa window's buffer (headless: tests, ``view --screenshot``) does not
follow: it keeps the size of its first drawing. A viewport drawn large and then made
smaller by a layout drew past its buffer, and with other viewports drawn after it the
process crashed (a 2×2 at some window sizes). The window's own SetSize makes the buffer
anew; it ignores an unchanged size, hence the change and back. A window on a screen is
left alone (it would be resized twice).
"""

from __future__ import annotations

from typing import Any

import vtkmodules.qt

vtkmodules.qt.PyQtImpl = "PySide6"

from vtkmodules.qt.QVTKRenderWindowInteractor import (  # noqa: E402
    QVTKRenderWindowInteractor as _QVTKRenderWindowInteractor,
)


def fit_offscreen_buffer(render_window: Any) -> None:
    """Make an OSMesa window's buffer its size again (nothing for other windows, or one
    not drawn yet: its buffer is made at its size when it first is)."""
    if not render_window.IsA("vtkOSOpenGLRenderWindow"):
        return
    if render_window.GetGenericContext() is None:
        return
    width, height = render_window.GetSize()
    render_window.SetSize(width + 1, height)
    render_window.SetSize(width, height)


class QVTKRenderWindowInteractor(_QVTKRenderWindowInteractor):  # type: ignore[misc]
    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        fit_offscreen_buffer(self.GetRenderWindow())


__all__ = ["QVTKRenderWindowInteractor", "fit_offscreen_buffer"]
