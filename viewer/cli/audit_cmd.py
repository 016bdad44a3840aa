"""``audit show | verify | forward``: the trail of patient access, read back.

``show`` opens each record's patient block with the user's key and prints who did what,
when, to which patient and studies (``--patient`` matches the decrypted ID). Times are
shown in the workstation's time zone, and ``--since`` is a local date; ``--json`` keeps
the UTC times as written. ``verify`` checks the whole chain: exit 0 and the count when
intact, else exit 6 and one line naming the file, the line and what is wrong.
``forward`` sends what the collector has not had yet (exit 4 when it cannot be reached).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from viewer.audit import open_trail
from viewer.audit.keys import AuditKeys
from viewer.audit.reader import Row, show, verify
from viewer.config import Config
from viewer.errors import InvalidDataError, NetworkError, UsageError


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "audit", help="the audit trail of patient access: show, verify, forward"
    )
    actions = parser.add_subparsers(dest="audit_action", metavar="<action>", required=True)
    listing = actions.add_parser("show", help="who did what to which patient, oldest first")
    listing.add_argument("--patient", metavar="ID", help="only this patient ID")
    listing.add_argument("--issuer", metavar="ISSUER", help="only IDs of this issuer")
    listing.add_argument("--since", metavar="YYYY-MM-DD", help="from this local date on")
    listing.add_argument("--json", action="store_true", help="print JSON instead of text")
    actions.add_parser("verify", help="check the chain; a break is named with its line")
    actions.add_parser("forward", help="send the events the syslog collector has not had")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, config: Config) -> int:
    trail = open_trail(config)
    if args.audit_action == "verify":
        report = verify(trail.folder, trail.keys(create=False))
        for path in report.set_aside:
            print(f"note: an interrupted write's bytes were set aside in {path}")
        if report.broken is not None:
            raise InvalidDataError(
                f"audit trail broken at {report.broken} ({report.events} events before it intact)"
            )
        print(f"audit trail intact: {report.events} events in {report.files} files")
        return 0
    if args.audit_action == "forward":
        if trail.forwarder is None:
            raise UsageError("no syslog collector is configured ([privacy] audit_syslog)")
        sent = trail.forwarder.forward()
        where = f"{trail.forwarder.host}:{trail.forwarder.port}"
        if sent.problem:
            raise NetworkError(
                f"audit events could not be forwarded to {where} ({sent.problem}); "
                f"{sent.pending} pending"
            )
        print(f"forwarded {sent.sent} events to {where}; {sent.pending} pending")
        return 0
    return _show(args, trail.folder, trail.keys(create=False))


def _show(args: argparse.Namespace, folder: Path, keys: AuditKeys | None) -> int:
    since = _local_date(args.since) if args.since else None
    result = show(folder, keys, patient_id=args.patient, issuer=args.issuer, since=since)
    if args.json:
        print(json.dumps([row.json() for row in result.rows], ensure_ascii=False, indent=2))
    else:
        for row in result.rows:
            print(_text(row))
        print(f"{len(result.rows)} events")
    if result.skipped:
        print(f"{result.skipped} line(s) could not be read: run `audit verify`", file=sys.stderr)
    return 0


def _local_date(text: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since: {text!r} is not a date (YYYY-MM-DD)") from None
    return dt.datetime(day.year, day.month, day.day).astimezone().astimezone(dt.UTC)


def _text(row: Row) -> str:
    when = row.time.astimezone().strftime("%Y-%m-%d %H:%M:%S %z")
    who = row.platform_user or "-"
    parts = [f"{when}  #{row.seq} {row.kind:10s} {who} (OS user {row.os_user}) @ {row.workstation}"]
    if row.patient is not None:
        patient = row.patient.id or "-"
        if row.patient.issuer:
            patient += f"^^^{row.patient.issuer}"
        parts.append(f"patient {patient}" + (f" {row.patient.name}" if row.patient.name else ""))
    elif row.unreadable_patient:
        parts.append("patient (cannot be decrypted: another key, or the line was changed)")
    if row.studies:
        parts.append("studies " + ", ".join(row.studies))
    if row.source:
        parts.append(f"source {row.source}")
    if row.outcome:
        parts.append(f"outcome {row.outcome} (failed)")
    if row.detail:
        parts.append(" ".join(f"{k}={_word(v)}" for k, v in sorted(row.detail.items())))
    return "  ".join(parts)


def _word(value: object) -> str:
    return ",".join(str(v) for v in value) if isinstance(value, list) else str(value)
