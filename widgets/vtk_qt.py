"""VTK's Qt widget, bound to PySide6.

vtkmodules.qt picks its Qt binding when its interactor module is first imported; the
choice is made here, once, so every import of the widget gets the PySide6 one.
"""

from __future__ import annotations

import vtkmodules.qt

vtkmodules.qt.PyQtImpl = "PySide6"

from vtkmodules.qt.QVTKRenderWindowInteractor import QVTKRenderWindowInteractor  # noqa: E402

__all__ = ["QVTKRenderWindowInteractor"]
