"""Every file a careless client could have written a secret to: the repository, the
home folder, the temporary folders and the test keyring's home, for tests that look for
a password or a token where it must not be."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", ".git", ".demo", "__pycache__", ".mypy_cache", ".ruff_cache", "storage"}
MAX_FILE = 8 * 2**20


def files_to_search(skip: Iterable[Path] = ()) -> Iterator[Path]:
    """Each file once; ``skip``: folders of a server's own (its config and storage)."""
    skipped = set(skip)
    roots = [REPO, Path.home(), Path("/tmp"), Path("/var/tmp")]
    keyring_home = os.environ.get("QINGYING_TEST_KEYRING_HOME")
    if keyring_home:
        roots.append(Path(keyring_home))
    seen: set[Path] = set()
    for root in roots:
        for folder, dirs, names in os.walk(root):
            here = Path(folder)
            dirs[:] = [
                d
                for d in dirs
                if d not in SKIP_DIRS
                and here / d not in skipped
                and not (here / d / "pyvenv.cfg").exists()  # installed packages only
            ]
            for name in names:
                path = here / name
                if path in seen or not path.is_file() or path.is_symlink():
                    continue
                seen.add(path)
                try:
                    if path.stat().st_size <= MAX_FILE:
                        yield path
                except OSError:
                    continue


def read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
