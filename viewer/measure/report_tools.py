"""Which measurements a DICOM SR measurement report holds (viewer.measure.report), apart
so that asking does not import highdicom."""

from __future__ import annotations

from viewer.measure.tools import Tool

# Measurement groups pointing at their coordinates (TID 1501). A manual calibration line
# goes too, its length the one the doctor gave: read back, it calibrates its image again,
# so the values that used it are the same at the next workstation.
LINES = (Tool.LINE, Tool.POLYLINE, Tool.ANGLE, Tool.COBB, Tool.BIDIRECTIONAL, Tool.CALIBRATE)
# Planar regions with their statistics (TID 1410).
REGIONS = (Tool.RECTANGLE, Tool.ELLIPSE, Tool.FREEHAND)
