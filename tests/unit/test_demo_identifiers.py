"""Identifiers: resident-ID check characters and DICOM UIDs (PS3.5 §9.1)."""

from __future__ import annotations

from viewer.demo import Manifest
from viewer.demo.identifiers import (
    demo_uid,
    is_valid_resident_id,
    make_resident_id,
    resident_id_check_char,
)
from viewer.uids import is_valid_uid


def test_resident_id_check_digit() -> None:
    # The worked example of GB 11643-1999.
    assert resident_id_check_char("11010519491231002") == "X"
    assert is_valid_resident_id("11010519491231002X")
    assert not is_valid_resident_id("110105194912310021")
    assert make_resident_id("320102", "19650314", 37, "M")[-1] == resident_id_check_char(
        make_resident_id("320102", "19650314", 37, "M")[:17]
    )


def test_platform_ids_encode_birth_date_and_sex(demo_data: Manifest) -> None:
    for p in demo_data.patients:
        assert len(p.platform_id) == 18
        assert is_valid_resident_id(p.platform_id)
        assert p.platform_id[6:14] == p.birth_date
        assert (int(p.platform_id[16]) % 2 == 1) == (p.sex == "M")
        assert p.platform_issuer == "JS-EMPI"
    assert len({p.platform_id for p in demo_data.patients}) == len(demo_data.patients)


def test_uids_are_valid_and_deterministic() -> None:
    uid = demo_uid("study", "x")
    assert uid == demo_uid("study", "x") != demo_uid("study", "y")
    assert uid.startswith("2.25.")
    assert is_valid_uid(uid)
    assert not is_valid_uid("1.02.3")
    assert not is_valid_uid("1." + "2" * 70)


def test_manifest_uids_are_valid_and_unique(demo_data: Manifest) -> None:
    uids = [demo_data.ct_markers.study_instance_uid]
    for study in demo_data.studies:
        uids.append(study.study_instance_uid)
        uids.extend(s.series_instance_uid for s in study.series)
    assert all(is_valid_uid(u) for u in uids)
    assert len(set(uids)) == len(uids) - 1  # the marker study is one of the studies
