"""The rules of a sign-in's tokens, against canned token answers: renew ahead of expiry,
renew once after a refusal, take a token another process rotated, never replay one,
forget a sign-in the provider no longer honours."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import keyring.errors
import pytest
import requests

from tests.support.memory_keyring import MemoryKeyring
from viewer.config_oidc import OidcSettings
from viewer.dicomweb.auth import BearerAuth, origin_of
from viewer.errors import SignInAgainError
from viewer.sources.oidc.endpoints import ProviderMetadata
from viewer.sources.oidc.grant import OidcGrant, TokenAnswer
from viewer.sources.oidc.refresh_store import RefreshStore, SignedInUser

SETTINGS = OidcSettings("https://id.example.org", "qingying")
METADATA = ProviderMetadata(
    "https://id.example.org",
    "https://id.example.org/auth",
    "https://id.example.org/token",
    "https://id.example.org/jwks",
)
USER = SignedInUser("sub-1", "zhang.wei", "张伟")


class TokenEndpoint:
    """A session whose posts the provider answers from a script; what was sent is kept."""

    def __init__(self, *answers: tuple[int, dict[str, Any]]) -> None:
        self.answers = list(answers)
        self.sent: list[dict[str, str]] = []

    def post(self, url: str, data: dict[str, str], **_: Any) -> requests.Response:
        self.sent.append(dict(data))
        status, body = self.answers.pop(0)
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode()
        return response


def fresh(token: str, refresh: str | None = None, expires: int = 100) -> dict[str, Any]:
    body: dict[str, Any] = {"access_token": token, "token_type": "Bearer", "expires_in": expires}
    if refresh:
        body["refresh_token"] = refresh
    return body


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


def grant_with(
    endpoint: TokenEndpoint, tmp_path: Path, clock: Clock, kept: str | None = "R1"
) -> tuple[OidcGrant, RefreshStore]:
    store = RefreshStore(SETTINGS, tmp_path)
    if kept:
        store.save(USER, kept)
    grant = OidcGrant(
        SETTINGS,
        endpoint,
        store,
        USER,
        metadata=METADATA,
        clock=clock,  # type: ignore[arg-type]
    )
    grant.take(TokenAnswer("A1", 100, kept, None))
    return grant, store


def test_the_access_token_is_renewed_shortly_before_it_expires(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    endpoint, clock = TokenEndpoint((200, fresh("A2", "R2"))), Clock()
    grant, store = grant_with(endpoint, tmp_path, clock)
    clock.now += 50
    assert grant.access_token() == "A1" and endpoint.sent == []
    clock.now += 45  # within a tenth of its life of the end
    assert grant.access_token() == "A2"
    assert endpoint.sent[0]["refresh_token"] == "R1"
    kept = store.load()
    assert kept is not None and kept.refresh_token == "R2"


def test_a_refused_token_is_renewed_once_however_many_requests_it_carried(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    endpoint, clock = TokenEndpoint((200, fresh("A2", "R2"))), Clock()
    grant, _ = grant_with(endpoint, tmp_path, clock)
    clock.now += 1  # refused well before its end (the server's clock runs ahead)
    assert grant.refresh("A1") and grant.refresh("A1")  # two requests refused with A1
    assert len(endpoint.sent) == 1 and grant.access_token() == "A2"


def test_a_token_another_process_rotated_is_taken_never_the_old_one(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    endpoint, clock = TokenEndpoint((200, fresh("A3", "R3"))), Clock()
    grant, store = grant_with(endpoint, tmp_path, clock)
    store.save(USER, "R2")  # the window renewed while this command ran
    clock.now += 99
    assert grant.access_token() == "A3"
    assert [s["refresh_token"] for s in endpoint.sent] == ["R2"]


def test_a_refused_renewal_forgets_the_sign_in_and_asks_to_sign_in_again(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    endpoint, clock = TokenEndpoint((400, {"error": "invalid_grant"})), Clock()
    grant, store = grant_with(endpoint, tmp_path, clock)
    clock.now += 100
    with pytest.raises(SignInAgainError, match="sign-in is no longer valid"):
        grant.access_token()
    assert store.load() is None


def test_a_rotated_token_that_cannot_be_kept_makes_the_old_one_forgotten(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint, clock = TokenEndpoint((200, fresh("A2", "R2"))), Clock()
    grant, store = grant_with(endpoint, tmp_path, clock)

    def locked(*_: object) -> None:
        raise keyring.errors.KeyringLocked("locked")

    monkeypatch.setattr(memory_keyring, "set_password", locked)
    clock.now += 100
    assert grant.access_token() == "A2"  # this token serves until it expires
    assert store.load() is None  # and R1, now used up, will never be sent again
    clock.now += 100
    with pytest.raises(SignInAgainError):
        grant.access_token()
    assert len(endpoint.sent) == 1


def test_the_keyring_entry_holds_the_refresh_token_and_never_the_access_token(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    endpoint, clock = TokenEndpoint((200, fresh("ACCESS-2", "R2"))), Clock()
    grant, _ = grant_with(endpoint, tmp_path, clock)
    clock.now += 100
    grant.access_token()
    text = " ".join(memory_keyring.entries.values())
    assert "R2" in text and "ACCESS" not in text and "A1" not in text


def test_a_bearer_token_goes_only_to_its_own_origin() -> None:
    class Tokens:
        def access_token(self) -> str:
            return "T"

        def refresh(self, refused: str | None = None) -> bool:
            raise AssertionError("a refusal from elsewhere must not renew")

    auth = BearerAuth(Tokens(), "https://pacs.example.org/dicom-web")
    for url, sent in [
        ("https://pacs.example.org:443/dicom-web/studies", True),
        ("https://PACS.example.org/other", True),
        ("http://pacs.example.org/dicom-web/studies", False),
        ("https://pacs.example.org:8443/dicom-web", False),
        ("https://evil.example.org/dicom-web", False),
    ]:
        request = requests.Request("GET", url, headers={"Authorization": "Bearer old"}).prepare()
        auth(request)
        assert ("Authorization" in request.headers) is sent, url
    assert origin_of("https://h/x") == ("https", "h", 443)
