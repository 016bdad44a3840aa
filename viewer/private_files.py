"""Files holding patient data or sign-in details are the user's alone.

The cache (images, its index, measurements) and the user's config folder are made
readable by their owner only: on a shared workstation another account must not read who
was looked at. A folder or file made before with open modes is closed when it is next
opened. Windows gives a user's profile folders to that user already; there is nothing to
do there.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def make_private(path: Path, mode: int) -> None:
    """``path`` (if there, and the user's own) readable by the user alone."""
    try:
        if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o077:
            path.chmod(mode)
    except (FileNotFoundError, AttributeError):  # not there yet; no getuid (Windows)
        pass
