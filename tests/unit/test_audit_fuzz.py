"""Reading the trail is a boundary: any bytes in its files give a report, never a crash.

A few hundred seeded cases mutate a real trail (bytes flipped, cut, put in, lines
repeated, dropped or swapped, random junk, deep nesting, huge numbers, bad UTF-8) and
check that verify, show and the forwarder's reader answer with a report or a typed
error only, and that verify never calls a changed trail intact.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from viewer.audit import AuditEvent, AuditTrail
from viewer.audit.keys import derive
from viewer.audit.reader import records_after, show, verify
from viewer.errors import AuditError

SEED = 20261207
CASES = 300


def flip_bits(rng: random.Random, data: bytes, lines: list[bytes]) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
    return bytes(buf)


def cut(rng: random.Random, data: bytes, lines: list[bytes]) -> bytes:
    return data[: rng.randrange(len(data))]


def put_in(rng: random.Random, data: bytes, lines: list[bytes]) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]


def repeat_line(rng: random.Random, data: bytes, lines: list[bytes]) -> bytes:
    n = rng.randrange(len(lines))
    return b"".join([*lines[: n + 1], lines[n], *lines[n + 1 :]])


def drop_line(rng: random.Random, data: bytes, lines: list[bytes]) -> bytes:
    del lines[rng.randrange(len(lines))]
    return b"".join(lines)


def swap_lines(rng: random.Random, data: bytes, lines: list[bytes]) -> bytes:
    a, b = rng.sample(range(len(lines)), 2)
    lines[a], lines[b] = lines[b], lines[a]
    return b"".join(lines)


def junk(rng: random.Random, data: bytes, lines: list[bytes]) -> bytes:
    return rng.randbytes(rng.randint(0, 4096))


def deep_nesting(rng: random.Random, data: bytes, lines: list[bytes]) -> bytes:
    return b"".join(lines[:2]) + b"[" * 200_000 + b"\n"


def strange_value(rng: random.Random, data: bytes, lines: list[bytes]) -> bytes:
    strange = rng.choice(
        [b"1" * 5000, b"-1", b"1e400", b"NaN", b"null", b'"\\ud800"', b"true", b"[]", b"{}"]
    )
    line = lines[rng.randrange(len(lines))]
    at = line.find(b":", rng.randrange(len(line)))
    end = line.find(b",", at)
    if at < 0 or end < 0:
        return data + line[:10]
    return data.replace(line, line[: at + 1] + strange + line[end:], 1)


def bad_utf8(rng: random.Random, data: bytes, lines: list[bytes]) -> bytes:
    n = rng.randrange(len(lines))
    lines[n] = lines[n][:20] + b"\xff\xfe\x00\xc3" + lines[n][20:]
    return b"".join(lines)


def too_long(rng: random.Random, data: bytes, lines: list[bytes]) -> bytes:
    return data + b"x" * rng.randint(70_000, 140_000)


MUTATIONS = [
    flip_bits, cut, put_in, repeat_line, drop_line, swap_lines, junk, deep_nesting,
    strange_value, bad_utf8, too_long,
]  # fmt: skip


def mutate(rng: random.Random, data: bytes) -> bytes:
    return rng.choice(MUTATIONS)(rng, data, data.splitlines(keepends=True))


def test_verify_and_show_answer_any_bytes_with_a_report(
    tmp_path: Path, memory_keyring: object
) -> None:
    source = tmp_path / "source"
    trail = AuditTrail(source)
    for n in range(12):
        trail.record(AuditEvent("opened", patient_id=f"ID{n:04d}", issuer="X", detail={"n": n}))
    keys = trail.keys(create=False)
    (original,) = source.glob("audit-*.jsonl")
    data = original.read_bytes()
    wrong_keys = derive(os.urandom(32))
    rng = random.Random(SEED)
    for case in range(CASES):
        folder = tmp_path / f"case{case}"
        folder.mkdir()
        mutated = mutate(rng, data)
        (folder / original.name).write_bytes(mutated)
        if rng.random() < 0.2:  # a second file before it, junk too
            (folder / "audit-2020-01.jsonl").write_bytes(mutate(rng, data))
        try:
            report = verify(folder, keys)
            show(folder, keys, patient_id="ID0003")
            show(folder, wrong_keys)
            list(records_after(folder, rng.randrange(14)))
            if rng.random() < 0.3:  # appending onto whatever is there
                AuditTrail(folder).record(AuditEvent("searched", patient_id="ID0001"))
                verify(folder, keys)
        except AuditError:
            pass
        except Exception as err:  # pragma: no cover - the failure's report
            pytest.fail(f"case {case} (seed {SEED}) raised {type(err).__name__}: {err}")
        else:
            if mutated != data or (folder / "audit-2020-01.jsonl").exists():
                assert not report.intact or report.events < 12, f"case {case} called intact"
        shutil.rmtree(folder)
