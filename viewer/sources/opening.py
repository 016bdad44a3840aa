"""Sources as the configuration names them, opened with their credentials.

A source that cannot be asked now (not signed in, no keyring) is
still opened, as an :class:`UnavailableSource` that declares why
(``capabilities.unavailable``) and raises it when asked: the search reports it next to
the sources that answered.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.cache.sink import SinkFactory
from viewer.config import Config, SourceConfig
from viewer.dicomweb.auth import BasicAuth, BearerAuth, RenewableAuth
from viewer.dicomweb.client import DicomwebClient
from viewer.dicomweb.qido import StudyQuery
from viewer.dicomweb.session import Timeouts, make_session
from viewer.dicomweb.stow import StoreOutcome
from viewer.errors import AuthError, NotSignedInError
from viewer.records import SeriesEntry
from viewer.sources.credentials import KEYRING, CredentialProvider
from viewer.sources.dicomweb import DicomwebSource
from viewer.sources.protocol import (
    Cancelled,
    Capabilities,
    ImagingSource,
    SourceAnswer,
    StudyDetails,
    Transfer,
)

if TYPE_CHECKING:
    from viewer.cache.store import CacheStore
    from viewer.sources.oidc.signins import SignIns


class UnavailableSource:
    """A configured source that cannot be asked (no credentials yet): every call says why."""

    def __init__(self, name: str, issuer: str, reason: AuthError) -> None:
        self.name = name
        self.capabilities = Capabilities(issuer=issuer, unavailable=reason)
        self.reason = reason

    def search_studies(self, query: StudyQuery, cancelled: Cancelled) -> SourceAnswer:
        raise self.reason

    def study_details(self, study_uid: str) -> StudyDetails:
        raise self.reason

    def list_series(self, study_uid: str) -> list[SeriesEntry]:
        raise self.reason

    def list_instances(self, study_uid: str, series_uid: str) -> list[str]:
        raise self.reason

    def retrieve_series(
        self, study_uid: str, series_uid: str, sinks: SinkFactory, transfer: Transfer
    ) -> None:
        raise self.reason

    def retrieve_instance(
        self, study_uid: str, series_uid: str, sop_uid: str, sinks: SinkFactory, transfer: Transfer
    ) -> None:
        raise self.reason

    def store_instances(self, study_uid: str, parts: Sequence[bytes]) -> StoreOutcome:
        raise self.reason

    def close(self) -> None:
        """Nothing was opened."""


def open_source(
    config: SourceConfig,
    credentials: CredentialProvider = KEYRING,
    timeouts: Timeouts | None = None,
    sign_ins: SignIns | None = None,
) -> ImagingSource:
    """A source ready to search, its password from ``credentials`` (by default the
    system keyring)."""
    issuer = config.issuer or ""
    auth: RenewableAuth | None = None
    if config.auth == "oidc":
        from viewer.sources.oidc.signins import SIGN_INS

        grant = (sign_ins or SIGN_INS).grant(config)
        if grant is None:
            return UnavailableSource(
                config.name, issuer, NotSignedInError(f"{config.name}: not signed in")
            )
        auth = BearerAuth(grant, config.url)
    if config.auth == "basic":
        username = config.username or credentials.username_for(config.url) or ""
        password = credentials.password_for(config.url, username) if username else None
        if password is None:
            return UnavailableSource(
                config.name, issuer, NotSignedInError(f"{config.name}: not signed in")
            )
        auth = BasicAuth(username, password)
    session = make_session(ca_bundle=config.ca_bundle, timeouts=timeouts)
    session.auth = auth
    return DicomwebSource(
        config.name,
        issuer,
        DicomwebClient(config.url, session, name=config.name),
        can_store=config.store,
    )


def open_configured_sources(
    sources: Sequence[SourceConfig],
    credentials: CredentialProvider = KEYRING,
    timeouts: Timeouts | None = None,
) -> list[ImagingSource]:
    """Every configured source, with its credentials (by default from the system keyring).

    A source whose password cannot be read (not signed in, no keyring) is still listed,
    as an UnavailableSource that says why when asked.
    """
    return list(open_each(sources, credentials, timeouts))


def open_each(
    sources: Sequence[SourceConfig],
    credentials: CredentialProvider = KEYRING,
    timeouts: Timeouts | None = None,
) -> Iterator[ImagingSource]:
    """The configured sources as :func:`open_configured_sources` opens them, one at a
    time as they are asked for: a caller that stops early (the first source holding a
    study) reads no other source's password and opens no other session."""
    for config in sources:
        try:
            yield open_source(config, credentials, timeouts)
        except AuthError as err:
            yield UnavailableSource(config.name, config.issuer or "", err)


def open_sources(
    config: Config,
    store: CacheStore | None,
    names: Sequence[str] = (),
    folders: Sequence[Path] = (),
    credentials: CredentialProvider = KEYRING,
) -> list[ImagingSource]:
    """The configured sources (or those named), the offline cache, and local folders.

    With only ``folders`` given (and no names), just the folders are searched: a CD is
    read as it is, without asking the network.
    """
    from viewer.sources.cache import CACHE_SOURCE_NAME, CacheSource
    from viewer.sources.folder import FolderSource

    if folders and not names:
        return [FolderSource(folder) for folder in folders]
    wanted = [n for n in names if n != CACHE_SOURCE_NAME]
    chosen = [config.source(n) for n in wanted] if names else list(config.sources)
    sources = open_configured_sources(chosen, credentials)
    if store is not None and (not names or CACHE_SOURCE_NAME in names):
        sources.append(CacheSource(store))
    sources += [FolderSource(folder) for folder in folders]
    return sources
