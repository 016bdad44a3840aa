"""The audit trail holds no patient identity in clear, is the user's alone, and without
a key from the keyring writes nothing at all."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.support.memory_keyring import LockedKeyring, MemoryKeyring
from viewer.audit import AuditEvent, AuditTrail
from viewer.audit.keys import SERVICE, os_user
from viewer.audit.reader import show
from viewer.errors import AuditError, AuditKeyUnavailableError, KeyringUnavailableError

NAME = "王小明"
PATIENT_ID = "320106198001011234"
ISSUER = "JS-EMPI"
BIRTH_DATE = "19800101"


def events() -> list[AuditEvent]:
    who = {"patient_id": PATIENT_ID, "issuer": ISSUER, "patient_name": NAME}
    return [
        AuditEvent("searched", **who, detail={"keys": ("PatientID", "IssuerOfPatientID")}),
        AuditEvent("opened", **who, study_uids=("1.2.3.4",), source="provincial"),
        AuditEvent("exported", **who, study_uids=("1.2.3.4",), detail={"destination": "png"}),
        AuditEvent("screenshot", **who, study_uids=("1.2.3.4",)),
        AuditEvent("measured", **who, study_uids=("1.2.3.4",)),
        AuditEvent("prefetched", **who, study_uids=("1.2.3.4",), detail={"instances": 300}),
        AuditEvent("deleted", **who, study_uids=("1.2.3.4",), outcome=8),
        AuditEvent("signed_in", source="provincial", platform_user="doctor"),
    ]


def test_no_patient_identifier_is_in_the_files_bytes(
    tmp_path: Path, memory_keyring: object
) -> None:
    trail = AuditTrail(tmp_path / "audit")
    for one in events():
        trail.record(one)
    needles = {
        "name UTF-8": NAME.encode("utf-8"),
        "name GB18030": NAME.encode("gb18030"),
        "name as JSON escapes": NAME.encode("unicode_escape"),
        "patient ID": PATIENT_ID.encode(),
        "issuer": ISSUER.encode(),
        "birth date": BIRTH_DATE.encode(),
    }
    written = [p for p in (tmp_path / "audit").rglob("*") if p.is_file()]
    assert written
    for path in written:
        data = path.read_bytes()
        found = [what for what, needle in needles.items() if needle in data]
        assert found == [], f"{path.name} holds the {found}"
    # ... yet the key opens them again
    keys = trail.keys(create=False)
    rows = show(trail.folder, keys, patient_id=PATIENT_ID).rows
    assert len(rows) == 7 and {r.patient.name for r in rows if r.patient} == {NAME}


def test_the_folder_and_files_are_the_users_alone(tmp_path: Path, memory_keyring: object) -> None:
    trail = AuditTrail(tmp_path / "audit")
    trail.record(events()[1])
    assert stat.S_IMODE((tmp_path / "audit").stat().st_mode) == 0o700
    for path in (tmp_path / "audit").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_an_open_folder_made_before_is_closed(tmp_path: Path, memory_keyring: object) -> None:
    folder = tmp_path / "audit"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    AuditTrail(folder).record(events()[1])
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_the_key_is_made_once_in_the_keyring_and_kept(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    AuditTrail(tmp_path / "a").record(events()[1])
    stored = memory_keyring.entries[(SERVICE, os_user())]
    AuditTrail(tmp_path / "a").record(events()[1])
    assert memory_keyring.entries == {(SERVICE, os_user()): stored}


def test_a_locked_keyring_raises_a_typed_error_and_writes_nothing(tmp_path: Path) -> None:
    import keyring

    previous = keyring.get_keyring()
    keyring.set_keyring(LockedKeyring())
    try:
        trail = AuditTrail(tmp_path / "audit")
        with pytest.raises(AuditKeyUnavailableError) as raised:
            trail.record(events()[1])
    finally:
        keyring.set_keyring(previous)
    assert isinstance(raised.value, AuditError) and isinstance(
        raised.value, KeyringUnavailableError
    )
    assert "keyring" in str(raised.value) and PATIENT_ID not in str(raised.value)
    assert list((tmp_path / "audit").glob("audit-*")) == []


def test_a_damaged_key_entry_is_refused_and_left_alone(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.entries[(SERVICE, os_user())] = "not a key"
    with pytest.raises(AuditKeyUnavailableError, match="damaged"):
        AuditTrail(tmp_path / "audit").record(events()[1])
    assert memory_keyring.entries[(SERVICE, os_user())] == "not a key"
    assert list((tmp_path / "audit").glob("audit-*")) == []


def test_a_detail_holding_the_patient_id_is_refused(tmp_path: Path, memory_keyring: object) -> None:
    trail = AuditTrail(tmp_path / "audit")
    leaky = AuditEvent(
        "searched", patient_id=PATIENT_ID, detail={"query": f"PatientID={PATIENT_ID}"}
    )
    with pytest.raises(ValueError, match="patient's identity"):
        trail.record(leaky)
    assert list((tmp_path / "audit").glob("audit-*")) == []


def test_a_patient_block_moved_to_another_line_no_longer_opens(
    tmp_path: Path, memory_keyring: object
) -> None:
    import json

    trail = AuditTrail(tmp_path / "audit")
    trail.record(events()[1])
    trail.record(AuditEvent("opened", patient_id="other", issuer="NJGL"))
    (path,) = (tmp_path / "audit").glob("audit-*.jsonl")
    first, second = (json.loads(line) for line in path.read_bytes().splitlines())
    second["patient"] = first["patient"]  # the AAD binds a block to its seq
    path.write_text(
        "\n".join(json.dumps(x, sort_keys=True, separators=(",", ":")) for x in (first, second))
        + "\n"
    )
    rows = show(trail.folder, trail.keys(create=False)).rows
    assert rows[0].patient is not None and rows[0].patient.id == PATIENT_ID
    assert rows[1].patient is None and rows[1].unreadable_patient
