"""The offline cache as an ImagingSource: the same search, with no network.

The cache holds studies of every registry, so unlike a platform it answers for any
issuer (``any_issuer``); it filters by ID *and* issuer itself. Links between IDs come
from the OtherPatientIDsSequence indexed when each instance was cached. It is where
retrievals go, so nothing is retrieved from it (``can_retrieve`` is False).
"""

from __future__ import annotations

from collections.abc import Sequence

from viewer.cache.models import CachedStudy
from viewer.cache.sink import SinkFactory
from viewer.cache.store import CacheStore
from viewer.dicomweb.qido import StudyQuery, name_pattern
from viewer.dicomweb.stow import StoreOutcome
from viewer.errors import NotFoundError, UsageError
from viewer.records import PatientRef, SeriesEntry, StudyRecord, linked_refs
from viewer.sources.protocol import Cancelled, Capabilities, SourceAnswer, StudyDetails, Transfer

CACHE_SOURCE_NAME = "cache"
CACHE_CAPABILITIES = Capabilities(any_issuer=True, local_cache=True, can_retrieve=False)


class CacheSource:
    name = CACHE_SOURCE_NAME
    capabilities = CACHE_CAPABILITIES

    def __init__(self, store: CacheStore) -> None:
        self.store = store

    def search_studies(self, query: StudyQuery, cancelled: Cancelled) -> SourceAnswer:
        found = self.store.search(
            patient_id=query.patient_id,
            issuer=query.issuer if query.patient_id else "",
            name=name_pattern(query.name) if query.name else "",
            birth_date=query.birth_date,
            sex=query.sex,
            modality=query.modality,
            date_from=query.date_from,
            date_to=query.date_to,
            accession_number=query.accession_number,
        )
        return SourceAnswer([record_of(study) for study in found])

    def study_details(self, study_uid: str) -> StudyDetails:
        study = self.store.study(study_uid)
        if study is None:
            raise NotFoundError(f"{self.name}: study {study_uid} is not cached")
        return StudyDetails(linked_of(study), study.body_part, study.institution)

    def list_series(self, study_uid: str) -> list[SeriesEntry]:
        """The series it holds something of; ``expected`` counts the instances known to
        be missing too, ``cached`` those it holds."""
        study = self.store.study(study_uid)
        if study is None:
            return []
        entries = []
        for s in study.series:
            missing = len(self.store.missing_instances(study_uid, s.series_uid))
            entries.append(
                SeriesEntry(
                    s.series_uid,
                    s.modality,
                    s.series_number,
                    s.description,
                    s.instance_count + missing,
                    s.instance_count,
                )
            )
        return entries

    def list_instances(self, study_uid: str, series_uid: str) -> list[str]:
        return sorted(self.store.cached_sop_uids(study_uid, series_uid))

    def retrieve_series(
        self, study_uid: str, series_uid: str, sinks: SinkFactory, transfer: Transfer
    ) -> None:
        raise NotFoundError(f"{self.name}: the offline cache is where retrievals go")

    def retrieve_instance(
        self, study_uid: str, series_uid: str, sop_uid: str, sinks: SinkFactory, transfer: Transfer
    ) -> None:
        raise NotFoundError(f"{self.name}: the offline cache is where retrievals go")

    def store_instances(self, study_uid: str, parts: Sequence[bytes]) -> StoreOutcome:
        raise UsageError("the offline cache keeps measurements itself: send them to a platform")

    def close(self) -> None:
        """The store belongs to whoever opened it."""


def linked_of(study: CachedStudy) -> frozenset[PatientRef]:
    return linked_refs(PatientRef(study.patient_id, study.issuer), study.other_patient_ids)


def record_of(study: CachedStudy) -> StudyRecord:
    return StudyRecord(
        study_uid=study.study_uid,
        source=CACHE_SOURCE_NAME,
        patient=PatientRef(study.patient_id, study.issuer),
        patient_name=study.patient_name,
        birth_date=study.birth_date,
        sex=study.sex,
        study_date=study.study_date,
        study_time=study.study_time,
        accession_number=study.accession_number,
        description=study.description,
        modalities=study.modalities,
        body_part=study.body_part,
        institution=study.institution,
        series_count=study.series_count,
        instance_count=study.expected_instance_count or study.instance_count,
        linked_patients=linked_of(study),
    )
