"""Argument parsing and the one place where errors become exit codes and messages.

A command's module is imported only when that command runs: pydicom, numpy and requests
cost most of a second, which ``--version``, ``--help`` and scripts that call the CLI in a
loop should not pay. :data:`COMMANDS` names each command's module and its one-line help,
so the top-level help lists every command without importing any of them.

A command that opens the window (``view``) sets ``window_handler`` instead of ``handler``:
it is handed the window launcher too (``main.py``'s, which imports Qt only when called),
since the core never imports Qt itself.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from viewer import __version__
from viewer.errors import ExitCode, QingyingError
from viewer.resources import build_stamp

if TYPE_CHECKING:
    from viewer.cli.view_cmd import ViewRequest
    from viewer.config import Config
    from viewer.launch import LaunchRequest

PROG = "qingying"
# The window: its config file, and what to show in it (None: the history screen).
GuiLauncher = Callable[[Path | None, "ViewRequest | LaunchRequest | None"], int]
Handler = Callable[[argparse.Namespace, "Config"], int]
BareHandler = Callable[[argparse.Namespace, None], int]  # a command that reads no config
WindowHandler = Callable[[argparse.Namespace, "Config", GuiLauncher | None], int]


class Command(NamedTuple):
    module: str  # offers add_parser(subparsers), which sets the parser's default handler
    help: str  # the same text as the module's add_parser gives (a unit test checks it)


# In the order the help lists them. One module may define several commands (login, logout).
COMMANDS: dict[str, Command] = {
    "config": Command("viewer.cli.config_cmd", "show the effective configuration"),
    "login": Command(
        "viewer.cli.login_cmd", "check a source's password and keep it in the keyring"
    ),
    "logout": Command("viewer.cli.login_cmd", "forget a source's password"),
    "search": Command("viewer.cli.search_cmd", "a patient's imaging history across all sources"),
    "fetch": Command("viewer.cli.fetch_cmd", "retrieve a study or series into the offline cache"),
    "prefetch": Command("viewer.cli.prefetch_cmd", "fetch the worklist patients' recent studies"),
    "cache": Command("viewer.cli.cache_cmd", "the offline cache: list, verify, evict, pin, import"),
    "export": Command("viewer.cli.export_cmd", "an image as PNG (native size, display VOI)"),
    "view": Command("viewer.cli.view_cmd", "open a cached study in the reading view"),
    "measure": Command(
        "viewer.cli.measure_cmd", "measure on a cached image (value and calibration)"
    ),
    "measurements": Command(
        "viewer.cli.measurements_cmd", "a study's measurements: list, export, import"
    ),
    "open": Command(
        "viewer.cli.open_cmd", "show a patient's history in the window, as the HIS asks"
    ),
    "audit": Command(
        "viewer.cli.audit_cmd", "the audit trail of patient access: show, verify, forward"
    ),
}

log = logging.getLogger(__name__)


def build_parser(command: str | None = None, *, stub_help: bool = True) -> argparse.ArgumentParser:
    """The parser with ``command``'s own arguments, every other command as a stub.

    Only ``command``'s module is imported (none when ``command`` is None). A stub knows
    its name and help, enough for the top-level help and for telling which command argv
    names; ``stub_help=False`` leaves ``-h`` to be parsed later as that command's own.
    """
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Qingying (轻影): imaging history across hospitals. "
        "Without a command, the viewer window opens.",
    )
    stamp = build_stamp()
    version = f"{PROG} {__version__}" + (f" (build {stamp})" if stamp else "")
    parser.add_argument("--version", action="version", version=version)
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="a config file laid over site and user config"
    )
    parser.add_argument("--debug", action="store_true", help="show debug logs and tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="<command>")
    wanted = COMMANDS[command].module if command in COMMANDS else None
    for name, entry in COMMANDS.items():
        if name in sub.choices:
            continue  # defined by a module that defines several commands
        if entry.module == wanted:
            importlib.import_module(entry.module).add_parser(sub)
            wanted = None
        else:
            sub.add_parser(name, help=entry.help, add_help=stub_help)
    return parser


def _command_named(argv: Sequence[str] | None) -> str | None:
    """The command argv names, from a parse with every command a stub. ``--version``,
    the top-level ``--help`` and top-level usage errors (an unknown command) end here."""
    args, _rest = build_parser(stub_help=False).parse_known_args(argv)
    command: str | None = args.command
    return command


def run(argv: Sequence[str] | None = None, *, gui: GuiLauncher | None = None) -> int:
    """Parse ``argv`` and run the command; return the exit code, never raise."""
    argv = _url_as_open(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command_named(argv))
    args = parser.parse_args(argv)  # exits 2 on usage errors, as argparse does
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not args.debug:
        # Retries are routine on bad links; the command reports what finally failed.
        logging.getLogger("urllib3").setLevel(logging.ERROR)
    _forget_unrecorded()  # what an earlier command of this process left is not this one's
    try:
        if args.command is None:
            if gui is None:
                parser.print_help(sys.stderr)
                return ExitCode.USAGE
            return gui(args.config, None)
        code = _dispatch(args, gui)
        _say_unrecorded()
        return code
    except QingyingError as err:
        _say_unrecorded()
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
        index_db = sys.modules.get("viewer.cache.index_db")  # loaded if the cache was
        said = index_db.damaged(err) if index_db is not None else None
        if said is not None:  # a page of the sealed index failed its check as it was read
            print(f"{PROG}: {said}", file=sys.stderr)
            return int(said.exit_code)
        return _unexpected(err, args.debug)


def _forget_unrecorded() -> None:
    auditing = sys.modules.get("viewer.session.auditing")
    if auditing is not None:
        auditing.Auditor.unrecorded = None


def _say_unrecorded() -> None:
    """What the command did with patient data went unrecorded in the audit trail: said,
    once, after the command's own words (only if the trail was asked: the module is
    loaded then)."""
    auditing = sys.modules.get("viewer.session.auditing")
    if auditing is None:
        return  # nothing was recorded, so nothing failed to be
    problem = auditing.Auditor.unrecorded
    if problem is not None:
        print(
            f"{PROG}: warning: this was not recorded in the audit trail ({problem}); tell IT",
            file=sys.stderr,
        )


def _dispatch(args: argparse.Namespace, gui: GuiLauncher | None) -> int:
    """Run the command ``args`` name, with the configuration it reads."""
    if not getattr(args, "needs_config", True):
        # An installer writing the site config: no config may be read before it.
        bare: BareHandler = args.handler
        return bare(args, None)
    config = load_config(args.config)
    if "window_handler" in args:
        window_handler: WindowHandler = args.window_handler
        return window_handler(args, config, gui)
    handler: Handler = args.handler
    return handler(args, config)


def _url_as_open(argv: Sequence[str]) -> list[str]:
    """``qingying qingying://open?...`` — how the desktop hands a clicked URL over (the
    handler's ``%u``) — is the ``open`` command with that URL; only in the command's
    place, after the options (``--config FILE``, ``--debug``)."""
    args = list(argv)
    index = 0
    while index < len(args) and args[index].startswith("-"):
        index += 2 if args[index] == "--config" else 1
    if index < len(args) and args[index].lower().startswith("qingying:"):
        return [*args[:index], "open", "--url", args[index], *args[index + 1 :]]
    return args


def load_config(path: Path | None) -> Config:
    """viewer.config's, imported with the command (it costs --version 40 ms)."""
    from viewer.config import load_config as load

    return load(path)


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
