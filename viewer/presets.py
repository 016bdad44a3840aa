"""Window/level presets (resources/presets/window_level.toml), by name."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from viewer.errors import UsageError
from viewer.imaging.voi_lut import Window
from viewer.resources import resources_dir


def presets_file() -> Path:
    return resources_dir() / "presets" / "window_level.toml"


@cache
def presets() -> dict[str, Window]:
    with presets_file().open("rb") as fh:
        data = tomllib.load(fh)
    return {
        name: Window(float(v["center"]), float(v["width"]), explanation=name)
        for name, v in data.items()
    }


def preset(name: str) -> Window:
    try:
        return presets()[name]
    except KeyError:
        known = ", ".join(sorted(presets()))
        raise UsageError(f"no window preset {name!r} (known: {known})") from None
