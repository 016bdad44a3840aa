"""Qingying (轻影) entry point: a command runs in the Qt-free core; no command opens the window."""

from __future__ import annotations

import sys
from pathlib import Path


def launch_gui(config_path: Path | None) -> int:
    # Imported here so that CLI commands never load Qt.
    from widgets.app import run_gui

    return run_gui(config_path)


def main() -> int:
    # A bundled app (PyInstaller) starts the isolated decoder's child process by running
    # this executable again: that child must decode, not open the viewer. Only a bundle
    # needs it (elsewhere it does nothing), and importing multiprocessing costs --version.
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    from viewer.cli import run

    return run(sys.argv[1:], gui=launch_gui)


if __name__ == "__main__":
    sys.exit(main())
