"""STOW-RS (PS3.18 §10.5): instances sent to a DICOMweb server, one request a study.

The request is multipart/related of type application/dicom, one Part 10 instance a part.
The answer is a DICOM JSON object (PS3.18 §10.5.3): Referenced SOP Sequence (0008,1199)
lists what the server stored, Failed SOP Sequence (0008,1198) what it refused, with a
Failure Reason (0008,1197). 200 is all stored, 202 some with warnings or failures, 409
none; every other status is the transport's (errors_map). What the server says is
reduced to UIDs it names and counts: its text is never shown.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import requests

from viewer import dicom_json
from viewer.dicomweb.errors_map import raise_for_status, request_error
from viewer.errors import InvalidDataError, ServerError
from viewer.uids import is_valid_uid, require_uid

REFERENCED = "00081199"
FAILED = "00081198"
SOP_UID = "00081155"


@dataclass(frozen=True)
class StoreOutcome:
    stored: tuple[str, ...]  # SOP Instance UIDs the server says it keeps
    failed: tuple[str, ...]  # those it refused


def multipart_body(parts: Sequence[bytes]) -> tuple[bytes, str]:
    """(the body, its Content-Type) for ``parts``: a boundary no part holds."""
    while True:
        boundary = "qingying-" + secrets.token_hex(16)
        marker = f"--{boundary}".encode()
        if not any(marker in part for part in parts):
            break
    chunks: list[bytes] = []
    for part in parts:
        chunks += [marker, b"\r\nContent-Type: application/dicom\r\n\r\n", part, b"\r\n"]
    chunks.append(marker + b"--\r\n")
    content_type = f'multipart/related; type="application/dicom"; boundary={boundary}'
    return b"".join(chunks), content_type


def store(
    session: requests.Session, base_url: str, name: str, study_uid: str, parts: Sequence[bytes]
) -> StoreOutcome:
    url = f"{base_url}/studies/{require_uid(study_uid, 'StudyInstanceUID')}"
    body, content_type = multipart_body(parts)
    headers = {"Content-Type": content_type, "Accept": "application/dicom+json"}
    try:
        response = session.post(url, data=body, headers=headers)
    except requests.exceptions.RequestException as err:
        raise request_error(name, err) from err
    if response.status_code != 409:
        raise_for_status(name, response)
    outcome = _outcome(name, response)
    if response.status_code == 409 or (not outcome.stored and parts):
        raise ServerError(f"{name}: the server stored none of the {len(parts)} instance(s)")
    return outcome


def _outcome(name: str, response: requests.Response) -> StoreOutcome:
    if not response.content.strip():
        return StoreOutcome((), ())
    try:
        data: Any = dicom_json.loads(response.content, name)
    except InvalidDataError:
        return StoreOutcome((), ())  # an answer we cannot read: nothing known stored
    if isinstance(data, list):
        data = data[0] if data and isinstance(data[0], dict) else {}
    if not isinstance(data, dict):
        return StoreOutcome((), ())
    return StoreOutcome(_uids(data.get(REFERENCED)), _uids(data.get(FAILED)))


def _uids(element: Any) -> tuple[str, ...]:
    if not isinstance(element, dict) or not isinstance(element.get("Value"), list):
        return ()
    found = []
    for item in element["Value"]:
        value = item.get(SOP_UID, {}).get("Value") if isinstance(item, dict) else None
        if isinstance(value, list) and value and is_valid_uid(value[0]):
            found.append(str(value[0]))
    return tuple(found)
