"""The demo platform's single sign-on: a real OpenID provider, and an Orthanc that
accepts only the tokens it signs.

The provider is ``oidc-provider`` on Node (``scripts/oidc-provider``, installed by
``make oidc-provider``); the Orthanc's gate is ``scripts/orthanc_token_filter.py`` in
orthanc-python, checking RS256 tokens against the provider's keys, issuer, audience and
expiry. Both listen on loopback only.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from viewer.demo.orthanc_config import (
    DICOMWEB_PLUGIN,
    OrthancError,
    OrthancInstance,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
PROVIDER_DIR = REPO_ROOT / "scripts" / "oidc-provider"
PROVIDER_SCRIPT = PROVIDER_DIR / "provider.mjs"
TOKEN_FILTER = REPO_ROOT / "scripts" / "orthanc_token_filter.py"
PYTHON_PLUGIN = Path("/usr/share/orthanc/plugins/libOrthancPython.so")
CLIENT_ID = "qingying"
DEMO_DOCTOR = "zhang.wei"
DEMO_DOCTOR_NAME = "张伟"
DEMO_DOCTOR_PASSWORD = "demo-sso-2026"  # noqa: S105 (the demo provider's account, loopback)
SEED_USER, SEED_PASSWORD = "seeder", "demo-seed-2026"
DEMO_USERS = {DEMO_DOCTOR: DEMO_DOCTOR_PASSWORD}  # the provider's accounts unless given
START_TIMEOUT = 30.0
NODE = shutil.which("node")


class ProviderError(OrthancError):
    """The OpenID provider is not installed, or did not start."""


@dataclass(frozen=True)
class RunningProvider:
    issuer: str
    resource: str  # the resource indicator and its tokens' audience
    users: Mapping[str, str]  # login -> password
    process: subprocess.Popen[bytes]


def provider_installed() -> str | None:
    """None when the provider can start; else what is missing, and how to get it."""
    if NODE is None:
        return "Node.js is not installed (Debian: apt install nodejs npm)"
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return f"the OpenID provider is not installed: run 'make oidc-provider' ({PROVIDER_DIR})"
    return None


def spawn_provider(
    port: int,
    resource: str,
    *,
    access_ttl: int = 600,
    users: Mapping[str, str] | None = None,
    log: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start the provider on ``127.0.0.1:port`` (in a session of its own, so it can
    outlive this process, as the demo platform's does); :func:`wait_ready` tells when it
    answers. Its output goes to ``log``."""
    if (missing := provider_installed()) is not None:
        raise ProviderError(missing)
    accounts = dict(users or DEMO_USERS)
    names = {DEMO_DOCTOR: DEMO_DOCTOR_NAME}
    env = {
        **os.environ,
        "QY_OIDC_PORT": str(port),
        "QY_OIDC_RESOURCE": resource,
        "QY_OIDC_ACCESS_TTL": str(access_ttl),
        "QY_OIDC_CLIENT_ID": CLIENT_ID,
        "QY_OIDC_USERS": json.dumps(
            {u: {"password": p, "name": names.get(u, u)} for u, p in accounts.items()}
        ),
    }
    with contextlib.ExitStack() as files:
        out = files.enter_context(log.open("ab")) if log else subprocess.DEVNULL
        return subprocess.Popen(
            [str(NODE), str(PROVIDER_SCRIPT)],
            cwd=PROVIDER_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl+C in the terminal is not for it
        )


@contextmanager
def running_provider(
    port: int,
    resource: str,
    *,
    access_ttl: int = 600,
    users: Mapping[str, str] | None = None,
    log: Path | None = None,
) -> Iterator[RunningProvider]:
    """The provider on ``127.0.0.1:port`` until the block ends (also on failure)."""
    process = spawn_provider(port, resource, access_ttl=access_ttl, users=users, log=log)
    issuer = f"http://127.0.0.1:{port}"
    try:
        wait_ready(issuer, process)
        yield RunningProvider(issuer, resource, dict(users or DEMO_USERS), process)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_ready(issuer: str, process: subprocess.Popen[bytes] | None = None) -> None:
    """Until the provider at ``issuer`` serves its discovery document (or ``process``
    exited); ProviderError after :data:`START_TIMEOUT` seconds."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ProviderError(f"the OpenID provider exited at start ({process.returncode})")
        with contextlib.suppress(requests.RequestException):
            answer = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2)
            if answer.status_code == 200:
                return
        time.sleep(0.1)
    raise ProviderError(f"the OpenID provider did not answer at {issuer} in {START_TIMEOUT:g} s")


def token_checked_instance(
    root: Path,
    key: str,
    port: int,
    provider: str,
    *,
    source: str = "",
    label: str = "",
    issuer: str = "",
) -> OrthancInstance:
    """An Orthanc whose every request needs a token of ``provider`` for its DICOMweb root
    (or the seeding account's Basic credentials)."""
    if not PYTHON_PLUGIN.is_file():
        raise ProviderError(f"orthanc-python is not installed ({PYTHON_PLUGIN})")
    seed = base64.b64encode(f"{SEED_USER}:{SEED_PASSWORD}".encode()).decode()
    return OrthancInstance(
        key=key,
        name=f"QINGYING-{key.upper()}",
        http_port=port,
        users={SEED_USER: SEED_PASSWORD},
        root=root / key,
        extra_config={
            "AuthenticationEnabled": False,  # the filter decides, Basic included
            "Plugins": [str(DICOMWEB_PLUGIN), str(PYTHON_PLUGIN)],
            "PythonScript": str(TOKEN_FILTER),
            "PythonVerbose": False,
            "QingyingTokens": {
                "Issuer": provider,
                "Audience": f"http://127.0.0.1:{port}/dicom-web",
                "JwksUrl": f"{provider}/jwks",
                "SeedAuthorization": f"Basic {seed}",
            },
        },
        source=source,
        label=label,
        issuer=issuer,
    )
