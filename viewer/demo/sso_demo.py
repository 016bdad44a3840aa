"""The demo platform's single sign-on part: the OpenID provider and the hospital PACS
behind it, kept running between ``python -m viewer.demo up`` and ``down`` like the two
Orthanc instances (a pid file each, checked against the process before any signal).

The SSO source serves the 南京鼓楼医院 PACS's studies, reached through the provincial
identity provider instead of a password of its own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

from viewer.demo import orthanc, seed
from viewer.demo.oidc import (
    CLIENT_ID,
    DEMO_DOCTOR,
    DEMO_DOCTOR_PASSWORD,
    PROVIDER_SCRIPT,
    provider_installed,
    spawn_provider,
    token_checked_instance,
    wait_ready,
)
from viewer.demo.orthanc_config import OrthancInstance, toml_string

SSO_PORT, PROVIDER_PORT = 8144, 8145
ISSUER = f"http://127.0.0.1:{PROVIDER_PORT}"
ACCESS_TTL = 300  # five minutes: a demo session sees its token renewed
SOURCE = "gulou-sso"


def sso_instance(run_dir: Path) -> OrthancInstance:
    return token_checked_instance(
        run_dir,
        "sso",
        SSO_PORT,
        ISSUER,
        source=SOURCE,
        label="南京鼓楼医院 PACS（统一身份认证）",
        issuer="NJGL",
    )


def _pid_file(run_dir: Path) -> Path:
    return run_dir / "oidc-provider" / "provider.pid"


def _provider_pid(run_dir: Path) -> int | None:
    """The pid of this platform's provider if it runs (its command line says so)."""
    try:
        pid = int(_pid_file(run_dir).read_text().strip())
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return None
    return pid if str(PROVIDER_SCRIPT).encode() in args else None


def up(run_dir: Path, data_dir: Path, expected: int) -> list[str]:
    """Start the provider and the PACS behind it (or keep them running); what to say."""
    if (missing := provider_installed()) is not None:
        return [f"sso: not started: {missing}"]
    instance = sso_instance(run_dir)
    if _provider_pid(run_dir) is None:
        folder = _pid_file(run_dir).parent
        folder.mkdir(parents=True, exist_ok=True)
        process = spawn_provider(
            PROVIDER_PORT, f"{instance.dicomweb_url}", access_ttl=ACCESS_TTL,
            log=folder / "provider.log",
        )  # fmt: skip
        _pid_file(run_dir).write_text(f"{process.pid}\n")
        wait_ready(ISSUER, process)
    orthanc.start(instance)
    result = seed.seed_instance(instance, data_dir / "pacs", expected)
    return [
        f"sso: OpenID provider at {ISSUER}; {instance.key}: {result.stored} instances",
        f"  {SOURCE} ({instance.label}): {instance.dicomweb_url}",
        f"  signs in through {ISSUER}  user {DEMO_DOCTOR}  password {DEMO_DOCTOR_PASSWORD}",
    ]


def down(run_dir: Path) -> dict[str, bool]:
    stopped = {"sso": orthanc.stop(sso_instance(run_dir))}
    pid = _provider_pid(run_dir)
    if pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while _provider_pid(run_dir) is not None and time.monotonic() < deadline:
            time.sleep(0.1)
    _pid_file(run_dir).unlink(missing_ok=True)
    stopped["oidc-provider"] = pid is not None
    return stopped


def status(run_dir: Path) -> dict[str, str]:
    pid = _provider_pid(run_dir)
    state = orthanc.status(sso_instance(run_dir))
    return {
        "oidc-provider": f"running (pid {pid}) at {ISSUER}" if pid else "not running",
        "sso": f"running (pid {state.pid}) at {state.url}" if state.healthy else "not running",
    }


def source_toml(run_dir: Path) -> str:
    """The configuration lines of the SSO source (no secret: it has none)."""
    instance = sso_instance(run_dir)
    return (
        "\n".join(
            [
                "",
                "[[sources]]",
                f"name = {toml_string(SOURCE)}",
                f"url = {toml_string(instance.dicomweb_url)}",
                'auth = "oidc"',
                f"issuer = {toml_string(instance.issuer)}",
                f"oidc_issuer = {toml_string(ISSUER)}",
                f"client_id = {toml_string(CLIENT_ID)}",
                'scopes = ["openid", "profile", "offline_access", "dicomweb"]',
                f"resource = {toml_string(instance.dicomweb_url)}",
            ]
        )
        + "\n"
    )
