"""Clinic worklists: plain lists and spreadsheet CSVs, UTF-8 or GB18030."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from viewer.errors import InvalidDataError, NotFoundError
from viewer.retrieve.worklist import WorklistEntry, due, read_worklist


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "worklist.txt"
    path.write_bytes(text.encode(encoding))
    return path


def test_plain_list_with_optional_issuer_and_comments(tmp_path: Path) -> None:
    path = write(tmp_path, "# clinic 3\n320102196503140372 JS-EMPI\n\nGL20081136,NJGL\nW518833\n")
    assert [(e.patient_id, e.issuer) for e in read_worklist(path)] == [
        ("320102196503140372", "JS-EMPI"),
        ("GL20081136", "NJGL"),
        ("W518833", ""),
    ]


def test_gb18030_csv_with_chinese_headers_and_dates(tmp_path: Path) -> None:
    text = (
        "患者ID,签发机构,日期,姓名\n"
        "320102196503140372,JS-EMPI,2026-11-28,王小东\n"
        "GL1,NJGL,20261201,李秀英\n"
    )
    entries = read_worklist(write(tmp_path, text, "gb18030"))
    assert entries == [
        WorklistEntry("320102196503140372", "JS-EMPI", date(2026, 11, 28), 2),
        WorklistEntry("GL1", "NJGL", date(2026, 12, 1), 3),
    ]


def test_excel_csv_with_bom_is_read(tmp_path: Path) -> None:
    entries = read_worklist(write(tmp_path, "\ufeffPatientID,IssuerOfPatientID\nA1,JSPH\n"))
    assert entries == [WorklistEntry("A1", "JSPH", None, 2)]


def test_only_visits_from_today_to_days_ahead_are_due() -> None:
    entries = [
        WorklistEntry("past", visit=date(2026, 11, 26)),
        WorklistEntry("today", visit=date(2026, 11, 27)),
        WorklistEntry("tomorrow", visit=date(2026, 11, 28)),
        WorklistEntry("later", visit=date(2026, 11, 30)),
        WorklistEntry("undated"),
    ]
    assert [e.patient_id for e in due(entries, date(2026, 11, 27), 1)] == [
        "today",
        "tomorrow",
        "undated",
    ]


def test_bad_date_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(InvalidDataError, match=r"worklist.txt:2: not a date"):
        read_worklist(write(tmp_path, "PatientID,date\nA1,next tuesday\n"))


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        read_worklist(tmp_path / "absent.csv")


def test_line_numbers_are_the_files_own_comments_and_blanks_counted(tmp_path: Path) -> None:
    plain = write(tmp_path, "# clinic 3\n\nA1\n# break\nB2 NJGL\n")
    assert [e.line for e in read_worklist(plain)] == [3, 5]
    csv_text = "# export of 2026-11-27\nPatientID,date\n\nA1,2026-11-28\n# moved\nB2,later\n"
    with pytest.raises(InvalidDataError, match=r"worklist.txt:6: not a date"):
        read_worklist(write(tmp_path, csv_text))


def test_a_csv_row_without_the_id_column_is_skipped(tmp_path: Path) -> None:
    text = "name,PatientID\nonly a name\nWang,A1\n"
    assert [(e.patient_id, e.line) for e in read_worklist(write(tmp_path, text))] == [("A1", 3)]


def test_a_quoted_csv_field_may_span_lines(tmp_path: Path) -> None:
    text = 'PatientID,notes,date\nA1,"needs\nold films",2026-11-28\nB2,,2026-11-29\nC3,x,soon\n'
    path = write(tmp_path, text)
    with pytest.raises(InvalidDataError, match=r"worklist.txt:5: not a date"):
        read_worklist(path)
    path.write_text(text.replace(",soon", ",2026-11-30"), encoding="utf-8")
    entries = read_worklist(path)
    assert [(e.patient_id, e.visit, e.line) for e in entries] == [
        ("A1", date(2026, 11, 28), 2),
        ("B2", date(2026, 11, 29), 4),
        ("C3", date(2026, 11, 30), 5),
    ]
