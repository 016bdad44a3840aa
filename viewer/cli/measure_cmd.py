"""``measure``: one measurement on one image, its value and the calibration it is in.

For physicists' QA scripts and for tests: the numbers the screen shows for the same
points (both come from :func:`viewer.measure.tools.measure`). Coordinates are image
pixels, column then row, 0-based, pixel centres at integers.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from viewer.config import Config
from viewer.errors import UsageError
from viewer.imaging.decode import read_dataset
from viewer.instance_file import Readable
from viewer.measure.calibration import Basis, Calibration, Uncalibrated
from viewer.measure.image import measured_image
from viewer.measure.tools import Measured, Tool, measure

# Option → tool, and how many numbers it takes (None: an even number, 4 or more).
SHAPES: dict[str, tuple[Tool, int | None, str]] = {
    "line": (Tool.LINE, 4, "X1 Y1 X2 Y2"),
    "polyline": (Tool.POLYLINE, None, "X Y"),
    "angle": (Tool.ANGLE, 6, "X1 Y1 X2 Y2 X3 Y3 (the vertex second)"),
    "cobb": (Tool.COBB, 8, "two lines: X1 Y1 X2 Y2 X3 Y3 X4 Y4"),
    "bidirectional": (Tool.BIDIRECTIONAL, 8, "the long axis, then the short: 8 numbers"),
    "rect": (Tool.RECTANGLE, 4, "X0 Y0 X1 Y1"),
    "ellipse": (Tool.ELLIPSE, 4, "CX CY RX RY"),
    "freehand": (Tool.FREEHAND, None, "X Y"),
    "probe": (Tool.PROBE, 2, "X Y"),
    "arrow": (Tool.ARROW, 4, "the tip X Y, then the tail X Y"),
    "text": (Tool.TEXT, 2, "X Y (with --note)"),
    "calibrate": (Tool.CALIBRATE, 4, "a line of known length (with --known MM)"),
}


def add_parser(sub: Any) -> None:
    from viewer.cli.export_cmd import add_image_arguments

    parser = sub.add_parser("measure", help="measure on a cached image (value and calibration)")
    add_image_arguments(parser, "a DICOM file instead of a cached image")
    shape = parser.add_mutually_exclusive_group(required=True)
    shape.add_argument("--key", action="store_true", help="mark the image a key image")
    for name, (_tool, count, metavar) in SHAPES.items():
        shape.add_argument(
            f"--{name}", nargs=count if count else "+", type=float, metavar="N", help=metavar
        )
    parser.add_argument("--note", default="", metavar="TEXT", help="a note shown with it")
    parser.add_argument(
        "--known", type=float, metavar="MM", help="the true length of a --calibrate line"
    )
    parser.add_argument(
        "--save", action="store_true", help="keep it with the study, as if drawn on screen"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, config: Config) -> int:
    from viewer.cli.export_cmd import cached_instance, stderr_held_back

    tool, points = _shape(args)
    if tool is Tool.TEXT and not args.note.strip():
        raise UsageError("--text needs --note TEXT: the words to show")
    if (tool is Tool.CALIBRATE) != (args.known is not None):
        raise UsageError("--calibrate takes --known MM, the line's true length (and only it)")
    if args.known is not None and not 0 < args.known <= 1e5:
        raise UsageError("--known MM must be a length above 0")
    if args.save and not args.study:
        raise UsageError("--save keeps a measurement with a cached study: --study and --series")
    path: Readable = args.file if args.file else cached_instance(args, config)
    with stderr_held_back(show_on_failure=bool(args.debug)):
        image = measured_image(read_dataset(path), args.frame, where=str(path))
    if args.study and args.series:  # the series' manual calibration, as on screen
        image = _study(config, args.study).calibrated(image, args.series)
    try:
        measured = measure(image, tool, points)
    except ValueError as err:
        raise UsageError(str(err)) from None
    if args.save:
        from viewer.workspace import audit_cached_study

        _save(args, config, tool, points, image.sop_instance_uid)
        audit_cached_study(config, "measured", args.study, {"tool": tool.value})
    if args.json:
        print(json.dumps(as_json(measured), ensure_ascii=False))
    else:
        print(as_line(measured))
    return 0


def _save(
    args: argparse.Namespace,
    config: Config,
    tool: Tool,
    points: list[tuple[float, float]],
    sop_instance_uid: str,
) -> None:
    """The measurement added to the study's, as a doctor drawing it adds it."""
    from viewer.cache.cache_key import cache_key
    from viewer.session.annotation_file import AnnotationFile
    from viewer.session.annotations import Annotation
    from viewer.uids import require_uid

    study = require_uid(args.study, "StudyInstanceUID")
    image = (args.series, require_uid(sop_instance_uid, "SOPInstanceUID"), args.frame)
    # The cache was opened (its key found, or found lost and made anew; its files from
    # before sealed) to find the image: its key is all this needs, not another start-up.
    file = AnnotationFile(
        config.cache.dir, study, cache_key(config.cache.dir, config.cache.machine_key_file)
    )
    if tool is Tool.KEY:  # one mark an image: marked twice is marked once
        note = Annotation.key_image(image)
        kept = file.studied()
        if kept.get(note.uid) is None:
            kept.add(note)
        return
    note = Annotation.new(tool, points, image, text=args.note.strip(), known_mm=args.known)
    file.studied().add(note)


