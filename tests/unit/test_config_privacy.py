"""The [privacy] table: idle lock minutes and where the audit trail goes, checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.config import load_config
from viewer.errors import ConfigError


def config_of(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("QINGYING_SITE_CONFIG", str(tmp_path / "no-site.toml"))
    return path


def test_privacy_defaults_to_a_ten_minute_lock_and_a_local_trail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    privacy = load_config(config_of(tmp_path, "", monkeypatch)).privacy
    assert privacy.idle_lock_minutes == 10
    assert privacy.audit_dir is None and privacy.audit_syslog is None


def test_privacy_values_are_read_paths_relative_to_their_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        '[privacy]\nidle_lock_minutes = 3\naudit_dir = "trail"\n'
        'audit_syslog = "siem.hospital"\naudit_syslog_ca_bundle = "ca.pem"\n'
    )
    privacy = load_config(config_of(tmp_path, text, monkeypatch)).privacy
    assert privacy.idle_lock_minutes == 3
    assert privacy.audit_dir == tmp_path / "trail"
    assert privacy.audit_syslog == ("siem.hospital", 6514)
    assert privacy.audit_syslog_ca_bundle == tmp_path / "ca.pem"


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("idle_lock_minutes = 0", "privacy.idle_lock_minutes"),
        ("idle_lock_minutes = 600", "privacy.idle_lock_minutes"),
        ('idle_lock_minutes = "10"', "privacy.idle_lock_minutes"),
        ('audit_syslog = "host:port"', "privacy.audit_syslog"),
        ('audit_syslog = "tcp://host:6514"', "privacy.audit_syslog"),
        ('audit_dir = ""', "privacy.audit_dir"),
        ("forward = true", "privacy.forward"),
    ],
)
def test_a_wrong_privacy_value_is_refused_naming_its_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, key: str
) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_config(config_of(tmp_path, f"[privacy]\n{line}\n", monkeypatch))


def test_the_site_can_lock_the_idle_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site.toml"
    site.write_text('locked = ["privacy"]\n[privacy]\nidle_lock_minutes = 5\n', encoding="utf-8")
    user = tmp_path / "user.toml"
    user.write_text("[privacy]\nidle_lock_minutes = 60\n", encoding="utf-8")
    monkeypatch.setenv("QINGYING_SITE_CONFIG", str(site))
    monkeypatch.setenv("QINGYING_USER_CONFIG", str(user))
    with pytest.raises(ConfigError, match=r"privacy\.idle_lock_minutes"):
        load_config()


@pytest.mark.parametrize(
    ("value", "address"),
    [
        ("siem.hospital", ("siem.hospital", 6514)),
        ("siem.hospital:1514", ("siem.hospital", 1514)),
        ("10.1.2.3:6514", ("10.1.2.3", 6514)),
        ("[::1]:7514", ("::1", 7514)),
        ("[fd00::5]", ("fd00::5", 6514)),
        ("fd00::5", ("fd00::5", 6514)),
    ],
)
def test_the_syslog_collector_is_a_host_an_address_or_either_with_a_port(
    value: str, address: tuple[str, int]
) -> None:
    from viewer.config_privacy import syslog_address

    assert syslog_address("c.toml", value) == address
