"""``cache list | verify | evict | pin | unpin | import | export``: the offline cache.

``verify`` and ``import`` report their progress on stderr as ``fetch`` does: one updating
line on a terminal, a line every few seconds otherwise; stdout keeps the summary.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from viewer.cache import quarantine
from viewer.cache.housekeeping import VerifyProgress
from viewer.cache.importer import ImportProgress
from viewer.cache.models import CachedStudy
from viewer.cache.store import CacheStore
from viewer.cli.progress import StderrProgress
from viewer.config import Config
from viewer.config_sizes import parse_size
from viewer.errors import ExitCode, InvalidDataError, NotFoundError
from viewer.uids import require_uid
from viewer.workspace import open_store


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("cache", help="the offline cache: list, verify, evict, pin, import")
    actions = parser.add_subparsers(dest="cache_action", metavar="<action>", required=True)
    listing = actions.add_parser("list", help="cached studies")
    listing.add_argument("--json", action="store_true")
    actions.add_parser("verify", help="recompute checksums; damaged entries are removed")
    evict = actions.add_parser("evict", help="remove least recently used studies")
    evict.add_argument("--to", metavar="SIZE", help='target size, e.g. "10 GB" (default: max)')
    for name, text in (("pin", "never evict this study"), ("unpin", "allow eviction again")):
        action = actions.add_parser(name, help=text)
        action.add_argument("study_uid", metavar="UID")
    importer = actions.add_parser("import", help="a folder or DICOMDIR (a patient's CD)")
    importer.add_argument("path", type=Path)
    export = actions.add_parser("export", help="a study as plain DICOM Part 10 files")
    export.add_argument("--study", required=True, metavar="UID")
    export.add_argument("--out", required=True, type=Path, metavar="DIR")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, config: Config) -> int:
    with open_store(config) as store:
        action = args.cache_action
        if action == "list":
            return _list(store, args.json)
        if action == "verify":
            return _verify(store)
        if action == "evict":
            target = parse_size(args.to, where="--to", key="size") if args.to else None
            report = store.evict(target)
            print(
                f"evicted {len(report.evicted)} studies, {report.freed:,} bytes freed; "
                f"now {report.size_after:,} of {report.target:,} bytes"
            )
            if report.kept_pinned or report.kept_open:
                print(f"kept: {len(report.kept_pinned)} pinned, {len(report.kept_open)} open")
            if not report.within_budget:
                print("the target was not reached: pinned and open studies are never evicted")
            return 0
        if action in ("pin", "unpin"):
            uid = require_uid(args.study_uid, "StudyInstanceUID")
            (store.pin if action == "pin" else store.unpin)(uid)
            print(f"{action}ned {uid}")
            return 0
        if action == "import":
            return _import(store, args.path)
        return _export(store, args.study, args.out)


def _list(store: CacheStore, as_json: bool) -> int:
    studies = store.studies()
    if as_json:
        print(json.dumps([study_json(s) for s in studies], ensure_ascii=False, indent=2))
        return 0
    for s in studies:
        pin = " pinned" if s.pinned else ""
        print(
            f"{s.study_date} {'/'.join(s.modalities):8s} {s.state:8s} {s.size / 1e6:9.1f} MB"
            f"{pin}  {s.study_uid}"
        )
    print(f"{len(studies)} studies, {store.size():,} bytes")
    if held := store.quarantined():
        days = round(quarantine.KEEP_S / 86400)
        print(
            f"of which {len(held)} damaged file(s) in quarantine, "
            f"{sum(q.size for q in held):,} bytes (purged after {days} days, or first when "
            "the cache must shrink)"
        )
    return 0


def _verify(store: CacheStore) -> int:
    printer = StderrProgress()

    def progress(p: VerifyProgress) -> None:
        printer.show(
            f"verifying: {p.checked}/{p.total} files, {p.damaged} damaged",
            finished=p.checked >= p.total,
            empty=p.total == 0,
        )

    try:
        report = store.verify(on_progress=progress)
    finally:
        printer.done()
    for entry in report.damaged:
        print(f"damaged ({entry.problem}): study {entry.study_uid} instance {entry.sop_uid}")
    removed = " (removed: they will be fetched again)" if report.damaged else ""
    print(f"checked {report.checked} instances: {len(report.damaged)} damaged{removed}")
    return 0 if report.ok else int(ExitCode.INVALID_DATA)


def _import(store: CacheStore, path: Path) -> int:
    if not path.exists():
        raise NotFoundError(f"{path}: no such file or folder")
    printer = StderrProgress()

    def progress(p: ImportProgress) -> None:
        printer.show(
            f"importing: {p.files_done}/{p.files_total} files, {p.imported} imported, "
            f"{p.skipped} skipped",
            finished=p.files_done >= p.files_total,
            empty=p.files_total == 0,
        )

    try:
        report = store.import_path(path, on_progress=progress)
    finally:
        printer.done()
    print(
        f"imported {report.imported} instances of {len(report.studies)} studies from {path}; "
        f"skipped {len(report.not_dicom)} non-DICOM and {len(report.unreadable)} unreadable"
        + (f" and {len(report.not_regular)} not regular files" if report.not_regular else "")
    )
    for skipped in report.not_regular:  # a FIFO or a link out of a CD deserves a look
        print(f"not a regular file ({skipped.reason}): {skipped.path}")
    if report.imported == 0 and report.skipped:
        raise InvalidDataError(f"{path}: no readable DICOM file")
    return 0


def _export(store: CacheStore, study_uid: str, out: Path) -> int:
    uid = require_uid(study_uid, "StudyInstanceUID")
    if store.study(uid) is None:
        raise NotFoundError(f"study {uid} is not in the cache")
    written = store.export_study(uid, out)
    print(f"exported {len(written)} files to {out}")
    return 0


def study_json(study: CachedStudy) -> dict[str, Any]:
    data = asdict(study)
    data["modalities"] = list(study.modalities)
    data["other_patient_ids"] = [list(p) for p in study.other_patient_ids]
    data["series"] = [asdict(s) for s in study.series]
    return data
