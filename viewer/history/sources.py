"""The ImagingSource protocol, and its DICOMweb implementation.

Search and open go through this protocol only, so the offline cache (which implements it
too) behaves like any platform when the network is gone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from viewer import dicom_json as dj
from viewer import secrets
from viewer.config import SourceConfig
from viewer.dicomweb.auth import BasicAuth
from viewer.dicomweb.client import DicomwebClient
from viewer.dicomweb.qido import StudyQuery
from viewer.dicomweb.session import Timeouts, make_session
from viewer.errors import AuthError, InvalidDataError, NotSignedInError
from viewer.history.records import (
    STUDY_INCLUDE_FIELDS,
    PatientRef,
    StudyRecord,
    Tag,
    linked_patients_from_json,
    study_from_json,
)
from viewer.uids import is_valid_uid

Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class SourceAnswer:
    studies: list[StudyRecord]
    capped: bool = False  # more studies matched than were fetched
    skipped: int = 0  # results left out because they were unusable (no valid UID)


@dataclass(frozen=True)
class StudyDetails:
    """What one instance's metadata adds to a study: links to other registries."""

    linked_patients: frozenset[PatientRef]
    body_part: str
    institution: str


class ImagingSource(Protocol):
    name: str
    issuer: str  # IssuerOfPatientID of the patient IDs this source uses; "" unknown

    def search_studies(self, query: StudyQuery, cancelled: Cancelled) -> SourceAnswer: ...

    def study_details(self, study_uid: str) -> StudyDetails: ...


class DicomwebSource:
    """A platform or PACS reached over DICOMweb."""

    def __init__(self, name: str, issuer: str, client: DicomwebClient) -> None:
        self.name = name
        self.issuer = issuer
        self.client = client

    def search_studies(self, query: StudyQuery, cancelled: Cancelled) -> SourceAnswer:
        result = self.client.search_studies(query, STUDY_INCLUDE_FIELDS, cancelled=cancelled)
        studies = [study_from_json(item, self.name, self.issuer) for item in result.items]
        kept = [s for s in studies if s is not None]
        return SourceAnswer(kept, capped=result.capped, skipped=len(studies) - len(kept))

    def study_details(self, study_uid: str) -> StudyDetails:
        # Sequences such as OtherPatientIDsSequence are not returned by many QIDO
        # servers: read them from one instance's WADO-RS metadata (PS3.18 §10.4.1.1.2).
        instances = self.client.search_instances(study_uid, limit=1)
        if not instances:
            return StudyDetails(frozenset(), "", "")
        series_uid = dj.text(instances[0], Tag.SERIES_INSTANCE_UID)
        sop_uid = dj.text(instances[0], Tag.SOP_INSTANCE_UID)
        if not (is_valid_uid(series_uid) and is_valid_uid(sop_uid)):
            raise InvalidDataError(f"{self.name}: an instance of a study has no valid UIDs")
        meta = self.client.instance_metadata(study_uid, series_uid, sop_uid)
        return StudyDetails(
            linked_patients=linked_patients_from_json(meta, self.issuer),
            body_part=dj.text(meta, Tag.BODY_PART_EXAMINED).upper(),
            institution=dj.text(meta, Tag.INSTITUTION_NAME),
        )


class UnavailableSource:
    """A configured source that cannot be asked (no credentials yet): every call says why."""

    def __init__(self, name: str, issuer: str, reason: AuthError) -> None:
        self.name = name
        self.issuer = issuer
        self.reason = reason

    def search_studies(self, query: StudyQuery, cancelled: Cancelled) -> SourceAnswer:
        raise self.reason

    def study_details(self, study_uid: str) -> StudyDetails:
        raise self.reason


PasswordLookup = Callable[[str, str], str | None]
UsernameLookup = Callable[[str], str | None]


def open_source(
    config: SourceConfig,
    password_for: PasswordLookup,
    username_for: UsernameLookup = lambda _url: None,
    timeouts: Timeouts | None = None,
) -> ImagingSource:
    """A source ready to search, its password read from the keyring (``password_for``)."""
    session = make_session(ca_bundle=config.ca_bundle, timeouts=timeouts)
    issuer = config.issuer or ""
    if config.auth == "basic":
        username = config.username or username_for(config.url) or ""
        password = password_for(config.url, username) if username else None
        if password is None:
            return UnavailableSource(
                config.name,
                issuer,
                NotSignedInError(f"{config.name}: not signed in"),
            )
        session.auth = BasicAuth(username, password)
    elif config.auth == "oidc":
        return UnavailableSource(
            config.name, issuer, AuthError(f"{config.name}: OIDC sign-in is not supported yet")
        )
    return DicomwebSource(
        config.name, issuer, DicomwebClient(config.url, session, name=config.name)
    )


def open_configured_sources(
    sources: Sequence[SourceConfig],
    password_for: PasswordLookup = secrets.get_password,
    username_for: UsernameLookup = secrets.find_username,
    timeouts: Timeouts | None = None,
) -> list[ImagingSource]:
    """Every configured source, with its credentials (by default from the system keyring).

    A source whose password cannot be read (not signed in, no keyring) is still listed,
    as an UnavailableSource that says why when asked.
    """
    opened: list[ImagingSource] = []
    for config in sources:
        try:
            opened.append(open_source(config, password_for, username_for, timeouts))
        except AuthError as err:
            opened.append(UnavailableSource(config.name, config.issuer or "", err))
    return opened
