"""Rules of the sign-in at its edges: the loopback redirect takes only its own answer and
is never held up; a provider's document is taken only whole and safe; a renewal never
runs on another doctor's token; signing the next doctor in keeps only their sign-in."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.memory_keyring import MemoryKeyring
from tests.unit.test_oidc_grant import SETTINGS, USER, Clock, TokenEndpoint, fresh, grant_with
from viewer.config import SourceConfig
from viewer.config_oidc import OidcSettings
from viewer.errors import InvalidDataError, SignInAgainError
from viewer.sources import login
from viewer.sources.oidc.browser import LoopbackRedirect
from viewer.sources.oidc.endpoints import discover
from viewer.sources.oidc.refresh_store import SignedInUser

ISSUER = "https://id.example.org"


class Document:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc

    def get(self, url: str, **_: Any) -> requests.Response:
        response = requests.Response()
        response.status_code = 200
        response._content = json.dumps(self.doc).encode()
        return response


def document(**changes: Any) -> dict[str, Any]:
    doc = {
        "issuer": ISSUER,
        "authorization_endpoint": f"{ISSUER}/auth",
        "token_endpoint": f"{ISSUER}/token",
        "jwks_uri": f"{ISSUER}/jwks",
    }
    return {**doc, **changes}


def test_the_loopback_takes_only_the_answer_with_its_state_and_no_idle_socket_holds_it() -> None:
    redirect = LoopbackRedirect()
    redirect.expect("s-1")
    port = int(redirect.redirect_uri.rsplit(":", 1)[1].split("/")[0])
    idle = socket.create_connection(("127.0.0.1", port))  # says nothing, stays open
    try:
        base = redirect.redirect_uri
        assert requests.get(f"{base}?code=x&state=forged", timeout=5).status_code == 400
        assert (
            requests.get(f"http://127.0.0.1:{port}/other?state=s-1", timeout=5).status_code == 400
        )
        assert requests.get(f"{base}?code=c-1&state=s-1", timeout=5).status_code == 200
        assert redirect.wait(5, lambda: False) == {"code": "c-1", "state": "s-1"}
    finally:
        started = time.monotonic()
        redirect.close()
        idle.close()
    assert time.monotonic() - started < 5


def test_a_state_in_other_scripts_is_compared_not_crashed_on() -> None:
    redirect = LoopbackRedirect()
    redirect.expect("s-1")
    try:
        answer = requests.get(f"{redirect.redirect_uri}?state=%C3%A9%E7%8E%8B", timeout=5)
        assert answer.status_code == 400
    finally:
        redirect.close()


@pytest.mark.parametrize(
    "changes",
    [
        {"issuer": "https://id.example.org/other"},
        {"token_endpoint": "http://id.example.org/token"},
        {"token_endpoint": "http://127.0.0.1/token"},  # loopback, but the provider is https
        {"jwks_uri": None},
    ],
)
def test_a_provider_document_is_refused_unless_whole_and_safe(changes: dict[str, Any]) -> None:
    with pytest.raises(InvalidDataError):
        discover(Document(document(**changes)), ISSUER)  # type: ignore[arg-type]


def test_only_public_key_signatures_are_taken_whatever_the_document_lists() -> None:
    for algs in (None, 7, ["none", "HS256", "ES256"]):
        doc = document(id_token_signing_alg_values_supported=algs)
        found = discover(Document(doc), ISSUER)  # type: ignore[arg-type]
        assert all(a[:2] in ("RS", "PS", "ES") for a in found.id_token_algs)


def test_a_trailing_slash_of_the_issuer_is_kept_but_not_doubled_in_discovery() -> None:
    asked: list[str] = []

    class Seen(Document):
        def get(self, url: str, **kw: Any) -> requests.Response:
            asked.append(url)
            return super().get(url, **kw)

    slash = f"{ISSUER}/tenant/"
    found = discover(Seen(document(issuer=slash)), slash)  # type: ignore[arg-type]
    assert found.issuer == slash
    assert asked == [f"{ISSUER}/tenant/.well-known/openid-configuration"]


def test_a_renewal_never_runs_on_another_doctors_sign_in(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    endpoint, clock = TokenEndpoint((200, fresh("A2", "R2"))), Clock()
    grant, store = grant_with(endpoint, tmp_path, clock)
    store.save(SignedInUser("sub-2", "li.na", "李娜"), "THEIRS")  # signed in elsewhere
    clock.now += 100
    with pytest.raises(SignInAgainError):
        grant.access_token()
    assert endpoint.sent == [] and grant.ended
    kept = store.load()
    assert kept is not None and kept.refresh_token == "THEIRS"  # theirs left untouched
    assert USER.subject == "sub-1"


def test_the_next_doctor_keeps_only_the_sign_in_they_just_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ended: list[str] = []
    monkeypatch.setattr(login, "logout_all", lambda source: ended.append(source.name))

    def source(name: str, issuer: str | None) -> SourceConfig:
        oidc = OidcSettings(issuer, "qingying") if issuer else None
        auth = "oidc" if issuer else "basic"
        return SourceConfig(name, "https://p/dw", auth, None, None, None, "t", oidc=oidc)

    platform, pacs, other = source("a", ISSUER), source("b", ISSUER), source("c", "https://x")
    sign_out = login.logout_all_but(platform)
    for s in (platform, pacs, other, source("d", None)):
        sign_out(s)
    assert ended == ["c", "d"]  # the same provider and client stay; the rest end
    assert SETTINGS.sign_in_key != other.oidc.sign_in_key  # type: ignore[union-attr]


def a_device_code(**changes: Any) -> Any:
    from viewer.sources.oidc.device import DeviceCode

    base = {
        "user_code": "ABCD-EFGH",
        "verification_uri": f"{ISSUER}/device",
        "verification_uri_complete": None,
        "expires_at": time.monotonic() + 60,
        "interval": 0.0,
        "device_code": "dc",
    }
    return DeviceCode(**{**base, **changes})


@pytest.mark.parametrize(
    ("error", "says"), [("expired_token", "expired"), ("access_denied", "denied")]
)
def test_a_device_sign_in_ends_as_the_provider_says(error: str, says: str) -> None:
    from viewer.errors import SignInRefusedError
    from viewer.sources.oidc.device import wait_device_sign_in
    from viewer.sources.oidc.endpoints import ProviderMetadata

    endpoint = TokenEndpoint(
        (400, {"error": "authorization_pending"}),
        (400, {"error": "slow_down"}),
        (400, {"error": error}),
    )
    metadata = ProviderMetadata(ISSUER, f"{ISSUER}/a", f"{ISSUER}/t", f"{ISSUER}/j")
    with pytest.raises(SignInRefusedError, match=says):
        wait_device_sign_in(
            SETTINGS,
            metadata,
            endpoint,
            a_device_code(),
            sleep=lambda _s: None,  # type: ignore[arg-type]
        )
    assert len(endpoint.sent) == 3  # pending and slow_down were waited out, not ended on


def test_login_device_takes_the_code_way_even_where_a_browser_could_open(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from viewer.cli import sso_login

    monkeypatch.setenv("DISPLAY", ":0")
    asked: list[str] = []

    class Fake:
        def sign_in_with_browser(self, *_: Any, **__: Any) -> None:
            raise AssertionError("--device must not open a browser")

        def start_device(self, _source: Any) -> tuple[None, Any]:
            asked.append("start")
            return None, a_device_code(user_code="WXYZ-\x1b[2J1234")

        def finish_device(self, *_: Any) -> str:
            asked.append("finish")
            return "grant"

    err = io.StringIO()
    source = SourceConfig("sso", "https://p/dw", "oidc", None, None, None, "t", oidc=SETTINGS)
    got = sso_login.sign_in(source, device=True, sign_ins=Fake(), err=err)  # type: ignore[arg-type]
    assert got == "grant" and asked == ["start", "finish"]
    assert "WXYZ-[2J1234" in err.getvalue() and "\x1b" not in err.getvalue()
