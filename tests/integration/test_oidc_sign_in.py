"""Single sign-on against a real OpenID provider and an Orthanc that checks its tokens."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import DEMO_DATA_DIR
from tests.support.app_cache import app_store
from tests.support.http_server import Reply, Seen, scripted_server
from tests.support.memory_keyring import MemoryKeyring
from tests.support.netproxy import NetProxy
from tests.support.oidc_browser import approve_device, sign_in
from tests.support.sso_stack import ACCESS_TTL, SsoStack, browser_sign_in, started_stack
from viewer.demo import Manifest
from viewer.demo.oidc import DEMO_DOCTOR, DEMO_DOCTOR_PASSWORD, provider_installed
from viewer.dicomweb.qido import StudyQuery
from viewer.errors import CancelledError, SignInAgainError, SignInRefusedError
from viewer.retrieve.fetch import fetch_into_cache
from viewer.sources.oidc.id_token import check_id_token
from viewer.sources.oidc.signins import SignIns
from viewer.sources.opening import open_source

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def sso(demo_data: Manifest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SsoStack]:
    if (missing := provider_installed()) is not None:
        pytest.fail(missing)  # make setup installs it: its absence is a fault, not a skip
    yield from started_stack(tmp_path_factory.mktemp("sso"), DEMO_DATA_DIR, demo_data)


@pytest.fixture
def sign_ins(tmp_path: Path, memory_keyring: MemoryKeyring) -> SignIns:
    return SignIns(lock_dir=tmp_path / "locks")


def kept_tokens(keyring: MemoryKeyring) -> list[str]:
    entries = [v for (svc, _), v in keyring.entries.items() if svc.startswith("qingying:oidc:")]
    return [json.loads(v)["refresh_token"] for v in entries]


def studies(source: object) -> int:
    answer = source.search_studies(StudyQuery(name="*"), lambda: False)  # type: ignore[attr-defined]
    return len(answer.studies)


def refused_at_provider(sso: SsoStack, refresh_token: str) -> bool:
    """The provider refuses to renew with ``refresh_token`` (it is revoked or used up)."""
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": "qingying"}
    answer = sso.token_answer(form)
    return answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def pacs_study(sso: SsoStack) -> str:
    return sorted(p.name for p in (DEMO_DATA_DIR / "pacs").iterdir())[0]


def test_the_server_refuses_a_request_without_a_token(sso: SsoStack) -> None:
    assert requests.get(f"{sso.url}/studies", timeout=10).status_code == 403
    forged = "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."
    answer = requests.get(f"{sso.url}/studies", headers={"Authorization": forged}, timeout=10)
    assert answer.status_code == 403


def test_browser_sign_in_keeps_only_the_refresh_token_and_searches_with_the_access_token(
    sso: SsoStack, sign_ins: SignIns, memory_keyring: MemoryKeyring
) -> None:
    grant = browser_sign_in(sign_ins, sso.source())
    assert grant.user.login == DEMO_DOCTOR and grant.user.name == "张伟"
    assert len(kept_tokens(memory_keyring)) == 1
    access = grant.access_token()
    assert all(access not in v for v in memory_keyring.entries.values())
    assert studies(open_source(sso.source(), sign_ins=sign_ins)) > 0


def test_sources_naming_one_provider_and_client_share_one_sign_in(
    sso: SsoStack, sign_ins: SignIns
) -> None:
    grant = browser_sign_in(sign_ins, sso.source("first"))
    assert sign_ins.grant(sso.source("second")) is grant
    assert studies(open_source(sso.source("second"), sign_ins=sign_ins)) > 0


def test_a_fetch_outlasting_the_access_token_renews_it_and_completes(
    sso: SsoStack, sign_ins: SignIns, tmp_path: Path
) -> None:
    """The hospital's studies of the patient, one after another on a slow link: the
    later requests go out after the first token has expired."""
    folders = sorted((DEMO_DATA_DIR / "pacs").iterdir())
    size = sum(f.stat().st_size for f in (DEMO_DATA_DIR / "pacs").rglob("*.dcm"))
    grant = browser_sign_in(sign_ins, sso.source())
    first_expiry = grant.expires_at
    # The link is slowed so that the studies take about three token lifetimes to arrive.
    with NetProxy.for_url(sso.url, bandwidth_bps=max(1, size // (3 * ACCESS_TTL))) as proxy:
        source = open_source(sso.source(url=proxy.url_for(sso.url)), sign_ins=sign_ins)
        with app_store(tmp_path / "cache") as store:
            started = time.monotonic()
            reports = [fetch_into_cache(source, store, f.name) for f in folders]
            took = time.monotonic() - started
    assert all(r.complete and r.fetched > 0 for r in reports)
    assert took > 2 * ACCESS_TTL  # tokens expired while the studies arrived
    assert grant.expires_at > first_expiry + ACCESS_TTL  # and were renewed on the way


def test_a_revoked_sign_in_asks_to_sign_in_again_and_keeps_the_cache(
    sso: SsoStack, sign_ins: SignIns, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    grant = browser_sign_in(sign_ins, sso.source())
    source = open_source(sso.source(), sign_ins=sign_ins)
    study = pacs_study(sso)
    with app_store(tmp_path / "cache") as store:
        assert fetch_into_cache(source, store, study).complete
    [refresh] = kept_tokens(memory_keyring)
    revoked = requests.post(
        grant.metadata.revocation_endpoint or "",
        data={"token": refresh, "client_id": "qingying"},
        timeout=10,
    )
    assert revoked.status_code == 200
    time.sleep(ACCESS_TTL + 0.5)  # the access token runs out; its renewal is refused
    with pytest.raises(SignInAgainError, match="sign in again"):
        studies(source)
    assert kept_tokens(memory_keyring) == []
    assert sign_ins.grant(sso.source()) is None  # the Sources panel says: not signed in
    with app_store(tmp_path / "cache") as store:
        assert study in {s.study_uid for s in store.studies()}


def test_a_renewal_rotates_the_refresh_token_and_never_sends_the_old_one(
    sso: SsoStack, sign_ins: SignIns, memory_keyring: MemoryKeyring
) -> None:
    grant = browser_sign_in(sign_ins, sso.source())
    [first] = kept_tokens(memory_keyring)
    time.sleep(ACCESS_TTL + 0.2)
    grant.access_token()  # renewed: a new refresh token replaces the first
    [second] = kept_tokens(memory_keyring)
    assert second != first
    assert studies(open_source(sso.source(), sign_ins=sign_ins)) > 0
    # What a replay would do: the provider takes the used token for a stolen one.
    assert refused_at_provider(sso, first)


def test_the_device_flow_signs_in_where_no_browser_opens(
    sso: SsoStack, sign_ins: SignIns, memory_keyring: MemoryKeyring
) -> None:
    metadata, code = sign_ins.start_device(sso.source())
    assert code.user_code and code.verification_uri.startswith(sso.provider.issuer)
    page = approve_device(code.verification_uri, code.user_code, DEMO_DOCTOR, DEMO_DOCTOR_PASSWORD)
    assert page.status_code == 200
    grant = sign_ins.finish_device(sso.source(), metadata, code)
    assert grant.user.login == DEMO_DOCTOR and len(kept_tokens(memory_keyring)) == 1
    assert studies(open_source(sso.source(), sign_ins=sign_ins)) > 0


def test_a_denied_device_sign_in_is_refused_and_keeps_nothing(
    sso: SsoStack, sign_ins: SignIns, memory_keyring: MemoryKeyring
) -> None:
    metadata, code = sign_ins.start_device(sso.source())
    assert code.verification_uri_complete is not None
    approve_device(
        code.verification_uri_complete,
        code.user_code,
        DEMO_DOCTOR,
        DEMO_DOCTOR_PASSWORD,
        allow=False,
    )
    with pytest.raises(SignInRefusedError, match="denied"):
        sign_ins.finish_device(sso.source(), metadata, code)
    assert kept_tokens(memory_keyring) == []


def test_signing_out_revokes_the_refresh_token(
    sso: SsoStack, sign_ins: SignIns, memory_keyring: MemoryKeyring
) -> None:
    browser_sign_in(sign_ins, sso.source())
    [refresh] = kept_tokens(memory_keyring)
    out = sign_ins.sign_out(sso.source())
    assert out.was_signed_in and out.revoked
    logout_url = out.end_session
    assert logout_url is not None and logout_url.startswith(f"{sso.provider.issuer}/session/end")
    assert "id_token_hint=" in logout_url
    assert not sign_ins.sign_out(sso.source()).was_signed_in  # a second time: nothing there
    assert kept_tokens(memory_keyring) == []
    assert sign_ins.grant(sso.source()) is None
    assert refused_at_provider(sso, refresh)


def test_an_answer_with_another_state_is_ignored_and_never_signs_in(
    sso: SsoStack, sign_ins: SignIns, memory_keyring: MemoryKeyring
) -> None:
    """A forged answer (another state) is refused at the door and the sign-in waits on
    for the real one: a page elsewhere can neither sign the doctor in nor end it."""

    def forge(url: str) -> str:
        head, _, rest = url.partition("state=")
        tail = rest.split("&", 1)[1] if "&" in rest else ""
        return f"{head}state=forged&{tail}"

    pages: list[requests.Response] = []
    done = threading.Event()

    def browser(url: str) -> None:
        def run() -> None:
            pages.append(sign_in(url, DEMO_DOCTOR, DEMO_DOCTOR_PASSWORD, tamper=forge))
            done.set()

        threading.Thread(target=run, daemon=True).start()

    with pytest.raises(CancelledError):  # the doctor gives up waiting
        sign_ins.sign_in_with_browser(sso.source(), browser, done.is_set)
    assert pages[0].status_code == 400 and "not Qingying" in pages[0].text
    assert kept_tokens(memory_keyring) == []


def test_a_tampered_id_token_is_refused(sso: SsoStack, sign_ins: SignIns) -> None:
    grant = browser_sign_in(sign_ins, sso.source())
    token = grant.id_token
    assert token is not None
    session = requests.Session()
    claims = check_id_token(token, grant.metadata, session, "qingying", None)
    header, payload, signature = token.split(".")
    changed = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    changed["sub"] = "another.doctor"
    forged = base64.urlsafe_b64encode(json.dumps(changed).encode()).rstrip(b"=").decode()
    with pytest.raises(SignInRefusedError, match="signature"):
        check_id_token(f"{header}.{forged}.{signature}", grant.metadata, session, "qingying", None)
    with pytest.raises(SignInRefusedError, match="another client"):
        check_id_token(token, grant.metadata, session, "another-client", None)
    with pytest.raises(SignInRefusedError, match="nonce"):
        check_id_token(token, grant.metadata, session, "qingying", "not-this-sign-in")
    assert claims["sub"] == DEMO_DOCTOR


def test_a_redirect_to_another_origin_carries_no_token(sso: SsoStack, sign_ins: SignIns) -> None:
    browser_sign_in(sign_ins, sso.source())
    elsewhere: list[Seen] = []

    def other(seen: Seen) -> Reply:
        elsewhere.append(seen)
        return Reply(403)  # a refusal there must not renew, nor resend the token

    with scripted_server(other) as far:

        def near(seen: Seen) -> Reply:
            return Reply(302, headers={"Location": f"{far.url}{seen.path}"})

        with scripted_server(near) as first:
            source = open_source(sso.source(url=first.url), sign_ins=sign_ins)
            with pytest.raises(Exception):  # noqa: B017 (refused, as it should be)
                studies(source)
    assert elsewhere, "the redirect was not followed"
    assert all("authorization" not in {k.lower() for k in s.headers} for s in elsewhere)
