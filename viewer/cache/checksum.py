"""Checksums of cached files, so ``cache verify`` finds damage (bit rot, a torn or cut
write, a file changed behind the cache's back).

XXH3-128 (the xxhash library) rather than SHA-256: the checksum guards against damage;
against an attacker, the sealed cache's own tags do (each instance's chunks, and the
index's pages, are authenticated: :mod:`viewer.cache.sealed`), and for damage a 128-bit
non-cryptographic hash is as good while costing far less: 5 ms against 76 ms
of CPU for a 158 MB CT study on the machine of bench/RESULTS.md, time taken from
retrieval on a two-core workstation. Stored values carry their algorithm
(``xxh3-128:<hex>``); a bare 64-digit value is the SHA-256 of a cache written before,
still checked as such.
"""

from __future__ import annotations

import hashlib
from typing import Protocol

import xxhash

from viewer.instance_file import Readable, open_instance

XXH3_128 = "xxh3-128:"
_CHUNK = 1 << 20


class Digest(Protocol):
    def update(self, data: bytes | memoryview, /) -> None: ...

    def hexdigest(self) -> str: ...


def new_digest() -> Digest:
    return xxhash.xxh3_128()


def stored_form(digest: Digest) -> str:
    """The value kept in the index for a digest made by :func:`new_digest`."""
    return XXH3_128 + digest.hexdigest()


def file_checksum(source: Readable, like: str = XXH3_128) -> str:
    """The checksum of a file (or of an instance's range of a pack) in the stored form,
    with the algorithm of ``like`` (a stored value, or the default)."""
    legacy = _is_legacy_sha256(like)
    digest: Digest = hashlib.sha256() if legacy else new_digest()
    with open_instance(source) as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest() if legacy else stored_form(digest)


def _is_legacy_sha256(value: str) -> bool:
    return len(value) == 64 and not value.startswith(XXH3_128)
