"""Fuzz cases for a DICOM SR measurement report read back (``measurements import``): a
report from elsewhere is as untrusted as an image."""

from __future__ import annotations

import functools
import io
import math
import random
from pathlib import Path

from tests.fuzz.boundaries import BrokenPromiseError, keep
from tests.fuzz.corpus import Corpus
from tests.fuzz.mutate import mutate_part10


@functools.cache
def _report(image: bytes) -> bytes:
    """A report of a distance, an angle, a long and short axis and two regions on
    ``image`` (a corpus file): the seed the cases mutate."""
    from pydicom import dcmread

    from viewer.measure.image import measured_image
    from viewer.measure.report import Reported, measurement_report
    from viewer.measure.tools import Tool, measure

    ds = dcmread(io.BytesIO(image))
    shown = measured_image(ds, 1)
    header = ds.copy()
    del header.PixelData
    drawn = [
        (Tool.LINE, [(1.0, 1.0), (6.0, 3.0)]),
        (Tool.ANGLE, [(6.0, 1.0), (1.0, 1.0), (1.0, 6.0)]),
        (Tool.BIDIRECTIONAL, [(1.0, 3.0), (7.0, 3.0), (4.0, 1.0), (4.0, 5.0)]),
        (Tool.RECTANGLE, [(1.0, 1.0), (5.0, 4.0)]),
        (Tool.ELLIPSE, [(1.0, 1.0), (6.0, 5.0)]),
    ]
    reported = [
        Reported(f"{i:032x}", "", header, 1, measure(shown, tool, points))
        for i, (tool, points) in enumerate(drawn, 1)
    ]
    sr, _left_out = measurement_report(reported)
    out = io.BytesIO()
    sr.save_as(out, enforce_file_format=True)
    return out.getvalue()


def measurement_report(rng: random.Random, corpus: Corpus, work: Path) -> None:
    """A mutated report read back: measurements that can be drawn on a named image, or
    InvalidDataError; nothing else."""
    from viewer.imaging.bad_data import bad_data
    from viewer.imaging.headers import read_header
    from viewer.measure.report_read import read_report
    from viewer.measure.tools import check_points
    from viewer.uids import is_valid_uid

    seed = _report(corpus.part10[sorted(corpus.part10)[0]])
    data = mutate_part10(rng, seed, []) if rng.random() >= 0.05 else seed
    path = work / "report.dcm"
    path.write_bytes(data)
    keep(work, "report.dcm", data)
    ds = read_header(path)
    with bad_data(str(path)):
        found, _skipped = read_report(ds)
    for item in found:
        check_points(item.tool, item.points)
        if not is_valid_uid(item.sop_instance_uid) or item.frame < 1:
            raise BrokenPromiseError("a measurement read back names no image")
        if not all(math.isfinite(v) for p in item.points for v in p):
            raise BrokenPromiseError(f"a measurement read back at {item.points}")
