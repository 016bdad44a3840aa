"""Numbers and nesting a file chooses: never an OverflowError, a RecursionError or a number
SQLite cannot hold; an IS value out of range is unknown, sequences too deep are bad data."""

from __future__ import annotations

import struct
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from tests.unit.test_cache_store import Study
from viewer import part10
from viewer.cache.header import IS_MAX, IS_MIN, header_from_prefix, read_header, read_prefix
from viewer.cache.index import CacheIndex
from viewer.cache.store import CacheStore
from viewer.errors import InvalidDataError

_INSTANCE_NUMBER = b"\x20\x00\x13\x00IS"  # (0020,0013) IS, explicit VR little endian
_PATIENT_NAME = b"\x10\x00\x10\x00PN"  # (0010,0010), the element nesting goes before


def with_instance_number(data: bytes, value: bytes) -> bytes:
    """``data`` (explicit VR LE) with InstanceNumber's value bytes replaced as they are
    (pydicom refuses to write such values)."""
    at = data.index(_INSTANCE_NUMBER)
    length = struct.unpack_from("<H", data, at + 6)[0]
    value += b" " * (len(value) % 2)
    head, tail = data[: at + 6], data[at + 8 + length :]
    return head + struct.pack("<H", len(value)) + value + tail


def with_number_of_frames(data: bytes, value: bytes) -> bytes:
    """``data`` with a NumberOfFrames (0028,0008) IS of ``value`` (the made instances
    have none: it goes before Rows (0028,0010))."""
    at = data.index(b"\x28\x00\x10\x00US")
    value += b" " * (len(value) % 2)
    element = b"\x28\x00\x08\x00IS" + struct.pack("<H", len(value)) + value
    return data[:at] + element + data[at:]


def nested_sequences(depth: int, implicit: bool = False) -> bytes:
    """(0008,1140) sequences of undefined length, each the one element of an item of the
    one before, ``depth`` deep."""
    if implicit:
        head = struct.pack("<HHI", 0x0008, 0x1140, 0xFFFFFFFF)
    else:
        head = struct.pack("<HH2sHI", 0x0008, 0x1140, b"SQ", 0, 0xFFFFFFFF)
    head += struct.pack("<HHI", 0xFFFE, 0xE000, 0xFFFFFFFF)
    tail = struct.pack("<HHI", 0xFFFE, 0xE00D, 0) + struct.pack("<HHI", 0xFFFE, 0xE0DD, 0)
    return head * depth + tail * depth


def with_nesting(data: bytes, depth: int) -> bytes:
    """``data`` with ``depth`` nested sequences before PatientName (nothing of group 0008
    comes after (0008,1140) in the files made here, so the order stays ascending)."""
    at = data.index(_PATIENT_NAME)
    return data[:at] + nested_sequences(depth) + data[at:]


def both_readers(data: bytes, tmp_path: Path) -> list[object]:
    """What the prefix reader and the file reader make of ``data``: a header, or the
    type of the error they raise."""
    path = tmp_path / "x.dcm"
    path.write_bytes(data)
    found: list[object] = []
    for read in (lambda: header_from_prefix(data, True), lambda: read_header(path)):
        try:
            found.append(read())
        except InvalidDataError as err:
            found.append(err)
    return found


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize(
    "value", [b"1e999", b"inf", b"-inf", b"nan", b"1e20", b"-1e20", b"2147483648", b"x"]
)
def test_an_instance_number_that_is_not_a_finite_is_in_range_is_unknown(
    value: bytes, tmp_path: Path
) -> None:
    _, data = Study().instance(number=7)
    for header in both_readers(with_instance_number(data, value), tmp_path):
        assert not isinstance(header, BaseException), header
        assert header is not None and header.instance_number is None


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize(
    ("value", "number"),
    [(b"2147483647", IS_MAX), (b"-2147483648", IS_MIN), (b"12", 12), (b"+3", 3), (b"4.0", 4)],
)
def test_an_instance_number_in_range_is_kept(value: bytes, number: int, tmp_path: Path) -> None:
    _, data = Study().instance(number=7)
    for header in both_readers(with_instance_number(data, value), tmp_path):
        assert getattr(header, "instance_number", "error") == number


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("value", [b"1e999", b"inf", b"1e20"])
def test_a_file_with_an_absurd_instance_number_is_cached_unnumbered(
    store: CacheStore, value: bytes
) -> None:
    study = Study()
    sop, data = study.instance(number=7)
    sink = store.begin_instance()
    sink.write(with_instance_number(data, value))
    sink.commit()
    assert store.cached_sop_uids(study.uid) == {sop}


def test_a_number_beyond_sqlite_integers_is_stored_as_unknown(tmp_path: Path) -> None:
    # Whatever made the header: the index never hands SQLite an int it cannot hold.
    _, data = Study().instance(number=7)
    header = header_from_prefix(data, True)
    assert header is not None
    huge = replace(header, instance_number=10**20, series_number=-(10**20))
    index = CacheIndex(tmp_path / "index.sqlite")
    try:
        with index.transaction() as conn:
            index.add_instance(conn, huge, "x.dcm", len(data), "xxh3:0")
        index.set_expected_count(header.study_uid, 10**20)
        row = (
            index.connection()
            .execute(
                "SELECT i.instance_number, s.series_number FROM instance i"
                " JOIN series s USING (series_uid)"
            )
            .fetchone()
        )
        assert tuple(row) == (None, None)
        count = index.connection().execute("SELECT instances FROM expected_count").fetchone()
        assert tuple(count) == (0,)
    finally:
        index.close()


@pytest.mark.parametrize("depth", [600, 100_000])
def test_sequences_nested_too_deep_are_bad_data_never_a_recursion_error(
    depth: int, tmp_path: Path
) -> None:
    _, data = Study().instance()
    for found in both_readers(with_nesting(data, depth), tmp_path):
        assert isinstance(found, InvalidDataError), found


def test_sequences_nested_past_the_limit_are_refused_from_the_prefix() -> None:
    # (pydicom, reading the file, manages some levels more; the prefix reader, on the
    # retrieving thread, refuses them before pydicom is asked to.)
    _, data = Study().instance()
    with pytest.raises(InvalidDataError, match="nested"):
        header_from_prefix(with_nesting(data, part10.MAX_NESTING + 1), True)


def test_the_walk_over_nested_sequences_does_not_recurse() -> None:
    # Within the limit, at a recursion limit far below the depth, the walk still ends.
    nested = nested_sequences(part10.MAX_NESTING)
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1  # type: ignore[assignment]
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 20)
    try:
        end = part10.skip_undefined(nested, 12, implicit=False)
        end_implicit = part10.skip_undefined(nested_sequences(40, implicit=True), 8, True)
    finally:
        sys.setrecursionlimit(limit)
    assert end == len(nested)
    assert end_implicit == len(nested_sequences(40, implicit=True))


def test_sequences_nested_as_deep_as_allowed_are_read(tmp_path: Path) -> None:
    _, data = Study().instance(number=5)
    for header in both_readers(with_nesting(data, part10.MAX_NESTING), tmp_path):
        assert getattr(header, "instance_number", header) == 5


@pytest.mark.parametrize("value", [b"1e999", b"inf", b"nan", b"x"])
def test_a_layout_number_no_int_holds_leaves_no_layout_never_an_overflow(value: bytes) -> None:
    _, data = Study().instance(number=3)
    assert (
        read_prefix(with_number_of_frames(data, b"1"), True)[1] is not None
    )  # (the test's own check)
    header, layout = read_prefix(with_number_of_frames(data, value), True)
    assert header is not None and header.instance_number == 3
    assert layout is None
