"""The seeded local platform answers DICOMweb the way Qingying relies on.

Plain ``requests`` on purpose: these tests pin down the platform, not Qingying's client.
Query strings are built by hand because Orthanc does not percent-decode QIDO values
(``PatientName=Wang*`` matches, ``Wang%2A`` does not).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pydicom
import pytest
import requests

from viewer.demo import SeriesEntry, StudyEntry
from viewer.demo.platform import TARGETS, RunningPlatform

pytestmark = pytest.mark.integration

STUDY_UID = "0020000D"
PATIENT_ID = "00100020"
ISSUER_OF_PATIENT_ID = "00100021"
PATIENT_NAME = "00100010"
OTHER_PATIENT_IDS = "00101002"
STUDY_INSTANCES = "00201208"
UNCOMPRESSED = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2"}
ANY_TRANSFER_SYNTAX = 'multipart/related; type="application/dicom"; transfer-syntax=*'


def query(params: dict[str, str]) -> str:
    """A QIDO query string that leaves ``*`` and ``?`` wildcards unencoded."""
    return "?" + urlencode(params, safe="*?")


@pytest.fixture
def sessions(platform: RunningPlatform) -> Iterator[dict[str, requests.Session]]:
    opened = {target: platform.session(target) for target in TARGETS}
    yield opened
    for session in opened.values():
        session.close()


def qido(
    platform: RunningPlatform,
    session: requests.Session,
    target: str,
    path: str,
    params: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    url = f"{platform.dicomweb_url(target)}/{path}{query(params or {})}"
    response = session.get(url, headers={"Accept": "application/dicom+json"}, timeout=30)
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert isinstance(body, list)
    return body


def value(dataset: dict[str, Any], tag: str) -> Any:
    """The first value of ``tag`` in a DICOM JSON dataset, or None."""
    values = dataset.get(tag, {}).get("Value") or [None]
    return values[0]


def only(datasets: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(datasets) == 1, f"expected one match, got {len(datasets)}"
    return datasets[0]


def sop_uids_on_disk(platform: RunningPlatform, target: str, study: StudyEntry) -> set[str]:
    folder = platform.data_dir / target / study.study_instance_uid
    return {path.stem for path in folder.rglob("*.dcm")}


def multipart_parts(response: requests.Response) -> list[tuple[str, bytes]]:
    """(Content-Type, payload) of each part of a multipart/related answer (minimal parser)."""
    match = re.search(r'boundary="?([^";]+)"?', response.headers["Content-Type"])
    assert match, response.headers["Content-Type"]
    delimiter = b"--" + match.group(1).encode()
    parts = []
    for chunk in response.content.split(delimiter)[1:]:
        if chunk.startswith(b"--"):  # the closing delimiter
            break
        head, _, payload = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        content_type = ""
        for line in head.decode("latin-1").split("\r\n"):
            name, _, field = line.partition(":")
            if name.strip().lower() == "content-type":
                content_type = field.strip()
        parts.append((content_type, payload.removesuffix(b"\r\n")))
    return parts


# -- authentication -------------------------------------------------------------------


@pytest.mark.parametrize("target", TARGETS)
def test_qido_without_credentials_is_refused(platform: RunningPlatform, target: str) -> None:
    response = requests.get(f"{platform.dicomweb_url(target)}/studies", timeout=10)
    assert response.status_code == 401
    assert response.headers.get("WWW-Authenticate", "").lower().startswith("basic")


@pytest.mark.parametrize("target", TARGETS)
def test_qido_with_wrong_password_is_refused(platform: RunningPlatform, target: str) -> None:
    user, password = platform.auth(target)
    response = requests.get(
        f"{platform.dicomweb_url(target)}/studies", auth=(user, password + "x"), timeout=10
    )
    assert response.status_code == 401


def test_each_instance_has_its_own_credentials(platform: RunningPlatform) -> None:
    response = requests.get(
        f"{platform.pacs_url}/studies", auth=platform.auth("platform"), timeout=10
    )
    assert response.status_code == 401


# -- content --------------------------------------------------------------------------


@pytest.mark.parametrize("target", TARGETS)
def test_qido_lists_every_seeded_study(
    platform: RunningPlatform, sessions: dict[str, requests.Session], target: str
) -> None:
    manifest = platform.manifest
    found = qido(platform, sessions[target], target, "studies", {"includefield": STUDY_INSTANCES})
    expected = {s.study_instance_uid: s for s in manifest.studies_in(target)}
    assert len(found) == manifest.counts[target].studies == len(expected)
    assert {value(study, STUDY_UID) for study in found} == set(expected)
    for study in found:
        entry = expected[value(study, STUDY_UID)]
        assert int(value(study, STUDY_INSTANCES)) == entry.instance_count, entry.key
    assert sum(s.instance_count for s in expected.values()) == manifest.counts[target].instances


def test_chinese_names_come_back_whole(
    platform: RunningPlatform, sessions: dict[str, requests.Session]
) -> None:
    manifest = platform.manifest
    wangs = {p.key: p for p in manifest.patients if p.name.startswith("Wang^")}
    assert "Wang^XiaoDong=王^小东=" in {p.name for p in wangs.values()}
    expected = {
        s.study_instance_uid for s in manifest.studies_in("platform") if s.patient_key in wangs
    }
    # ``*`` goes unencoded: Orthanc would take ``%2A`` literally.
    found = qido(platform, sessions["platform"], "platform", "studies", {"PatientName": "Wang*"})
    assert {value(study, STUDY_UID) for study in found} == expected
    for study in found:
        name = value(study, PATIENT_NAME)
        assert name["Alphabetic"] == "Wang^XiaoDong"
        assert name["Ideographic"] == "王^小东"


@pytest.mark.parametrize("target", TARGETS)
def test_every_patient_name_keeps_its_ideographic_component(
    platform: RunningPlatform, sessions: dict[str, requests.Session], target: str
) -> None:
    manifest = platform.manifest
    for study in qido(platform, sessions[target], target, "studies"):
        entry = manifest.study(value(study, STUDY_UID))
        alphabetic, ideographic = manifest.patient(entry.patient_key).name.split("=")[:2]
        name = value(study, PATIENT_NAME)
        assert (name.get("Alphabetic"), name.get("Ideographic")) == (alphabetic, ideographic)


def test_study_held_by_both_has_different_patient_ids(
    platform: RunningPlatform, sessions: dict[str, requests.Session]
) -> None:
    manifest = platform.manifest
    shared = manifest.studies_tagged("both")
    assert shared, "the scenario has a study held by both instances"
    for study in shared:
        patient = manifest.patient(study.patient_key)
        ids = {}
        for target in TARGETS:
            found = only(
                qido(
                    platform,
                    sessions[target],
                    target,
                    "studies",
                    {
                        "StudyInstanceUID": study.study_instance_uid,
                        "includefield": ISSUER_OF_PATIENT_ID,
                    },
                )
            )
            ids[target] = (value(found, PATIENT_ID), value(found, ISSUER_OF_PATIENT_ID))
        assert ids["platform"] == (patient.platform_id, "JS-EMPI")
        assert ids["pacs"] == (patient.mrns["NJGL"], "NJGL")


def test_other_patient_ids_link_platform_and_pacs(
    platform: RunningPlatform, sessions: dict[str, requests.Session]
) -> None:
    """OtherPatientIDsSequence is not in QIDO answers: read it from WADO-RS metadata."""
    manifest = platform.manifest
    study = manifest.studies_tagged("both")[0]
    patient = manifest.patient(study.patient_key)
    series = study.series[0]
    sop_uid = min(sop_uids_on_disk(platform, "pacs", study))
    linked = {}
    for target in TARGETS:
        url = (
            f"{platform.dicomweb_url(target)}/studies/{study.study_instance_uid}"
            f"/series/{series.series_instance_uid}/instances/{sop_uid}/metadata"
        )
        response = sessions[target].get(url, timeout=30)
        assert response.status_code == 200
        others = response.json()[0].get(OTHER_PATIENT_IDS, {}).get("Value", [])
        linked[target] = {
            (value(item, PATIENT_ID), value(item, ISSUER_OF_PATIENT_ID)) for item in others
        }
    assert (patient.mrns["NJGL"], "NJGL") in linked["platform"]
    assert (patient.platform_id, "JS-EMPI") in linked["pacs"]


def compressed_series(platform: RunningPlatform) -> dict[str, tuple[str, StudyEntry, SeriesEntry]]:
    """The smallest series of each compressed transfer syntax, with the target holding it."""
    chosen: dict[str, tuple[str, StudyEntry, SeriesEntry]] = {}
    for target in TARGETS:
        for study in platform.manifest.studies_in(target):
            for series in study.series:
                syntax = series.transfer_syntax_uid
                if syntax in UNCOMPRESSED:
                    continue
                if syntax not in chosen or series.instances < chosen[syntax][2].instances:
                    chosen[syntax] = (target, study, series)
    return chosen


def test_wado_rs_returns_instances_with_any_transfer_syntax(
    platform: RunningPlatform, sessions: dict[str, requests.Session]
) -> None:
    chosen = compressed_series(platform)
    assert chosen, "the scenario stores some series compressed"
    for syntax, (target, study, series) in sorted(chosen.items()):
        url = (
            f"{platform.dicomweb_url(target)}/studies/{study.study_instance_uid}"
            f"/series/{series.series_instance_uid}"
        )
        response = sessions[target].get(url, headers={"Accept": ANY_TRANSFER_SYNTAX}, timeout=60)
        assert response.status_code == 200, (syntax, response.status_code)
        assert response.headers["Content-Type"].startswith("multipart/related")
        parts = multipart_parts(response)
        assert len(parts) == series.instances, syntax
        sop_uids = set()
        for content_type, payload in parts:
            assert content_type.startswith("application/dicom"), content_type
            assert payload[128:132] == b"DICM"
            dataset = pydicom.dcmread(io.BytesIO(payload), stop_before_pixels=True)
            assert dataset.file_meta.TransferSyntaxUID == syntax  # stored as sent, no transcoding
            sop_uids.add(dataset.SOPInstanceUID)
        folder = platform.data_dir / target / study.study_instance_uid / series.series_instance_uid
        assert sop_uids == {path.stem for path in folder.glob("*.dcm")}
