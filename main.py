"""Qingying (轻影) entry point: a command runs in the Qt-free core; no command opens the window."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from viewer.cli.view_cmd import ViewRequest

_window_opened = False


def launch_gui(config_path: Path | None, view: ViewRequest | None = None) -> int:
    """The window, on the history screen or (``view``) on a cached series."""
    global _window_opened
    _window_opened = True
    # Imported here so that CLI commands never load Qt.
    from widgets.app import run_gui

    return run_gui(config_path, view)


def main() -> int:
    # A bundled app (PyInstaller) starts the isolated decoder's child process by running
    # this executable again: that child must decode, not open the viewer. Only a bundle
    # needs it (elsewhere it does nothing), and importing multiprocessing costs --version.
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    from viewer.cli import run

    return run(sys.argv[1:], gui=launch_gui)


def end_command(code: int) -> None:
    """End a command's process without the interpreter's teardown.

    A command's work is done and durable when it returns (the cache commits each
    instance with fsync before counting it), yet tearing down every imported module
    takes a further 55-69 ms that whoever typed the command waits for (bench/RESULTS.md,
    issue 13). What is registered to run at exit still runs (logging's flush, temporary
    directories' finalizers), the output is flushed, and the process leaves. The window
    ends the usual way: Qt's objects are destroyed in order, and so does a command that
    left a thread of its own running (the interpreter waits for it).
    """
    import atexit
    import os
    import threading

    main_thread = threading.main_thread()
    if any(t is not main_thread and not t.daemon and t.is_alive() for t in threading.enumerate()):
        return

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (| head): nothing more to say
            code = code or 1
    os._exit(code)


if __name__ == "__main__":
    status = main()
    if not _window_opened:
        end_command(status)
    sys.exit(status)
