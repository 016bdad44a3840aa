"""What a VTK render window shows, for tests that compare the screen with export.

``QWidget.grab()`` shows VTK areas black (see PLATFORM-NOTES): the pixels are read back
from the render window itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt


def offscreen_window(width: int, height: int) -> Any:
    """A vtkRenderWindow drawing offscreen (OSMesa under the test runner), no multisampling
    (it would blend the edges of pixels the tests compare exactly)."""
    import vtkmodules.vtkRenderingOpenGL2  # noqa: F401  (the OpenGL window implementation)
    from vtkmodules.vtkRenderingCore import vtkRenderWindow

    window = vtkRenderWindow()
    window.SetOffScreenRendering(True)
    window.SetMultiSamples(0)
    window.SetSize(width, height)
    return window


def screen_rgb(render_window: Any) -> npt.NDArray[np.uint8]:
    """The window's RGB as (rows, columns, 3), row 0 at the top of the screen (VTK's first
    row is the bottom one). The caller renders first."""
    from vtkmodules.util.numpy_support import vtk_to_numpy
    from vtkmodules.vtkRenderingCore import vtkWindowToImageFilter

    grab = vtkWindowToImageFilter()
    grab.SetInput(render_window)
    grab.SetInputBufferTypeToRGB()
    grab.ReadFrontBufferOff()
    grab.Update()
    image = grab.GetOutput()
    width, height, _ = image.GetDimensions()
    pixels = vtk_to_numpy(image.GetPointData().GetScalars()).reshape(height, width, 3)
    return pixels[::-1].copy()
