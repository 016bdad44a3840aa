"""One reading of the error types: what kind of problem the doctor is told of."""

from __future__ import annotations

import pytest

from viewer import secrets
from viewer.errors import (
    AuthError,
    CertificateError,
    DiskFullError,
    InvalidDataError,
    KeyringUnavailableError,
    NetworkError,
    NotSignedInError,
    ServerError,
    problem_kind,
)


@pytest.mark.parametrize(
    ("err", "kind"),
    [
        (KeyringUnavailableError("no keyring"), "no-keyring"),
        (NotSignedInError("x"), "not-signed-in"),
        (AuthError("401"), "sign-in-refused"),
        (DiskFullError("full"), "disk-full"),
        (CertificateError("self-signed"), "certificate"),  # a NetworkError, said apart
        (ServerError("500"), "server"),
        (NetworkError("refused"), "network"),
        (InvalidDataError("bad"), "other"),
        (ValueError("a bug"), "other"),
    ],
)
def test_each_error_is_the_kind_of_problem_the_doctor_is_told(err: Exception, kind: str) -> None:
    assert problem_kind(err) == kind


def test_the_keyrings_error_is_the_same_class_where_it_is_raised() -> None:
    assert secrets.KeyringUnavailableError is KeyringUnavailableError
