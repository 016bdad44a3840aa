"""Config errors and ``config show`` never print a secret back: not the user information
of a URL, not the value of a key that holds a secret, and not a wrong value where only
some words are allowed (a password put on the wrong line is the usual mistake)."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.cli import run
from viewer.cli.config_cmd import config_as_dict, render_text
from viewer.config import CacheConfig, Config, SourceConfig, UiConfig, load_config, redact_url
from viewer.errors import ConfigError

SECRET = "Hunter2-s3cret"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def source(**fields: str) -> str:
    lines = ['name = "a"', *(f'{k} = "{v}"' for k, v in fields.items())]
    return "[[sources]]\n" + "\n".join(lines) + "\n"


BAD_LAYERS = [
    pytest.param(source(url=f"ftp://u:{SECRET}@h"), "sources[0].url", id="ftp-userinfo"),
    pytest.param(source(url=f"https://u:{SECRET}@h/dicom-web"), "sources[0].url", id="userinfo"),
    pytest.param(source(url=f"http://:{SECRET}@h"), "sources[0].url", id="password-only"),
    pytest.param(source(url=f"{SECRET}@h"), "sources[0].url", id="no-scheme"),
    pytest.param(source(url=SECRET), "sources[0].url", id="a-password-as-url"),
    pytest.param(source(url=f"http://h:{SECRET}/"), "sources[0].url", id="bad-port"),
    pytest.param(source(url=f"http://[{SECRET}"), "sources[0].url", id="unparsable"),
    pytest.param(source(url="https://h", auth=SECRET), "sources[0].auth", id="auth"),
    pytest.param(source(url="https://h", password=SECRET), "password", id="password-key"),
    pytest.param(source(url="https://h", access_token=SECRET), "access_token", id="token-key"),
    pytest.param(source(url="https://h", api_key=SECRET), "api_key", id="api-key"),
    pytest.param(f'[cache]\nmax_size = "{SECRET}"\n', "cache.max_size", id="size"),
    pytest.param(f'[cache]\ndb_password = "{SECRET}"\n', "cache.db_password", id="in-a-table"),
]


@pytest.mark.parametrize(("text", "key"), BAD_LAYERS)
def test_a_config_error_names_the_key_but_never_echoes_a_secret(
    tmp_path: Path, text: str, key: str
) -> None:
    path = write(tmp_path / "bad.toml", text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert key in message and str(path) in message
    assert "s3cret" not in message.lower()


def test_auth_that_is_not_an_allowed_word_says_which_words_without_the_value(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "bad.toml", source(url="https://h", auth=SECRET))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.problem == "must be one of basic, oidc, none"


def test_a_url_with_credentials_is_refused_as_such_whatever_its_scheme(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.toml", source(url=f"ftp://u:{SECRET}@h"))
    with pytest.raises(ConfigError, match="credentials never belong in the URL"):
        load_config(path)


def test_a_wrong_scheme_is_named_without_the_rest_of_the_url(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.toml", source(url=f"ftp://h/{SECRET}"))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.problem == "must be an http:// or https:// URL (got a ftp: URL)"


@pytest.mark.parametrize(("text", "key"), BAD_LAYERS)
def test_the_command_line_prints_no_secret_from_a_bad_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, key: str
) -> None:
    path = write(tmp_path / "bad.toml", text)
    code = run(["--config", str(path), "config", "show"])
    out, err = capsys.readouterr()
    assert code == 2
    assert key in err
    assert "s3cret" not in (out + err).lower()


def test_a_later_oidc_endpoint_key_is_not_taken_for_a_secret(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", source(url="https://h", token_url="https://idp/t"))
    with pytest.raises(ConfigError, match="unknown key"):
        load_config(path)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"https://u:{SECRET}@h:8443/dicom-web", "https://***@h:8443/dicom-web"),
        (f"https://{SECRET}@h/dicom-web", "https://***@h/dicom-web"),
        ("https://h/dicom-web", "https://h/dicom-web"),
    ],
)
def test_redact_url_replaces_user_information(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_config_show_never_shows_credentials_in_a_url(tmp_path: Path) -> None:
    # Loading refuses such a URL; config show redacts besides, should that ever change.
    config = Config(
        cache=CacheConfig(tmp_path, 10**9),
        sources=(
            SourceConfig(
                name="a",
                url=f"https://u:{SECRET}@h/dicom-web",
                auth="basic",
                username="u",
                issuer=None,
                ca_bundle=None,
                defined_in="x.toml",
            ),
        ),
        ui=UiConfig(language=None),
    )
    data = config_as_dict(config)
    assert SECRET not in str(data) and SECRET not in render_text(data)
    assert data["sources"][0]["url"] == "https://***@h/dicom-web"
