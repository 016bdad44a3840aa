"""Paths of the files under ``resources/`` (stylesheet, icons, translations)."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    # A PyInstaller bundle unpacks data next to the executable (sys._MEIPASS).
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else Path(__file__).resolve().parent.parent
    return root / "resources"


def stylesheet() -> str:
    return (resources_dir() / "style.qss").read_text(encoding="utf-8")


def icon_path(name: str) -> Path:
    return resources_dir() / "icons" / name


def translation_file(language: str) -> Path:
    return resources_dir() / "translations" / f"qingying_{language}.qm"
