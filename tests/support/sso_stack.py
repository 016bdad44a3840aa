"""The single sign-on test stack: a real OpenID provider (oidc-provider on Node) and an
Orthanc that accepts only its tokens, seeded with the demo hospital PACS's studies.

Access tokens live ``ACCESS_TTL`` seconds, so renewals happen within a test.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.support.oidc_browser import Tamper, sign_in
from viewer.config import SourceConfig
from viewer.config_oidc import OidcSettings
from viewer.demo import Manifest
from viewer.demo.oidc import (
    CLIENT_ID,
    DEMO_DOCTOR,
    DEMO_DOCTOR_PASSWORD,
    RunningProvider,
    running_provider,
    token_checked_instance,
)
from viewer.demo.orthanc import OrthancInstance, find_free_port, start, stop
from viewer.demo.seed import expected_counts, seed_instance
from viewer.sources.oidc.grant import OidcGrant
from viewer.sources.oidc.signins import SignIns

ACCESS_TTL = 3
# A second doctor at the provider: the one who takes a locked workstation over.
OTHER_DOCTOR, OTHER_PASSWORD = "li.na", "another-doctor-2026"
SCOPES = ("openid", "profile", "offline_access", "dicomweb")


@dataclass(frozen=True)
class SsoStack:
    provider: RunningProvider
    orthanc: OrthancInstance
    manifest: Manifest

    @property
    def url(self) -> str:
        return self.orthanc.dicomweb_url

    def source(self, name: str = "sso", url: str | None = None) -> SourceConfig:
        return SourceConfig(
            name=name,
            url=url or self.url,
            auth="oidc",
            username=None,
            issuer="NJGL",
            ca_bundle=None,
            defined_in="test",
            oidc=OidcSettings(self.provider.issuer, CLIENT_ID, SCOPES, self.url),
        )

    def config_toml(self, cache: Path) -> str:
        return (
            f'[cache]\ndir = "{cache}"\nmax_size = "5 GB"\n'
            f'[[sources]]\nname = "sso"\nurl = "{self.url}"\nauth = "oidc"\n'
            f'issuer = "NJGL"\noidc_issuer = "{self.provider.issuer}"\n'
            f'client_id = "{CLIENT_ID}"\nscopes = {list(SCOPES)!r}\nresource = "{self.url}"\n'
        ).replace("'", '"')

    def token_answer(self, form: dict[str, str]) -> requests.Response:
        """The provider's token endpoint asked directly (as an attacker or a check would)."""
        return requests.post(f"{self.provider.issuer}/token", data=form, timeout=10)


def started_stack(root: Path, data_dir: Path, manifest: Manifest) -> Iterator[SsoStack]:
    port = find_free_port()
    resource = f"http://127.0.0.1:{port}/dicom-web"
    users = {DEMO_DOCTOR: DEMO_DOCTOR_PASSWORD, OTHER_DOCTOR: OTHER_PASSWORD}
    with running_provider(
        find_free_port(), resource, access_ttl=ACCESS_TTL, users=users, log=root / "provider.log"
    ) as provider:
        orthanc = token_checked_instance(root, "sso", port, provider.issuer)
        start(orthanc)
        try:
            seed_instance(orthanc, data_dir / "pacs", expected_counts(manifest)["pacs"])
            yield SsoStack(provider, orthanc, manifest)
        finally:
            stop(orthanc)


def browser_sign_in(
    sign_ins: SignIns, source: SourceConfig, *, allow: bool = True, tamper: Tamper | None = None
) -> OidcGrant:
    """Sign in as the demo doctor, the browser driven from another thread."""
    seen: list[BaseException] = []

    def doctor(url: str) -> None:
        try:
            sign_in(url, DEMO_DOCTOR, DEMO_DOCTOR_PASSWORD, allow=allow, tamper=tamper)
        except BaseException as err:
            seen.append(err)

    def open_url(url: str) -> None:
        threading.Thread(target=doctor, args=(url,), daemon=True).start()

    try:
        return sign_ins.sign_in_with_browser(source, open_url)
    finally:
        assert not seen, seen
