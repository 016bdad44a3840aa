"""Argument parsing and the one place where errors become exit codes and messages."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from viewer import __version__
from viewer.cli import (
    cache_cmd,
    config_cmd,
    export_cmd,
    fetch_cmd,
    login_cmd,
    prefetch_cmd,
    search_cmd,
)
from viewer.config import Config, load_config
from viewer.errors import ExitCode, QingyingError

PROG = "qingying"
GuiLauncher = Callable[[Path | None], int]

# Each command module offers add_parser(subparsers) and run(args, config) -> int.
COMMANDS = (config_cmd, login_cmd, search_cmd, fetch_cmd, prefetch_cmd, cache_cmd, export_cmd)

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Qingying (轻影): imaging history across hospitals. "
        "Without a command, the viewer window opens.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="a config file laid over site and user config"
    )
    parser.add_argument("--debug", action="store_true", help="show debug logs and tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="<command>")
    for module in COMMANDS:
        module.add_parser(sub)
    return parser


def run(argv: Sequence[str] | None = None, *, gui: GuiLauncher | None = None) -> int:
    """Parse ``argv`` and run the command; return the exit code, never raise."""
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on usage errors, as argparse does
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not args.debug:
        # Retries are routine on bad links; the command reports what finally failed.
        logging.getLogger("urllib3").setLevel(logging.ERROR)
    try:
        if args.command is None:
            if gui is None:
                parser.print_help(sys.stderr)
                return ExitCode.USAGE
            return gui(args.config)
        config: Config = load_config(args.config)
        code: int = args.handler(args, config)
        return code
    except QingyingError as err:
        if args.debug:
            log.exception("command failed")
        print(f"{PROG}: {err}", file=sys.stderr)
        return int(err.exit_code)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BaseException as err:
        if isinstance(err, SystemExit | GeneratorExit):
            raise
        return _unexpected(err, args.debug)


def _unexpected(err: BaseException, debug: bool) -> int:
    """A bug, or a native library's panic that no boundary mapped (pyo3's PanicException
    is no Exception): one line and exit 1, the traceback with ``--debug``."""
    if debug:
        log.error("unexpected error", exc_info=err)
    # A panic's text is the library's internals: its kind says enough.
    detail = f": {err}" if isinstance(err, Exception) else ""
    print(
        f"{PROG}: unexpected error ({type(err).__name__}{detail}); run with --debug for details",
        file=sys.stderr,
    )
    return int(ExitCode.UNEXPECTED)
