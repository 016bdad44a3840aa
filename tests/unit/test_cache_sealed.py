"""The sealed-instance format: what goes in comes out, any range of it; a changed byte,
a chunk moved, an instance cut short or another key's is refused, never read as data."""

from __future__ import annotations

import os

import pytest

from viewer.cache.sealed import (
    CHUNK,
    HEADER,
    TAG,
    SealBrokenError,
    Sealer,
    SealKey,
    Unsealer,
    plain_size,
    sealed_size,
)

KEY = SealKey.from_bytes(bytes(range(32)))


def seal(data: bytes, key: SealKey = KEY, pieces: int = 7) -> bytes:
    sealer = Sealer(key)
    out = bytearray()
    step = max(1, len(data) // pieces)
    for at in range(0, len(data), step):
        out += sealer.feed(data[at : at + step])
    out += sealer.finish()
    return bytes(out)


def unsealer(sealed: bytes, size: int, key: SealKey = KEY) -> Unsealer:
    return Unsealer(key, lambda at, n: sealed[at : at + n], size)


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5])
def test_what_is_sealed_reads_back_whole_and_takes_the_size_said(size: int) -> None:
    data = os.urandom(size)
    sealed = seal(data)
    assert len(sealed) == sealed_size(size)
    # Not stored in clear. Under 16 bytes a random byte may happen to
    # appear among the ciphertext's bytes; from 16 on that chance is nil.
    if size >= 16:
        assert data not in sealed
    assert unsealer(sealed, size).read(0, size + 10) == data


def test_any_range_reads_back_opening_only_its_chunks() -> None:
    data = os.urandom(3 * CHUNK + 5)
    sealed = seal(data)
    asked: list[tuple[int, int]] = []

    def read_at(at: int, n: int) -> bytes:
        asked.append((at, n))
        return sealed[at : at + n]

    opened = Unsealer(KEY, read_at, len(data))
    for start, size in [(0, 132), (CHUNK - 3, 10), (2 * CHUNK + 7, CHUNK), (len(data) - 4, 100)]:
        asked.clear()
        assert opened.read(start, size) == data[start : start + size]
        first, last = start // CHUNK, (min(len(data), start + size) - 1) // CHUNK
        # One read, of the chunks that hold the range and no others.
        assert len(asked) == 1
        at, n = asked[0]
        assert at == HEADER + first * (CHUNK + TAG)
        assert n <= (last - first + 1) * (CHUNK + TAG)


def test_a_changed_byte_is_refused() -> None:
    data = os.urandom(2 * CHUNK)
    sealed = bytearray(seal(data))
    sealed[HEADER + CHUNK + TAG + 5] ^= 1  # in the second chunk
    opened = unsealer(bytes(sealed), len(data))
    assert opened.read(0, 10) == data[:10]  # the first chunk is still itself
    with pytest.raises(SealBrokenError, match="chunk 1"):
        opened.read(CHUNK, 10)


def test_an_instance_cut_at_a_chunk_boundary_is_refused() -> None:
    data = os.urandom(2 * CHUNK + 1)
    sealed = seal(data)
    # As if it ended after its first chunk: that chunk was not sealed as the last.
    cut = sealed[: HEADER + CHUNK + TAG]
    with pytest.raises(SealBrokenError):
        unsealer(cut, CHUNK).read(0, CHUNK)
    with pytest.raises(SealBrokenError, match="cut short"):
        unsealer(sealed[:-1], len(data)).read(2 * CHUNK, 1)


def test_chunks_swapped_or_taken_from_another_instance_are_refused() -> None:
    a, b = os.urandom(2 * CHUNK + 3), os.urandom(2 * CHUNK + 3)
    sa, sb = seal(a), seal(b)
    one = HEADER + CHUNK + TAG
    swapped = sa[:HEADER] + sa[one : 2 * one - HEADER] + sa[HEADER:one] + sa[2 * one - HEADER :]
    with pytest.raises(SealBrokenError):
        unsealer(swapped, len(a)).read(0, 10)
    mixed = sa[:HEADER] + sb[HEADER:]
    with pytest.raises(SealBrokenError):
        unsealer(mixed, len(a)).read(0, 10)


def test_another_keys_instance_is_refused_by_its_header() -> None:
    other = SealKey.from_bytes(os.urandom(32))
    sealed = seal(b"dicom bytes", other)
    with pytest.raises(SealBrokenError, match="another key"):
        unsealer(sealed, 11)


def test_two_instances_of_the_same_bytes_are_sealed_apart() -> None:
    data = b"the same bytes" * 100
    assert seal(data)[HEADER:] != seal(data)[HEADER:]  # each its own nonce prefix


@pytest.mark.parametrize("size", [0, 5, CHUNK, 2 * CHUNK + 9])
def test_the_sealed_size_gives_back_the_plain_size(size: int) -> None:
    assert plain_size(sealed_size(size)) == size


@pytest.mark.parametrize("sealed", [0, HEADER + TAG - 1, HEADER + CHUNK + TAG + 5])
def test_a_size_no_sealed_instance_has_is_refused(sealed: int) -> None:
    with pytest.raises(SealBrokenError):
        plain_size(sealed)


def test_a_range_read_into_a_buffer_is_the_plaintext_and_touches_nothing_else() -> None:
    data = os.urandom(3 * CHUNK + 5)
    opened = unsealer(seal(data, pieces=3), len(data))
    for start, size in [(0, len(data)), (CHUNK, CHUNK), (CHUNK - 1, CHUNK + 2), (7, 3)]:
        buffer = bytearray(b"\xee" * (size + 4))
        assert opened.read_into(start, memoryview(buffer)[2 : 2 + size]) == size
        assert bytes(buffer[2 : 2 + size]) == data[start : start + size]
        assert buffer[:2] == buffer[-2:] == b"\xee\xee"


def test_pieces_of_any_size_seal_to_the_same_plaintext() -> None:
    data = os.urandom(2 * CHUNK + 100)
    for pieces in (1, 2, 3, 1000):
        assert unsealer(seal(data, pieces=pieces), len(data)).read(0, len(data)) == data
