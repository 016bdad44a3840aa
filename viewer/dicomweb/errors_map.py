"""How HTTP failures become the core's typed errors, shared by every DICOMweb call.

AuthError for refused credentials, CertificateError for TLS, NetworkError when the
server cannot be reached or the link drops, ServerError for an error status.
Messages name the source and never the query string (it may hold patient identifiers).
"""

from __future__ import annotations

import requests
import urllib3.exceptions

from viewer.errors import (
    AuthError,
    CertificateError,
    CertificateProblem,
    NetworkError,
    NotFoundError,
    QingyingError,
    ServerError,
)


def request_error(name: str, err: requests.exceptions.RequestException) -> QingyingError:
    """The typed error for a request that got no usable answer."""
    if isinstance(err, requests.exceptions.SSLError):
        why = reason(err)
        return CertificateError(f"{name}: {certificate_problem(why)}", problem_kind(why))
    if isinstance(err, requests.exceptions.RetryError):
        return ServerError(f"{name}: still failing after retries ({reason(err)})")
    if isinstance(err, (requests.exceptions.ConnectionError, requests.exceptions.Timeout)):
        return NetworkError(f"{name}: cannot reach the server ({reason(err)})")
    return NetworkError(f"{name}: request failed ({reason(err)})")


def problem_kind(why: str) -> CertificateProblem:
    """OpenSSL's reason for refusing a certificate, as one of the kinds a screen words."""
    text = why.lower()
    if "expired" in text:
        return "expired"
    if "self-signed" in text or "self signed" in text:
        return "self_signed"
    if "mismatch" in text or "not valid for" in text or "doesn't match" in text:
        return "name_mismatch"
    return "untrusted"


def certificate_problem(why: str) -> str:
    """What is wrong with a server's certificate, and who can mend it: an expired or a
    self-signed one its administrators; one for another name the source's URL; one not
    trusted the site's CA bundle. Each is refused: verification is never turned off."""
    kind = problem_kind(why)
    if kind == "expired":
        return f"the server's certificate has expired ({why}); its administrators must renew it"
    if kind == "self_signed":
        return (
            f"the server's certificate is self-signed ({why}): no certificate authority "
            "vouches for it; its administrators must install one issued by a CA the site trusts"
        )
    if kind == "name_mismatch":
        return (
            f"the server's certificate names another server than the configured URL ({why}); "
            "check the source's url with IT"
        )
    return (
        f"the server's certificate is not trusted ({why}); "
        "ask IT for the site CA bundle (ca_bundle in the config)"
    )


# What reading an answer's body can raise once the status line has arrived.
READ_ERRORS: tuple[type[Exception], ...] = (
    urllib3.exceptions.HTTPError,  # ProtocolError, ReadTimeoutError, IncompleteRead...
    requests.exceptions.RequestException,
    OSError,
)


def read_error(name: str, err: Exception) -> NetworkError:
    """The typed error for a connection that failed while the body was arriving."""
    return NetworkError(f"{name}: the connection dropped during the transfer ({reason(err)})")


def raise_for_status(name: str, response: requests.Response) -> None:
    code = response.status_code
    if code < 400:
        return
    if code in (401, 403):
        raise AuthError(f"{name}: the server refused the credentials (HTTP {code})")
    if code == 404:
        # The path only: the query string may hold patient identifiers.
        path = response.url.split("?", 1)[0]
        raise NotFoundError(f"{name}: not found (HTTP 404) at {path}")
    if code in (429, 503) and (wait := _retry_after_seconds(response)) is not None:
        # Retry-After longer than the session waits (see session.QuietRetry): say so.
        raise ServerError(
            f"{name}: the server is busy (HTTP {code}) and asks to try again in {wait} s"
        )
    raise ServerError(f"{name}: the server answered HTTP {code}")


def _retry_after_seconds(response: requests.Response) -> int | None:
    """A Retry-After in whole seconds when it is one (the server's text is never echoed)."""
    value = response.headers.get("Retry-After", "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        return None
    return int(value)


def reason(err: BaseException) -> str:
    """The innermost cause, which reads best ("Connection refused", "certificate ...")."""
    cause: BaseException = err
    while cause.__cause__ or cause.__context__:
        nxt = cause.__cause__ or cause.__context__
        assert nxt is not None
        cause = nxt
    text = str(cause) or type(cause).__name__
    return text if len(text) < 160 else text[:157] + "..."
