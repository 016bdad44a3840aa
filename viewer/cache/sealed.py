"""Patient data at rest: one instance's bytes sealed with AES-256-GCM, chunk by chunk.

The format the encrypted cache (issue 18) writes each instance in, inside a pack or as a
file of its own. It keeps the cache's streaming design: bytes are sealed as they arrive,
one chunk at a time, and any range of the instance is read back by opening only the
chunks that hold it (a header read, a frame's pixels), never the whole instance.

One sealed instance::

    header  16 bytes   b"QYS1" | key id (4) | nonce prefix (8, random per instance)
    chunk i            CHUNK plaintext bytes sealed: ciphertext + 16-byte tag
    ...                the last chunk may be shorter (an empty instance: one empty chunk)

Chunk i's nonce is the prefix followed by i (4 bytes, big endian): unique per key as long
as no two instances draw the same 64-bit prefix (2^-64 per pair; a cache holds millions
at most). Each chunk's associated data is the header, i and whether it is the last: a
chunk moved, swapped with another instance's, or a sealed instance cut short at a chunk
boundary fails to open, as does any changed byte (:class:`SealBrokenError`).

``cryptography``'s AES-GCM (OpenSSL) seals ~3.2 GB/s on the development machine
(AMD EPYC, AES-NI) and holds the GIL while it does (measured: two threads take as long
as one doing both), so its cost falls on the fetch's own thread.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from viewer.errors import InvalidDataError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"QYS1"
HEADER = 16
TAG = 16
CHUNK = 64 * 1024  # a header read opens one chunk; a 512² CT slice about eight


class SealBrokenError(InvalidDataError):
    """A sealed instance does not open: changed, cut short, moved, or another key's."""


@dataclass(frozen=True)
class SealKey:
    """A cache's data key: the AEAD and the 4-byte id each sealed instance names."""

    aead: AESGCM
    kid: bytes

    @classmethod
    def from_bytes(cls, key: bytes) -> SealKey:
        import hashlib

        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if len(key) != 32:
            raise ValueError("a cache key is 32 bytes (AES-256)")
        return cls(AESGCM(key), hashlib.sha256(b"qingying cache key id" + key).digest()[:4])


def sealed_size(plain: int) -> int:
    """Bytes a sealed instance of ``plain`` bytes takes."""
    chunks = max(1, -(-plain // CHUNK))
    return HEADER + plain + TAG * chunks


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + struct.pack(">IB", index, last)


def _nonce(header: bytes, index: int) -> bytes:
    return header[8:16] + struct.pack(">I", index)


class Sealer:
    """Seals one instance as its bytes come: :meth:`feed` returns what to write next
    (whole chunks), :meth:`finish` the rest (the last chunk, shorter or empty)."""

    def __init__(self, key: SealKey) -> None:
        self._key = key
        self.header = MAGIC + key.kid + os.urandom(8)
        self._pending = bytearray()
        self._index = 0
        self._started = False
        self.plain_size = 0

    def feed(self, data: bytes | memoryview) -> bytes:
        out = bytearray()
        if not self._started:
            out += self.header
            self._started = True
        self._pending += data
        self.plain_size += len(data)
        # A full chunk is sealed only once more follows: the last must say it is last.
        while len(self._pending) > CHUNK:
            out += self._seal(bytes(self._pending[:CHUNK]), last=False)
            del self._pending[:CHUNK]
        return bytes(out)

    def finish(self) -> bytes:
        out = b"" if self._started else self.header
        self._started = True
        return out + self._seal(bytes(self._pending), last=True)

    def _seal(self, chunk: bytes, *, last: bool) -> bytes:
        index = self._index
        self._index += 1
        return self._key.aead.encrypt(
            _nonce(self.header, index), chunk, _aad(self.header, index, last)
        )


ReadAt = Callable[[int, int], bytes]  # (offset in the sealed bytes, length) -> bytes


class Unsealer:
    """Reads ranges of one sealed instance of ``plain_size`` bytes through ``read_at``
    (which reads the sealed bytes, from the instance's start)."""

    def __init__(self, key: SealKey, read_at: ReadAt, plain_size: int) -> None:
        self._key = key
        self._read_at = read_at
        self.plain_size = plain_size
        self._chunks = max(1, -(-plain_size // CHUNK))
        self.header = read_at(0, HEADER)
        if len(self.header) != HEADER or self.header[:4] != MAGIC:
            raise SealBrokenError("not a sealed instance (its header is missing)")
        if self.header[4:8] != key.kid:
            raise SealBrokenError("sealed under another key than this cache's")

    def read(self, offset: int, size: int) -> bytes:
        """Plaintext bytes ``offset`` to ``offset + size`` (fewer at the end)."""
        end = min(self.plain_size, offset + size)
        if offset >= end:
            return b""
        first, last = offset // CHUNK, (end - 1) // CHUNK
        out = bytearray()
        for index in range(first, last + 1):
            out += self.chunk(index)
        start = offset - first * CHUNK
        return bytes(out[start : start + (end - offset)])

    def chunk(self, index: int) -> bytes:
        """Chunk ``index``'s plaintext, its tag checked."""
        from cryptography.exceptions import InvalidTag

        if not 0 <= index < self._chunks:
            raise IndexError(f"chunk {index} of {self._chunks}")
        last = index == self._chunks - 1
        plain = self.plain_size - index * CHUNK if last else CHUNK
        sealed = self._read_at(HEADER + index * (CHUNK + TAG), plain + TAG)
        if len(sealed) != plain + TAG:
            raise SealBrokenError("a sealed instance is cut short")
        try:
            return self._key.aead.decrypt(
                _nonce(self.header, index), sealed, _aad(self.header, index, last)
            )
        except InvalidTag:
            raise SealBrokenError(
                f"chunk {index} of a sealed instance does not open: changed or moved"
            ) from None
