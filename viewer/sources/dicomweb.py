"""A platform or PACS reached over DICOMweb: QIDO-RS to search and list, WADO-RS to
retrieve (PS3.18 §10.4, §10.6)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from viewer import dicom_json as dj
from viewer.cache.sink import SinkFactory
from viewer.dicomweb import stow
from viewer.dicomweb.client import DicomwebClient
from viewer.dicomweb.qido import StudyQuery
from viewer.dicomweb.stow import StoreOutcome
from viewer.errors import InvalidDataError, UsageError
from viewer.records import (
    SERIES_INCLUDE_FIELDS,
    STUDY_INCLUDE_FIELDS,
    SeriesEntry,
    Tag,
    linked_patients_from_json,
    series_from_json,
    study_from_json,
)
from viewer.sources.protocol import Cancelled, Capabilities, SourceAnswer, StudyDetails, Transfer
from viewer.uids import is_valid_uid

if TYPE_CHECKING:
    from viewer.dicomweb.wado import WadoRetriever


class DicomwebSource:
    def __init__(
        self, name: str, issuer: str, client: DicomwebClient, *, can_store: bool = False
    ) -> None:
        self.name = name
        self.capabilities = Capabilities(issuer=issuer, can_store=can_store)
        self._client = client

    @cached_property
    def _wado(self) -> WadoRetriever:
        # Imported when the first retrieval starts: a search never needs the multipart
        # reader and the cache's writers behind it.
        from viewer.dicomweb.wado import WadoRetriever

        return WadoRetriever(self._client)

    def search_studies(self, query: StudyQuery, cancelled: Cancelled) -> SourceAnswer:
        result = self._client.search_studies(query, STUDY_INCLUDE_FIELDS, cancelled=cancelled)
        issuer = self.capabilities.issuer
        studies = [study_from_json(item, self.name, issuer) for item in result.items]
        kept = [s for s in studies if s is not None]
        return SourceAnswer(kept, capped=result.capped, skipped=len(studies) - len(kept))

    def study_details(self, study_uid: str) -> StudyDetails:
        # Sequences such as OtherPatientIDsSequence are not returned by many QIDO
        # servers: read them from one instance's WADO-RS metadata (PS3.18 §10.4.1.1.2).
        instances = self._client.search_instances(study_uid, limit=1)
        if not instances:
            return StudyDetails(frozenset(), "", "")
        series_uid = dj.text(instances[0], Tag.SERIES_INSTANCE_UID)
        sop_uid = dj.text(instances[0], Tag.SOP_INSTANCE_UID)
        if not (is_valid_uid(series_uid) and is_valid_uid(sop_uid)):
            raise InvalidDataError(f"{self.name}: an instance of a study has no valid UIDs")
        meta = self._client.instance_metadata(study_uid, series_uid, sop_uid)
        return StudyDetails(
            linked_patients=linked_patients_from_json(meta, self.capabilities.issuer),
            body_part=dj.text(meta, Tag.BODY_PART_EXAMINED).upper(),
            institution=dj.text(meta, Tag.INSTITUTION_NAME),
        )

    def list_series(self, study_uid: str) -> list[SeriesEntry]:
        return series_from_json(self._client.search_series(study_uid, SERIES_INCLUDE_FIELDS).items)

    def list_instances(self, study_uid: str, series_uid: str) -> list[str]:
        found = self._client.search_series_instances(
            study_uid, series_uid, [Tag.INSTANCE_NUMBER]
        ).items
        ordered = sorted(found, key=lambda i: dj.integer(i, Tag.INSTANCE_NUMBER) or 0)
        return [s for s in (dj.text(i, Tag.SOP_INSTANCE_UID) for i in ordered) if is_valid_uid(s)]

    def retrieve_series(
        self, study_uid: str, series_uid: str, sinks: SinkFactory, transfer: Transfer
    ) -> None:
        self._wado.retrieve_series(
            study_uid,
            series_uid,
            sinks,
            on_instance=transfer.on_instance,
            on_bytes=transfer.on_bytes,
            cancelled=transfer.cancelled,
        )

    def retrieve_instance(
        self, study_uid: str, series_uid: str, sop_uid: str, sinks: SinkFactory, transfer: Transfer
    ) -> None:
        self._wado.retrieve_instance(
            study_uid,
            series_uid,
            sop_uid,
            sinks,
            on_instance=transfer.on_instance,
            on_bytes=transfer.on_bytes,
            cancelled=transfer.cancelled,
        )

    def store_instances(self, study_uid: str, parts: Sequence[bytes]) -> StoreOutcome:
        if not self.capabilities.can_store:
            raise UsageError(f"{self.name} is not configured to take reports (store = true)")
        return stow.store(self._client.session, self._client.base_url, self.name, study_uid, parts)

    def close(self) -> None:
        """Let its connections go (a window's search opens sources anew each time)."""
        self._client.session.close()
