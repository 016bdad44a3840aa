"""Pixels on screen without Qt: VTK scenes the reading view's widgets wrap.

A scene draws an open series (:class:`viewer.session.reading.OpenSeries`) into a
``vtkRenderWindow`` it is given: the stored values shared with the series' volume, the
core's display table (:mod:`viewer.imaging.display`) as the lookup table so the screen
shows what ``export`` writes, the camera that keeps row 0 at the top, and the overlay
text and banner as plain text actors. Only the needed ``vtkmodules`` are imported (never
``import vtk``), and no Qt: the widget layer owns the window and the mouse.
"""
