"""Typed errors of the core, each tied to the exit code the CLI reports.

Every failure a user can meet (bad config, wrong password, unreachable server, bad data)
is one of these, so the CLI and the UI can show one clear line instead of a traceback.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Literal


class ExitCode(IntEnum):
    """Exit codes shared by every CLI command."""

    OK = 0
    UNEXPECTED = 1
    USAGE = 2  # bad arguments or bad configuration
    AUTH = 3
    NETWORK = 4  # no source reachable
    NOT_FOUND = 5
    INVALID_DATA = 6


class QingyingError(Exception):
    """Base of every error the user is meant to read; ``str(err)`` is that message."""

    exit_code: ExitCode = ExitCode.UNEXPECTED


class ConfigError(QingyingError):
    """A configuration file is unreadable or holds a wrong value.

    The message names the file, the key and the problem, e.g.
    ``/etc/qingying/config.toml: sources[1].auth: must be one of basic, oidc, none``.
    """

    exit_code = ExitCode.USAGE

    def __init__(self, source: str, key: str | None, problem: str) -> None:
        self.source = source
        self.key = key
        self.problem = problem
        where = f"{source}: {key}" if key else source
        super().__init__(f"{where}: {problem}")


class AuthError(QingyingError):
    exit_code = ExitCode.AUTH


class NetworkError(QingyingError):
    exit_code = ExitCode.NETWORK


class NotFoundError(QingyingError):
    exit_code = ExitCode.NOT_FOUND


class InvalidDataError(QingyingError):
    exit_code = ExitCode.INVALID_DATA


CertificateProblem = Literal["expired", "self_signed", "name_mismatch", "untrusted"]


class CertificateError(NetworkError):
    """TLS verification failed. ``problem`` says what was wrong, for a screen to word in
    its own language and to name who can mend it: an expired or self-signed certificate
    the server's administrators; one naming another server the source's URL; one not
    trusted the site's CA bundle."""

    def __init__(self, message: str, problem: CertificateProblem = "untrusted") -> None:
        super().__init__(message)
        self.problem: CertificateProblem = problem


class ServerError(NetworkError):
    """The server answered, but with an error status the client cannot act on."""


class CancelledError(QingyingError):
    """The user cancelled; not a failure, nothing to report."""


class UsageError(QingyingError):
    """The command or the search was asked in a way that cannot be carried out."""

    exit_code = ExitCode.USAGE


class NotSignedInError(AuthError):
    """No credentials are stored for a source yet: the user has to sign in first."""


class SignInAgainError(NotSignedInError):
    """The identity provider no longer honours this workstation's sign-in (its refresh
    token revoked, expired or already used): the doctor signs in again. Nothing cached
    is touched."""


class SignInRefusedError(AuthError):
    """An OpenID Connect sign-in failed its checks or was denied: a wrong ``state``, an
    ID token whose signature, issuer, audience, nonce or lifetime does not hold, the
    user's denial, an expired device code. The message says which, never a token."""


class KeyringUnavailableError(AuthError):
    """No usable system keyring: secrets cannot be kept, so none are."""


class AuditError(QingyingError):
    """The audit trail of patient access cannot be written or read: nothing is recorded
    unprotected, and the caller decides whether the action may go on without its record.
    The message names the trail's folder or file, never a patient."""


class AuditKeyUnavailableError(AuditError, KeyringUnavailableError):
    """The audit trail's key cannot be had from the system keyring (none, locked, or its
    entry damaged): no record is written, since none may be written in clear. Also a
    KeyringUnavailableError, so the window words it as the keyring's problem."""


class CacheKeyUnavailableError(KeyringUnavailableError):
    """The offline cache's key cannot be had from the system keyring (none, locked, or
    its entry damaged): the cache stays closed, since nothing may be written to it in
    clear. Worded as the keyring's problem."""


class CacheKeyLostError(QingyingError):
    """The keyring no longer holds the key the cache was sealed with (see
    :mod:`viewer.cache.cache_key` for what counts as lost): what it holds under that key
    can never be read again, and it is rebuilt from the sources. ``key_id``: the id of
    the lost key as the cache named it (None: it named none, or not readably). The
    message names the cache folder, never a patient."""

    def __init__(self, message: str, key_id: str | None = None) -> None:
        super().__init__(message)
        self.key_id = key_id


class CacheIndexDamagedError(InvalidDataError):
    """Pages of the sealed cache index fail their authentication: changed outside the
    app, or damaged on disk. Nothing it says can be trusted; the message names the cache
    folder and how many pages, never a patient."""


class DiskFullError(QingyingError):
    """The disk holding the cache is full (ENOSPC or a quota): nothing half-written stays.

    The message names the cache folder. Exit code 1: none of the others fits, and the
    user has to act (free space, or a smaller ``cache.max_size``)."""


# What kind of problem an error is, as the doctor needs to know it: the one reading of
# the error types that the window's and the command line's words are chosen by.
ProblemKind = Literal[
    "no-keyring",  # no system keyring to read the password from
    "not-signed-in",
    "sign-in-refused",
    "disk-full",
    "certificate",  # the server's certificate is not trusted
    "server",  # the server answered with an error
    "network",  # the server could not be reached, or the link failed
    "other",
]


def problem_kind(err: BaseException) -> ProblemKind:
    if isinstance(err, KeyringUnavailableError):
        return "no-keyring"
    if isinstance(err, NotSignedInError):
        return "not-signed-in"
    if isinstance(err, AuthError):
        return "sign-in-refused"
    if isinstance(err, DiskFullError):
        return "disk-full"
    if isinstance(err, CertificateError):
        return "certificate"
    if isinstance(err, ServerError):
        return "server"
    if isinstance(err, NetworkError):
        return "network"
    return "other"
