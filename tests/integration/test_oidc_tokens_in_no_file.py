"""End to end with a real Secret Service: `login` through the provider's device flow,
then `search` and `fetch` in new processes; afterwards no file anywhere holds a token.

The processes take the sign-in up from the keyring and renew it (rotating the refresh
token) one after another. Every JWT of the provider is looked for (access and ID tokens
are JWTs: found by their shape and issuer), and the refresh tokens the keyring held.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DEMO_DATA_DIR
from tests.support.oidc_browser import approve_device
from tests.support.sso_stack import SsoStack, started_stack
from tests.support.written_files import REPO, files_to_search, read
from viewer import secrets
from viewer.demo import Manifest
from viewer.demo.oidc import CLIENT_ID, DEMO_DOCTOR, DEMO_DOCTOR_PASSWORD

pytestmark = [pytest.mark.integration, pytest.mark.keyring_real]
JWT_RE = re.compile(rb"eyJ[A-Za-z0-9_-]{8,}\.(eyJ[A-Za-z0-9_-]{8,})\.[A-Za-z0-9_-]*")


@pytest.fixture(scope="module")
def sso(demo_data: Manifest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SsoStack]:
    if not os.environ.get("QINGYING_REAL_KEYRING"):
        pytest.skip("needs a real Secret Service: run through scripts/run-tests.sh")
    yield from started_stack(tmp_path_factory.mktemp("sso-files"), DEMO_DATA_DIR, demo_data)


def provider_jwts(data: bytes, issuer: str) -> list[bytes]:
    found = []
    for match in JWT_RE.finditer(data):
        payload = match.group(1)
        try:
            claims = json.loads(base64.urlsafe_b64decode(payload + b"=" * (-len(payload) % 4)))
        except ValueError:
            continue
        if isinstance(claims, dict) and claims.get("iss") == issuer:
            found.append(match.group(0)[:24])
    return found


def test_sign_in_search_and_fetch_leave_no_token_in_any_file(sso: SsoStack, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(sso.config_toml(tmp_path / "cache"), encoding="utf-8")
    main = [sys.executable, str(REPO / "main.py"), "--config", str(config)]
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    login = subprocess.Popen(
        [*main, "login", "--source", "sso"],  # no display: the device flow
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    assert login.stderr is not None
    said: list[str] = []
    for line in login.stderr:
        said.append(line)
        if "enter the code:" in line:
            break
    user_code = said[-1].rsplit(":", 1)[1].strip()
    uri = next(line.split("open ", 1)[1].strip() for line in said if "open " in line)
    threading.Thread(
        target=approve_device, args=(uri, user_code, DEMO_DOCTOR, DEMO_DOCTOR_PASSWORD)
    ).start()
    out, err = login.communicate(timeout=60)
    assert login.returncode == 0, "".join(said) + err
    assert f"as {DEMO_DOCTOR}" in out

    service = f"qingying:oidc:{sso.provider.issuer}"
    refresh_tokens = [json.loads(secrets.get_secret(service, CLIENT_ID, what="t") or "{}")]
    study = sorted(p.name for p in (DEMO_DATA_DIR / "pacs").iterdir())[0]
    for command in (["search", "--name", "*", "--json"], ["fetch", "--study", study]):
        done = subprocess.run(
            [*main, *command], capture_output=True, text=True, check=False, timeout=120, env=env
        )
        assert done.returncode == 0, done.stderr
        assert not provider_jwts(done.stdout.encode() + done.stderr.encode(), sso.provider.issuer)
        refresh_tokens.append(json.loads(secrets.get_secret(service, CLIENT_ID, what="t") or "{}"))
    needles = [t["refresh_token"].encode() for t in refresh_tokens if "refresh_token" in t]
    assert len(needles) == 3  # one at sign-in, and each later process kept its rotation

    leaks = []
    for path in files_to_search(skip=[sso.orthanc.root]):
        data = read(path)
        if any(n in data for n in needles) or provider_jwts(data, sso.provider.issuer):
            leaks.append(str(path))
    assert leaks == []
    assert (tmp_path / "cache").is_dir()  # the fetch wrote its cache there: it was searched
    secrets.delete_secret(service, CLIENT_ID, what="t")


def test_login_opens_the_browser_where_a_display_exists(sso: SsoStack, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(sso.config_toml(tmp_path / "cache"), encoding="utf-8")
    browser = f"{sys.executable} {REPO / 'tests' / 'support' / 'fake_browser.py'} %s"
    env = {
        **os.environ,
        "DISPLAY": ":987",  # a display is named: the browser flow, not the device flow
        "BROWSER": browser,
        "QY_TEST_LOGIN": DEMO_DOCTOR,
        "QY_TEST_PASSWORD": DEMO_DOCTOR_PASSWORD,
    }
    main = [sys.executable, str(REPO / "main.py"), "--config", str(config)]
    done = subprocess.run(
        [*main, "login", "--source", "sso"],
        capture_output=True, text=True, check=False, timeout=120, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "in your browser" in done.stderr and "enter the code" not in done.stderr
    assert f"as {DEMO_DOCTOR}" in done.stdout
    service = f"qingying:oidc:{sso.provider.issuer}"
    kept = json.loads(secrets.get_secret(service, CLIENT_ID, what="t") or "{}")
    out = subprocess.run(
        [*main, "logout", "--source", "sso"],
        capture_output=True, text=True, check=False, timeout=60, env=env,
    )  # fmt: skip
    assert out.returncode == 0 and "revoked at the provider" in out.stdout
    assert f"{sso.provider.issuer}/session/end" in out.stdout
    assert secrets.get_secret(service, CLIENT_ID, what="t") is None
    form = {"grant_type": "refresh_token", "client_id": CLIENT_ID}
    answer = sso.token_answer({**form, "refresh_token": kept["refresh_token"]})
    assert answer.status_code == 400  # revoked at the provider, not only forgotten here
