"""Opening a series while its download runs: slice by slice, or frame by frame.

A single-frame grayscale series opens as a stack as many slices as the source listed,
in the order it listed them (:mod:`viewer.session.arriving`); a colour, palette or
multi-frame one instance by instance, its frames in file order
(:mod:`viewer.session.arriving_frames`). The cache's index says which (the first
instance's pixel layout), else the first file's header.
"""

from __future__ import annotations

from viewer.cache.store import CacheStore
from viewer.session.arriving import ArrivingSeries
from viewer.session.arriving_frames import ArrivingFrames


def open_arriving(
    store: CacheStore, study_uid: str, series_uid: str, expected: int, order: tuple[str, ...]
) -> ArrivingSeries | ArrivingFrames:
    """The series, holding its study's lease (eviction must not take files being read),
    not yet started."""
    from viewer.imaging.frames import shown_as_frames

    lease = store.open_study(study_uid)
    lease.__enter__()  # before reading
    try:
        series: ArrivingSeries | ArrivingFrames
        files, layouts = store.series_files(study_uid, series_uid)
        layout = layouts[0] if layouts else None
        if layout is not None:
            frames = (
                layout.samples_per_pixel > 1
                or layout.frames > 1
                or layout.photometric.strip().upper() == "PALETTE COLOR"
            )
        else:
            frames = bool(files) and shown_as_frames(files[0])
        if frames:
            series = ArrivingFrames(study_uid, series_uid, store, expected=expected)
        else:
            series = ArrivingSeries(study_uid, series_uid, store, expected=expected, order=order)
    except BaseException:
        lease.__exit__(None, None, None)
        raise
    series.hold(lease)
    return series
