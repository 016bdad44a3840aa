"""The explicit-VR fast walk of viewer.part10 finds exactly what the general walk finds."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest

from tests.support.demo_files import platform_series_files
from viewer import part10
from viewer.cache.header import INDEXED_META_TAGS, INDEXED_TAGS
from viewer.imaging.pixel_layout import LAYOUT_TAGS

TAGS = INDEXED_TAGS | LAYOUT_TAGS
PYDICOM_FILES = sorted((Path(pydicom.__file__).parent / "data" / "test_files").glob("*.dcm"))


def general_walk_only(_buf: bytes, pos: int, *_args: object) -> tuple[int, int, None]:
    return pos, -1, None


def walk(data: bytes, whole: bool) -> part10.Scan | str:
    try:
        return part10.scan(data, whole, INDEXED_META_TAGS, TAGS)
    except part10.UnhandledError:
        return "unhandled"


def samples(demo_data: object) -> list[bytes]:
    files = list(PYDICOM_FILES)
    for modality in ("CT", "US", "CR", "MR"):
        files.append(platform_series_files(demo_data, modality)[0])  # type: ignore[arg-type]
    return [f.read_bytes() for f in files]


def test_the_fast_walk_agrees_with_the_general_walk_wherever_the_bytes_are_cut(
    demo_data: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared = 0
    took_fast = 0
    real = part10._walk_explicit

    def counting(buf: bytes, pos: int, wanted: frozenset[int], raw: part10.Raw):  # type: ignore[no-untyped-def]
        nonlocal took_fast
        result = real(buf, pos, wanted, raw)
        took_fast += result[0] > pos
        return result

    monkeypatch.setattr(part10, "_walk_explicit", counting)
    for data in samples(demo_data):
        head = min(len(data), part10.PREFIX_BYTES)
        cuts = sorted({*range(120, min(head, 2400), 23), head, len(data)})
        fast = [walk(data[:cut], cut == len(data)) for cut in cuts]
        with monkeypatch.context() as patched:
            patched.setattr(part10, "_walk_explicit", general_walk_only)
            general = [walk(data[:cut], cut == len(data)) for cut in cuts]
        assert fast == general
        compared += len(cuts)
    assert compared > 1000
    assert took_fast > compared / 2  # most files are explicit VR: the fast walk ran
