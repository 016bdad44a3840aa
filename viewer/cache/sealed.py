"""Patient data at rest: one instance's bytes sealed with AES-256-GCM, chunk by chunk.

The format the encrypted cache (issue 18) writes each instance in, inside a pack or as a
file of its own. It keeps the cache's streaming design: bytes are sealed as they arrive,
one chunk at a time, and any range of the instance is read back by opening only the
chunks that hold it (a header read, a frame's pixels), never the whole instance.

One sealed instance::

    header  24 bytes   b"QYS2" | key id (4) | salt (16, random per instance)
    chunk i            CHUNK plaintext bytes sealed: ciphertext + 16-byte tag
    ...                the last chunk may be shorter (an empty instance: one empty chunk)

Each instance is sealed under a key of its own, HMAC-SHA256 of its salt under the
cache's instance key, and chunk i's nonce is i (big endian, 12 bytes): a nonce is never
used twice under one key, however many instances the key seals over the years (a
cache's, or a machine key's for every user of a clinic's machine). A random 96-bit nonce
per chunk under the one key would reach NIST's bound (2^32 invocations, SP 800-38D
§8.3) after a few thousand CT series; 128 random bits of salt make two instances' keys
alike with a chance of 2^-128 per pair. Each chunk's associated data is the header, i
and whether it is the last: a chunk moved, swapped with another instance's, or a sealed
instance cut short at a chunk boundary fails to open, as does any changed byte
(:class:`SealBrokenError`).

``cryptography``'s one-shot AES-GCM (``AESGCM``, OpenSSL) seals ~3.2 GB/s on the
development machine (AMD EPYC, AES-NI) and holds the GIL while it does (two threads take
as long as one doing both), so its cost falls on the thread that reads or writes. Its
streaming GCM (``Cipher`` with ``modes.GCM``, ``update_into``) lets go of the GIL (two
threads sealing 256 MB each take the time of one) but opens 158 MB in 81 ms against the
one-shot's 45, so on two cores it gains nothing (bench/RESULTS.md, 2026-12-07): the
one-shot it is, until a machine with more cores shows otherwise. Chunks of 256 KiB
rather than 64: a volume of 300 CT slices opened in 167-196 ms against 243 (the Python
around each chunk, ~10 µs, counts 2,400 times at 64 KiB).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from viewer.errors import InvalidDataError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"QYS2"
HEADER = 24
_SALT = slice(8, 24)
TAG = 16
CHUNK = 256 * 1024  # a header read opens one chunk; a 512² CT slice two or three


class SealBrokenError(InvalidDataError):
    """A sealed instance does not open: changed, cut short, moved, or another key's."""


