"""Which measurements a DICOM SR measurement report holds (viewer.measure.report), apart
so that asking does not import highdicom."""

from __future__ import annotations

from viewer.measure.tools import Tool

# Measurement groups pointing at their coordinates (TID 1501).
LINES = (Tool.LINE, Tool.POLYLINE, Tool.ANGLE, Tool.COBB, Tool.BIDIRECTIONAL)
# Planar regions with their statistics (TID 1410).
REGIONS = (Tool.RECTANGLE, Tool.ELLIPSE, Tool.FREEHAND)
