"""The demo's configuration lists its single sign-on source as a site would."""

from __future__ import annotations

from pathlib import Path

from viewer.config import load_config
from viewer.demo import sso_demo
from viewer.demo.oidc import CLIENT_ID
from viewer.demo.orthanc import client_config_toml, demo_instances


def test_the_demo_config_names_the_sso_source_with_its_provider_and_no_secret(
    tmp_path: Path,
) -> None:
    text = client_config_toml(demo_instances(tmp_path).values()) + sso_demo.source_toml(tmp_path)
    path = tmp_path / "demo-config.toml"
    path.write_text(text, encoding="utf-8")
    source = load_config(path).source(sso_demo.SOURCE)
    assert source.auth == "oidc" and source.issuer == "NJGL"
    assert source.oidc is not None
    assert source.oidc.issuer == sso_demo.ISSUER and source.oidc.client_id == CLIENT_ID
    assert source.oidc.resource == source.url == f"http://127.0.0.1:{sso_demo.SSO_PORT}/dicom-web"
    assert "offline_access" in source.oidc.scopes
    assert "password" not in sso_demo.source_toml(tmp_path)
