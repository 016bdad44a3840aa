"""Reading the index fields from the first bytes of an instance, as the cache's writer does:
the same fields as pydicom reading the file, or None (read the file then)."""

from __future__ import annotations

import io
from pathlib import Path

import pydicom
import pytest
from pydicom.dataset import Dataset
from pydicom.uid import ImplicitVRLittleEndian, generate_uid

from tests.conftest import DEMO_DATA_DIR
from tests.unit.test_cache_store import Study, make_instance
from viewer.cache.header import PREFIX_BYTES, header_from_prefix, read_header
from viewer.errors import InvalidDataError


def both_ways(data: bytes, tmp_path: Path) -> tuple[object, object]:
    path = tmp_path / "x.dcm"
    path.write_bytes(data)
    return header_from_prefix(data[:PREFIX_BYTES], len(data) <= PREFIX_BYTES), read_header(path)


def rewritten(data: bytes, change: object) -> bytes:
    ds = pydicom.dcmread(io.BytesIO(data))
    change(ds)  # type: ignore[operator]
    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=True)
    return out.getvalue()


def test_the_fields_are_those_pydicom_reads(tmp_path: Path) -> None:
    _, data = Study().instance(number=7)
    fast, slow = both_ways(data, tmp_path)
    assert fast is not None
    assert fast == slow
    assert fast.patient_name == "Wang^XiaoDong=王^小东"
    assert fast.other_patient_ids == (("GL20150872", "NJGL"),)


def test_implicit_vr_and_defined_length_sequences(tmp_path: Path) -> None:
    def implicit(ds: Dataset) -> None:
        ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian

    data = rewritten(Study().instance()[1], implicit)
    fast, slow = both_ways(data, tmp_path)
    assert fast is not None and fast == slow


@pytest.mark.parametrize("charset", ["ISO_IR 192", "ISO_IR 100", "ISO 2022 IR 58"])
def test_character_sets_simple_or_left_to_pydicom(tmp_path: Path, charset: str) -> None:
    def recode(ds: Dataset) -> None:
        ds.SpecificCharacterSet = charset
        chinese = "2022" in charset or "192" in charset
        ds.PatientName = "Wang^XiaoDong=王^小东" if chinese else "Müller^José"
        ds.StudyDescription = "胸部CT" if chinese else "CT thorax"
        ds.InstitutionName = "江苏省人民医院" if chinese else "Hôpital"

    data = rewritten(Study().instance()[1], recode)
    fast, slow = both_ways(data, tmp_path)
    assert fast is not None and fast == slow


def test_the_same_bytes_under_another_character_set_decode_by_that_set(tmp_path: Path) -> None:
    # Decoded values are remembered by their bytes (the instances of a series repeat
    # them); the character set is part of what they are remembered by.
    _, data = Study().instance()
    charset = b"\x08\x00\x05\x00CS\x08\x00GB18030 "
    assert data.count(charset) == 1
    latin = data.replace(charset, b"\x08\x00\x05\x00CS\x0a\x00ISO_IR 100")
    first, _ = both_ways(data, tmp_path)
    fast, slow = both_ways(latin, tmp_path)
    assert first is not None and fast is not None
    assert fast == slow
    assert fast.patient_name != first.patient_name  # GB18030 bytes read as Latin-1


def test_long_values_are_decoded_but_not_remembered(tmp_path: Path) -> None:
    from viewer.cache import header as header_module

    def many_ids(ds: Dataset) -> None:  # a long sequence: beyond what the memo keeps
        items = []
        for n in range(60):
            item = Dataset()
            item.PatientID, item.IssuerOfPatientID = f"ID{n:08d}", f"HOSPITAL{n:03d}"
            items.append(item)
        ds.OtherPatientIDsSequence = items

    data = rewritten(Study().instance()[1], many_ids)
    header_module._DECODED.clear()
    fast, slow = both_ways(data, tmp_path)
    assert fast is not None and fast == slow
    kept = header_module._DECODED
    assert kept and all(len(value) <= header_module._DECODED_MAX_BYTES for _t, value, *_ in kept)


def test_a_header_longer_than_the_prefix_needs_the_file(tmp_path: Path) -> None:
    def pad(ds: Dataset) -> None:
        ds.add_new(0x00091010, "OB", b"\0" * (PREFIX_BYTES + 10))  # private, before the UIDs

    data = rewritten(Study().instance()[1], pad)
    fast, slow = both_ways(data, tmp_path)
    assert fast is None and slow is not None


def test_what_is_not_dicom_or_cut_short_is_left_to_the_file_reader() -> None:
    assert header_from_prefix(b"<html>502</html>" * 20, True) is None
    _, data = Study().instance()
    assert header_from_prefix(data[:300], False) is None
    assert header_from_prefix(data[:300], True) is None


def test_an_invalid_uid_is_refused_from_the_prefix_too() -> None:
    data = make_instance(generate_uid(), "1.2/../3", generate_uid())
    with pytest.raises(InvalidDataError, match="not a valid DICOM UID"):
        header_from_prefix(data, True)


def test_every_demo_file_reads_the_same_both_ways() -> None:
    files = sorted(DEMO_DATA_DIR.glob("*/*/*/*.dcm"))
    if not files:
        pytest.skip("no demo data set generated")
    for path in files[::7]:
        data = path.read_bytes()
        fast = header_from_prefix(data[:PREFIX_BYTES], len(data) <= PREFIX_BYTES)
        assert fast == read_header(path), path.name
