"""The audit trail is a chain: whole, it verifies; any change to it is named where it is.

Each tampering (a byte changed, a line removed, two swapped, a forged line put in, a
write torn by a crash) is reported at the right file and line. A torn tail is set aside
by the next append, which chains onto the last whole record.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import pytest

from viewer.audit import AuditEvent, AuditTrail
from viewer.audit.keys import AuditKeys
from viewer.audit.reader import VerifyReport, verify

PATIENT = "320106198001011234"


def event(n: int = 0) -> AuditEvent:
    return AuditEvent(
        "opened",
        patient_id=PATIENT,
        issuer="JS-EMPI",
        study_uids=(f"1.2.826.0.1.3680043.8.498.{n + 1}",),
        source="provincial",
        platform_user="doctor",
        detail={"instances": n},
    )


@pytest.fixture
def trail(tmp_path: Path, memory_keyring: object) -> AuditTrail:
    made = AuditTrail(tmp_path / "audit")
    for n in range(6):
        made.record(event(n))
    return made


def only_file(trail: AuditTrail) -> Path:
    (path,) = sorted(trail.folder.glob("audit-*.jsonl"))
    return path


def check(trail: AuditTrail) -> VerifyReport:
    keys = trail.keys(create=False)
    assert isinstance(keys, AuditKeys)
    return verify(trail.folder, keys)


def rewrite(path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"".join(line + b"\n" for line in lines))


def test_a_chain_of_events_verifies_intact(trail: AuditTrail) -> None:
    report = check(trail)
    assert report.intact and report.events == 6 and report.files == 1
    seqs = [json.loads(line)["seq"] for line in only_file(trail).read_bytes().splitlines()]
    assert seqs == [1, 2, 3, 4, 5, 6]


def test_each_line_carries_the_ps3_15_codes_and_who_when_where(trail: AuditTrail) -> None:
    first = json.loads(only_file(trail).read_bytes().splitlines()[0])
    assert (first["event_id"], first["action"], first["outcome"]) == ("110103", "R", 0)
    assert first["platform_user"] == "doctor" and first["os_user"] and first["workstation"]
    assert first["audit_source"].startswith("qingying@")
    when = dt.datetime.strptime(first["time"], "%Y-%m-%dT%H:%M:%S.%fZ")
    assert first["time"][-5] == "." and when.year >= 2026  # milliseconds, UTC
    assert first["studies"] == ["1.2.826.0.1.3680043.8.498.1"]


@pytest.mark.parametrize("line_index", [0, 2, 5])
def test_one_changed_byte_is_reported_at_its_line(trail: AuditTrail, line_index: int) -> None:
    path = only_file(trail)
    lines = path.read_bytes().splitlines()
    changed = bytearray(lines[line_index])
    at = changed.index(b'"instances":') + len(b'"instances":')
    changed[at] = ord("7") if changed[at] != ord("7") else ord("8")
    lines[line_index] = bytes(changed)
    rewrite(path, lines)
    broken = check(trail).broken
    assert broken is not None and broken.file == path
    assert broken.line == line_index + 1 and "MAC mismatch" in broken.problem


def test_a_changed_byte_in_the_json_itself_is_reported(trail: AuditTrail) -> None:
    path = only_file(trail)
    data = bytearray(path.read_bytes())
    second_line = data.index(b"\n") + 1
    data[second_line + 3] ^= 0x01
    path.write_bytes(bytes(data))
    broken = check(trail).broken
    assert broken is not None and broken.line == 2


def test_a_removed_line_is_a_seq_gap_at_the_line_after_it(trail: AuditTrail) -> None:
    path = only_file(trail)
    lines = path.read_bytes().splitlines()
    del lines[3]
    rewrite(path, lines)
    report = check(trail)
    assert report.broken is not None and report.broken.line == 4
    assert "seq gap: seq 4 missing" in report.broken.problem and report.events == 3


def test_two_swapped_lines_are_out_of_order(trail: AuditTrail) -> None:
    path = only_file(trail)
    lines = path.read_bytes().splitlines()
    lines[1], lines[2] = lines[2], lines[1]
    rewrite(path, lines)
    broken = check(trail).broken
    assert broken is not None and broken.line == 2 and "out of order" in broken.problem


def test_a_forged_line_put_in_is_reported_at_it(trail: AuditTrail) -> None:
    path = only_file(trail)
    lines = path.read_bytes().splitlines()
    forged = json.loads(lines[2])
    forged["kind"] = "searched"  # a plausible record, seq and all, but no key to sign it
    lines.insert(3, json.dumps(forged, sort_keys=True, separators=(",", ":")).encode())
    for n in range(4, len(lines)):  # the forger renumbers what follows
        renumbered = json.loads(lines[n])
        renumbered["seq"] += 1
        lines[n] = json.dumps(renumbered, sort_keys=True, separators=(",", ":")).encode()
    forged["seq"] = 4
    lines[3] = json.dumps(forged, sort_keys=True, separators=(",", ":")).encode()
    rewrite(path, lines)
    broken = check(trail).broken
    assert broken is not None and broken.line == 4 and "MAC mismatch" in broken.problem


def test_a_torn_last_line_is_reported_then_set_aside_by_the_next_append(
    trail: AuditTrail, caplog: pytest.LogCaptureFixture
) -> None:
    path = only_file(trail)
    whole = path.read_bytes()
    path.write_bytes(whole + whole.splitlines()[0][:40])  # a crash mid-write
    broken = check(trail).broken
    assert broken is not None and broken.line == 7 and "incomplete last line" in broken.problem

    with caplog.at_level(logging.WARNING):
        trail.record(event(99))
    assert "set aside" in caplog.text and PATIENT not in caplog.text
    report = check(trail)
    assert report.intact and report.events == 7
    assert report.set_aside == (path.with_name(path.name + ".torn"),)
    assert json.loads(path.read_bytes().splitlines()[-1])["seq"] == 7


def test_a_damaged_last_line_is_not_chained_onto_and_stays_reported(trail: AuditTrail) -> None:
    path = only_file(trail)
    lines = path.read_bytes().splitlines()
    lines[-1] = b"garbage that is not a record"
    rewrite(path, lines)
    trail.record(event(7))  # the doctor can go on; the damage stays where it is
    report = check(trail)
    assert report.broken is not None and report.broken.line == 6
    assert "not a readable record" in report.broken.problem
    assert json.loads(path.read_bytes().splitlines()[-1])["seq"] == 6  # after seq 5


def test_the_chain_runs_on_across_month_files(trail: AuditTrail) -> None:
    path = only_file(trail)
    older = path.with_name("audit-2026-01.jsonl")
    path.rename(older)  # as if these were written in January
    trail.record(event(7))
    report = check(trail)
    assert report.intact and report.events == 7 and report.files == 2
    new_first = json.loads(only_file_named(trail, path.name).read_bytes().splitlines()[0])
    assert new_first["seq"] == 7


def only_file_named(trail: AuditTrail, name: str) -> Path:
    return trail.folder / name


def test_a_file_removed_from_the_middle_is_a_seq_gap(trail: AuditTrail) -> None:
    path = only_file(trail)
    lines = path.read_bytes().splitlines()
    rewrite(path.with_name("audit-2026-01.jsonl"), lines[:2])
    rewrite(path.with_name("audit-2026-02.jsonl"), lines[2:4])
    rewrite(path, lines[4:])
    assert check(trail).intact
    path.with_name("audit-2026-02.jsonl").unlink()
    broken = check(trail).broken
    assert broken is not None and broken.file == path and broken.line == 1
    assert "seqs 3-4 missing" in broken.problem


def test_a_trail_written_under_another_key_is_named_so(
    trail: AuditTrail, memory_keyring: object
) -> None:
    memory_keyring.entries.clear()  # type: ignore[attr-defined]
    other = AuditTrail(trail.folder)
    other.record(event(1))  # a new key is made: the old records are not its
    broken = check(other).broken
    assert broken is not None and broken.line == 1 and "another key" in broken.problem
