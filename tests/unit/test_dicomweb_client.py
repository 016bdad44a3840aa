"""The DICOMweb client against a scripted local server: typed errors, retries, paging, TLS."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.support.certificates import make_ca_and_server_cert
from tests.support.http_server import Reply, Seen, scripted_server
from viewer.dicomweb.auth import BasicAuth, BearerAuth
from viewer.dicomweb.client import DicomwebClient
from viewer.dicomweb.qido import StudyQuery
from viewer.dicomweb.session import Timeouts, make_session, retry_policy
from viewer.errors import (
    AuthError,
    CertificateError,
    InvalidDataError,
    NetworkError,
    ServerError,
)

QUERY = StudyQuery(name="Wang")


def study(n: int) -> dict[str, object]:
    return {"0020000D": {"vr": "UI", "Value": [f"1.2.{n}"]}}


def client_for(url: str, **session_args: object) -> DicomwebClient:
    session_args.setdefault("retries", retry_policy(total=2, backoff=0))
    return DicomwebClient(url + "/dicom-web", make_session(**session_args), name="test")  # type: ignore[arg-type]


class TestErrors:
    @pytest.mark.parametrize("status", [401, 403])
    def test_refused_credentials_raise_auth_error(self, status: int) -> None:
        with scripted_server(lambda _s: Reply(status)) as server:
            with pytest.raises(AuthError, match=f"HTTP {status}"):
                client_for(server.url).search_studies(QUERY)

    def test_server_error_is_a_server_error_not_a_traceback(self) -> None:
        with scripted_server(lambda _s: Reply(500, "boom")) as server:
            with pytest.raises(ServerError, match="HTTP 500"):
                client_for(server.url).search_studies(QUERY)
            assert len(server.seen) == 1  # 500 is not retried

    @pytest.mark.parametrize("body", ["not json", {"a": 1}, [1, 2]])
    def test_malformed_answer_raises_invalid_data(self, body: object) -> None:
        with scripted_server(lambda _s: Reply(200, body)) as server:  # type: ignore[arg-type]
            with pytest.raises(InvalidDataError):
                client_for(server.url).search_studies(QUERY)

    def test_refused_connection_raises_network_error(self) -> None:
        with scripted_server(lambda _s: Reply()) as server:
            url = server.url
        with pytest.raises(NetworkError, match="cannot reach"):
            client_for(url, retries=retry_policy(total=0)).search_studies(QUERY)

    def test_silent_server_hits_the_read_timeout(self) -> None:
        with scripted_server(lambda _s: Reply(200, [], delay=2.0)) as server:
            client = client_for(
                server.url, timeouts=Timeouts(connect=1, read=0.3), retries=retry_policy(total=0)
            )
            with pytest.raises(NetworkError):
                client.search_studies(QUERY)


class TestRetries:
    def test_busy_server_is_retried_then_answers(self) -> None:
        replies = iter([Reply(503), Reply(429), Reply(200, [study(1)])])
        with scripted_server(lambda _s: next(replies)) as server:
            result = client_for(
                server.url, retries=retry_policy(total=3, backoff=0)
            ).search_studies(QUERY)
            assert len(result.items) == 1
            assert len(server.seen) == 3

    def test_retries_give_up_with_a_server_error(self) -> None:
        with scripted_server(lambda _s: Reply(503)) as server:
            with pytest.raises(ServerError):
                client_for(server.url).search_studies(QUERY)
            assert len(server.seen) == 3  # the first try and two retries


def test_retry_log_lines_hold_no_patient_data(caplog: pytest.LogCaptureFixture) -> None:
    replies = iter([Reply(503), Reply(200, [])])
    caplog.set_level("DEBUG")
    caplog.set_level("DEBUG", logger="urllib3")  # a CLI run in this process may have quieted it
    with scripted_server(lambda _s: next(replies)) as server:
        client_for(server.url).search_studies(StudyQuery(patient_id="320102196503140372"))
    assert "Retry" in caplog.text  # the retry was logged...
    assert "320102196503140372" not in caplog.text  # ...without the patient's ID


class TestPaging:
    @staticmethod
    def pages(total: int):  # type: ignore[no-untyped-def]
        def answer(seen: Seen) -> Reply:
            q = parse_qs(urlsplit(seen.path).query)
            offset, limit = int(q["offset"][0]), int(q["limit"][0])
            return Reply(200, [study(n) for n in range(offset, min(total, offset + limit))])

        return answer

    def test_pages_are_fetched_until_a_short_page(self) -> None:
        with scripted_server(self.pages(250)) as server:
            result = client_for(server.url).search_studies(QUERY, page_size=100)
            assert len(result.items) == 250 and not result.capped
            assert len(server.seen) == 3

    def test_cap_stops_fetching_and_says_so(self) -> None:
        with scripted_server(self.pages(250)) as server:
            result = client_for(server.url).search_studies(QUERY, page_size=100, cap=120)
            assert len(result.items) == 120 and result.capped

    def test_no_content_means_no_match(self) -> None:
        with scripted_server(lambda _s: Reply(204)) as server:
            assert client_for(server.url).search_studies(QUERY).items == []

    def test_wildcards_reach_the_server_unescaped(self) -> None:
        with scripted_server(lambda _s: Reply(200, [])) as server:
            client_for(server.url).search_studies(QUERY, ["00081030"])
            sent = server.seen[0].path
            assert "PatientName=Wang*&includefield=00081030&limit=" in sent
            assert server.seen[0].headers["accept"] == "application/dicom+json"


class TestTls:
    def test_untrusted_certificate_raises_certificate_error(self, tmp_path: Path) -> None:
        _ca, cert, key = make_ca_and_server_cert(tmp_path)
        with scripted_server(lambda _s: Reply(200, []), tls=(cert, key)) as server:
            with pytest.raises(CertificateError, match=r"test: .*not trusted.*ca_bundle"):
                client_for(server.url).search_studies(QUERY)

    @pytest.mark.parametrize(
        ("made", "words"),
        [
            ({"server_ip": "10.9.8.7"}, "names another server than the configured URL"),
            ({"expired": True}, "has expired"),
        ],
    )
    def test_a_trusted_ca_does_not_pass_a_wrong_certificate(
        self, tmp_path: Path, made: dict[str, object], words: str
    ) -> None:
        """The site CA signed it, yet it is for another address or out of date: refused,
        saying which, naming the source (not "ask IT for the CA bundle")."""
        ca, cert, key = make_ca_and_server_cert(tmp_path, **made)  # type: ignore[arg-type]
        with scripted_server(lambda _s: Reply(200, []), tls=(cert, key)) as server:
            with pytest.raises(CertificateError) as caught:
                client_for(server.url, ca_bundle=ca).search_studies(QUERY)
        message = str(caught.value)
        assert message.startswith("test: ") and words in message
        assert "ca_bundle" not in message

    @pytest.mark.parametrize("with_site_bundle", [False, True])
    def test_a_self_signed_certificate_is_refused(
        self, tmp_path: Path, with_site_bundle: bool
    ) -> None:
        """Signed by its own key, vouched for by no CA: refused with or without the
        site's bundle, saying so and who must mend it."""
        ca, cert, key = make_ca_and_server_cert(tmp_path, self_signed=True)
        bundle = ca if with_site_bundle else None
        with scripted_server(lambda _s: Reply(200, []), tls=(cert, key)) as server:
            with pytest.raises(CertificateError) as caught:
                client_for(server.url, ca_bundle=bundle).search_studies(QUERY)
        message = str(caught.value)
        assert message.startswith("test: ") and "is self-signed" in message
        assert "administrators" in message

    def test_site_ca_bundle_makes_the_certificate_trusted(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # requests would let this variable replace the session's CA bundle.
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
        ca, cert, key = make_ca_and_server_cert(tmp_path)
        with scripted_server(lambda _s: Reply(200, [study(1)]), tls=(cert, key)) as server:
            assert len(client_for(server.url, ca_bundle=ca).search_studies(QUERY).items) == 1


class TestAuth:
    def test_basic_auth_is_sent_and_a_refusal_is_not_replayed(self) -> None:
        with scripted_server(lambda _s: Reply(401)) as server:
            client = client_for(server.url)
            client.session.auth = BasicAuth("doctor", "secret")
            with pytest.raises(AuthError):
                client.search_studies(QUERY)
            assert len(server.seen) == 1
            assert server.seen[0].headers["authorization"].startswith("Basic ")

    @pytest.mark.parametrize("refusal", [401, 403])
    def test_renewable_token_is_renewed_once_and_the_request_replayed(self, refusal: int) -> None:
        class Tokens:
            def __init__(self) -> None:
                self.token, self.refreshes = "old", 0

            def access_token(self) -> str:
                return self.token

            def refresh(self, refused: str | None = None) -> bool:
                assert refused == "old"  # told which token was refused
                self.refreshes += 1
                self.token = "new"
                return True

        def answer(seen: Seen) -> Reply:
            ok = seen.headers.get("authorization") == "Bearer new"
            return Reply(200, [study(1)]) if ok else Reply(refusal)

        tokens = Tokens()
        with scripted_server(answer) as server:
            client = client_for(server.url)
            client.session.auth = BearerAuth(tokens, server.url)
            assert len(client.search_studies(QUERY).items) == 1
            assert tokens.refreshes == 1 and len(server.seen) == 2

    def test_password_never_shows_in_repr(self) -> None:
        assert "secret" not in repr(BasicAuth("doctor", "secret"))


def test_session_refuses_schemes_other_than_http_and_https() -> None:
    session = make_session()
    with pytest.raises(requests.exceptions.InvalidSchema):
        session.get("ftp://127.0.0.1/x")
