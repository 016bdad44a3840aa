"""Command-line interface of Qingying: scripting, IT checks and tests use it.

``python main.py [--config FILE] <command> ...``; without a command, main.py opens the
window instead. Each command lives in its own module and registers itself in
:data:`COMMANDS`.
"""

from viewer.cli.main import run

__all__ = ["run"]
