"""Clinic worklists: which patients to prefetch for, from a plain list or a CSV export.

Formats accepted (the file a clinic's scheduling system or a spreadsheet writes):
- one patient per line: ``PATIENT_ID`` or ``PATIENT_ID ISSUER`` (space, tab or comma),
  ``#`` starts a comment;
- CSV with a header naming the columns: a patient ID column (``PatientID``,
  ``patient_id``, ``ID``, ``患者ID``), optionally an issuer column (``IssuerOfPatientID``,
  ``issuer``) and a date column (``date``, ``visit_date``, ``日期``) of the visit.
Text is UTF-8 (with or without BOM) or GB18030, as Chinese spreadsheets export it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from viewer.errors import InvalidDataError, NotFoundError

_ID_COLUMNS = ("patientid", "patient_id", "id", "患者id", "病人id")
_ISSUER_COLUMNS = ("issuerofpatientid", "issuer", "签发机构")
_DATE_COLUMNS = ("date", "visit_date", "visitdate", "日期", "就诊日期")
_DATE_RE = re.compile(r"(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})")  # full-width digits too


@dataclass(frozen=True)
class WorklistEntry:
    patient_id: str
    issuer: str = ""
    visit: date | None = None
    line: int = 0  # where it came from, for messages


def read_worklist(path: Path) -> list[WorklistEntry]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError as err:
        raise NotFoundError(f"{path}: no such worklist file") from err
    except OSError as err:
        raise InvalidDataError(f"{path}: cannot be read ({err.strerror})") from err
    text = _decode(raw, path)
    # Line numbers as the file has them (comments and blank lines count), for messages.
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        return []
    first = lines[0][1]
    header = [c.strip().lower() for c in next(csv.reader([first]))]
    if any(c in _ID_COLUMNS for c in header) and ("," in first or "\t" in first):
        return _from_csv(lines, header, path)
    return [_from_plain(line, number, path) for number, line in lines]


def _decode(raw: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidDataError(f"{path}: not UTF-8 or GB18030 text")


def _from_plain(line: str, number: int, path: Path) -> WorklistEntry:
    parts = [p for p in re.split(r"[\s,;]+", line.strip()) if p]
    if len(parts) > 2:
        raise InvalidDataError(f"{path}:{number}: expected 'PATIENT_ID [ISSUER]'")
    return WorklistEntry(parts[0], parts[1] if len(parts) == 2 else "", None, number)


def _from_csv(lines: list[tuple[int, str]], header: list[str], path: Path) -> list[WorklistEntry]:
    dialect = csv.excel_tab if "\t" in lines[0][1] else csv.excel
    id_col = next(i for i, c in enumerate(header) if c in _ID_COLUMNS)
    issuer_col = next((i for i, c in enumerate(header) if c in _ISSUER_COLUMNS), None)
    date_col = next((i for i, c in enumerate(header) if c in _DATE_COLUMNS), None)
    rows = lines[1:]
    pulled: list[int] = []  # line numbers the reader has taken so far

    def feed() -> Iterator[str]:
        for number, line in rows:
            pulled.append(number)
            yield line

    entries = []
    taken = 0
    for row in csv.reader(feed(), dialect):  # one reader: a quoted field may span lines
        number, taken = rows[taken][0], len(pulled)
        if id_col >= len(row) or not row[id_col].strip():
            continue
        issuer = row[issuer_col].strip() if issuer_col is not None and issuer_col < len(row) else ""
        visit = None
        if date_col is not None and date_col < len(row) and row[date_col].strip():
            visit = _parse_date(row[date_col].strip(), f"{path}:{number}")
        entries.append(WorklistEntry(row[id_col].strip(), issuer, visit, number))
    return entries


def _parse_date(value: str, where: str) -> date:
    match = _DATE_RE.fullmatch(value)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    raise InvalidDataError(f"{where}: not a date: {value!r} (use YYYY-MM-DD or YYYYMMDD)")


def due(entries: list[WorklistEntry], today: date, days_ahead: int) -> list[WorklistEntry]:
    """Entries without a date, or whose visit is from today to ``days_ahead`` days on."""
    return [e for e in entries if e.visit is None or 0 <= (e.visit - today).days <= days_ahead]
