"""A launch from the HIS: ``qingying://open?patient=…&issuer=…[&study=…][&accession=…]``
read into what to show, and every other URL refused in one line that names the
parameter and the problem, never a value (it names a patient)."""

from __future__ import annotations

import pytest

from viewer.errors import UsageError
from viewer.launch import MAX_URL, LaunchRequest, parse_launch_url

STUDY = "1.2.840.113619.2.55.3.604688119.971.1100000000.1"


def test_a_patient_of_a_registry_is_read_with_its_study_and_accession() -> None:
    request = parse_launch_url(
        f"qingying://open?patient=320102196503140372&issuer=JS-EMPI&study={STUDY}&accession=A123"
    )
    assert request == LaunchRequest("320102196503140372", "JS-EMPI", STUDY, "A123")


def test_chinese_percent_encoded_values_are_read_as_utf8() -> None:
    request = parse_launch_url("qingying://open?patient=P%20001&issuer=%E9%BC%93%E6%A5%BC")
    assert (request.patient_id, request.issuer) == ("P 001", "鼓楼")


def test_a_request_made_into_a_url_reads_back_the_same() -> None:
    request = LaunchRequest("王&小=东", "鼓楼 Gulou", STUDY, "A/1")
    assert parse_launch_url(request.url()) == request


def test_the_scheme_and_action_are_not_case_sensitive_but_nothing_else_is_taken() -> None:
    assert parse_launch_url("QINGYING://OPEN?patient=1&issuer=X").patient_id == "1"


MALFORMED = {
    "another scheme": ("https://open?patient=1&issuer=X", "starts with qingying://"),
    "another action": ("qingying://delete?patient=1&issuer=X", "the only launch is"),
    "a path": ("qingying://open/x?patient=1&issuer=X", "the only launch is"),
    "a port": ("qingying://open:80?patient=1&issuer=X", "the only launch is"),
    "user information": ("qingying://u:p@open?patient=1&issuer=X", "the only launch is"),
    "a bad port": ("qingying://open:x?patient=1&issuer=X", "cannot be read"),
    "a fragment": ("qingying://open?patient=1&issuer=X#top", "fragment"),
    "no parameters": ("qingying://open", "names no patient"),
    "no issuer": ("qingying://open?patient=1", "names no issuer"),
    "no patient": ("qingying://open?issuer=X", "names no patient"),
    "an empty patient": ("qingying://open?patient=&issuer=X", "names no patient"),
    "an unknown parameter": ("qingying://open?patient=1&issuer=X&delete=1", "unknown parameter"),
    "a parameter twice": ("qingying://open?patient=1&patient=2&issuer=X", "patient twice"),
    "a field without =": ("qingying://open?patient=1&issuer", "cannot be read"),
    "bad percent-encoding": ("qingying://open?patient=%FF&issuer=X", "cannot be read"),
    "a wildcard": ("qingying://open?patient=32*&issuer=X", "wildcard"),
    "a backslash": ("qingying://open?patient=1%5C2&issuer=X", "wildcard or a backslash"),
    "a control character": ("qingying://open?patient=1%0A2&issuer=X", "control characters"),
    "a raw control character": ("qingying://open?patient=1\x002&issuer=X", "control"),
    "a bidi override": ("qingying://open?patient=1%E2%80%AE2&issuer=X", "control characters"),
    "spaces around": ("qingying://open?patient=%201&issuer=X", "spaces around"),
    "a patient ID too long": (f"qingying://open?patient={'9' * 65}&issuer=X", "longer than 64"),
    "an accession too long": (
        f"qingying://open?patient=1&issuer=X&accession={'A' * 17}",
        "longer than 16",
    ),
    "a study that is no UID": ("qingying://open?patient=1&issuer=X&study=1.02.3", "valid DICOM"),
    "a study UID too long": (
        f"qingying://open?patient=1&issuer=X&study=1.{'2' * 70}",
        "valid DICOM",
    ),
    "a URL too long": ("qingying://open?patient=1&issuer=X&" + "x" * MAX_URL, "at most 2048"),
    "too many fields": ("qingying://open?" + "&".join(["a=1"] * 40), "cannot be read"),
}


@pytest.mark.parametrize(("url", "words"), MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_launch_is_refused_in_one_line_that_names_no_value(
    url: str, words: str
) -> None:
    with pytest.raises(UsageError) as caught:
        parse_launch_url(url)
    message = str(caught.value)
    assert words in message and "\n" not in message
    for value in ("32*", "%FF", "1.02.3", "9" * 65):
        assert value not in message  # values name a patient: never said back


def test_the_url_as_the_only_argument_is_the_open_command_handed_to_the_window(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """How the desktop's URL handler runs it (``qingying %u``), and ``open`` by hand."""
    from viewer.cli import run

    asked: list[object] = []

    def window(_config: object, request: object) -> int:
        asked.append(request)
        return 0

    url = f"qingying://open?patient=P1&issuer=JS-EMPI&study={STUDY}"
    assert run([url], gui=window) == 0
    assert (
        run(["open", "--patient", "P1", "--issuer", "JS-EMPI", "--study", STUDY], gui=window) == 0
    )
    assert asked == [LaunchRequest("P1", "JS-EMPI", STUDY)] * 2
    assert run(["qingying://open?patient=P1"], gui=window) == 2  # no issuer: refused
    err = capsys.readouterr().err
    assert err.strip() == "qingying: the launch names no issuer: patient and issuer are needed"
    assert run(["open", "--url", url, "--patient", "P2"], gui=window) == 2
    assert len(asked) == 2  # nothing refused reached the window
