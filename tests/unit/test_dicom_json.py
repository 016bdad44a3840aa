"""Reading DICOM JSON (PS3.18 Annex F) from servers that differ in what they send."""

from __future__ import annotations

from viewer import dicom_json as dj
from viewer.records import PatientRef, linked_patients_from_json, study_from_json

PN = "00100010"


def pn(**groups: str) -> dict[str, object]:
    return {PN: {"vr": "PN", "Value": [groups]}}


class TestPersonName:
    def test_groups_join_with_equals_up_to_the_last_one_sent(self) -> None:
        item = pn(Alphabetic="Wang^XiaoDong", Ideographic="王^小东", Phonetic="")
        assert dj.person_name(item, PN) == "Wang^XiaoDong=王^小东="

    def test_name_without_phonetic_group_has_no_trailing_equals(self) -> None:
        assert dj.person_name(pn(Alphabetic="Li^Na", Ideographic="李^娜"), PN) == "Li^Na=李^娜"

    def test_ideographic_only_name_keeps_an_empty_alphabetic_group(self) -> None:
        assert dj.person_name(pn(Ideographic="张^伟"), PN) == "=张^伟"

    def test_absent_or_malformed_name_is_empty(self) -> None:
        assert dj.person_name({}, PN) == ""
        assert dj.person_name({PN: {"vr": "PN"}}, PN) == ""
        assert dj.person_name({PN: "garbage"}, PN) == ""


def test_values_of_wrong_shape_read_as_absent() -> None:
    item = {"00201208": {"vr": "IS", "Value": ["x"]}, "00080061": {"vr": "CS", "Value": 3}}
    assert dj.integer(item, "00201208") is None
    assert dj.texts(item, "00080061") == []


class TestStudyRecord:
    def test_study_without_valid_uid_is_left_out(self) -> None:
        item = {"0020000D": {"vr": "UI", "Value": ["1.2.03"]}}
        assert study_from_json(item, "src", "X") is None

    def test_missing_issuer_falls_back_to_the_source_issuer(self) -> None:
        item = {
            "0020000D": {"vr": "UI", "Value": ["1.2.3"]},
            "00100020": {"vr": "LO", "Value": ["GL1"]},
        }
        record = study_from_json(item, "gulou", "NJGL")
        assert record is not None
        assert record.patient == PatientRef("GL1", "NJGL")

    def test_other_ids_without_issuer_are_ignored(self) -> None:
        meta = {
            "00100020": {"vr": "LO", "Value": ["P1"]},
            "00101002": {
                "vr": "SQ",
                "Value": [
                    {"00100020": {"vr": "LO", "Value": ["GL1"]}, "00100021": {"Value": ["NJGL"]}},
                    {"00100020": {"vr": "LO", "Value": ["ORPHAN"]}},
                    {"00100020": {"vr": "LO", "Value": ["P1"]}, "00100021": {"Value": ["EMPI"]}},
                ],
            },
        }
        assert linked_patients_from_json(meta, "EMPI") == {PatientRef("GL1", "NJGL")}
