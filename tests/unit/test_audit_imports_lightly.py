"""Importing the audit API (as the fetch path will, to record) costs a few milliseconds:
``cryptography``, ``filelock``, the XML and TLS of forwarding wait until they are used."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LATER = ("cryptography", "filelock", "xml.etree.ElementTree", "viewer.audit.syslog", "getpass")


def test_importing_the_audit_api_leaves_the_heavy_parts_for_later() -> None:
    probe = (
        "import json, sys\n"
        "from viewer.audit import AuditEvent, AuditTrail, open_trail\n"
        f"print(json.dumps([m for m in {LATER!r} if m in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
