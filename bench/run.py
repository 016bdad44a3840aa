"""Run every benchmark in bench/ (``make bench``); each prints ratios against its baseline."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.common import machine  # noqa: E402


def main() -> int:
    print(f"machine: {machine()}")
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    for name in names:
        print(f"\n== {name}")
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
