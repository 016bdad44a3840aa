"""The audit trail of patient access: who, when, from which workstation, did what to
which patient and study (PS3.15 Annex A.5 audit messages, the IHE ATNA model).

The app calls :func:`open_trail` once and :meth:`AuditTrail.record` for each event;
``python main.py audit show | verify | forward`` reads it back. ``docs/audit.md`` says
what is kept and how. Nothing here imports ``cryptography`` until a key is used.
"""

from __future__ import annotations

from viewer.audit.events import AuditEvent, EventKind, Outcome
from viewer.audit.trail import AuditTrail, open_trail

__all__ = ["AuditEvent", "AuditTrail", "EventKind", "Outcome", "open_trail"]
