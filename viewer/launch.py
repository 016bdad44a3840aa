"""A launch from the hospital information system: which patient (and study) to show.

The HIS opens ``qingying://open?patient=ID&issuer=ISSUER[&study=UID][&accession=N]``
(or runs ``qingying open --patient ID --issuer ISSUER ...``), as IHE Invoke Image
Display (RAD TF-2: the patient or study named by the caller, the display left to the
viewer) has it. The request only says what to show: it searches the patient's history
as a doctor's search would — through the sources the doctor signed in to, never around
sign-in — and writes nothing.

Everything in it is untrusted: a URL is typed, pasted, or handed over a socket by
another program. It is refused whole, with one line naming the parameter and the
problem, unless it is exactly this form: the scheme and action above, each parameter at
most once, no other parameter, patient and issuer present, each value within its DICOM
VR (LO 64 characters, SH 16, a valid UID) without wildcards or control characters.
Values are never repeated in a message: they name a patient.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlsplit

from viewer.errors import UsageError
from viewer.uids import is_valid_uid

SCHEME = "qingying"
ACTION = "open"
MAX_URL = 2048
_LIMITS = {"patient": 64, "issuer": 64, "accession": 16}  # LO, LO, SH (PS3.5 6.2)
_KNOWN = ("patient", "issuer", "study", "accession")


@dataclass(frozen=True)
class LaunchRequest:
    """Show ``patient_id`` of ``issuer``'s registry (and, named, that study)."""

    patient_id: str
    issuer: str
    study_uid: str = ""
    accession: str = ""

    def __post_init__(self) -> None:
        for name, value in (("patient", self.patient_id), ("issuer", self.issuer)):
            if not value:
                raise UsageError(f"the launch names no {name}: patient and issuer are needed")
        for name, value in (
            ("patient", self.patient_id),
            ("issuer", self.issuer),
            ("accession", self.accession),
        ):
            _check_text(name, value, _LIMITS[name])
        if self.study_uid and not is_valid_uid(self.study_uid):
            raise UsageError("the launch's study is not a valid DICOM UID")

    def url(self) -> str:
        """The request as a ``qingying://`` URL (what a second launch hands over)."""
        pairs = [("patient", self.patient_id), ("issuer", self.issuer)]
        pairs += [
            (k, v) for k, v in (("study", self.study_uid), ("accession", self.accession)) if v
        ]
        query = "&".join(f"{k}={quote(v, safe='')}" for k, v in pairs)
        return f"{SCHEME}://{ACTION}?{query}"


def parse_launch_url(url: str) -> LaunchRequest:
    """The request ``url`` makes; UsageError for anything but the one form accepted."""
    if not isinstance(url, str) or len(url) > MAX_URL:
        raise UsageError(f"a launch URL is at most {MAX_URL} characters")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in url):
        raise UsageError("the launch URL holds control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise UsageError("the launch URL cannot be read") from err
    if parts.scheme.lower() != SCHEME:
        raise UsageError(f"a launch URL starts with {SCHEME}://")
    if parts.netloc.lower() != ACTION or parts.path not in ("", "/") or port is not None:
        raise UsageError(f"the only launch is {SCHEME}://{ACTION}?patient=…&issuer=…")
    if parts.fragment:
        raise UsageError("the launch URL has a fragment (#…), which means nothing here")
    values = _parameters(parts.query)
    return LaunchRequest(
        values.get("patient", ""),
        values.get("issuer", ""),
        values.get("study", ""),
        values.get("accession", ""),
    )


def _parameters(query: str) -> dict[str, str]:
    """The query's parameters, each known and named once."""
    try:
        pairs = parse_qsl(
            query,
            keep_blank_values=True,
            strict_parsing=bool(query),
            encoding="utf-8",
            errors="strict",
            max_num_fields=16,  # beyond any launch: the rest is not read
        )
    except (ValueError, UnicodeDecodeError) as err:
        raise UsageError("the launch URL's parameters cannot be read") from err
    values: dict[str, str] = {}
    for key, value in pairs:
        if key not in _KNOWN:
            shown = repr(key) if key.isascii() and key.isidentifier() and len(key) <= 20 else "one"
            raise UsageError(
                f"the launch URL has an unknown parameter ({shown}); known are {', '.join(_KNOWN)}"
            )
        if key in values:
            raise UsageError(f"the launch URL names {key} twice")
        values[key] = value
    return values


def _check_text(name: str, value: str, limit: int) -> None:
    if value != value.strip():
        raise UsageError(f"the launch's {name} has spaces around it")
    if len(value) > limit:
        raise UsageError(f"the launch's {name} is longer than {limit} characters")
    if any(c in "*?\\" for c in value):
        raise UsageError(f"the launch's {name} holds a wildcard or a backslash")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in value):
        raise UsageError(f"the launch's {name} holds control characters")
