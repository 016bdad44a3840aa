"""``export``: one image as a PNG, at native size, with the display chain of the screen."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from viewer.config import Config
from viewer.errors import NotFoundError, UsageError
from viewer.imaging.decode import read_dataset
from viewer.imaging.export import display_image, export_png
from viewer.imaging.voi_lut import VOI, Window
from viewer.instance_file import InstanceFile, Readable
from viewer.presets import preset
from viewer.session.auditing import Auditor, dataset_event
from viewer.uids import require_uid
from viewer.workspace import open_store


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("export", help="an image as PNG (native size, display VOI)")
    add_image_arguments(parser, "a DICOM file")
    voi = parser.add_mutually_exclusive_group()
    voi.add_argument("--window", nargs=2, type=float, metavar=("CENTER", "WIDTH"))
    voi.add_argument("--preset", metavar="NAME", help="ct-brain, ct-lung, ct-bone, ...")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE.png")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, config: Config) -> int:
    path: Readable = args.file if args.file else cached_instance(args, config)
    voi: VOI | None = None
    if args.window:
        center, width = args.window
        if width < 1:
            raise UsageError("--window WIDTH must be at least 1")
        voi = Window(center, width)
    elif args.preset:
        voi = preset(args.preset)
    with stderr_held_back(show_on_failure=bool(args.debug)):
        ds = read_dataset(path)
        image = display_image(ds, args.frame, voi, where=str(path))
    export_png(image, args.out)
    Auditor.of(config).record(dataset_event("exported", ds, {"form": "PNG"}))
    kind = "RGB" if image.ndim == 3 else "grayscale"
    print(f"wrote {args.out} ({image.shape[1]}x{image.shape[0]}, {kind})")
    return 0


def add_image_arguments(parser: argparse.ArgumentParser, file_help: str) -> None:
    """Which image a command reads: a file, or a cached series' instance and frame (as
    :func:`cached_instance` finds it)."""
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--file", type=Path, metavar="PATH", help=file_help)
    where.add_argument("--study", metavar="UID", help="a cached study (with --series)")
    parser.add_argument("--series", metavar="UID")
    parser.add_argument(
        "--instance",
        type=int,
        default=1,
        metavar="N",
        help="the series' Nth instance, counted from 1 in InstanceNumber order (not the "
        "InstanceNumber itself)",
    )
    parser.add_argument("--frame", type=int, default=1, metavar="F", help="1-based")


def cached_instance(args: argparse.Namespace, config: Config) -> InstanceFile:
    if not args.series:
        raise UsageError("--study needs --series")
    study = require_uid(args.study, "StudyInstanceUID")
    series = require_uid(args.series, "SeriesInstanceUID")
    with open_store(config) as store:
        paths = store.instance_files(study, series)  # by InstanceNumber
    if not paths:
        raise NotFoundError(f"series {series} is not in the cache (fetch it first)")
    number: int = args.instance
    if not 1 <= number <= len(paths):
        raise UsageError(
            f"--instance must be 1-{len(paths)}: the series holds {len(paths)} instance(s), "
            "counted in InstanceNumber order"
        )
    return paths[number - 1]


@contextmanager
def stderr_held_back(show_on_failure: bool = False) -> Iterator[None]:
    """Hold back what reaches standard error while a file is read and decoded.

    Codec libraries print their complaints straight to file descriptor 2 (OpenJPEG inside
    GDCM: "Invalid number of tiles ..."), and pydicom warns about each odd value it meets;
    a failed export must still end in the one line that says why. What was held back is
    written out when the block succeeds (or fails with ``show_on_failure``), and dropped
    when it fails. The command runs on one thread, so swapping descriptor 2 is safe here.
    """
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no standard error at all: nothing to hold back
        yield
        return
    failed = False
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield
        except BaseException:
            failed = True
            raise
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            if not failed or show_on_failure:
                held.seek(0)
                sys.stderr.write(held.read().decode("utf-8", "replace"))
                sys.stderr.flush()
