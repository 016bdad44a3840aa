"""Reading the trail back: checking its chain, and showing who saw which patient.

Both read the files as untrusted input: whatever bytes they hold give a report or rows,
never an exception but :class:`~viewer.errors.AuditError` (a folder that cannot be read,
or no key to read with).

:func:`verify` walks every line in order and stops at the first break, naming the file,
the line and what is wrong: a line that cannot be read or is not as written, a torn
last line, a seq gap (lines removed), seqs out of order (lines swapped or repeated), a
line made under another key, a MAC that does not match (the line was changed or forged).

What the chain cannot tell alone: lines cut from the *end* of the trail leave a shorter
chain that verifies. The copy forwarded to the hospital's collector, and its cursor
(``forwarded``), are what shows that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from viewer.audit import files
from viewer.audit.keys import AuditKeys
from viewer.audit.lines import GENESIS, MAX_LINE, Line, Patient, parse
from viewer.errors import AuditError, AuditKeyUnavailableError


@dataclass(frozen=True)
class Break:
    file: Path
    line: int  # from 1, within the file
    seq: int | None  # the line's seq when it could be read
    problem: str

    def __str__(self) -> str:
        seq = f" (seq {self.seq})" if self.seq is not None else ""
        return f"{self.file}: line {self.line}{seq}: {self.problem}"


@dataclass(frozen=True)
class VerifyReport:
    events: int  # records checked and found whole (up to the break, if any)
    files: int
    broken: Break | None = None
    set_aside: tuple[Path, ...] = ()  # torn tails an append set aside (see trail.py)

    @property
    def intact(self) -> bool:
        return self.broken is None


@dataclass(frozen=True)
class Row:
    """One record as ``audit show`` prints it, the patient block opened."""

    seq: int
    time: dt.datetime  # UTC
    kind: str
    os_user: str
    platform_user: str | None
    workstation: str
    source: str | None
    outcome: int
    event_id: str
    action: str
    studies: tuple[str, ...]
    detail: dict[str, Any]
    patient: Patient | None
    unreadable_patient: bool = False  # a block was there but could not be opened

    def json(self) -> dict[str, Any]:
        patient = self.patient
        return {
            "seq": self.seq,
            "time": _utc_text(self.time),
            "kind": self.kind,
            "event_id": self.event_id,
            "action": self.action,
            "outcome": self.outcome,
            "os_user": self.os_user,
            "platform_user": self.platform_user,
            "workstation": self.workstation,
            "source": self.source,
            "patient_id": patient.id if patient else None,
            "issuer": patient.issuer if patient else None,
            "patient_name": patient.name if patient else None,
            "patient_unreadable": self.unreadable_patient,
            "studies": list(self.studies),
            "detail": self.detail,
        }


@dataclass
class ShowResult:
    rows: list[Row] = field(default_factory=list)
    skipped: int = 0  # lines that could not be read (verify names them)


def verify(folder: Path, keys: AuditKeys | None) -> VerifyReport:
    """The chain from the first line of the first file to the last of the last."""
    paths = files.trail_files(folder)
    set_aside = tuple(files.set_aside_files(folder))
    if keys is None:
        if not paths:
            return VerifyReport(0, 0, None, set_aside)
        raise AuditKeyUnavailableError(
            "the system keyring holds no audit trail key for this user: the trail in "
            f"{folder} cannot be checked (it was written by another user or keyring)"
        )
    count, previous_mac, expected = 0, GENESIS, 1
    for path in paths:
        for line_no, line, next_seq in _checked_lines(path):
            if isinstance(line, Break):
                return VerifyReport(count, len(paths), line, set_aside)
            problem = _problem(line, keys, previous_mac, expected, next_seq)
            if problem:
                return VerifyReport(
                    count, len(paths), Break(path, line_no, line.seq, problem), set_aside
                )
            count, previous_mac, expected = count + 1, line.mac, expected + 1
    return VerifyReport(count, len(paths), None, set_aside)


def _problem(
    line: Line, keys: AuditKeys, previous_mac: str, expected: int, next_seq: int | None
) -> str:
    if line.kid != keys.kid:
        return "written under another key than this user's keyring holds"
    if line.seq < expected:
        return (
            f"out of order: seq {line.seq} comes after seq {expected - 1} "
            "(a line moved or repeated)"
        )
    if line.seq > expected:
        if next_seq == expected:
            return f"out of order: seq {line.seq} comes before seq {expected} (lines swapped)"
        missing = (
            f"seq {expected}" if line.seq == expected + 1 else f"seqs {expected}-{line.seq - 1}"
        )
        return f"seq gap: {missing} missing (a line removed)"
    if line.expected_mac(keys, previous_mac) != line.mac:
        return "MAC mismatch: the line was changed, or forged"
    return ""


def _checked_lines(path: Path) -> Iterator[tuple[int, Line | Break, int | None]]:
    """Each line parsed, with the next line's seq when it can be read (to tell lines
    swapped from a line removed); a Break for the first line that cannot be read."""
    try:
        reading = files.lines(path)
        pending: tuple[int, Line] | None = None
        for line_no, raw, whole in reading:
            if not whole:
                problem = (
                    "a line too long to be a record"
                    if len(raw) > MAX_LINE
                    else "incomplete last line (a write was interrupted)"
                )
                if pending:
                    yield pending[0], pending[1], None
                yield line_no, Break(path, line_no, None, problem), None
                return
            parsed = parse(raw)
            if pending:
                yield pending[0], pending[1], parsed.seq if isinstance(parsed, Line) else None
            if not isinstance(parsed, Line):
                yield line_no, Break(path, line_no, None, parsed), None
                return
            pending = (line_no, parsed)
        if pending:
            yield pending[0], pending[1], None
    except OSError as err:
        raise AuditError(f"{path}: the audit trail cannot be read ({err.strerror})") from err


def show(
    folder: Path,
    keys: AuditKeys | None,
    *,
    patient_id: str | None = None,
    issuer: str | None = None,
    since: dt.datetime | None = None,
) -> ShowResult:
    """The records (oldest first) of ``patient_id`` (and ``issuer``) from ``since`` on."""
    result = ShowResult()
    paths = files.trail_files(folder)
    if keys is None:
        if paths:
            raise AuditKeyUnavailableError(
                "the system keyring holds no audit trail key for this user: the trail in "
                f"{folder} cannot be read"
            )
        return result
    for path in paths:
        try:
            for _line_no, raw, whole in files.lines(path):
                line = parse(raw) if whole else None
                row = _row(line, keys) if isinstance(line, Line) else None
                if row is None:
                    result.skipped += 1
                elif _wanted(row, patient_id, issuer, since):
                    result.rows.append(row)
        except OSError as err:
            raise AuditError(f"{path}: the audit trail cannot be read ({err.strerror})") from err
    return result


def _wanted(
    row: Row, patient_id: str | None, issuer: str | None, since: dt.datetime | None
) -> bool:
    if since is not None and row.time < since:
        return False
    if patient_id is not None and (row.patient is None or row.patient.id != patient_id):
        return False
    return issuer is None or (row.patient is not None and row.patient.issuer == issuer)


def _row(line: Line, keys: AuditKeys) -> Row | None:
    f = line.fields
    try:
        time = dt.datetime.strptime(f["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    patient = line.patient(keys)
    return Row(
        seq=line.seq,
        time=time,
        kind=f["kind"],
        os_user=f["os_user"],
        platform_user=f["platform_user"],
        workstation=f["workstation"],
        source=f["source"],
        outcome=f["outcome"],
        event_id=f["event_id"],
        action=f["action"],
        studies=tuple(f["studies"]),
        detail=f["detail"],
        patient=patient,
        unreadable_patient=f["patient"] is not None and patient is None,
    )


def records_after(folder: Path, seq: int) -> Iterator[Line]:
    """The readable lines with a seq above ``seq``, in order; the files wholly before it
    are skipped by their first line (the forwarder's way through a long trail)."""
    paths = files.trail_files(folder)
    for index, path in enumerate(paths):
        following = _first_seq(paths[index + 1]) if index + 1 < len(paths) else None
        if following is not None and following - 1 <= seq:
            continue
        for _line_no, raw, whole in files.lines(path):
            line = parse(raw) if whole else None
            if isinstance(line, Line) and line.seq > seq:
                yield line


def _first_seq(path: Path) -> int | None:
    for _line_no, raw, whole in files.lines(path):
        line = parse(raw) if whole else None
        return line.seq if isinstance(line, Line) else None
    return None


def _utc_text(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
