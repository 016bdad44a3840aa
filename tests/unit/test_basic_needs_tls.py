"""A password travels only over TLS: a Basic source on plain http:// is refused by the
configuration, except to this machine itself (the demo and the tests, on loopback), and
the Basic header is never put on a plain-http request to another host (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from viewer.config import load_config
from viewer.dicomweb.auth import BasicAuth
from viewer.errors import AuthError, ConfigError


def source(tmp_path: Path, url: str, auth: str = "basic") -> Path:
    path = tmp_path / "c.toml"
    path.write_text(
        f'[[sources]]\nname = "pacs"\nurl = "{url}"\nauth = "{auth}"\n', encoding="utf-8"
    )
    return path


@pytest.mark.parametrize(
    "url", ["http://pacs.example.cn/dicom-web", "http://10.20.30.40:8042/dicom-web"]
)
def test_a_basic_source_over_plain_http_to_another_host_is_refused(
    tmp_path: Path, url: str
) -> None:
    with pytest.raises(ConfigError, match=r"source 'pacs': .*use an https:// URL"):
        load_config(source(tmp_path, url))


@pytest.mark.parametrize(
    "url",
    [
        "https://pacs.example.cn/dicom-web",
        "http://127.0.0.1:8042/dicom-web",
        "http://localhost:8042/dicom-web",
        "http://[::1]:8042/dicom-web",
    ],
)
def test_tls_or_this_machine_carries_a_password(tmp_path: Path, url: str) -> None:
    assert load_config(source(tmp_path, url)).source("pacs").auth == "basic"


def test_a_source_without_a_password_may_use_plain_http(tmp_path: Path) -> None:
    config = load_config(source(tmp_path, "http://pacs.example.cn/dicom-web", auth="none"))
    assert config.source("pacs").auth == "none"


def test_the_basic_header_is_never_put_on_plain_http_to_another_host() -> None:
    auth = BasicAuth("doctor", "s3cret-Pw")
    request = requests.Request("GET", "http://pacs.example.cn/dicom-web/studies").prepare()
    with pytest.raises(AuthError, match="the password was not sent") as caught:
        auth.apply(request)
    assert "Authorization" not in request.headers and "s3cret" not in str(caught.value)
    safe = requests.Request("GET", "https://pacs.example.cn/dicom-web/studies").prepare()
    auth.apply(safe)
    assert safe.headers["Authorization"].startswith("Basic ")
