"""Writers at once (the window and a command, or threads of one) make one valid chain."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from viewer.audit import AuditEvent, AuditTrail
from viewer.audit.reader import verify

PER_WRITER = 25


def write_many(folder: str, writer: int) -> None:
    trail = AuditTrail(Path(folder))
    for n in range(PER_WRITER):
        trail.record(AuditEvent("opened", patient_id=f"P{writer}-{n}", detail={"n": n}))


def test_threads_appending_at_once_give_one_chain(tmp_path: Path, memory_keyring: object) -> None:
    folder = tmp_path / "audit"
    AuditTrail(folder).keys()  # the key made once, before the writers start
    threads = [threading.Thread(target=write_many, args=(str(folder), w)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = verify(folder, AuditTrail(folder).keys(create=False))
    assert report.intact and report.events == 4 * PER_WRITER


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="the memory keyring is forked"
)
def test_processes_appending_at_once_give_one_chain(tmp_path: Path, memory_keyring: object) -> None:
    folder = tmp_path / "audit"
    AuditTrail(folder).keys()  # in the keyring the children inherit
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=write_many, args=(str(folder), w)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    report = verify(folder, AuditTrail(folder).keys(create=False))
    assert report.intact and report.events == 4 * PER_WRITER
