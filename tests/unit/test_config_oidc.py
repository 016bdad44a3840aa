"""A single sign-on source in the config: what it needs, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.config import load_config
from viewer.config_oidc import DEFAULT_SCOPES
from viewer.errors import ConfigError

BASE = '[[sources]]\nname = "sso"\nurl = "https://pacs.example.org/dicom-web"\n'


def load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "config.toml"
    path.write_text(BASE + text, encoding="utf-8")
    return load_config(path)


def test_an_oidc_source_takes_its_provider_client_scopes_and_resource(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        'auth = "oidc"\noidc_issuer = "https://id.example.org/"\nclient_id = "qingying"\n'
        'scopes = ["openid", "dicomweb"]\nresource = "https://pacs.example.org/dicom-web"\n'
        'issuer = "JS-EMPI"\n',
    )
    [source] = config.sources
    assert source.oidc is not None
    assert source.oidc.issuer == "https://id.example.org/"  # exactly: tokens' iss is compared
    assert source.oidc.client_id == "qingying"
    assert source.oidc.scopes == ("openid", "dicomweb")
    assert source.oidc.resource == "https://pacs.example.org/dicom-web"
    assert source.issuer == "JS-EMPI"  # IssuerOfPatientID stays its own key


def test_default_scopes_ask_for_a_refresh_token(tmp_path: Path) -> None:
    config = load(
        tmp_path, 'auth = "oidc"\noidc_issuer = "https://id.example.org"\nclient_id = "q"\n'
    )
    assert config.sources[0].oidc is not None
    assert config.sources[0].oidc.scopes == DEFAULT_SCOPES
    assert "offline_access" in DEFAULT_SCOPES


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('auth = "oidc"\nclient_id = "q"\n', "needs oidc_issuer"),
        ('auth = "oidc"\noidc_issuer = "https://id.example.org"\n', "needs client_id"),
        ('auth = "none"\nclient_id = "q"\n', 'only with auth = "oidc"'),
        ('auth = "oidc"\noidc_issuer = "http://id.example.org"\nclient_id = "q"\n', "https://"),
        ('auth = "oidc"\noidc_issuer = "https://id?x=1"\nclient_id = "q"\n', "without \\?query"),
        (
            'auth = "oidc"\noidc_issuer = "https://i"\nclient_id = "q"\nscopes = ["profile"]\n',
            'must include "openid"',
        ),
        (
            'auth = "oidc"\noidc_issuer = "https://i"\nclient_id = "q"\nscopes = ["a b"]\n',
            "must be a list",
        ),
        ('auth = "oidc"\noidc_issuer = "https://i"\nclient_id = ""\n', "non-empty"),
    ],
)
def test_an_incomplete_or_unsafe_oidc_source_is_refused(
    tmp_path: Path, text: str, says: str
) -> None:
    with pytest.raises(ConfigError, match=says):
        load(tmp_path, text)


def test_a_client_secret_is_refused_as_a_secret(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="secrets never belong"):
        load(
            tmp_path,
            'auth = "oidc"\noidc_issuer = "https://i"\nclient_id = "q"\nclient_secret = "s"\n',
        )


def test_a_provider_on_loopback_may_speak_plain_http(tmp_path: Path) -> None:
    config = load(
        tmp_path, 'auth = "oidc"\noidc_issuer = "http://127.0.0.1:9000"\nclient_id = "q"\n'
    )
    assert config.sources[0].oidc is not None


def test_the_providers_ca_bundle_is_its_own_and_resolved_beside_the_config(
    tmp_path: Path,
) -> None:
    (tmp_path / "id-ca.pem").write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    config = load(
        tmp_path,
        'auth = "oidc"\noidc_issuer = "https://i"\nclient_id = "q"\n'
        'ca_bundle = "id-ca.pem"\noidc_ca_bundle = "id-ca.pem"\n',
    )
    oidc = config.sources[0].oidc
    assert oidc is not None and oidc.ca_bundle == tmp_path / "id-ca.pem"
    with pytest.raises(ConfigError, match="no such file"):
        load(
            tmp_path,
            'auth = "oidc"\noidc_issuer = "https://i"\nclient_id = "q"\noidc_ca_bundle = "x.pem"\n',
        )


def test_without_its_own_bundle_the_provider_is_checked_against_the_system_cas(
    tmp_path: Path,
) -> None:
    from viewer.sources.oidc.signins import SignIns

    (tmp_path / "pacs-ca.pem").write_text("x", encoding="utf-8")
    config = load(
        tmp_path,
        'auth = "oidc"\noidc_issuer = "https://i"\nclient_id = "q"\nca_bundle = "pacs-ca.pem"\n',
    )
    session = SignIns(lock_dir=tmp_path)._session(config.sources[0])
    assert session.verify is True  # not the PACS's bundle
