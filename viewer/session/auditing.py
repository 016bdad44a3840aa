"""Who did what to whose data: the app's actions put into the audit trail.

Every place a patient's data is searched, opened, exported, measured, fetched or deleted
reports it here, in one way, so the trail (:mod:`viewer.audit`) says the same of a click
and of a command. The cache itself reports what leaves it (:class:`AuditedStore`: a
delete, an eviction, an export), wherever they are asked from.

A record that cannot be written (the keyring locked, the disk full) does not stop the
doctor: the action goes on, the log says that it went unrecorded (without patient data),
and :attr:`Auditor.problem` holds the reason for the window or the command to say.
Refusing to show a patient's images because the trail is out of reach would put the
patient at risk; hiding that it is out of reach would fail the hospital.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from viewer.audit.events import AuditEvent, DetailValue, EventKind, Outcome
from viewer.audit.trail import AuditTrail, open_trail
from viewer.cache.models import CachedStudy, EvictReport
from viewer.cache.store import CacheStore
from viewer.config import Config
from viewer.errors import AuditError, QingyingError

if TYPE_CHECKING:
    from pydicom.dataset import Dataset

    from viewer.dicomweb.qido import StudyQuery
    from viewer.retrieve.fetch import FetchReport

log = logging.getLogger(__name__)
Who = Callable[[], str | None]
WITHHELD: Mapping[str, DetailValue] = {"detail": "withheld"}


class Auditor:
    """The trail of one config, and what went wrong recording in it, if anything."""

    # The last failure of any auditor in this process: a command says it before it ends.
    unrecorded: ClassVar[AuditError | None] = None

    def __init__(self, trail: AuditTrail | None, who: Who = lambda: None) -> None:
        self._trail = trail
        self.problem: AuditError | None = None
        # The platform user each event is recorded as (the doctor signed in), asked once
        # at the first record: it may read the keyring.
        self._who = who
        self._user: str | None = None
        self._asked = False
        # Told when recording starts failing (the error) and when it works again (None):
        # the session relays it to the window as an event.
        self.on_problem: Callable[[AuditError | None], None] = lambda _p: None

    @classmethod
    def of(cls, config: Config) -> Auditor:
        """The config's trail; events name the first source's configured user (a
        command's; the window's session says who signed in, :meth:`set_user`)."""
        configured = next((s.username for s in config.sources if s.username), None)
        return cls(open_trail(config), lambda: configured)

    def prepare(self) -> None:
        """Read the trail's key now (the keyring, ``cryptography``'s import): a command
        does it on a thread of its own while its transfer runs, so its record at the end
        costs only the append. A failure here is said by the record it would delay."""
        if self._trail is not None:
            with contextlib.suppress(QingyingError):
                self._trail.keys()

    def set_user(self, who: Who) -> None:
        """From now on events name the platform user ``who()`` says (asked again)."""
        self._who, self._asked = who, False

    def _with_user(self, event: AuditEvent) -> AuditEvent:
        if event.platform_user is not None:
            return event
        if not self._asked:
            try:
                self._user = self._who()
            except QingyingError:
                self._user = None  # the keyring out of reach: the OS user still says who
            self._asked = True
        return replace(event, platform_user=self._user) if self._user else event

    def record(self, event: AuditEvent) -> bool:
        """Keep ``event``; False (and :attr:`problem` set) when it could not be kept."""
        if self._trail is None:
            return True
        try:
            self._trail.record(self._with_user(event))
        except ValueError:
            # A detail that looked like the patient's identity (a bug of the caller's):
            # the event is kept without its detail rather than lost or crashing the action.
            if not event.detail or event.detail == WITHHELD:
                log.error("an audit event could not be recorded (malformed)")
                return False
            log.warning("an audit event's detail was withheld")
            return self.record(replace(event, detail=WITHHELD))
        except AuditError as err:
            # Said by whoever shows the user (the window's warning, the command's last
            # line: see ``unrecorded``); the log keeps it for IT.
            log.info("not recorded in the audit trail: %s", err)
            self.problem = err
            Auditor.unrecorded = err
            self.on_problem(err)
            return False
        if self.problem is not None:
            self.problem = None
            self.on_problem(None)
        return True

    def study(
        self,
        kind: EventKind,
        study: CachedStudy,
        *,
        outcome: Outcome = Outcome.SUCCESS,
        source: str | None = None,
        detail: Mapping[str, DetailValue] | None = None,
    ) -> bool:
        """An event on one study the cache (or a source) described."""
        return self.record(
            AuditEvent(
                kind,
                patient_id=study.patient_id or None,
                issuer=study.issuer or None,
                patient_name=study.patient_name or None,
                study_uids=(study.study_uid,),
                source=source,
                outcome=outcome,
                detail=detail or {},
            )
        )

    def fetched(self, store: CacheStore, study_uid: str, source: str, report: FetchReport) -> None:
        """Instances of a study brought into the cache (a fetch, a download)."""
        record = store.study(study_uid)
        if report.fetched and record is not None:
            who = (record.patient_id, record.issuer, record.patient_name)
            self.record(fetch_event(*who, study_uid, source, report))

    def searched(self, query: StudyQuery, *, outcome: Outcome, found: int) -> bool:
        """A history search: the patient asked for, and the *names* of the keys used."""
        keys = tuple(k for k, v in _query_values(query).items() if v)
        return self.record(
            AuditEvent(
                "searched",
                patient_id=query.patient_id or None,
                issuer=query.issuer or None,
                patient_name=query.name or None,
                outcome=outcome,
                detail={"keys": keys, "studies": found},
            )
        )


def fetch_event(
    patient_id: str, issuer: str, name: str, study_uid: str, source: str, report: FetchReport
) -> AuditEvent:
    """A fetch into the cache, a download or a worklist's prefetch alike: a minor failure
    when instances are still missing after it (the fetch's own report says)."""
    return AuditEvent(
        "prefetched",
        patient_id=patient_id or None,
        issuer=issuer or None,
        patient_name=name or None,
        study_uids=(study_uid,),
        source=source,
        outcome=Outcome.SUCCESS if report.complete else Outcome.MINOR_FAILURE,
        detail={"instances": report.fetched},
    )


def dataset_event(kind: EventKind, ds: Dataset, detail: Mapping[str, DetailValue]) -> AuditEvent:
    """An event on the instance ``ds`` (a file named on the command line, say), whose
    patient its own header names."""

    def text(keyword: str) -> str | None:
        value = str(ds.get(keyword, "") or "").strip()
        return value or None

    study = text("StudyInstanceUID")
    return AuditEvent(
        kind,
        patient_id=text("PatientID"),
        issuer=text("IssuerOfPatientID"),
        patient_name=text("PatientName"),
        study_uids=(study,) if study else (),
        detail=detail,
    )


def _query_values(query: StudyQuery) -> Mapping[str, object]:
    return {
        "PatientID": query.patient_id,
        "IssuerOfPatientID": query.issuer,
        "PatientName": query.name,
        "PatientBirthDate": query.birth_date,
        "PatientSex": query.sex,
        "ModalitiesInStudy": query.modality,
        "StudyDate": query.date_from or query.date_to,
        "AccessionNumber": query.accession_number,
    }


class AuditedStore(CacheStore):
    """The offline cache, reporting what leaves it: deleted studies (asked, or evicted
    to keep the budget) and exported ones."""

    def __init__(self, root: Path, max_size: int, auditor: Auditor, *, key: bytes) -> None:
        super().__init__(root, max_size, key=key)
        self.auditor = auditor

    def delete_study(self, study_uid: str) -> None:
        record = self.study(study_uid)
        super().delete_study(study_uid)
        if record is not None:
            self.auditor.study("deleted", record, detail={"reason": "deleted"})

    def evict(self, to_size: int | None = None) -> EvictReport:
        target = self.max_size if to_size is None else to_size
        if self.size() <= target:  # the common case, after each download: nothing goes
            return super().evict(to_size)
        before = {s.study_uid: s for s in self.studies()}  # who the evicted were
        report = super().evict(to_size)
        for uid in report.evicted:
            if uid in before:
                self.auditor.study("deleted", before[uid], detail={"reason": "evicted"})
        return report

    def export_study(self, study_uid: str, out_dir: Path) -> list[Path]:
        record = self.study(study_uid)
        written = super().export_study(study_uid, out_dir)
        if record is not None:
            self.auditor.study(
                "exported", record, detail={"form": "DICOM files", "instances": len(written)}
            )
        return written
