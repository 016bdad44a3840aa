"""Keys hospital IT locks in the site config: a user config (or a --config file) that
changes one is refused in one line naming both files; the same value passes; only the
site config locks; `config show` says what is locked and by which file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit.test_config import SITE, write
from viewer.cli import run
from viewer.config import load_config
from viewer.errors import ConfigError


@pytest.fixture
def locking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(site, user) config paths; the site's text is written by each test."""
    site, user = tmp_path / "site.toml", tmp_path / "user.toml"
    monkeypatch.setenv("QINGYING_SITE_CONFIG", str(site))
    monkeypatch.setenv("QINGYING_USER_CONFIG", str(user))
    return site, user


def site_locking(site: Path, *keys: str) -> None:
    write(site, f"locked = {json.dumps(list(keys))}\n" + SITE)


def refused(match: str) -> pytest.RaisesContext[ConfigError]:
    return pytest.raises(ConfigError, match=match)


def test_a_user_config_changing_a_locked_key_is_refused_naming_both_files(
    locking: tuple[Path, Path],
) -> None:
    site, user = locking
    site_locking(site, "cache.dir")
    write(user, '[cache]\ndir = "/home/dr/cache"\n')
    with pytest.raises(ConfigError) as caught:
        load_config()
    message = str(caught.value)
    assert message.startswith(f"{user}: cache.dir: ")
    assert str(site) in message and "\n" not in message
    write(user, '[cache]\nmax_size = "5 GB"\n')  # a key not locked
    assert load_config().cache.max_size == 5 * 10**9


def test_the_sites_own_value_repeated_changes_nothing_and_passes(
    locking: tuple[Path, Path],
) -> None:
    site, user = locking
    site_locking(site, "cache")
    write(user, '[cache]\ndir = "/var/cache/qingying"\n')
    assert load_config().cache.dir == Path("/var/cache/qingying")


def test_a_locked_table_locks_each_of_its_keys(locking: tuple[Path, Path]) -> None:
    site, user = locking
    site_locking(site, "ui")
    write(user, '[ui]\nlanguage = "en"\n')
    with refused("ui.language: this key is locked by the site configuration"):
        load_config()


def test_locked_sources_take_no_new_source_and_no_change_but_the_doctors_username(
    locking: tuple[Path, Path],
) -> None:
    site, user = locking
    site_locking(site, "sources")
    write(user, '[[sources]]\nname = "provincial"\nusername = "dr.li"\n')
    assert load_config().source("provincial").username == "dr.li"  # the doctor's own
    write(user, '[[sources]]\nname = "provincial"\nurl = "https://elsewhere.example/dw"\n')
    with refused(r"sources \(provincial\)\.url: this key is locked"):
        load_config()
    write(user, '[[sources]]\nname = "mine"\nurl = "https://mine.example/dw"\nauth = "none"\n')
    with refused(r"sources \(mine\): adding a source is locked"):
        load_config()


def test_one_key_of_the_sources_locked_leaves_the_rest_open(locking: tuple[Path, Path]) -> None:
    site, user = locking
    site_locking(site, "sources.url", "sources.username")
    write(user, '[[sources]]\nname = "mine"\nurl = "https://mine.example/dw"\nauth = "none"\n')
    assert load_config().source("mine").url == "https://mine.example/dw"  # a new one: allowed
    write(user, '[[sources]]\nname = "provincial"\nusername = "dr.li"\n')
    with refused(r"sources \(provincial\)\.username"):
        load_config()


def test_a_config_file_named_on_the_command_line_is_bound_by_the_locks_too(
    locking: tuple[Path, Path], tmp_path: Path
) -> None:
    site, _user = locking
    site_locking(site, "cache.dir")
    explicit = write(tmp_path / "mine.toml", '[cache]\ndir = "/tmp/elsewhere"\n')
    with refused(f"{explicit}: cache.dir"):
        load_config(explicit)


def test_only_the_site_config_locks_keys(locking: tuple[Path, Path]) -> None:
    site, user = locking
    write(site, SITE)
    write(user, 'locked = ["cache.dir"]\n')
    with refused(f"{user}: locked: only the site configuration"):
        load_config()


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ('"cache.dir"', "must be a list"),
        ('["cache.folder"]', "cannot lock 'cache.folder'"),
        ('["hunter2-PASSWORD!"]', "cannot lock a name"),  # never echoed: it may be a secret
    ],
)
def test_a_lock_that_locks_nothing_is_refused(
    locking: tuple[Path, Path], value: str, words: str
) -> None:
    site, _user = locking
    write(site, f"locked = {value}\n" + SITE)
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert words in str(caught.value) and "hunter2" not in str(caught.value)


def test_config_show_says_what_is_locked_and_by_which_file(
    locking: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    site, _user = locking
    site_locking(site, "sources", "cache.dir")
    assert run(["config", "show"]) == 0
    assert f"locked by {site}: sources, cache.dir" in capsys.readouterr().out
    assert run(["config", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["locked"] == {"keys": ["sources", "cache.dir"], "by": str(site)}


def test_a_locked_path_is_compared_as_the_place_it_names_not_as_words(
    locking: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relative path is read from its own file's folder: "ca.pem" beside the user's
    config is another file than "ca.pem" beside the site's (a CA the user chose)."""
    site, user = locking
    elsewhere = user.parent / "elsewhere"
    elsewhere.mkdir()
    user = elsewhere / "user.toml"
    monkeypatch.setenv("QINGYING_USER_CONFIG", str(user))
    for folder in (site.parent, elsewhere):
        (folder / "ca.pem").write_text("a CA\n", encoding="utf-8")
    with_ca = SITE.replace('issuer = "JS-EMPI"', 'issuer = "JS-EMPI"\nca_bundle = "ca.pem"', 1)
    write(site, 'locked = ["sources.ca_bundle"]\n' + with_ca)
    write(user, '[[sources]]\nname = "provincial"\nca_bundle = "ca.pem"\n')
    with refused(r"sources \(provincial\)\.ca_bundle: this key is locked"):
        load_config()
    write(user, f'[[sources]]\nname = "provincial"\nca_bundle = "{site.parent / "ca.pem"}"\n')
    assert load_config().source("provincial").ca_bundle == site.parent / "ca.pem"  # the same
