"""QIDO-RS queries: what is sent, and how it is encoded."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from viewer.dicomweb.qido import QueryError, StudyQuery, encode_params, name_pattern


class TestNamePattern:
    def test_latin_name_without_wildcard_matches_as_prefix(self) -> None:
        assert name_pattern("Wang^Xiao") == "Wang?Xiao*"

    def test_spaces_separate_name_components(self) -> None:
        assert name_pattern("Wang  XiaoDong") == "Wang?XiaoDong*"

    def test_chinese_name_matches_its_characters_in_order_anywhere(self) -> None:
        assert name_pattern("王小东") == "*王*小*东*"

    def test_explicit_wildcards_are_kept_as_typed(self) -> None:
        assert name_pattern("W?ng*") == "W?ng*"

    def test_component_separator_is_sent_as_a_one_character_wildcard(self) -> None:
        # requests/urllib3 always escape ^, and Orthanc 1.10 does not decode %5E.
        assert name_pattern("Wang^XiaoDong*") == "Wang?XiaoDong*"


class TestEncoding:
    def test_wildcards_and_component_separators_are_not_escaped(self) -> None:
        # Orthanc 1.10 matches the raw query value: an escaped * would not be a wildcard.
        encoded = encode_params([("PatientName", "Wang?Xiao*"), ("StudyDate", "2020-")])
        assert encoded == "PatientName=Wang?Xiao*&StudyDate=2020-"

    def test_chinese_is_percent_encoded_as_utf8(self) -> None:
        encoded = encode_params([("PatientName", "*王*")])
        assert encoded == "PatientName=*%E7%8E%8B*"
        assert unquote(encoded.split("=", 1)[1]) == "*王*"

    def test_reserved_characters_in_values_are_escaped(self) -> None:
        assert encode_params([("AccessionNumber", "A&B=C")]) == "AccessionNumber=A%26B%3DC"


class TestValidation:
    @pytest.mark.parametrize(
        "kwargs",
        [
            {"patient_id": "1", "birth_date": "1965-03-14"},
            {"patient_id": "1", "date_from": "2024"},
            {"patient_id": "1", "date_from": "20240102\n"},  # "$" would let it through
            {"patient_id": "1", "birth_date": "\uff11\uff19\uff16\uff15\uff10\uff13\uff11\uff14"},
            {"patient_id": "1", "date_from": "20240102", "date_to": "20240101"},
            {"patient_id": "1", "sex": "X"},
            {"patient_id": "32010*"},
            {"modality": "CT"},
        ],
    )
    def test_bad_search_is_refused_with_a_usage_error(self, kwargs: dict[str, str]) -> None:
        with pytest.raises(QueryError) as info:
            StudyQuery(**kwargs)
        assert info.value.exit_code == 2

    def test_matching_keys_use_dicom_keywords(self) -> None:
        query = StudyQuery(
            patient_id="320102196503140372",
            birth_date="19650314",
            modality="ct",
            date_from="20200101",
        )
        assert query.matching_params() == [
            ("PatientID", "320102196503140372"),
            ("PatientBirthDate", "19650314"),
            ("ModalitiesInStudy", "CT"),
            ("StudyDate", "20200101-"),
        ]
