"""Config layers: site ← user ← --config, every wrong value named with file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.config import load_config
from viewer.config_sizes import parse_size
from viewer.errors import ConfigError, ExitCode

SITE = """
[cache]
dir = "/var/cache/qingying"
max_size = "50 GB"

[[sources]]
name = "provincial"
url = "https://platform.example/dicom-web/"
auth = "basic"
username = "site-default"
issuer = "JS-EMPI"

[[sources]]
name = "gulou"
url = "https://pacs.gulou.example/dicom-web"
auth = "none"
issuer = "NJGL"
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = write(tmp_path / "site.toml", SITE)
    monkeypatch.setenv("QINGYING_SITE_CONFIG", str(path))
    return path


@pytest.fixture
def user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "user.toml"
    monkeypatch.setenv("QINGYING_USER_CONFIG", str(path))
    return path


class TestLayers:
    def test_site_config_alone_is_read(self, site: Path) -> None:
        config = load_config()
        assert config.files == (site,)
        assert config.cache.dir == Path("/var/cache/qingying")
        assert config.cache.max_size == 50 * 10**9
        provincial = config.source("provincial")
        assert provincial.url == "https://platform.example/dicom-web"  # trailing / dropped
        assert provincial.username == "site-default"
        assert provincial.issuer == "JS-EMPI"
        assert config.source("gulou").auth == "none"

    def test_user_config_overrides_site_key_by_key(self, site: Path, user: Path) -> None:
        write(user, '[[sources]]\nname = "provincial"\nusername = "dr.li"\n')
        config = load_config()
        provincial = config.source("provincial")
        assert provincial.username == "dr.li"
        assert provincial.url == "https://platform.example/dicom-web"  # kept from the site
        assert provincial.defined_in == str(user)
        assert config.cache.max_size == 50 * 10**9

    def test_explicit_config_overrides_user_and_site(
        self, site: Path, user: Path, tmp_path: Path
    ) -> None:
        write(user, '[cache]\nmax_size = "10 GB"\n')
        explicit = write(tmp_path / "cli.toml", '[cache]\nmax_size = "1 GiB"\n')
        config = load_config(explicit)
        assert config.files == (site, user, explicit)
        assert config.cache.max_size == 2**30

    def test_no_files_gives_defaults(self) -> None:
        config = load_config()
        assert config.files == ()
        assert config.sources == ()
        assert config.cache.max_size == 20 * 10**9

    def test_relative_paths_start_at_the_config_folder(self, tmp_path: Path) -> None:
        explicit = write(tmp_path / "c.toml", '[cache]\ndir = "cache-here"\n')
        assert load_config(explicit).cache.dir == tmp_path / "cache-here"

    def test_chinese_source_name_is_kept(self, tmp_path: Path) -> None:
        explicit = write(
            tmp_path / "c.toml",
            '[[sources]]\nname = "省平台"\nurl = "https://p.example/dw"\nauth = "none"\n',
        )
        assert load_config(explicit).sources[0].name == "省平台"


class TestErrorsNameFileKeyAndProblem:
    @pytest.mark.parametrize(
        ("text", "key", "problem"),
        [
            (
                '[[sources]]\nname = "a"\nurl = "https://x"\nauth = "ldap"',
                "sources[0].auth",
                "one of",
            ),
            ('[[sources]]\nname = "a"\nurl = "ftp://x"', "sources[0].url", "http"),
            ('[[sources]]\nname = "a"\nurl = "https://u:p@x"', "sources[0].url", "credentials"),
            ('[[sources]]\nname = "a"\nurl = "https://x"\npassword = "s"', "password", "keyring"),
            ('[cache]\nmax_size = "lots"', "cache.max_size", "size"),
            ('[cache]\nmax_size = "0 GB"', "cache.max_size", "greater than zero"),
            ("[cache]\nsize = 1", "cache.size", "unknown key"),
            ('[ui]\nlanguage = "fr"', "ui.language", "zh_CN"),
            ("sources = 3", "sources", "array"),
            ("[history]\nsimilar_days = 0", "history.similar_days", "days"),
            ('[history]\nsimilar_days = "30"', "history.similar_days", "days"),
            ('[[sources]]\nurl = "https://x"', "sources[0].name", "non-empty"),
            (
                '[[sources]]\nname = "a"\nurl = "https://x"\n[[sources]]\nname = "a"\n',
                "sources[1].name",
                "twice",
            ),
        ],
    )
    def test_bad_value_names_file_key_and_problem(
        self, tmp_path: Path, text: str, key: str, problem: str
    ) -> None:
        path = write(tmp_path / "bad.toml", text)
        with pytest.raises(ConfigError) as info:
            load_config(path)
        message = str(info.value)
        assert str(path) in message
        assert key in message
        assert problem in message
        assert info.value.exit_code == ExitCode.USAGE

    def test_invalid_toml_names_the_file_and_line(self, tmp_path: Path) -> None:
        path = write(tmp_path / "broken.toml", "[cache\n")
        with pytest.raises(ConfigError, match=r"broken\.toml: not valid TOML.*line 1"):
            load_config(path)

    def test_missing_explicit_file_is_an_error(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match="no such file"):
            load_config(tmp_path / "absent.toml")

    def test_basic_auth_without_username_leaves_it_to_each_doctor_at_sign_in(
        self, site: Path, user: Path
    ) -> None:
        """A site config deployed to every workstation names no doctor."""
        write(user, '[[sources]]\nname = "new"\nurl = "https://n.example"\n')
        new = load_config().source("new")
        assert new.auth == "basic" and new.username is None

    def test_missing_ca_bundle_is_an_error(self, tmp_path: Path) -> None:
        path = write(
            tmp_path / "c.toml",
            '[[sources]]\nname = "a"\nurl = "https://x"\nauth = "none"\nca_bundle = "ca.pem"\n',
        )
        with pytest.raises(ConfigError, match=r"ca_bundle: no such file"):
            load_config(path)

    def test_unknown_source_name_lists_the_known_ones(self, site: Path) -> None:
        with pytest.raises(ConfigError, match="provincial, gulou"):
            load_config().source("nope")


class TestSizes:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("20 GB", 20 * 10**9),
            ("20GB", 20 * 10**9),
            ("1.5 gb", 15 * 10**8),
            ("512 MiB", 512 * 2**20),
            ("100", 100),
            (4096, 4096),
        ],
    )
    def test_sizes_parse_with_si_and_binary_units(self, text: str | int, expected: int) -> None:
        assert parse_size(text) == expected


def test_shipped_site_config_example_is_valid_as_the_site_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = Path(__file__).resolve().parents[2] / "packaging" / "site-config.example.toml"
    monkeypatch.setenv("QINGYING_SITE_CONFIG", str(example))
    monkeypatch.setenv("QINGYING_USER_CONFIG", str(tmp_path / "none.toml"))
    config = load_config()
    assert [s.name for s in config.sources] == ["provincial", "gulou-pacs"]
    assert config.locked == ("sources", "cache.dir") and config.locked_by == example


def test_similar_days_default_and_override(tmp_path: Path) -> None:
    assert load_config().history.similar_days == 30
    path = write(tmp_path / "h.toml", "[history]\nsimilar_days = 14\n")
    assert load_config(path).history.similar_days == 14
