"""Measurements on images: their math in patient geometry, the calibration every value
is given in, and region statistics in modality units. Pure numpy, no Qt, no VTK."""
