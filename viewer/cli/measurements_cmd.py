"""``measurements``: a cached study's measurements listed, exported (CSV, or a DICOM SR
Imaging Measurement Report) and read back from a report.

Every value is computed from the image as the screen computes it
(:func:`viewer.measure.tools.measure`), with the calibration it is in; a measurement
whose image is not in the cache any more is listed without values and left out of a
report, and the command says how many.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

from viewer.config import Config
from viewer.errors import NotFoundError, UsageError
from viewer.imaging.bad_data import bad_data
from viewer.imaging.headers import read_header
from viewer.measure.tools import Measured
from viewer.session.annotation_file import AnnotationFile
from viewer.session.annotations import Annotation, StudyAnnotations
from viewer.session.cached_reports import study_annotations
from viewer.session.study_reports import Outgoing, Valued, outgoing, send, valued_measurements
from viewer.uids import require_uid
from viewer.workspace import open_store

Dataset_ = Any  # a pydicom Dataset, header only

COLUMNS = (
    "study", "series", "instance", "frame", "tool", "value", "unit", "short", "area",
    "area_unit", "mean", "sd", "min", "max", "pixels", "probe", "value_unit", "position_mm",
    "calibration", "calibration_text", "note", "points",
)  # fmt: skip


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("measurements", help="a study's measurements: list, export, import")
    actions = parser.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="every measurement of a cached study")
    listing.add_argument("--study", required=True, metavar="UID")
    listing.add_argument("--json", action="store_true")
    export = actions.add_parser("export", help="as CSV or as a DICOM SR measurement report")
    export.add_argument("--study", required=True, metavar="UID")
    to = export.add_mutually_exclusive_group(required=True)
    to.add_argument("--csv", type=Path, metavar="FILE")
    to.add_argument("--sr", type=Path, metavar="FILE")
    to.add_argument("--ko", type=Path, metavar="FILE", help="the key images (Key Object Selection)")
    send = actions.add_parser("send", help="as a measurement report to a source (STOW-RS)")
    send.add_argument("--study", required=True, metavar="UID")
    send.add_argument("--to", required=True, metavar="SOURCE", help="a configured source's name")
    importing = actions.add_parser("import", help="a measurement report's measurements kept")
    importing.add_argument(
        "--sr", type=Path, required=True, metavar="FILE", help="a measurement report or a KO"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, config: Config) -> int:
    if args.action == "import":
        return _import(args.sr, config)
    study = require_uid(args.study, "StudyInstanceUID")
    with open_store(config) as store:  # the doctor's own and those of cached reports
        valued = valued_measurements(store, study_annotations(store, study))
    if args.action == "list":
        rows = [_row(study, a, m) for a, m in valued]
        print(json.dumps(rows, ensure_ascii=False) if args.json else _table(rows))
        return 0
    if args.action == "send":
        return _send(args.to, config, study, valued)
    if args.ko is not None:
        return _export_ko(args.ko, valued)
    if args.csv is not None:
        _write_csv(args.csv, [_row(study, a, m) for a, m in valued])
        print(f"wrote {args.csv} ({len(valued)} measurements)")
        return 0
    return _export_sr(args.sr, valued)


def _row(study: str, a: Annotation, found: tuple[Any, Measured] | None) -> dict[str, Any]:
    from viewer.cli.measure_cmd import as_json

    row: dict[str, Any] = dict.fromkeys(COLUMNS, "")
    row.update(
        study=study, series=a.series_uid, instance=a.sop_instance_uid, frame=a.frame,
        tool=str(a.tool), note=a.text, points=json.dumps([list(p) for p in a.points]),
    )  # fmt: skip
    if found is None:
        row["calibration_text"] = "image not in the cache"
        return row
    data = as_json(found[1])
    calibration = data.pop("calibration")
    row.update(calibration=calibration["basis"], calibration_text=calibration["text"])
    for key in COLUMNS:
        if key in data and data[key] is not None:
            value = data[key]
            row[key] = json.dumps(value) if isinstance(value, list) else value
    return row


def _table(rows: list[dict[str, Any]]) -> str:
    lines = []
    for row in rows:
        value = row["value"] if row["value"] != "" else row["area"] or row["probe"]
        shown = f"{value:.2f}" if isinstance(value, float) else str(value)
        unit = row["unit"] or row["area_unit"] or row["value_unit"]
        lines.append(f"{row['tool']:<13} {shown:>10} {unit:<4} [{row['calibration_text']}]")
    lines.append(f"{len(rows)} measurement(s)")
    return "\n".join(lines)


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", newline="", encoding="utf-8-sig") as f:  # BOM: Excel reads 中文
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)


def _said(out: Outgoing) -> None:
    if out.left_out or out.missing:
        print(
            f"in no report: {out.left_out} probe(s), arrow(s), note(s) or calibration "
            f"line(s) (no measurement a report holds), {out.missing} whose image is not "
            "cached",
            file=sys.stderr,
        )


def _write(path: Path, ds: Any) -> None:
    tmp = path.with_name(path.name + ".part")
    ds.save_as(tmp, enforce_file_format=True)
    tmp.replace(path)


def _export_sr(path: Path, valued: Valued) -> int:
    out = outgoing(valued)
    if out.report is None:
        raise NotFoundError("no length, angle or region of the study is on a cached image")
    _write(path, out.report)
    print(f"wrote {path} ({out.measurements} measurements)")
    _said(out)
    return 0


def _export_ko(path: Path, valued: Valued) -> int:
    out = outgoing(valued)
    if out.key_images is None:
        raise NotFoundError("no key image of the study is marked on a cached image")
    _write(path, out.key_images)
    print(f"wrote {path} ({out.keys} key image(s))")
    return 0


def _send(name: str, config: Config, study: str, valued: Valued) -> int:
    """The report and the key images' selection sent to the source ``name``."""
    from viewer.sources.opening import open_configured_sources

    chosen = [s for s in config.sources if s.name == name]
    if not chosen:
        known = ", ".join(s.name for s in config.sources) or "none configured"
        raise UsageError(f"no source {name!r} (sources: {known})")
    out = outgoing(valued)
    (source,) = open_configured_sources(chosen)
    try:
        stored = send(source, study, out)
    finally:
        source.close()
    print(
        f"sent {out.measurements} measurements and {out.keys} key image(s) to {name} "
        f"({len(stored.stored)} instance(s) stored)"
    )
    _said(out)
    return 0


