"""A record as the DICOM audit message the hospital's audit repository reads.

PS3.15 A.5.1 (the schema) with the participants A.5.3 lists for each message (see
:data:`~viewer.audit.events.EVENT_CODES`): ``AuditMessage`` holds one
``EventIdentification``, the ``ActiveParticipant`` elements (the doctor as requestor, this
application, and the other end: the source asked, or the media exported to), one
``AuditSourceIdentification``, then one ``ParticipantObjectIdentification`` for the
patient and one for each study.

The patient's ID goes in clear here (``id^^^issuer``, HL7 CX as A.5.3 asks): this message
goes only to the hospital's own repository, over TLS. The patient's name does not: A.5.3
makes ParticipantObjectName user optional, and the minimum leaves the workstation.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from typing import Any

from viewer.audit.events import EVENT_CODES, KINDS, Code, EventKind
from viewer.audit.lines import Line, Patient

# Role ID codes (PS3.16 CID 402) and ParticipantObjectIDTypeCodes (CID 404, RFC 3881).
APPLICATION = Code("110150", "DCM", "Application")
DESTINATION = Code("110152", "DCM", "Destination Role ID")
SOURCE = Code("110153", "DCM", "Source Role ID")
DESTINATION_MEDIA = Code("110154", "DCM", "Destination Media")
PATIENT_NUMBER = Code("2", "RFC-3881", "Patient Number")
STUDY_UID = Code("110180", "DCM", "Study Instance UID")
SOP_CLASS_UID = Code("110181", "DCM", "SOP Class UID")
# RFC 3881 5.4.3 audit source type 1 (in DICOM's schema as a coded value).
DISPLAY_DEVICE = Code("1", "DCM", "End-user display device, diagnostic display")
STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1"  # what a search asks the platform (QIDO-RS)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def audit_message(line: Line, patient: Patient | None) -> bytes:
    """The XML (UTF-8, with its declaration) of one record."""
    f = line.fields
    kind: EventKind = f["kind"] if f["kind"] in KINDS else "opened"
    code = EVENT_CODES[kind]
    root = ET.Element("AuditMessage")
    event = _sub(
        root,
        "EventIdentification",
        EventActionCode=f["action"],
        EventDateTime=f["time"],
        EventOutcomeIndicator=str(f["outcome"]),
    )
    _code(event, "EventID", code.event_id)
    if code.event_type is not None:
        _code(event, "EventTypeCode", code.event_type)
    _participants(root, kind, f)
    source = _sub(root, "AuditSourceIdentification", AuditSourceID=f["audit_source"])
    _code(source, "AuditSourceTypeCode", DISPLAY_DEVICE)
    if patient is not None and patient.id is not None:
        cx = f"{patient.id}^^^{patient.issuer}" if patient.issuer else patient.id
        _object(root, cx, "1", "1", PATIENT_NUMBER)  # a person, the patient
    for uid in f["studies"]:
        _object(root, uid, "2", "3", STUDY_UID)  # a system object, a report
    if kind == "searched":
        query = _object(root, STUDY_ROOT_FIND, "2", "3", SOP_CLASS_UID)
        keys = f["detail"].get("keys", [])
        text = ",".join(str(k) for k in keys) if isinstance(keys, list) else str(keys)
        _sub(query, "ParticipantObjectQuery").text = base64.b64encode(text.encode()).decode()
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body


def _participants(root: ET.Element, kind: EventKind, f: dict[str, Any]) -> None:
    user = f["platform_user"] or f["os_user"]
    _sub(  # the doctor: no role code of DICOM's own
        root,
        "ActiveParticipant",
        UserID=user,
        AlternativeUserID=f["os_user"],
        UserIsRequestor="true",
        NetworkAccessPointID=f["workstation"],
        NetworkAccessPointTypeCode="1",  # a machine name
    )
    role = {"searched": SOURCE, "prefetched": DESTINATION}.get(kind, APPLICATION)
    app = _sub(
        root,
        "ActiveParticipant",
        UserID=f["audit_source"],
        UserIsRequestor="false",
        NetworkAccessPointID=f["workstation"],
        NetworkAccessPointTypeCode="1",
    )
    _code(app, "RoleIDCode", role)
    if f["source"] is not None and kind in ("searched", "prefetched", "signed_in", "signed_out"):
        other = _sub(root, "ActiveParticipant", UserID=f["source"], UserIsRequestor="false")
        if kind not in ("signed_in", "signed_out"):  # the platform: asked, or sent the images
            _code(other, "RoleIDCode", DESTINATION if kind == "searched" else SOURCE)
    if kind in ("exported", "screenshot"):
        media = _sub(
            root,
            "ActiveParticipant",
            UserID=str(f["detail"].get("destination", "file")),
            UserIsRequestor="false",
        )
        _code(media, "RoleIDCode", DESTINATION_MEDIA)


def _object(root: ET.Element, object_id: str, kind: str, role: str, id_type: Code) -> ET.Element:
    element = _sub(
        root,
        "ParticipantObjectIdentification",
        ParticipantObjectID=object_id,
        ParticipantObjectTypeCode=kind,
        ParticipantObjectTypeCodeRole=role,
    )
    _code(element, "ParticipantObjectIDTypeCode", id_type)
    return element


def _code(parent: ET.Element, tag: str, code: Code) -> None:
    _sub(
        parent,
        tag,
        **{"csd-code": code.code, "codeSystemName": code.scheme, "originalText": code.meaning},
    )


def _sub(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, tag, {k: _CONTROL.sub("", v) for k, v in attributes.items()})
