"""What the app records of a patient's data being used, and how DICOM names it.

The app fills an :class:`AuditEvent` for each thing a doctor does with a patient's data;
the trail keeps it and the hospital's collector receives it as a DICOM audit message
(PS3.15 Annex A.5, the IHE ATNA model). Each kind maps to the message PS3.15 A.5.3
defines for it (:data:`EVENT_CODES`): its EventID (CID 400, codes of the DCM scheme),
its EventActionCode and, where the standard has one, an EventTypeCode.

``detail`` says the circumstances without patient data: counts, a destination's kind,
the *names* of a query's keys. :meth:`AuditEvent.checked` refuses a detail that holds
the event's own patient ID or name (an accident the trail must not keep in clear).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Literal, NamedTuple, get_args

EventKind = Literal[
    "searched",
    "opened",
    "exported",
    "screenshot",
    "measured",
    "prefetched",  # also a fetch into the cache
    "deleted",  # from the offline cache
    "signed_in",  # a sign-in or an unlock, its outcome saying whether it was refused
    "signed_out",  # the session closed for another user
]
KINDS: tuple[EventKind, ...] = get_args(EventKind)

# A detail's value: a few words or a count; a list of words for a query's key names.
DetailValue = str | int | bool | tuple[str, ...]
MAX_DETAIL_ITEMS = 16
MAX_DETAIL_TEXT = 200
_UID = re.compile(r"[0-9]+(?:\.[0-9]+)*")


class Outcome(IntEnum):
    """EventOutcomeIndicator (PS3.15 A.5.1, from RFC 3881 5.1.4)."""

    SUCCESS = 0
    MINOR_FAILURE = 4  # the action was not done; e.g. a fetch cut short, resumable
    SERIOUS_FAILURE = 8  # the action was not done
    MAJOR_FAILURE = 12  # the action failed and the application became unavailable


class Code(NamedTuple):
    """A coded value as the audit message's schema writes it (csd-code, codeSystemName,
    originalText: PS3.15 A.5.1's CodedValueType)."""

    code: str
    scheme: str
    meaning: str


class EventCode(NamedTuple):
    event_id: Code
    action: Literal["C", "R", "U", "D", "E"]  # create, read, update, delete, execute
    event_type: Code | None = None


QUERY = Code("110112", "DCM", "Query")
INSTANCES_ACCESSED = Code("110103", "DCM", "DICOM Instances Accessed")
EXPORT = Code("110106", "DCM", "Export")
INSTANCES_TRANSFERRED = Code("110104", "DCM", "DICOM Instances Transferred")
STUDY_DELETED = Code("110105", "DCM", "DICOM Study Deleted")
USER_AUTHENTICATION = Code("110114", "DCM", "User Authentication")
LOGIN = Code("110122", "DCM", "Login")
LOGOUT = Code("110123", "DCM", "Logout")
# PS3.15 lets a message carry further EventTypeCodes of the application's own scheme
# ("99" schemes are local, PS3.16 8.2): they tell a screenshot from an export.
SCREENSHOT = Code("screenshot", "99QINGYING", "Screenshot of the screen's images")
MEASUREMENT = Code("measurement", "99QINGYING", "Measurements changed")

EVENT_CODES: Mapping[EventKind, EventCode] = {
    # A.5.3.12 Query: action E (execute); the query's keys go in ParticipantObjectQuery.
    "searched": EventCode(QUERY, "E"),
    # A.5.3.2 DICOM Instances Accessed: R, the images are read on the screen.
    "opened": EventCode(INSTANCES_ACCESSED, "R"),
    # A.5.3.6 Export: R, data leaves the system's control (PNG, DICOM files, a report).
    "exported": EventCode(EXPORT, "R"),
    "screenshot": EventCode(EXPORT, "R", SCREENSHOT),
    # A.5.3.2 again, action U: the study's record (its measurements) is changed; no
    # instance is created in the platform's archive by measuring itself.
    "measured": EventCode(INSTANCES_ACCESSED, "U", MEASUREMENT),
    # A.5.3.3 DICOM Instances Transferred: C, the receiver held no copy before.
    "prefetched": EventCode(INSTANCES_TRANSFERRED, "C"),
    # A.5.3.5 DICOM Study Deleted: D (here from the workstation's offline cache).
    "deleted": EventCode(STUDY_DELETED, "D"),
    # A.5.3.11 User Authentication: E, with EventTypeCode 110122 Login.
    "signed_in": EventCode(USER_AUTHENTICATION, "E", LOGIN),
    "signed_out": EventCode(USER_AUTHENTICATION, "E", LOGOUT),
}


@dataclass(frozen=True)
class AuditEvent:
    """One thing done with a patient's data, as the app reports it.

    ``patient_id``, ``issuer`` and ``patient_name`` are kept only encrypted; the name is
    optional (PS3.15 A.5.3 lists ParticipantObjectName as user optional) and never
    leaves the workstation. ``source`` is the source's configured name."""

    kind: EventKind
    patient_id: str | None = None
    issuer: str | None = None
    patient_name: str | None = None
    study_uids: tuple[str, ...] = ()
    source: str | None = None
    platform_user: str | None = None
    outcome: Outcome = Outcome.SUCCESS
    detail: Mapping[str, DetailValue] = field(default_factory=dict)

    def checked(self) -> AuditEvent:
        """The event if it can be recorded; ValueError (a bug of the caller) if not."""
        if self.kind not in KINDS:
            raise ValueError(f"unknown audit event kind {self.kind!r}")
        Outcome(self.outcome)  # ValueError for another number
        uids: object = self.study_uids  # a caller's str would pass for a tuple of letters
        if not isinstance(uids, tuple) or not all(isinstance(u, str) and u for u in uids):
            raise ValueError("study_uids must be a tuple of UIDs")
        if len(self.detail) > MAX_DETAIL_ITEMS:
            raise ValueError("an audit event's detail is a few items")
        secrets = [s for s in (self.patient_id, self.patient_name) if s and len(s) > 1]
        for key, value in self.detail.items():
            if not isinstance(key, str) or not key or len(key) > 64:
                raise ValueError("an audit detail's key is a short name")
            for word in value if isinstance(value, tuple) else (value,):
                _check_word(key, word, secrets)
        return self


def _check_word(key: str, word: object, secrets: list[str]) -> None:
    if not isinstance(word, str | int | bool):
        raise ValueError(f"audit detail {key!r}: words and counts only")
    text = str(word)
    if len(text) > MAX_DETAIL_TEXT:
        raise ValueError(f"audit detail {key!r} is too long")
    # Counts and UIDs are no one's name; a short numeric record number would be "found"
    # in them by chance ("12" in 120 instances).
    if isinstance(word, str) and not _UID.fullmatch(word) and any(s in text for s in secrets):
        raise ValueError(f"audit detail {key!r} holds the patient's identity")


def detail_json(detail: Mapping[str, DetailValue]) -> dict[str, str | int | bool | list[str]]:
    """``detail`` as JSON values (tuples as lists)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in detail.items()}