def _import(path: Path, config: Config) -> int:
    from viewer.measure.report_read import read_report

    ds = read_header(path)  # a report: no pixels, the whole of it is its header
    study = require_uid(ds.get("StudyInstanceUID"), "StudyInstanceUID")
    with bad_data(str(path)):
        if str(ds.get("Modality", "")).upper() == "KO":
            from viewer.measure.key_objects import key_images_of
            from viewer.measure.report_read import ReadBack

            keys = [Annotation.key_image((series, sop, 1)) for series, sop in key_images_of(ds)]
            found = [
                ReadBack(k.uid, k.tool, (), k.sop_instance_uid, 1, "", {}, k.series_uid)
                for k in keys
            ]
            skipped = 0
        else:
            found, skipped = read_report(ds)
    with open_store(config) as store:
        series_of = {}
        for cached in store.instance_files(study):
            header = read_header(cached)
            series_of[str(header.get("SOPInstanceUID", ""))] = str(header.SeriesInstanceUID)
    file = AnnotationFile(config.cache.dir, study)
    kept = StudyAnnotations(study, file.load(), file.save)
    added = 0
    for item in found:
        series = series_of.get(item.sop_instance_uid)
        if series is None or kept.get(item.uid) is not None:
            skipped += series is None
            continue
        annotation = Annotation(
            item.uid, item.tool, item.points, series, item.sop_instance_uid, item.frame, item.text
        )
        kept.add(annotation)
        added += 1
    if added == 0 and not found:
        raise UsageError(f"{path}: no measurement this can read")
    print(f"kept {added} measurement(s) with study {study}; {skipped} not read")
    return 0
