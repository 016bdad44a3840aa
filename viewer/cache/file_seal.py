"""Small files of the cache sealed whole with AES-256-GCM (issue 18: encryption at rest).

A study's measurements are a few kilobytes written whole at each step: one seal per file
suffices (the instances, megabytes arriving in pieces, are sealed in chunks instead:
:mod:`viewer.cache.sealed`). Each kind of file has a key of its own, derived from the
cache's key with HKDF-SHA256 (RFC 5869) and a label naming the kind, so that no key
serves two purposes.

A sealed file::

    b"QYF1" | nonce (12 random bytes) | AES-GCM ciphertext and its 16-byte tag

The associated data binds the file to what it is for (the caller's, e.g. the study's
UID): a sealed file copied over another study's opens as nothing.

``cryptography`` is imported where used: the commands that never seal do not pay for it.
"""

from __future__ import annotations

import os

MAGIC = b"QYF1"
NONCE_BYTES = 12
TAG_BYTES = 16


def purpose_key(cache_key: bytes, purpose: str) -> bytes:
    """The key of one kind of file, from the cache's key."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    info = f"qingying cache {purpose} aes-256-gcm v1".encode("ascii")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(cache_key)


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(NONCE_BYTES)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, plaintext, MAGIC + aad)


def unseal(key: bytes, data: bytes, aad: bytes) -> bytes | None:
    """The plaintext, or None: not sealed, changed, another key's, or another file's."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    head = len(MAGIC) + NONCE_BYTES
    if not is_sealed(data) or len(data) < head + TAG_BYTES:
        return None
    try:
        return AESGCM(key).decrypt(data[len(MAGIC) : head], data[head:], MAGIC + aad)
    except InvalidTag:
        return None