def _study(config: Config, study_uid: str) -> Any:
    """The cached study's measurements (its manual calibrations among them)."""
    from viewer.session.cached_reports import study_annotations
    from viewer.uids import require_uid
    from viewer.workspace import open_store

    with open_store(config) as store:
        return study_annotations(store, require_uid(study_uid, "StudyInstanceUID"))


def _shape(args: argparse.Namespace) -> tuple[Tool, list[tuple[float, float]]]:
    if args.key:
        return Tool.KEY, []
    for name, (tool, count, _metavar) in SHAPES.items():
        numbers = getattr(args, name)
        if numbers is None:
            continue
        if count is None and len(numbers) % 2:
            raise UsageError(f"--{name} takes X Y pairs")
        if name == "ellipse":  # centre and radii → the corners of its box
            cx, cy, rx, ry = numbers
            numbers = [cx - rx, cy - ry, cx + rx, cy + ry]
        return tool, [(numbers[i], numbers[i + 1]) for i in range(0, len(numbers), 2)]
    raise UsageError("say what to measure: --line, --angle, --rect, --ellipse, --probe …")


def calibration_words(calibration: Calibration) -> str:
    """The calibration said out loud, as every value carries it."""
    size = f"{calibration.row_mm:g} × {calibration.column_mm:g} mm"
    basis = calibration.basis
    if basis is Basis.PIXEL_SPACING:
        return f"PixelSpacing {size}"
    if basis is Basis.DETECTOR:
        return f"ImagerPixelSpacing {size} at detector"
    if basis is Basis.MAGNIFICATION:
        return (
            f"ImagerPixelSpacing at detector ÷ estimated magnification "
            f"{calibration.magnification:g} ({size})"
        )
    if basis is Basis.US_REGION:
        return f"ultrasound region {(calibration.region or 0) + 1} ({size})"
    if basis is Basis.MANUAL:
        return f"manual: a drawn {calibration.known_mm:g} mm ({size})"
    why = {
        Uncalibrated.NO_SPACING: "no pixel spacing",
        Uncalibrated.OUTSIDE_REGIONS: "outside every calibrated ultrasound region",
        Uncalibrated.ACROSS_REGIONS: "across ultrasound regions",
        Uncalibrated.REGIONS_OUTSIDE_IMAGE: "the ultrasound regions reach past the image "
        "(resized or cropped after they were written)",
    }.get(calibration.why or Uncalibrated.NO_SPACING, "")
    return f"uncalibrated (px): {why}"


def as_json(measured: Measured) -> dict[str, Any]:
    cal = measured.calibration
    out: dict[str, Any] = {
        "tool": str(measured.tool),
        "points": [list(p) for p in measured.points],
        "calibration": {
            "basis": str(cal.basis),
            "row_mm": cal.row_mm if cal.calibrated else None,
            "column_mm": cal.column_mm if cal.calibrated else None,
            "text": calibration_words(cal),
        },
    }
    if cal.why is not None:
        out["calibration"]["why"] = str(cal.why)
    if cal.magnification is not None:
        out["calibration"]["magnification"] = cal.magnification
    if measured.value is not None:
        out["value"], out["unit"] = measured.value.value, measured.value.unit
    if measured.short is not None:
        out["short"] = measured.short.value
    if measured.tool in (Tool.RECTANGLE, Tool.ELLIPSE, Tool.FREEHAND):
        out["area"], out["area_unit"] = out.pop("value", None), out.pop("unit", None)
        stats = measured.stats
        out["value_unit"] = measured.value_unit
        if stats is not None:
            out.update(
                mean=stats.mean,
                sd=stats.sd,
                min=stats.minimum,
                max=stats.maximum,
                pixels=stats.count,
            )
    if measured.tool is Tool.PROBE:
        out["probe"], out["value_unit"] = measured.probe, measured.value_unit
        out["position_mm"] = list(measured.position_mm) if measured.position_mm else None
    return out


def as_line(measured: Measured) -> str:
    data = as_json(measured)
    parts = [str(measured.tool)]
    if "value" in data:
        unit = data["unit"]
        parts.append(f"{data['value']:.2f}{unit}" if unit == "°" else f"{data['value']:.2f} {unit}")
    if "short" in data:
        parts.append(f"× {data['short']:.2f} {data['unit']}")
    if data.get("area") is not None:
        parts.append(f"area {data['area']:.2f} {data['area_unit']}")
    if "mean" in data:
        unit = data["value_unit"]
        parts.append(
            f"mean {data['mean']:.1f} {unit}, SD {data['sd']:.1f}, min {data['min']:g},"
            f" max {data['max']:g}, {data['pixels']} px"
        )
    if measured.tool is Tool.PROBE:
        value = "outside the image" if data["probe"] is None else f"{data['probe']:g}"
        parts.append(f"{value} {data['value_unit']}".strip())
        if data["position_mm"]:
            parts.append("at ({:.1f}, {:.1f}, {:.1f}) mm".format(*data["position_mm"]))
    parts.append(f"[{calibration_words(measured.calibration)}]")
    return "  ".join(parts)
