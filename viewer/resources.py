"""Where the shared files under ``resources/`` are, in a checkout or a bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    # A PyInstaller bundle unpacks data next to the executable (sys._MEIPASS).
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else Path(__file__).resolve().parent.parent
    return root / "resources"


def build_stamp() -> str | None:
    """The build a bundle was made from (``make package`` writes ``resources/BUILD``:
    the commit and the day), None in a checkout."""
    try:
        text = (resources_dir() / "BUILD").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text[:80] or None
