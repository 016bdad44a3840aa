"""The reading session without Qt: a doctor's path, search → download → open → read,
each step asserted through the events the session emits.

The platform here is a folder of generated DICOM files (a CD, to the session a source
like any other), the cache a real one on disk: nothing is faked but the network.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydicom.uid import CTImageStorage, generate_uid

from tests.support.dicom_files import new_instance
from viewer.cache.store import CacheStore
from viewer.config import CacheConfig, Config, UiConfig
from viewer.dicomweb.qido import StudyQuery
from viewer.errors import CancelledError, NotFoundError, QingyingError
from viewer.history.result import HistoryResult, SearchProgress
from viewer.imaging.display import to_display
from viewer.imaging.voi_lut import Window
from viewer.records import PatientRef
from viewer.session.downloads import DownloadOutcome
from viewer.session.model import ReadingSession, SearchDone
from viewer.session.reading import OpenSeries
from viewer.sources.cache import CacheSource
from viewer.sources.folder import FolderSource
from viewer.sources.protocol import ImagingSource

PATIENT = PatientRef("320106198810300596", "JS-EMPI")
SLICES = 5


def ct_slice(folder: Path, study: str, series: str, k: int) -> None:
    """Slice ``k`` of a small axial CT: 8×6 pixels, 2 mm apart, rows 0.5 mm apart and
    columns 0.7 mm (not square, as real pixels may be), a GB18030 name."""
    ds = new_instance(CTImageStorage)
    ds.SpecificCharacterSet = "GB18030"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
    ds.PatientName = "Wang^XiaoDong=王^小东"
    ds.PatientID, ds.IssuerOfPatientID = PATIENT.patient_id, PATIENT.issuer
    ds.PatientBirthDate, ds.PatientSex = "19881030", "M"
    ds.StudyDate, ds.StudyTime = "20241105", "101500"
    ds.StudyDescription, ds.InstitutionName = "胸部CT平扫", "江苏省人民医院"
    ds.Modality, ds.SeriesNumber, ds.SeriesDescription = "CT", 3, "Lung 1.0"
    ds.InstanceNumber = k + 1
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.ImagePositionPatient = [0, 0, -2.0 * k]
    ds.PixelSpacing = [0.5, 0.7]
    ds.SliceThickness = 2
    ds.WindowCenter, ds.WindowWidth = 40, 400
    ds.RescaleSlope, ds.RescaleIntercept = 1, -1024
    ds.Rows, ds.Columns = 6, 8
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.PixelData = (np.arange(48, dtype=np.uint16) * 20 + 100 * k).tobytes()
    ds.save_as(folder / f"{k:03}.dcm", enforce_file_format=True)


class Events:
    """Every event a session (and its downloads) emits, in order."""

    def __init__(self, session: ReadingSession) -> None:
        self.seen: list[tuple[str, Any]] = []
        self.ended = threading.Event()
        for name in (
            "search_started",
            "search_progress",
            "search_finished",
            "search_failed",
            "search_cancelled",
            "series_opened",
            "series_closed",
        ):
            getattr(session, name).connect(lambda value, name=name: self.seen.append((name, value)))
        if session.downloads is not None:
            session.downloads.ended.connect(self._ended)

    def _ended(self, outcome: DownloadOutcome) -> None:
        self.seen.append(("download_ended", outcome))
        self.ended.set()

    def names(self) -> list[str]:
        return [name for name, _ in self.seen]

    def of(self, name: str) -> list[Any]:
        return [value for seen, value in self.seen if seen == name]


def ct_cd(tmp_path: Path) -> tuple[Path, str, str]:
    """A 'CD' in ``tmp_path/cd`` holding one small CT series of :data:`PATIENT`: the
    folder, the study's and the series' UIDs."""
    folder = tmp_path / "cd"
    folder.mkdir()
    study_uid, series_uid = generate_uid(), generate_uid()
    for k in range(SLICES):
        ct_slice(folder, study_uid, series_uid, k)
    return folder, study_uid, series_uid


@pytest.fixture
def study(tmp_path: Path) -> tuple[Path, str, str]:
    return ct_cd(tmp_path)


@pytest.fixture
def session(tmp_path: Path, study: tuple[Path, str, str]) -> Iterator[ReadingSession]:
    config = Config(CacheConfig(tmp_path / "cache", 1 << 30), (), UiConfig(None))
    store = CacheStore(config.cache.dir, config.cache.max_size)

    def open_sources() -> list[ImagingSource]:
        return [FolderSource(study[0], "hospital-cd"), CacheSource(store)]

    made = ReadingSession(config, store=store, open_sources=open_sources)
    yield made
    made.close()


def search_and_download(session: ReadingSession, events: Events) -> HistoryResult:
    result = session.search(StudyQuery(patient_id=PATIENT.patient_id))
    download = session.download(result.histories[0].studies[0])
    assert not isinstance(download, str)
    assert events.ended.wait(20)
    return result


def test_a_search_reports_each_answer_then_its_result(
    session: ReadingSession, study: tuple[Path, str, str]
) -> None:
    events = Events(session)
    query = StudyQuery(patient_id=PATIENT.patient_id)
    result = session.search(query)

    assert events.names()[0] == "search_started"
    progress = events.of("search_progress")
    assert progress and all(isinstance(p, SearchProgress) for p in progress)
    assert {p.source for p in progress} >= {"hospital-cd"}
    assert events.names()[-1] == "search_finished"
    (done,) = events.of("search_finished")
    assert isinstance(done, SearchDone) and done.query == query and done.result is result
    assert [s.study_uid for s in result.histories[0].studies] == [study[1]]
    assert session.patient_ref(result.histories[0]) == PATIENT


def test_a_failed_search_is_an_event_with_a_typed_error(session: ReadingSession) -> None:
    def broken() -> list[ImagingSource]:
        raise NotFoundError("the CD is gone")

    session._open_sources = broken
    events = Events(session)
    with pytest.raises(NotFoundError):
        session.search(StudyQuery(patient_id="x"))
    (err,) = events.of("search_failed")
    assert isinstance(err, QingyingError) and "CD" in str(err)
    assert "search_finished" not in events.names()


def test_a_cancelled_search_says_so_and_keeps_the_last_result(session: ReadingSession) -> None:
    events = Events(session)
    first = session.search(StudyQuery(patient_id=PATIENT.patient_id))
    with pytest.raises(CancelledError):
        session.search(StudyQuery(patient_id="other"), cancelled=lambda: True)
    assert events.of("search_cancelled") == [StudyQuery(patient_id="other")]
    assert session.result is first


def test_a_new_query_forgets_the_confirmed_patients(session: ReadingSession) -> None:
    query = StudyQuery(patient_id=PATIENT.patient_id)
    assert session.confirm_same(PATIENT, PATIENT) is None  # nothing asked yet
    session.search(query)
    assert session.confirm_same(PATIENT, PatientRef("GL1", "NJGL")) == query
    session.search(query)
    assert session._confirmed  # the same question: the answer stands
    session.search(StudyQuery(patient_id="another"))
    assert session._confirmed == []


def test_a_download_comes_from_the_source_holding_the_study_and_ends_complete(
    session: ReadingSession, study: tuple[Path, str, str]
) -> None:
    events = Events(session)
    search_and_download(session, events)

    (outcome,) = events.of("download_ended")
    assert outcome.source_name == "hospital-cd"
    assert (outcome.study_uid, outcome.state, outcome.error) == (study[1], "complete", None)
    assert session.series_cached(study[1], study[2])
    assert session.series_counts(study[1]) == {study[2]: (SLICES, SLICES)}


def test_a_download_without_a_holder_or_a_cache_is_refused_as_data(
    session: ReadingSession, tmp_path: Path
) -> None:
    result = session.search(StudyQuery(patient_id=PATIENT.patient_id))
    study = result.histories[0].studies[0]
    session._live.clear()  # as before any search answered
    assert session.download(study) == "no-holder"
    without_cache = ReadingSession(session.config, store_problem="read-only disk")
    assert without_cache.download(study) == "no-cache"


def test_opening_a_cached_series_loads_it_with_its_identity(
    session: ReadingSession, study: tuple[Path, str, str]
) -> None:
    events = Events(session)
    search_and_download(session, events)
    series = session.open_series(study[1], study[2])

    assert events.of("series_opened") == [series]
    assert series.slice_count == SLICES and series.slice == 0
    assert series.identity.patient_name == "Wang^XiaoDong=王^小东"
    assert (series.identity.patient_id, series.identity.issuer) == (
        PATIENT.patient_id,
        PATIENT.issuer,
    )
    assert series.identity.institution == "江苏省人民医院"
    assert series.window == Window(40.0, 400.0)  # the file's own window
    assert session.open_series(study[1], study[2]) is series  # not loaded twice


def test_changing_the_window_and_the_slice_are_events_and_change_what_is_shown(
    session: ReadingSession, study: tuple[Path, str, str]
) -> None:
    search_and_download(session, Events(session))
    series = session.open_series(study[1], study[2])
    windows: list[Window] = []
    slices: list[int] = []
    series.window_changed.connect(windows.append)
    series.slice_changed.connect(slices.append)
    before = series.display_slice()

    series.set_window(-600, 1500)  # lung
    series.set_window(-600, 1500)  # the same: no event
    series.set_window(0, 0)  # a width below 1 is 1 (PS3.3 C.11.2.1.2)
    assert windows == [Window(-600.0, 1500.0), Window(0.0, 1.0)]
    series.set_window(-600, 1500)
    shown = series.display_slice()
    assert not np.array_equal(shown, before)
    assert np.array_equal(shown, to_display(series.volume.voxels[0], series.chain))

    series.set_slice(3)
    series.step(+5)  # past the last slice: the last
    series.step(-100)  # before the first: the first
    series.set_slice(0)  # already there: no event
    assert slices == [3, SLICES - 1, 0]
    assert np.array_equal(
        series.display_slice(3), to_display(series.volume.voxels[3], series.chain)
    )
    series.reset_window()
    assert windows[-1] == Window(40.0, 400.0)


def test_an_open_series_keeps_its_study_from_eviction_until_closed(
    session: ReadingSession, study: tuple[Path, str, str]
) -> None:
    search_and_download(session, Events(session))
    assert session.store is not None
    series: OpenSeries = session.open_series(study[1], study[2])
    session.store.evict(to_size=0)
    assert session.series_cached(study[1], study[2])
    closed: list[OpenSeries] = []
    session.series_closed.connect(closed.append)
    session.close_series(study[2])
    assert closed == [series]
    session.store.evict(to_size=0)
    assert not session.series_cached(study[1], study[2])


def test_a_search_overtaken_by_a_later_one_reports_nothing_more(
    session: ReadingSession, study: tuple[Path, str, str]
) -> None:
    """The window starts a new search while the last one still runs: only the newer
    answer may reach the screen."""
    inner = session._open_sources

    def slow() -> list[ImagingSource]:
        opened = inner()
        later.set()
        assert go_on.wait(10)
        return opened

    later, go_on = threading.Event(), threading.Event()
    session._open_sources = slow
    failures: list[BaseException] = []

    def first() -> None:
        try:
            session.search(StudyQuery(patient_id="first"))
        except BaseException as err:
            failures.append(err)

    thread = threading.Thread(target=first)
    thread.start()
    assert later.wait(10)
    events = Events(session)
    session._open_sources = inner
    session.search(StudyQuery(patient_id=PATIENT.patient_id))
    go_on.set()
    thread.join(10)
    assert [type(e) for e in failures] == [CancelledError]
    (done,) = events.of("search_finished")
    assert done.query == StudyQuery(patient_id=PATIENT.patient_id)
    assert events.of("search_cancelled") == [] and events.of("search_failed") == []
    assert session.query == StudyQuery(patient_id=PATIENT.patient_id)


def test_the_search_flags_recent_similar_exams_within_the_configured_days(
    tmp_path: Path,
) -> None:
    """history.similar_days is the site's, in the window as on the command line."""
    from dataclasses import replace

    from tests.unit.test_history_service import FakeSource, record
    from viewer.config import HistoryConfig

    ct = [
        record("1.1", PATIENT, "pacs", day="20240101", modality="CT"),
        record("1.2", PATIENT, "pacs", day="20240301", modality="CT"),  # 60 days on
    ]
    flagged = {}
    for days in (30, 90):
        config = Config(
            CacheConfig(tmp_path / "cache", 1 << 30),
            (),
            UiConfig(None),
            history=replace(HistoryConfig(), similar_days=days),
        )
        source = FakeSource("pacs", PATIENT.issuer, ct)
        session = ReadingSession(config, open_sources=lambda source=source: [source])
        result = session.search(StudyQuery(patient_id=PATIENT.patient_id))
        flagged[days] = {s.study_uid for s in result.histories[0].studies if s.recent_similar}
    assert flagged[30] == set()
    assert flagged[90] == {"1.1", "1.2"}  # each marks the other


def test_a_damaged_file_is_said_in_its_place_and_the_series_once_closed_holds_nothing(
    session: ReadingSession, study: tuple[Path, str, str]
) -> None:
    """A file damaged in the cache (a disk error, a bad copy): the series opens with that
    image said damaged in its place, the others shown (issue 14 point 7), and once
    closed it neither stays open nor keeps its study from eviction."""
    search_and_download(session, Events(session))
    assert session.store is not None
    first = session.store.series_files(study[1], study[2])[0][0]
    with first.path.open("r+b") as damaged:  # its preamble and "DICM" become noise
        damaged.seek(first.offset)
        damaged.write(b"\xff" * 200)
    series = session.open_series(study[1], study[2])
    volume = series.volume
    assert len(volume.failed) == 1 and int(volume.ready.sum()) == SLICES - 1
    session.close_series(study[2])
    assert session.open == {}
    session.store.evict(to_size=0)  # no lease was left behind
    assert session.series_counts(study[1]) == {}
