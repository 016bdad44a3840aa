#!/usr/bin/env python3
"""The long fuzz run over every untrusted-input boundary (see tests/fuzz/__init__.py).

    .venv/bin/python scripts/fuzz.py --cases 10000 --boundary all
    .venv/bin/python scripts/fuzz.py replay decode 1 1234

Without a command, ``run`` is meant. Prints per boundary: cases, outcomes, crashes,
hangs, untyped errors, broken promises and time; then each distinct failure with the
command that replays it. Exit status 1 if anything failed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    os.chdir(REPO_ROOT)  # the workers run from the repository, as the tests do
    sys.path.insert(0, str(REPO_ROOT))
    from tests.fuzz.__main__ import main

    args = sys.argv[1:]
    if not args or args[0] not in ("run", "replay", "-h", "--help"):
        args = ["run", *args]
    sys.exit(main(args))
