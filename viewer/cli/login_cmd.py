"""``login`` and ``logout``: keep or forget a source's password in the system keyring.

The password is read from standard input only (``--password-stdin``): never from the
command line, where other users and shell history could see it. A source that signs in
through an OpenID provider (``auth = "oidc"``) takes no password here: the doctor signs
in at the provider's page (:mod:`viewer.cli.sso_login`).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from viewer.config import Config
from viewer.errors import AuthError, UsageError
from viewer.sources import login as session_login


def add_parser(sub: Any) -> None:
    login = sub.add_parser("login", help="check a source's password and keep it in the keyring")
    login.add_argument("--source", required=True, metavar="NAME")
    login.add_argument("--username", metavar="U", help="default: the configured username")
    login.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (the only way to give it)",
    )
    login.add_argument(
        "--device",
        action="store_true",
        help='auth = "oidc": sign in on another device with a code, even with a browser here',
    )
    login.set_defaults(handler=run_login)
    logout = sub.add_parser("logout", help="forget a source's password")
    logout.add_argument("--source", required=True, metavar="NAME")
    logout.add_argument("--username", metavar="U")
    logout.set_defaults(handler=run_logout)


def read_password(stream: Any = None) -> str:
    line = (stream or sys.stdin).readline()
    password: str = line.rstrip("\r\n")
    if not password:
        raise AuthError("no password on standard input")
    return password


def run_login(args: argparse.Namespace, config: Config) -> int:
    source = config.source(args.source)
    if source.auth == "none":
        raise UsageError(f'{source.name} needs no sign-in (auth = "none")')
    if source.auth == "oidc":
        from viewer.cli import sso_login

        grant = sso_login.sign_in(source, device=args.device)
        user = grant.user.login
        _record_sign_in(config, source.name, user)
        print(f"signed in to {source.name} as {user} through {grant.settings.issuer}")
        return 0
    if not args.password_stdin:
        raise UsageError("give --password-stdin and the password on standard input")
    username = args.username or source.username
    if not username:
        raise UsageError(f"{source.name}: give --username (the config names none)")
    session_login.login(source, username, read_password())
    _record_sign_in(config, source.name, username)
    print(f"signed in to {source.name} as {username}; the password is kept in the system keyring")
    return 0


def _record_sign_in(config: Config, source: str, user: str) -> None:
    from viewer.audit.events import AuditEvent
    from viewer.session.auditing import Auditor

    Auditor.of(config).record(AuditEvent("signed_in", source=source, platform_user=user))


def run_logout(args: argparse.Namespace, config: Config) -> int:
    source = config.source(args.source)
    if source.auth == "oidc":
        from viewer.cli import sso_login

        out = sso_login.sign_out(source)
        if not out.was_signed_in:
            print(f"{source.name}: not signed in")
            return 0
        how = (
            "revoked at the provider"
            if out.revoked
            else "forgotten here; the provider could not be told"
        )
        print(f"signed out of {source.name}; the sign-in was {how}")
        if out.end_session:
            print(f"to end the session at the provider too, open {out.end_session}")
        return 0
    if session_login.logout(source, args.username):
        print(f"signed out of {source.name}")
    else:
        print(f"{source.name}: no stored password")
    return 0
