"""Command-line interface of Qingying: scripting, IT checks and tests use it.

``python main.py [--config FILE] <command> ...``; without a command, main.py opens the
window instead. Each command lives in its own module, imported only when that command
runs; :data:`viewer.cli.main.COMMANDS` names the module and the help of each.
"""

from viewer.cli.main import run

__all__ = ["run"]
