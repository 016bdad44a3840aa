"""WADO-RS retrieval from the real demo platform (Orthanc): what arrives is what was stored.

The demo data set on disk holds the very files the platform was seeded with, so each
retrieved instance is compared with its source: same UIDs, bit-identical pixel data.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pydicom
import pytest
import requests

from tests.support.netproxy import NetProxy
from tests.unit.test_wado import DirSinks
from viewer.demo import SeriesEntry, StudyEntry
from viewer.demo.platform import RunningPlatform
from viewer.dicomweb.auth import BasicAuth
from viewer.dicomweb.session import make_session, retry_policy
from viewer.dicomweb.wado import WadoRetriever
from viewer.errors import NetworkError

pytestmark = pytest.mark.integration

UNCOMPRESSED = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2"}


@pytest.fixture
def session(platform: RunningPlatform) -> Iterator[requests.Session]:
    opened = make_session(retries=retry_policy(total=0))
    opened.auth = BasicAuth(*platform.auth("platform"))
    yield opened
    opened.close()


@pytest.fixture
def sinks(tmp_path: Path) -> DirSinks:
    return DirSinks(tmp_path / "cache")


def main_ct(platform: RunningPlatform) -> tuple[StudyEntry, SeriesEntry]:
    markers = platform.manifest.ct_markers
    study = platform.manifest.study(markers.study_instance_uid)
    series = next(s for s in study.series if s.series_instance_uid == markers.series_instance_uid)
    return study, series


def compressed_series(platform: RunningPlatform) -> list[tuple[StudyEntry, SeriesEntry]]:
    """The smallest platform series of each compressed transfer syntax (J2K among them)."""
    smallest: dict[str, tuple[StudyEntry, SeriesEntry]] = {}
    for study in platform.manifest.studies_in("platform"):
        for series in study.series:
            syntax = series.transfer_syntax_uid
            if syntax in UNCOMPRESSED:
                continue
            if syntax not in smallest or series.instances < smallest[syntax][1].instances:
                smallest[syntax] = (study, series)
    return list(smallest.values())


def source_files(platform: RunningPlatform, study: StudyEntry, series: SeriesEntry) -> list[Path]:
    return sorted(
        platform.manifest.series_dir(platform.data_dir, "platform", study, series).glob("*.dcm")
    )


def assert_same_as_source(cached: Path, source: Path) -> None:
    got, want = pydicom.dcmread(cached), pydicom.dcmread(source)
    for keyword in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"):
        assert got[keyword].value == want[keyword].value, keyword
    assert got.file_meta.TransferSyntaxUID == want.file_meta.TransferSyntaxUID
    assert got.PixelData == want.PixelData, f"pixel data differ: {source.name}"


def test_the_main_ct_series_arrives_whole_and_unchanged(
    platform: RunningPlatform, session: requests.Session, sinks: DirSinks
) -> None:
    study, series = main_ct(platform)
    seen_bytes: list[int] = []
    summary = WadoRetriever(session, platform.platform_url, "platform").retrieve_series(
        study.study_instance_uid, series.series_instance_uid, sinks, on_bytes=seen_bytes.append
    )
    sources = source_files(platform, study, series)
    assert summary.instances == series.instances == len(sources) == 300
    assert sorted(summary.sop_uids) == sorted(p.stem for p in sources)
    assert sum(seen_bytes) == summary.bytes > sum(p.stat().st_size for p in sources)
    cache_dir = sinks.root / study.study_instance_uid / series.series_instance_uid
    for source in sources:
        cached = cache_dir / source.name
        # Orthanc sends the stored file as it is: the copy is the same file, byte for byte.
        assert cached.read_bytes() == source.read_bytes(), source.name
    assert_same_as_source(cache_dir / sources[0].name, sources[0])
    assert sinks.leftovers() == []


def test_compressed_series_keep_their_encoding_and_pixel_data(
    platform: RunningPlatform, session: requests.Session, sinks: DirSinks
) -> None:
    chosen = compressed_series(platform)
    assert "1.2.840.10008.1.2.4.90" in {s.transfer_syntax_uid for _, s in chosen}  # J2K
    retriever = WadoRetriever(session, platform.platform_url, "platform")
    for study, series in chosen:
        summary = retriever.retrieve_series(
            study.study_instance_uid, series.series_instance_uid, sinks
        )
        assert summary.instances == series.instances, series.transfer_syntax_uid
        cache_dir = sinks.root / study.study_instance_uid / series.series_instance_uid
        for source in source_files(platform, study, series):
            assert_same_as_source(cache_dir / source.name, source)


def test_the_whole_main_ct_study_and_one_instance(
    platform: RunningPlatform, session: requests.Session, sinks: DirSinks
) -> None:
    study, series = main_ct(platform)
    retriever = WadoRetriever(session, platform.platform_url, "platform")
    whole = retriever.retrieve_study(study.study_instance_uid, sinks)
    assert whole.instances == study.instance_count
    one = source_files(platform, study, series)[7]
    single = retriever.retrieve_instance(
        study.study_instance_uid, series.series_instance_uid, one.stem, sinks
    )
    assert single.sop_uids == (one.stem,)


def test_a_connection_cut_mid_study_keeps_only_whole_instances(
    platform: RunningPlatform, session: requests.Session, sinks: DirSinks
) -> None:
    study, series = main_ct(platform)
    with NetProxy.for_url(platform.platform_url, cut_after_bytes=20_000_000) as proxy:
        retriever = WadoRetriever(session, proxy.url_for(platform.platform_url), "platform")
        with pytest.raises(NetworkError, match="platform"):
            retriever.retrieve_series(study.study_instance_uid, series.series_instance_uid, sinks)
    assert 0 < len(sinks.committed) < series.instances
    assert sinks.aborted == 1
    assert sinks.leftovers() == []
    sources = {p.stem: p for p in source_files(platform, study, series)}
    for sop in sinks.committed:
        cached = sinks.root / study.study_instance_uid / series.series_instance_uid / f"{sop}.dcm"
        assert cached.read_bytes() == sources[sop].read_bytes()
