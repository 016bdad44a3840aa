"""A problem in the doctor's words: why a source gave no answer, why a download stopped.

The kind of problem is the core's reading of the error (:func:`viewer.errors.problem_kind`);
here it becomes a short translated phrase, then the core's own message for the details.
A search and a download say some kinds differently ("cannot be reached" for a source
never answered, "the link failed" for a transfer cut off), so each has its table.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import QCoreApplication

from viewer.errors import ProblemKind, problem_kind

Doing = Literal["search", "download"]


def _search_words(kind: ProblemKind) -> str:
    return {
        "no-keyring": QCoreApplication.translate(
            "SourceProblem", "no system keyring to read the password from"
        ),
        "not-signed-in": QCoreApplication.translate("SourceProblem", "not signed in"),
        "sign-in-refused": QCoreApplication.translate("SourceProblem", "sign-in refused"),
        "disk-full": QCoreApplication.translate("Download", "the disk is full"),
        "certificate": QCoreApplication.translate("SourceProblem", "certificate not trusted"),
        "server": QCoreApplication.translate("SourceProblem", "server error"),
        "network": QCoreApplication.translate("SourceProblem", "cannot be reached"),
        "other": QCoreApplication.translate("SourceProblem", "search failed"),
    }[kind]


def _download_words(kind: ProblemKind) -> str:
    return {
        "no-keyring": QCoreApplication.translate(
            "Download", "no system keyring to read the password from"
        ),
        "not-signed-in": QCoreApplication.translate("Download", "not signed in"),
        "sign-in-refused": QCoreApplication.translate("Download", "sign-in refused"),
        "disk-full": QCoreApplication.translate("Download", "the disk is full"),
        "certificate": QCoreApplication.translate("Download", "certificate not trusted"),
        "server": QCoreApplication.translate("Download", "server error"),
        "network": QCoreApplication.translate("Download", "the link failed"),
        "other": QCoreApplication.translate("Download", "download failed"),
    }[kind]


def problem_words(err: BaseException, doing: Doing, detail: str | None = None) -> str:
    """``kind: detail`` (``detail`` defaults to the error's message). A missing sign-in
    needs no detail; on a download's line, a sign-in problem is said in words alone (the
    card offers to sign in), while the sources' rows keep the server's or keyring's words."""
    kind = problem_kind(err)
    words = _search_words(kind) if doing == "search" else _download_words(kind)
    alone = kind == "not-signed-in" or (
        doing == "download" and kind in ("no-keyring", "sign-in-refused")
    )
    if alone:
        return words
    return f"{words}: {err if detail is None else detail}"


def needs_sign_in(err: BaseException | None) -> bool:
    """A password would help: none stored, or the server refused it (not a missing keyring)."""
    return err is not None and problem_kind(err) in ("not-signed-in", "sign-in-refused")
