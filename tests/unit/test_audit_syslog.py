"""Forwarding to the hospital's collector: RFC 5424 over TLS (RFC 5425), octet counted,
each message a DICOM audit message; nothing lost when the collector is down."""

from __future__ import annotations

import socket
import ssl
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.certificates import make_ca_and_server_cert
from viewer.audit import AuditEvent, AuditTrail
from viewer.audit.syslog import BOM
from viewer.audit.trail import open_trail
from viewer.config import load_config
from viewer.demo.orthanc import find_free_port

PATIENT = ("320106198001011234", "JS-EMPI", "王小明")
STUDY = "1.2.826.0.1.3680043.8.498.7"


class Receiver:
    """A collector on 127.0.0.1 speaking TLS: keeps every connection's bytes."""

    def __init__(self, folder: Path) -> None:
        self.ca, cert, key = make_ca_and_server_cert(folder)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.context = context
        self.received: list[bytes] = []
        self.done = threading.Semaphore(0)
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                raw, _ = self.listener.accept()
            except OSError:
                return
            try:
                with self.context.wrap_socket(raw, server_side=True) as tls:
                    data = b""
                    while chunk := tls.recv(65536):
                        data += chunk
                self.received.append(data)
            except (OSError, ssl.SSLError):
                pass
            self.done.release()

    def messages(self) -> list[bytes]:
        """The syslog messages, framed as RFC 5425 says: ``LEN SP MSG``."""
        out = []
        for data in self.received:
            while data:
                length, _, rest = data.partition(b" ")
                assert length.isdigit(), data[:40]
                out.append(rest[: int(length)])
                data = rest[int(length) :]
        return out


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Receiver]:
    made = Receiver(tmp_path)
    yield made
    made.listener.close()


def opened(n: int = 0) -> AuditEvent:
    pid, issuer, name = PATIENT
    return AuditEvent(
        "opened", patient_id=pid, issuer=issuer, patient_name=name, study_uids=(STUDY,),
        platform_user="doctor", detail={"n": n},
    )  # fmt: skip


def parse(message: bytes) -> tuple[list[bytes], ET.Element]:
    header, bom, xml = message.partition(BOM)
    assert bom == BOM
    return header.split(b" "), ET.fromstring(xml)  # noqa: S314 (our own message)


def test_events_arrive_as_rfc5424_frames_holding_the_dicom_audit_message(
    tmp_path: Path, memory_keyring: object, receiver: Receiver
) -> None:
    trail = AuditTrail(
        tmp_path / "audit", syslog=("127.0.0.1", receiver.port), ca_bundle=receiver.ca
    )
    assert trail.forwarder is not None
    trail.record(opened())
    trail.record(AuditEvent("deleted", patient_id=PATIENT[0], issuer=PATIENT[1], outcome=8))
    assert trail.forwarder.wait_idle(10)
    report = trail.forwarder.forward()  # whatever the background left: nothing
    assert report.pending == 0 and report.problem is None
    messages = receiver.messages()
    assert len(messages) == 2
    header, xml = parse(messages[0])
    assert header[0] == b"<85>1"  # authpriv (10) * 8 + notice (5); version 1
    assert header[3:6] == [b"qingying", header[4], b"110103"]
    assert header[6:8] == [b"[meta", b'sequenceId="1"]']
    assert xml.tag == "AuditMessage"
    event = xml.find("EventIdentification")
    assert event is not None and event.get("EventActionCode") == "R"
    assert event.get("EventOutcomeIndicator") == "0"
    assert xml.find("EventIdentification/EventID").get("csd-code") == "110103"  # type: ignore[union-attr]
    objects = {
        o.get("ParticipantObjectTypeCodeRole"): o
        for o in xml.iter("ParticipantObjectIdentification")
    }
    patient = objects["1"]
    assert patient.get("ParticipantObjectID") == f"{PATIENT[0]}^^^{PATIENT[1]}"
    assert patient.get("ParticipantObjectTypeCode") == "1"
    assert patient.find("ParticipantObjectIDTypeCode").get("csd-code") == "2"  # type: ignore[union-attr]
    assert objects["3"].get("ParticipantObjectID") == STUDY
    assert PATIENT[2].encode() not in messages[0]  # the name stays on the workstation
    assert next(p.get("UserID") for p in xml.iter("ActiveParticipant")) == "doctor"
    assert xml.find("AuditSourceIdentification") is not None
    header, xml = parse(messages[1])
    assert header[0] == b"<84>1" and header[5] == b"110105"  # a failure: warning
    assert xml.find("EventIdentification").get("EventActionCode") == "D"  # type: ignore[union-attr]
    assert (tmp_path / "audit" / "forwarded").read_text().strip() == "2"


def test_a_collector_down_keeps_the_cursor_and_the_next_forward_delivers(
    tmp_path: Path, memory_keyring: object, receiver: Receiver
) -> None:
    folder = tmp_path / "audit"
    down = AuditTrail(folder, syslog=("127.0.0.1", find_free_port()), ca_bundle=receiver.ca)
    assert down.forwarder is not None
    for n in range(3):
        down.record(opened(n))
    down.forwarder.wait_idle(10)
    report = down.forwarder.forward()
    assert (report.sent, report.pending) == (0, 3) and report.problem
    assert not (folder / "forwarded").exists()

    up = AuditTrail(folder, syslog=("127.0.0.1", receiver.port), ca_bundle=receiver.ca)
    assert up.forwarder is not None
    report = up.forwarder.forward()
    assert (report.sent, report.pending, report.problem) == (3, 0, None)
    assert receiver.done.acquire(timeout=10)
    assert len(receiver.messages()) == 3
    up.record(opened(4))  # the next one alone
    assert up.forwarder.wait_idle(10) and receiver.done.acquire(timeout=10)
    assert len(receiver.messages()) == 4


def test_a_collector_whose_certificate_is_not_trusted_gets_nothing(
    tmp_path: Path, memory_keyring: object, receiver: Receiver
) -> None:
    (tmp_path / "other").mkdir()
    other_ca, _, _ = make_ca_and_server_cert(tmp_path / "other")
    trail = AuditTrail(tmp_path / "audit", syslog=("127.0.0.1", receiver.port), ca_bundle=other_ca)
    assert trail.forwarder is not None
    trail.record(opened())
    trail.forwarder.wait_idle(10)
    report = trail.forwarder.forward()
    assert report.problem is not None and "not trusted" in report.problem and report.pending == 1
    assert receiver.messages() == []


def test_the_forward_command_sends_what_is_pending(
    tmp_path: Path, memory_keyring: object, receiver: Receiver, capsys: pytest.CaptureFixture[str]
) -> None:
    from viewer.cli import run

    config = tmp_path / "c.toml"
    config.write_text(
        f'[cache]\ndir = "{tmp_path / "cache"}"\n[privacy]\naudit_dir = "{tmp_path / "audit"}"\n'
        f'audit_syslog = "127.0.0.1:{receiver.port}"\naudit_syslog_ca_bundle = "{receiver.ca}"\n',
        encoding="utf-8",
    )
    folder = open_trail(load_config(config)).folder  # this OS user's, under audit_dir
    AuditTrail(folder).record(opened())  # recorded with no forwarding set
    assert run(["--config", str(config), "audit", "forward"]) == 0
    assert (
        capsys.readouterr().out.strip()
        == f"forwarded 1 events to 127.0.0.1:{receiver.port}; 0 pending"
    )
    assert receiver.done.acquire(timeout=10) and len(receiver.messages()) == 1