@dataclass(frozen=True)
class SealKey:
    """A cache's data key: the AEAD and the 4-byte id each sealed instance names."""

    secret: bytes = field(repr=False)
    kid: bytes

    @classmethod
    def from_bytes(cls, key: bytes) -> SealKey:
        if len(key) != 32:
            raise ValueError("a cache key is 32 bytes (AES-256)")
        return cls(key, hashlib.sha256(b"qingying cache key id" + key).digest()[:4])

    def instance_cipher(self, salt: bytes) -> AESGCM:
        """The AES-256-GCM of the instance whose salt is ``salt``."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        label = b"qingying sealed instance v2" + salt
        return AESGCM(hmac.new(self.secret, label, hashlib.sha256).digest())


def sealed_size(plain: int) -> int:
    """Bytes a sealed instance of ``plain`` bytes takes."""
    chunks = max(1, -(-plain // CHUNK))
    return HEADER + plain + TAG * chunks


def plain_size(sealed: int) -> int:
    """The plaintext bytes a sealed instance of ``sealed`` bytes holds (the inverse of
    :func:`sealed_size`); SealBrokenError for a size no sealed instance has."""
    body = sealed - HEADER
    chunks = max(1, -(-body // (CHUNK + TAG)))
    plain = body - TAG * chunks
    if plain < 0 or sealed_size(plain) != sealed:
        raise SealBrokenError("a sealed instance is cut short")
    return plain


def names_key(header: bytes, key: SealKey) -> bool:
    """Whether ``header`` (an instance's first bytes) begins a sealed instance of ``key``.
    A plain DICOM file begins with its 128-byte preamble: one whose preamble mimics this
    would also need the key's id, which only the key gives (2^-32 by chance)."""
    return header[:4] == MAGIC and header[4:8] == key.kid


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + struct.pack(">IB", index, last)


def _nonce(index: int) -> bytes:
    return struct.pack(">QI", 0, index)


class Sealer:
    """Seals one instance as its bytes come: :meth:`feed` returns what to write next
    (whole chunks), :meth:`finish` the rest (the last chunk, shorter or empty).

    What they return is a view of the sealer's own buffer, valid until the next call:
    the writer writes it at once. The chunks are sealed straight from the caller's bytes
    into that buffer (``encrypt_into``); only a chunk's tail left over from one piece is
    copied, to be completed by the next: a first cut that copied every byte on the way
    cost a 158 MB fetch 25 ms more than the cipher's own 45 (bench/RESULTS.md)."""

    def __init__(self, key: SealKey) -> None:
        self._key = key
        self.header = MAGIC + key.kid + os.urandom(16)
        self._cipher = key.instance_cipher(self.header[_SALT])
        self._pending = bytearray(CHUNK)  # a chunk being completed, its first _held bytes
        self._held = 0
        self._out = bytearray()
        self._index = 0
        self._started = False
        self.plain_size = 0
        self.sealed_size = 0

    def feed(self, data: bytes | memoryview) -> memoryview:
        view = memoryview(data).cast("B")
        self.plain_size += len(view)
        if self._held + len(view) <= CHUNK:  # nothing to seal yet (the header waits too)
            self._pending[self._held : self._held + len(view)] = view
            self._held += len(view)
            return memoryview(self._out)[:0]
        self._reserve(HEADER + (self._held + len(view)) // CHUNK * (CHUNK + TAG))
        at = self._start()
        pos = 0
        if self._held:
            pos = min(CHUNK - self._held, len(view))
            self._pending[self._held : self._held + pos] = view[:pos]
            self._held += pos
            # A full chunk is sealed only once more follows: the last must say it is last.
            if self._held == CHUNK and pos < len(view):
                at = self._seal(memoryview(self._pending), at, last=False)
                self._held = 0
        while len(view) - pos > CHUNK:
            at = self._seal(view[pos : pos + CHUNK], at, last=False)
            pos += CHUNK
        if pos < len(view):  # at most a chunk: kept until more comes or the end
            rest = len(view) - pos
            self._pending[self._held : self._held + rest] = view[pos:]
            self._held += rest
        return self._written(at)

    def finish(self) -> memoryview:
        self._reserve(HEADER + self._held + TAG)
        at = self._start()
        at = self._seal(memoryview(self._pending)[: self._held], at, last=True)
        self._held = 0
        return self._written(at)

    def _reserve(self, size: int) -> None:
        if len(self._out) < size:
            self._out = bytearray(size)

    def _start(self) -> int:
        if self._started:
            return 0
        self._started = True
        self._out[:HEADER] = self.header
        return HEADER

    def _written(self, end: int) -> memoryview:
        self.sealed_size += end
        return memoryview(self._out)[:end]

    def _seal(self, chunk: memoryview, at: int, *, last: bool) -> int:
        index = self._index
        self._index += 1
        end = at + len(chunk) + TAG
        self._cipher.encrypt_into(
            _nonce(index),
            chunk,
            _aad(self.header, index, last),
            memoryview(self._out)[at:end],
        )
        return end


ReadAt = Callable[[int, int], bytes]  # (offset in the sealed bytes, length) -> bytes


class Unsealer:
    """Reads ranges of one sealed instance of ``plain_size`` bytes through ``read_at``
    (which reads the sealed bytes, from the instance's start)."""

    def __init__(
        self, key: SealKey, read_at: ReadAt, plain_size: int, header: bytes | None = None
    ) -> None:
        """``header``: the instance's first bytes, when the caller has read them already."""
        self._key = key
        self._read_at = read_at
        self.plain_size = plain_size
        self._chunks = max(1, -(-plain_size // CHUNK))
        self.header = header if header is not None else read_at(0, HEADER)
        if len(self.header) != HEADER or self.header[:4] != MAGIC:
            raise SealBrokenError("not a sealed instance (its header is missing)")
        if self.header[4:8] != key.kid:
            raise SealBrokenError("sealed under another key than this cache's")
        self._cipher = key.instance_cipher(self.header[_SALT])

    def read(self, offset: int, size: int) -> bytes:
        """Plaintext bytes ``offset`` to ``offset + size`` (fewer at the end)."""
        end = min(self.plain_size, offset + size)
        if offset >= end:
            return b""
        out = bytearray(end - offset)
        self.read_into(offset, memoryview(out))
        return bytes(out)

    def read_into(self, offset: int, view: memoryview) -> int:
        """Plaintext from ``offset`` into ``view`` (fewer bytes at the end); how many.
        The chunks ``view`` holds whole are opened straight into it (``decrypt_into``):
        a volume's slices are read so, with no copy of their own."""
        end = min(self.plain_size, offset + len(view))
        if offset >= end:
            return 0
        first, last = offset // CHUNK, (end - 1) // CHUNK
        sealed = self._sealed_chunks(first, last)
        for index in range(first, last + 1):
            lo, hi = index * CHUNK, min(self.plain_size, (index + 1) * CHUNK)
            piece = memoryview(sealed)[(index - first) * (CHUNK + TAG) :][: hi - lo + TAG]
            if offset <= lo and hi <= end:
                self._open(index, piece, view[lo - offset : hi - offset])
            else:
                plain = self._open(index, piece)
                a, b = max(lo, offset), min(hi, end)
                view[a - offset : b - offset] = plain[a - lo : b - lo]
        return end - offset

    def chunk(self, index: int) -> bytes:
        """Chunk ``index``'s plaintext, its tag checked."""
        if not 0 <= index < self._chunks:
            raise IndexError(f"chunk {index} of {self._chunks}")
        return self._open(index, memoryview(self._sealed_chunks(index, index)))

    def _sealed_chunks(self, first: int, last: int) -> bytes:
        """The sealed bytes of chunks ``first`` to ``last``, in one read."""
        start = HEADER + first * (CHUNK + TAG)
        end = min(HEADER + (last + 1) * (CHUNK + TAG), sealed_size(self.plain_size))
        sealed = self._read_at(start, end - start)
        if len(sealed) != end - start:
            raise SealBrokenError("a sealed instance is cut short")
        return sealed

    def _open(self, index: int, sealed: memoryview, into: memoryview | None = None) -> bytes:
        from cryptography.exceptions import InvalidTag

        last = index == self._chunks - 1
        nonce, aad = _nonce(index), _aad(self.header, index, last)
        try:
            if into is None:
                return self._cipher.decrypt(nonce, sealed, aad)
            self._cipher.decrypt_into(nonce, sealed, aad, into)
            return b""
        except InvalidTag:
            raise SealBrokenError(
                f"chunk {index} of a sealed instance does not open: changed or moved"
            ) from None
