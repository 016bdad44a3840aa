"""A hostile or broken QIDO answer is that source's problem: JSON is parsed as JSON (no
NaN, no Infinity, bounded nesting), numbers are bounded, and a cross-source search
reports the source and still returns the others' results."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from tests.support.http_server import Reply, Seen, scripted_server
from tests.unit.test_history_service import EMPI, FakeSource, record
from viewer import dicom_json as dj
from viewer.dicomweb.client import DicomwebClient
from viewer.dicomweb.qido import StudyQuery
from viewer.dicomweb.session import make_session, retry_policy
from viewer.errors import InvalidDataError
from viewer.history.service import HistorySearch
from viewer.records import PatientRef
from viewer.sources.dicomweb import DicomwebSource

QUERY = StudyQuery(patient_id="GL1")
INSTANCES = "00201208"  # NumberOfStudyRelatedInstances


def study_json(uid: str, instances: str = "12") -> bytes:
    return (
        f'[{{"0020000D": {{"vr": "UI", "Value": ["{uid}"]}},'
        f' "00100020": {{"vr": "LO", "Value": ["GL1"]}},'
        f' "{INSTANCES}": {{"vr": "IS", "Value": [{instances}]}}}}]'
    ).encode()


DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity", b"1e999", b"-1e400"])
def test_json_numbers_that_are_not_finite_are_refused_naming_the_source(constant: bytes) -> None:
    with pytest.raises(InvalidDataError, match=r"^gulou: the answer holds"):
        dj.loads(study_json("1.2.3", constant.decode()), "gulou")


@pytest.mark.parametrize("depth", [dj.MAX_JSON_DEPTH + 1, 100_000])
def test_json_nested_too_deep_is_refused_before_it_is_parsed(depth: int) -> None:
    with pytest.raises(InvalidDataError, match=r"^gulou: the answer nests deeper"):
        dj.loads(b"[" * depth + b"]" * depth, "gulou")


def test_brackets_in_strings_do_not_count_as_nesting() -> None:
    deep_text = '"' + "[" * 1000 + '\\"' + "{" * 1000 + '\\\\"'
    assert dj.loads(f"[{deep_text}, [[1.5]]]", "gulou")[1] == [[1.5]]
    nested = b"[" * dj.MAX_JSON_DEPTH + b"]" * dj.MAX_JSON_DEPTH
    assert dj.loads(nested, "gulou") == dj.loads(nested.decode(), "gulou")
    # A string that closes brackets cannot hide nesting outside it.
    hidden = b'["' + b"]" * 300 + b'", ' + b"[" * 300 + b"]" * 300 + b"]"
    with pytest.raises(InvalidDataError, match="nests deeper"):
        dj.loads(hidden, "gulou")


@pytest.mark.parametrize("body", [b"", b"[1,", b"\xff\xfe\x00", b"[1" + b"0" * 5000 + b"]"])
def test_what_is_not_json_is_invalid_data(body: bytes) -> None:
    with pytest.raises(InvalidDataError, match=r"^gulou: the answer is not valid JSON"):
        dj.loads(body, "gulou")


@pytest.mark.parametrize(
    "value", [float("inf"), float("-inf"), float("nan"), 1e20, -(10**20), 2**31, True, "x"]
)
def test_a_number_out_of_is_range_in_an_answer_is_unknown(value: object) -> None:
    assert dj.integer({INSTANCES: {"vr": "IS", "Value": [value]}}, INSTANCES) is None


@pytest.mark.parametrize("value", [12, 12.0, "12", 2**31 - 1, -(2**31)])
def test_a_number_in_range_is_read(value: object) -> None:
    assert dj.integer({INSTANCES: {"vr": "IS", "Value": [value]}}, INSTANCES) == int(value)  # type: ignore[call-overload]


def source(name: str, url: str) -> DicomwebSource:
    session = make_session(retries=retry_policy(total=0))
    return DicomwebSource(name, "NJGL", DicomwebClient(url + "/dicom-web", session, name=name))


def search_two(hostile: bytes) -> tuple[object, ...]:
    """A search over a good source and one answering ``hostile`` to the study search
    (both answer [] to the rest: the instance search that looks for linked IDs)."""
    good_uid, bad_uid = "1.2.840.1", "1.2.840.2"

    def answering(body: bytes) -> Callable[[Seen], Reply]:
        return lambda seen: Reply(
            200, body if seen.path.startswith("/dicom-web/studies?") else b"[]"
        )

    with (
        scripted_server(answering(study_json(good_uid))) as good,
        scripted_server(answering(hostile.replace(b"@UID", bad_uid.encode()))) as bad,
    ):
        result = HistorySearch([source("provincial", good.url), source("gulou", bad.url)]).run(
            QUERY
        )
    studies = {s.study_uid: s for h in result.histories for s in h.studies}
    return result, studies, good_uid, bad_uid


def test_a_source_answering_json_nested_100k_deep_is_reported_the_others_answer() -> None:
    result, studies, good_uid, _ = search_two(DEEP)
    assert set(studies) == {good_uid}  # type: ignore[arg-type]
    problems = {p.source: p.error for p in result.problems}  # type: ignore[attr-defined]
    assert isinstance(problems["gulou"], InvalidDataError) and "gulou" in str(problems["gulou"])
    assert "provincial" not in problems


@pytest.mark.parametrize("count", ["Infinity", "1e999", "1e20", "NaN"])
def test_a_count_that_is_not_a_number_never_aborts_the_search(count: str) -> None:
    hostile = study_json("@UID", count)
    result, studies, good_uid, bad_uid = search_two(hostile)
    assert good_uid in studies  # type: ignore[operator]
    # Refused as that source's answer, or read with the count unknown: never a crash.
    refused = {p.source for p in result.problems} == {"gulou"}  # type: ignore[attr-defined]
    unknown = bad_uid in studies and studies[bad_uid].record.instance_count is None  # type: ignore[index]
    assert refused != unknown


def test_follow_up_queries_a_source_makes_impossible_are_left_out_not_fatal() -> None:
    # What a source answers becomes the next questions: a birth date that is no date (for
    # the same-name probe) or a linked ID with a wildcard cannot be asked, and that is the
    # source's bad data, not the user's usage error that ends the search.
    asked = PatientRef("GL1", "NJGL")
    odd = record("1.2.840.9", asked, "gulou", birth="99999999999999999999")
    gulou = FakeSource(
        "gulou", "NJGL", [odd], links={odd.study_uid: frozenset({PatientRef("3201*", EMPI)})}
    )
    platform = FakeSource(
        "provincial", EMPI, [record("1.2.840.8", PatientRef("320102", EMPI), "provincial")]
    )
    result = HistorySearch([gulou, platform]).run(StudyQuery(patient_id="GL1", issuer="NJGL"))
    assert [s.study_uid for h in result.histories for s in h.studies] == [odd.study_uid]
    assert not result.problems
    assert all(q.patient_id != "3201*" for q in platform.queries)


@pytest.mark.parametrize("body", [DEEP, b'[{"00200013": {"vr": "IS", "Value": [Infinity]}}]'])
def test_every_qido_and_metadata_answer_is_parsed_as_bounded_json(body: bytes) -> None:
    # Not only study searches: series and instance listings, and metadata, go through
    # the same parser, so a hostile answer is the source's InvalidDataError, never a
    # RecursionError or an infinite count.
    reply = Reply(200, headers={"Content-Type": "application/dicom+json"}, body=body)
    with scripted_server(lambda _s: reply) as server:
        client = DicomwebClient(
            server.url, make_session(retries=retry_policy(total=0)), name="gulou"
        )
        for call in (
            lambda: client.search_series("1.2.3"),
            lambda: client.search_series_instances("1.2.3", "1.2.3.4", ["00200013"]),
            lambda: client.instance_metadata("1.2.3", "1.2.3.4", "1.2.3.4.5"),
        ):
            with pytest.raises(InvalidDataError, match=r"^gulou: the answer"):
                call()


def test_a_cancel_reaches_a_searchs_wait_for_a_retry_after() -> None:
    from viewer.errors import CancelledError

    asked = time.monotonic()
    busy = Reply(503, "busy", {"Retry-After": "20"})
    with scripted_server(lambda _s: busy) as server:
        client = DicomwebClient(server.url + "/dicom-web", make_session(), name="gulou")
        search = HistorySearch(
            [DicomwebSource("gulou", "NJGL", client)],
            cancelled=lambda: time.monotonic() - asked > 0.5,
        )
        with pytest.raises(CancelledError):
            search.run(QUERY)
    assert time.monotonic() - asked < 3
