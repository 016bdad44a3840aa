"""Which font file draws Chinese: the overlay shows names in the file's script (王小东).

VTK's default fonts (Arial, Courier, Times as bundled) have no CJK glyphs and draw
boxes, so the text actors are given a font file. fontconfig is asked first (Linux);
otherwise known files are looked for in the usual folders (Windows has no fc-list).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

# Sans before serif, Simplified Chinese before the other CJK faces: overlay text is small.
PREFERRED = (
    "NotoSansCJKsc-Regular.otf",
    "NotoSansSC-Regular.otf",
    "NotoSansCJK-Regular.ttc",
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
    "DroidSansFallbackFull.ttf",
    "DroidSansFallback.ttf",
    "msyh.ttc",  # Microsoft YaHei (Windows)
    "simhei.ttf",
    "simsun.ttc",
)
FOLDERS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path("C:/Windows/Fonts"),
)


def _rank(path: Path) -> tuple[int, int, str]:
    name = path.name
    known = PREFERRED.index(name) if name in PREFERRED else len(PREFERRED)
    # Among unknown files, a regular sans face before bold or serif ones.
    lowered = name.lower()
    penalty = ("bold" in lowered) + ("serif" in lowered) + ("mono" in lowered)
    return known, penalty, str(path)


def _fc_list(command: str) -> list[Path]:
    exe = shutil.which(command)
    if exe is None:
        return []
    try:
        done = subprocess.run(
            [exe, ":lang=zh", "file"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in done.stdout.splitlines():
        name = line.strip().rstrip(":").strip()
        if name and Path(name).is_file():
            found.append(Path(name))
    return found


def find_cjk_font(fc_list: str | None = "fc-list", folders: Sequence[Path] = FOLDERS) -> str | None:
    """A font file with Chinese glyphs, or None (the caller keeps VTK's default font).

    fontconfig's answer (``fc-list :lang=zh file``) when there is one, else a file of
    ``PREFERRED`` under ``folders``; the best by ``PREFERRED``'s order, then regular sans.
    """
    found = _fc_list(fc_list) if fc_list else []
    if not found:
        for folder in folders:
            if folder.is_dir():
                found.extend(p for name in PREFERRED for p in folder.rglob(name) if p.is_file())
    return str(min(found, key=_rank)) if found else None


@functools.cache
def cjk_font() -> str | None:
    """:func:`find_cjk_font` once per process (fc-list takes tens of ms)."""
    return find_cjk_font()
