"""QIDO-RS study queries (PS3.18 §10.6): what a doctor asks, as query parameters.

Values are percent-encoded as RFC 3986 requires, except the characters DICOM matching
gives a meaning to (``*`` ``?`` wildcards, ``-`` in ranges), which are sent as they are:
some servers (Orthanc 1.10) do not decode percent-escapes in matching values, and none
needs them escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from viewer.errors import UsageError

_DATE_RE = re.compile(r"[0-9]{8}")
_SAFE = "*?-.,"


class QueryError(UsageError):
    """A search the user typed cannot be sent as it is."""


@dataclass(frozen=True)
class StudyQuery:
    """A search for studies. Empty fields do not constrain the search."""

    patient_id: str = ""
    issuer: str = ""  # IssuerOfPatientID of patient_id; empty: whichever source's own
    name: str = ""  # a PN pattern: Latin or Chinese components, * and ? as wildcards
    birth_date: str = ""  # YYYYMMDD
    sex: str = ""  # M, F or O
    modality: str = ""
    date_from: str = ""  # YYYYMMDD, inclusive
    date_to: str = ""  # YYYYMMDD, inclusive
    accession_number: str = ""

    def __post_init__(self) -> None:
        for label, value in (
            ("birth date", self.birth_date),
            ("from date", self.date_from),
            ("to date", self.date_to),
        ):
            if value and not _DATE_RE.fullmatch(value):
                raise QueryError(f"the {label} must be YYYYMMDD (got {value!r})")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise QueryError("the from date is after the to date")
        if self.sex and self.sex not in ("M", "F", "O"):
            raise QueryError(f"sex must be M, F or O (got {self.sex!r})")
        if any(ch in self.patient_id for ch in "*?\\"):
            raise QueryError(
                "a patient ID must be given exactly; search by name for partial matches"
            )
        if not (self.patient_id or self.name or self.accession_number):
            raise QueryError("give a patient ID, a name or an accession number")

    def matching_params(self) -> list[tuple[str, str]]:
        """The matching keys of the query (PS3.18 §8.3.4), by DICOM keyword."""
        params: list[tuple[str, str]] = []
        if self.patient_id:
            params.append(("PatientID", self.patient_id))
        if self.name:
            params.append(("PatientName", name_pattern(self.name)))
        if self.birth_date:
            params.append(("PatientBirthDate", self.birth_date))
        if self.sex:
            params.append(("PatientSex", self.sex))
        if self.modality:
            params.append(("ModalitiesInStudy", self.modality.upper()))
        if self.date_from or self.date_to:
            params.append(("StudyDate", f"{self.date_from}-{self.date_to}"))
        if self.accession_number:
            params.append(("AccessionNumber", self.accession_number))
        return params


def name_pattern(name: str) -> str:
    """A name as typed → a PN matching value (PS3.4 C.2.2.2.4 wildcard matching).

    Doctors type the start of a name, so a Latin name without wildcards matches as a
    prefix (``Wang Xiao`` → ``Wang?Xiao*``). Servers compare against the whole PN value,
    which holds every component group (``Wang^XiaoDong=王^小东=``), and Chinese names are
    typed without the ``^`` between family and given name, so a Chinese pattern matches
    its characters in order anywhere in the value (``王小东`` → ``*王*小*东*``).

    The component separator ``^`` is sent as the one-character wildcard ``?``: HTTP
    libraries always percent-encode ``^`` and some servers (Orthanc 1.10) do not decode
    it, while ``?`` matches the ``^`` on every server.
    """
    pattern = "^".join(name.split())
    if not ("*" in pattern or "?" in pattern):
        if pattern.isascii():
            pattern += "*"
        else:
            pattern = "*" + "*".join(ch for ch in pattern if ch != "^") + "*"
    return pattern.replace("^", "?")


def encode_params(params: Sequence[tuple[str, str | int]]) -> str:
    return urlencode(list(params), safe=_SAFE, quote_via=quote)


def study_search_params(
    query: StudyQuery, include_fields: Sequence[str]
) -> list[tuple[str, str | int]]:
    """Matching keys and include fields; the client adds limit and offset per page."""
    params: list[tuple[str, str | int]] = list(query.matching_params())
    params += [("includefield", tag) for tag in include_fields]
    return params
