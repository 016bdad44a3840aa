"""Progress of long commands on stderr (stdout stays for results and JSON)."""

from __future__ import annotations

import sys
import time


class StderrProgress:
    """Progress lines on stderr: one updating line on a terminal (at most 5 a second),
    else a line every 5 seconds and the last one."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last = 0.0
        self.shown = False

    def show(self, line: str, *, finished: bool, empty: bool = False) -> None:
        now = time.monotonic()
        if empty or (now - self.last < (0.2 if self.tty else 5.0) and not finished):
            return
        self.last = now
        print(f"\r{line}" if self.tty else line, end="" if self.tty else "\n", file=sys.stderr)
        self.shown = True

    def done(self) -> None:
        if self.tty and self.shown:
            print(file=sys.stderr)
            self.shown = False
