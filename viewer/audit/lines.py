"""One line of the trail: its fields, its encrypted patient block and its place in the chain.

A line is canonical JSON (sorted keys, no spaces, ASCII only) of::

    {"v": 1, "seq": 7, "time": "2026-12-07T05:24:13.123Z", "os_user": "...",
     "platform_user": "...", "workstation": "...", "audit_source": "qingying@host",
     "kind": "opened", "event_id": "110103", "action": "R", "event_type": null,
     "outcome": 0, "source": "provincial", "studies": ["1.2..."], "detail": {...},
     "patient": "<base64 of nonce ‖ AES-GCM(patient JSON)>" | null,
     "kid": "<key tag>", "mac": "<hex>"}

``mac`` = HMAC-SHA256(mac key, previous line's mac ‖ this line's canonical JSON
without ``mac``); the first line of the whole trail follows :data:`GENESIS`. The patient
block's AES-GCM additional data is the line's seq, so a block moved to another line no
longer opens. Only the block holds the patient's ID, issuer and name.

Parsing is a boundary: a line comes from a file anyone with the user's rights can edit.
:func:`parse` answers a :class:`Line` or the problem in words, never raises; a line must
also be byte for byte its canonical form, so that no change at all goes unnoticed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from typing import Any, NamedTuple

from viewer.audit.keys import AuditKeys

VERSION = 1
GENESIS = hashlib.sha256(b"qingying audit trail genesis v1").hexdigest()
MAX_LINE = 64 * 1024  # a record is well under 4 KiB; a longer line is not one of ours
PAD = 64  # patient blocks are padded to a multiple of this: their length says little
_MAC_RE = re.compile(r"[0-9a-f]{64}")
_FIELDS: dict[str, type | tuple[type, ...]] = {
    "v": int,
    "seq": int,
    "time": str,
    "os_user": str,
    "platform_user": (str, type(None)),
    "workstation": str,
    "audit_source": str,
    "kind": str,
    "event_id": str,
    "action": str,
    "event_type": (str, type(None)),
    "outcome": int,
    "source": (str, type(None)),
    "studies": list,
    "detail": dict,
    "patient": (str, type(None)),
    "kid": str,
    "mac": str,
}


class Patient(NamedTuple):
    id: str | None
    issuer: str | None
    name: str | None


class Line:
    """A parsed line; ``fields`` are its JSON values as read."""

    __slots__ = ("fields",)

    def __init__(self, fields: dict[str, Any]) -> None:
        self.fields = fields

    @property
    def seq(self) -> int:
        seq: int = self.fields["seq"]
        return seq

    @property
    def mac(self) -> str:
        mac: str = self.fields["mac"]
        return mac

    @property
    def kid(self) -> str:
        kid: str = self.fields["kid"]
        return kid

    def expected_mac(self, keys: AuditKeys, previous_mac: str) -> str:
        unsigned = {k: v for k, v in self.fields.items() if k != "mac"}
        return keys.sign(previous_mac.encode("ascii") + canonical(unsigned))

    def patient(self, keys: AuditKeys) -> Patient | None:
        """The decrypted patient block; None when there is none or it cannot be opened
        (changed, moved from another line, or made under another key)."""
        sealed = self.fields["patient"]
        if sealed is None:
            return None
        try:
            plain = keys.open(base64.b64decode(sealed, validate=True), aad(self.seq))
            data = json.loads(plain) if plain is not None else None
        except (binascii.Error, ValueError, RecursionError):
            return None
        if not isinstance(data, dict):
            return None
        values = [data.get(k) for k in ("id", "issuer", "name")]
        if not all(v is None or isinstance(v, str) for v in values):
            return None
        return Patient(*values)


def canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode(
        "ascii"
    )


def aad(seq: int) -> bytes:
    return f"qingying audit v{VERSION} seq={seq}".encode("ascii")


def seal_patient(keys: AuditKeys, seq: int, patient: Patient) -> str:
    plain = json.dumps(
        {"id": patient.id, "issuer": patient.issuer, "name": patient.name},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    plain += b" " * (-len(plain) % PAD)  # JSON allows trailing white space
    return base64.b64encode(keys.seal(plain, aad(seq))).decode("ascii")


def signed(fields: dict[str, Any], keys: AuditKeys, previous_mac: str) -> bytes:
    """The line (with its newline) for ``fields``, which lack only ``mac``."""
    mac = keys.sign(previous_mac.encode("ascii") + canonical(fields))
    return canonical({**fields, "mac": mac}) + b"\n"


def parse(raw: bytes) -> Line | str:
    """A line's bytes (without the newline) as a Line, or what is wrong with them."""
    if len(raw) > MAX_LINE:
        return "too long to be a record"
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return "not a readable record (damaged or not JSON)"
    if not isinstance(data, dict):
        return "not a readable record (not a JSON object)"
    problem = _shape_problem(data)
    if problem:
        return f"not a readable record ({problem})"
    if data["v"] != VERSION:
        return f"a record of another format version ({data['v']})"
    try:
        if canonical(data) != raw:
            return "the line was changed (not as it was written)"
    except (ValueError, RecursionError):  # a detail nested beyond json's depth
        return "not a readable record (nested too deep)"
    return Line(data)


def _shape_problem(data: dict[str, Any]) -> str:
    if set(data) != set(_FIELDS):
        return "fields missing or added"
    for key, kind in _FIELDS.items():
        value = data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            return f"{key} has the wrong type"
    if data["seq"] < 1:
        return "seq below 1"
    if not _MAC_RE.fullmatch(data["mac"]):
        return "mac is not a MAC"
    if not all(isinstance(uid, str) for uid in data["studies"]):
        return "studies are not UIDs"
    return ""
