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
import io
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from viewer.audit.events import Outcome
from viewer.config import Config
from viewer.errors import NotFoundError, UsageError
from viewer.imaging.headers import read_header
from viewer.instance_file import InstanceFile
from viewer.measure.tools import Measured
from viewer.session.annotation_file import AnnotationFile
from viewer.session.annotations import Annotation
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
        record, auditor = store.study(study), store.auditor
    if args.action == "list":
        rows = [_row(study, a, m) for a, m in valued]
        print(json.dumps(rows, ensure_ascii=False) if args.json else _table(rows))
        return 0
    form = "sent" if args.action == "send" else "KO" if args.ko else "CSV" if args.csv else "SR"
    outcome = Outcome.SERIOUS_FAILURE  # unless it ends well
    try:
        code = _give_out(args, config, study, valued)
        outcome = Outcome.SUCCESS if code == 0 else Outcome.MINOR_FAILURE
        return code
    finally:
        if record is not None:  # what left, or was tried, whatever came of it
            detail = {"form": f"measurements {form}"}
            auditor.study("exported", record, outcome=outcome, detail=detail)


def _give_out(args: argparse.Namespace, config: Config, study: str, valued: Valued) -> int:
    if args.action == "send":
        return _send(args.to, config, study, valued)
    if args.ko is not None:
        return _export(args.ko, valued, keys=True)
    if args.csv is not None:
        _write_csv(args.csv, [_row(study, a, m) for a, m in valued])
        print(f"wrote {args.csv} ({len(valued)} measurements)")
        return 0
    return _export(args.sr, valued, keys=False)


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
    def write(f: Any) -> None:
        text = io.TextIOWrapper(f, encoding="utf-8-sig", newline="")  # BOM: Excel reads 中文
        writer = csv.DictWriter(text, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows([{k: _cell(v) for k, v in row.items()} for row in rows])
        text.flush()
        text.detach()

    _private(path, write)


def _cell(value: Any) -> Any:
    """A note from anywhere (a server's report too) is never a spreadsheet formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(value)  # a negative number is a number
        except ValueError:
            return "'" + value
    return value


def _private(path: Path, write: Callable[[Any], None]) -> None:
    """``path`` written whole (a temporary file renamed over it, removed on failure) and
    the user's alone (0600): an export names a patient."""
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _said(out: Outgoing) -> None:
    if out.left_out or out.missing:
        print(
            f"in no report: {out.left_out} probe(s), arrow(s) or note(s) (no measurement "
            f"a report holds), {out.missing} whose image is not cached or has no value",
            file=sys.stderr,
        )


def _write(path: Path, ds: Any) -> None:
    _private(path, lambda f: ds.save_as(f, enforce_file_format=True))


def _export(path: Path, valued: Valued, *, keys: bool) -> int:
    """The measurement report, or (``keys``) the key images' selection, to ``path``."""
    out = outgoing(valued)
    document = out.key_images if keys else out.report
    if document is None:
        what = "key image is marked" if keys else "length, angle or region is"
        raise NotFoundError(f"no {what} on a cached image of the study")
    _write(path, document)
    held = f"{out.keys} key image(s)" if keys else f"{out.measurements} measurements"
    print(f"wrote {path} ({held})")
    if not keys:
        _said(out)
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
    if stored.failed:
        print(f"{name} refused {len(stored.failed)} instance(s)", file=sys.stderr)
    _said(out)
    return 0


def _import(path: Path, config: Config) -> int:
    """A report's (or a key image selection's) measurements kept with its study, on the
    images of it this cache holds; read as a report cached with the study is."""
    from viewer.session.cached_reports import read_key_selections, read_reports

    ds = read_header(path)  # a report: no pixels, the whole of it is its header
    study = require_uid(ds.get("StudyInstanceUID"), "StudyInstanceUID")
    file_ = [InstanceFile(path)]
    is_ko = str(ds.get("Modality", "")).upper() == "KO"
    found = read_key_selections(file_) if is_ko else read_reports(file_)
    with open_store(config) as store:
        here = {
            (str(h.get("SeriesInstanceUID", "")), str(h.get("SOPInstanceUID", "")))
            for h in (read_header(f) for f in store.instance_files(study))
        }
    file = AnnotationFile(config.cache.dir, study, store.key)
    kept = file.studied()
    added = 0
    for annotation in found:
        if (annotation.series_uid, annotation.sop_instance_uid) in here and not kept.get(
            annotation.uid
        ):
            kept.add(annotation)
            added += 1
    if not found:
        raise UsageError(f"{path}: no measurement this can read")
    print(f"kept {added} measurement(s) with study {study}; {len(found) - added} not kept")
    return 0
