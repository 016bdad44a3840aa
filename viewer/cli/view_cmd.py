"""``view``: open a study of the offline cache in the reading view.

This is the door the hospital information system will knock on (a study UID on the
command line, the images on screen), and with ``--screenshot`` / ``--viewport-png`` a
way to see what the screen shows without a screen. Everything that can be checked
without Qt is checked here, before a window exists: the UIDs, that the cache holds the
study and the series, the sizes, the preset's name. What is left is a
:class:`ViewRequest`, plain data, which the window launcher (``main.py``'s, Qt's side:
``widgets.view_command``) carries out; this module never imports Qt or the widgets.
"""

from __future__ import annotations

import argparse
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from viewer.errors import NotFoundError, UsageError
from viewer.uids import require_uid

if TYPE_CHECKING:
    from viewer.cli.main import GuiLauncher
    from viewer.config import Config

HELP = "open a cached study in the reading view"
# Screen pixels per image pixel: beyond these a viewport shows a few pixels or a speck.
ZOOM_RANGE = (0.05, 64.0)
MAX_SIDE = 16384  # pixels; a window larger than any screen is a typing mistake
_SIZE_RE = re.compile(r"([1-9][0-9]{0,5})[xX]([1-9][0-9]{0,5})")


@dataclass(frozen=True)
class ViewRequest:
    """What ``view`` asks of the window, checked; read by ``widgets.view_command``.

    ``series_uid`` is always set (the one a doctor would read first when not given);
    ``layout`` is (rows, columns); ``slice`` the image number as the corner says it
    ("Image N / total", 1-based); ``zoom`` screen pixels per image pixel (None: fitted);
    ``size`` the window's (width, height); at most one of ``screenshot`` and
    ``viewport_png``, and with either the window draws offscreen, writes it and ends.
    """

    study_uid: str
    series_uid: str
    layout: tuple[int, int] = (1, 1)
    window: tuple[float, float] | None = None  # center, width
    preset: str | None = None  # a CT preset's full name: "ct-lung"
    slice: int | None = None
    zoom: float | None = None
    size: tuple[int, int] | None = None
    screenshot: Path | None = None
    viewport_png: Path | None = None
    mpr: bool = False  # the series' MPR (its plane and two reformats) in the layout
    compare: bool = False  # the prior beside it (compare with prior: P in the window)

    @property
    def output(self) -> Path | None:
        return self.screenshot or self.viewport_png


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "view",
        help=HELP,
        description="Open a study of the offline cache in the reading view. With "
        "--screenshot or --viewport-png nothing is shown: the window is drawn offscreen, "
        "the PNG written, and the command ends.",
    )
    parser.add_argument("--study", required=True, metavar="UID", help="a cached study")
    parser.add_argument("--series", metavar="UID", help="default: the series a doctor reads first")
    parser.add_argument(
        "--layout",
        default="1x1",
        metavar="RxC",
        help="viewports, ROWS x COLUMNS as the reading view offers them: 1x2 (one row of "
        "two), 2x2, ...",
    )
    parser.add_argument(
        "--mpr",
        action="store_true",
        help="MPR: the series' own plane and its two reformats (1x3, or the first three "
        "viewports of a 2x2 or larger layout)",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="compare with prior: the patient's nearest earlier study of the kind, from "
        "the sources or the cache, beside the series (its matching series)",
    )
    voi = parser.add_mutually_exclusive_group()
    voi.add_argument("--window", nargs=2, type=float, metavar=("CENTER", "WIDTH"))
    voi.add_argument(
        "--preset", metavar="NAME", help="a CT window: brain, lung, bone, ... (or ct-lung, ...)"
    )
    parser.add_argument(
        "--slice", type=int, metavar="N", help='the image shown, as in "Image N / total"'
    )
    parser.add_argument(
        "--zoom",
        type=float,
        metavar="F",
        help="screen pixels per image pixel (1: one to one); default: the image fitted",
    )
    parser.add_argument("--size", metavar="WxH", help="the window's size, e.g. 1280x800")
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--screenshot", type=Path, metavar="FILE.png", help="the whole window")
    out.add_argument(
        "--viewport-png",
        type=Path,
        metavar="FILE.png",
        help="the active viewport's image as drawn, without the text over it",
    )
    parser.set_defaults(window_handler=run)


