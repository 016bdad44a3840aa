"""A measurement's values in the doctor's words, its calibration said with each: the
label drawn beside it and the line of the measurement panel (zh_CN and en)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from viewer.measure.calibration import Basis, Calibration, Uncalibrated
from viewer.measure.tools import Measured, Tool


def tool_name(tool: Tool) -> str:
    return {
        Tool.LINE: QCoreApplication.translate("Measure", "Distance"),
        Tool.POLYLINE: QCoreApplication.translate("Measure", "Polyline"),
        Tool.ANGLE: QCoreApplication.translate("Measure", "Angle"),
        Tool.COBB: QCoreApplication.translate("Measure", "Cobb angle"),
        Tool.BIDIRECTIONAL: QCoreApplication.translate("Measure", "Long and short axis"),
        Tool.RECTANGLE: QCoreApplication.translate("Measure", "Rectangle ROI"),
        Tool.ELLIPSE: QCoreApplication.translate("Measure", "Ellipse ROI"),
        Tool.FREEHAND: QCoreApplication.translate("Measure", "Freehand ROI"),
        Tool.PROBE: QCoreApplication.translate("Measure", "Probe"),
        Tool.ARROW: QCoreApplication.translate("Measure", "Arrow"),
        Tool.TEXT: QCoreApplication.translate("Measure", "Text"),
        Tool.KEY: QCoreApplication.translate("Measure", "Key image"),
        Tool.CALIBRATE: QCoreApplication.translate("Measure", "Calibrate (a known length)"),
    }[tool]


def calibration_words(calibration: Calibration) -> str:
    """Which size of a pixel the values use, short enough for a label."""
    basis = calibration.basis
    if basis is Basis.PIXEL_SPACING:
        return QCoreApplication.translate("Measure", "PixelSpacing")
    if basis is Basis.DETECTOR:
        return QCoreApplication.translate("Measure", "at detector (ImagerPixelSpacing)")
    if basis is Basis.MAGNIFICATION:
        return QCoreApplication.translate("Measure", "at detector ÷ magnification %1").replace(
            "%1", f"{calibration.magnification or 1:g}"
        )
    if basis is Basis.US_REGION:
        return QCoreApplication.translate("Measure", "ultrasound region %1").replace(
            "%1", str((calibration.region or 0) + 1)
        )
    if basis is Basis.MANUAL:
        return QCoreApplication.translate("Measure", "manual: %1 mm drawn").replace(
            "%1", f"{calibration.known_mm or 0:g}"
        )
    why = {
        Uncalibrated.OUTSIDE_REGIONS: QCoreApplication.translate(
            "Measure", "uncalibrated (px): outside the calibrated regions"
        ),
        Uncalibrated.ACROSS_REGIONS: QCoreApplication.translate(
            "Measure", "uncalibrated (px): across ultrasound regions"
        ),
        Uncalibrated.REGIONS_OUTSIDE_IMAGE: QCoreApplication.translate(
            "Measure", "uncalibrated (px): the ultrasound regions do not fit the image"
        ),
    }
    return why.get(
        calibration.why or Uncalibrated.NO_SPACING,
        QCoreApplication.translate("Measure", "uncalibrated (px)"),
    )


def _length(value: float, unit: str) -> str:
    return f"{value:.1f} {unit}" if unit == "mm" else f"{value:.0f} {unit}"


def _area(value: float, unit: str) -> str:
    if unit == "mm²" and value >= 100:
        return f"{value / 100:.2f} cm²"
    return f"{value:.1f} {unit}"


def _number(value: float) -> str:
    """A modality value: whole as stored (a CT's HU are), else to a tenth."""
    if float(value).is_integer() and abs(value) < 1e7:
        return str(int(value))
    return f"{value:.1f}" if abs(value) < 1e4 else f"{value:.4g}"


def label(measured: Measured, text: str = "", *, brief: bool = False) -> str:
    """The lines drawn beside a measurement: its values, then its calibration; ``brief``
    (where it is seen from another plane) without a region's statistics or a probe's
    position."""
    lines = [text] if text else []
    value, tool = measured.value, measured.tool
    unit = f" {measured.value_unit}" if measured.value_unit else ""
    if tool in (Tool.LINE, Tool.POLYLINE) and value is not None:
        lines.append(_length(value.value, value.unit))
    elif tool in (Tool.ANGLE, Tool.COBB) and value is not None:
        lines.append(f"{value.value:.1f}°")
    elif tool is Tool.BIDIRECTIONAL and value is not None and measured.short is not None:
        lines.append(
            f"{_length(value.value, value.unit)} × {_length(measured.short.value, value.unit)}"
        )
    elif tool in (Tool.RECTANGLE, Tool.ELLIPSE, Tool.FREEHAND) and value is not None:
        lines.append(
            QCoreApplication.translate("Measure", "Area %1").replace(
                "%1", _area(value.value, value.unit)
            )
        )
        stats = measured.stats
        if stats is not None and not brief:
            lines.append(
                QCoreApplication.translate("Measure", "Mean %1 SD %2")
                .replace("%1", f"{stats.mean:.1f}{unit}")  # a mean and an SD to a tenth
                .replace("%2", f"{stats.sd:.1f}")
            )
            lines.append(
                QCoreApplication.translate("Measure", "Min %1 Max %2 · %3 px")
                .replace("%1", _number(stats.minimum))
                .replace("%2", _number(stats.maximum))
                .replace("%3", str(stats.count))
            )
    elif tool is Tool.PROBE:
        probe = measured.probe
        lines.append(
            QCoreApplication.translate("Measure", "outside the image")
            if probe is None
            else _number(probe) + unit
        )
        if measured.position_mm is not None and not brief:
            lines.append("({:.1f}, {:.1f}, {:.1f}) mm".format(*measured.position_mm))
        return "\n".join(lines)  # a probe's value needs no pixel size
    else:
        return "\n".join(lines)  # an arrow, a note: no value
    lines.append(calibration_words(measured.calibration))
    return "\n".join(lines)


def key_image_words() -> str:
    return QCoreApplication.translate("Measure", "★ Key image")


def calibration_line_words(known_mm: float) -> str:
    """The label of a manual calibration line: what the doctor said it measures."""
    return QCoreApplication.translate("Measure", "Calibration: %1 mm").replace(
        "%1", f"{known_mm:g}"
    )
