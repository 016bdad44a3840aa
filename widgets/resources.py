"""Paths of the files under ``resources/`` (stylesheet, icons, translations)."""

from __future__ import annotations

from pathlib import Path

from viewer.resources import resources_dir

__all__ = ["icon_path", "resources_dir", "stylesheet", "translation_file"]


def stylesheet() -> str:
    return (resources_dir() / "style.qss").read_text(encoding="utf-8")


def icon_path(name: str) -> Path:
    return resources_dir() / "icons" / name


def translation_file(language: str) -> Path:
    return resources_dir() / "translations" / f"qingying_{language}.qm"