def run(args: argparse.Namespace, config: Config, gui: GuiLauncher | None) -> int:
    """Check the request, hand it to the window, and say what was written."""
    request = view_request(args, config)
    if gui is None:  # viewer.cli.run called without a window to open (a script, a test)
        raise UsageError("view opens the window: run it as python main.py view ...")
    code = gui(args.config, request)
    if code == 0 and request.output is not None:
        from viewer.workspace import audit_cached_study

        width, height = png_size(request.output)
        detail = {"series": request.series_uid, "form": "PNG"}
        audit_cached_study(config, "screenshot", request.study_uid, detail)
        print(f"wrote {request.output} ({width}x{height})")
    return code


def view_request(args: argparse.Namespace, config: Config) -> ViewRequest:
    """The request ``args`` make, every value checked; the series as the cache has it."""
    study = require_uid(args.study, "StudyInstanceUID")
    series = require_uid(args.series, "SeriesInstanceUID") if args.series else None
    layout = parse_layout(args.layout)
    window: tuple[float, float] | None = None
    if args.window:
        center, width = args.window
        if not width >= 1 or not math.isfinite(width):  # also refuses nan
            raise UsageError("--window WIDTH must be at least 1")
        if not math.isfinite(center):
            raise UsageError("--window CENTER must be a number")
        window = (center, width)
    preset = preset_name(args.preset) if args.preset else None
    if args.slice is not None and args.slice < 1:
        raise UsageError("--slice counts from 1")
    zoom: float | None = args.zoom
    if zoom is not None and not ZOOM_RANGE[0] <= zoom <= ZOOM_RANGE[1]:
        raise UsageError(f"--zoom must be {ZOOM_RANGE[0]:g}-{ZOOM_RANGE[1]:g}")
    size = parse_size(args.size) if args.size is not None else None
    for out in (args.screenshot, args.viewport_png):
        if out is not None and out.suffix.lower() != ".png":
            raise UsageError(f"{out}: the picture is written as PNG: name it .png")
        if out is not None and not out.parent.is_dir():
            raise NotFoundError(f"{out.parent}: no such folder")
    return ViewRequest(
        study_uid=study,
        series_uid=cached_series(config, study, series),
        layout=layout,
        window=window,
        preset=preset,
        slice=args.slice,
        zoom=zoom,
        size=size,
        screenshot=args.screenshot,
        viewport_png=args.viewport_png,
        mpr=args.mpr,
        compare=args.compare,
    )


def parse_layout(text: str) -> tuple[int, int]:
    """(rows, columns) of one of the reading view's layouts (``viewer.session.layout``)."""
    from viewer.session.layout import GRIDS, grid_named

    try:
        grid = grid_named(text)
    except ValueError:
        raise UsageError(f"--layout {text!r}: one of {', '.join(GRIDS)} (rows x columns)") from None
    return grid.rows, grid.columns


def parse_size(text: str) -> tuple[int, int]:
    found = _SIZE_RE.fullmatch(text.strip())
    if found is None:
        raise UsageError(f"--size {text!r}: WIDTHxHEIGHT in pixels, e.g. 1280x800")
    width, height = int(found[1]), int(found[2])
    if max(width, height) > MAX_SIDE:
        raise UsageError(f"--size {text!r}: at most {MAX_SIDE} pixels a side")
    return width, height


def preset_name(text: str) -> str:
    """The CT preset ``text`` names, case aside and with or without its ``ct-``: "Lung",
    "lung" and "ct-lung" are all ``ct-lung`` (the keys 1-8 of a CT in the reading view)."""
    from viewer.presets import presets

    known = list(presets())
    wanted = text.strip().lower()
    for name in (wanted, f"ct-{wanted}"):
        if name in known:
            return name
    short = ", ".join(name.removeprefix("ct-") for name in known)
    raise UsageError(f"no window preset {text!r}; known: {short} (or ct-brain, ...)")


def cached_series(config: Config, study_uid: str, series_uid: str | None) -> str:
    """``series_uid`` if the cache holds images of it in ``study_uid``, else the series a
    doctor reads first among those it holds (``first_to_read``: whole series first)."""
    from viewer.history.series import first_to_read, list_series
    from viewer.workspace import open_store

    with open_store(config) as store:
        if store.study(study_uid) is None:
            raise NotFoundError(f"study {study_uid} is not in the offline cache (fetch it first)")
        listing = list_series(study_uid, store, ())
    if series_uid is not None:
        if not any(e.series_uid == series_uid and e.cached > 0 for e in listing.series):
            raise NotFoundError(
                f"series {series_uid} of study {study_uid} is not in the offline cache"
            )
        return series_uid
    first = first_to_read(listing)
    if first is None:
        raise NotFoundError(f"study {study_uid} has no image series in the offline cache")
    return first


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header (IHDR, the first chunk: PNG spec 11.2.2)."""
    with path.open("rb") as fh:
        head = fh.read(24)
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
