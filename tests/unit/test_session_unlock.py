"""The idle lock belongs to the first source signed in; its password, checked with the
server (or, the link down, with this session's own), is what unlocks it."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.config import Config, SourceConfig, merge_layers
from viewer.errors import AuthError, CertificateError, NetworkError
from viewer.session.unlock import (
    LockHolder,
    UnlockAttempts,
    UnlockTooSoonError,
    lock_holder,
    unlock,
)
from viewer.sources.credentials import SessionCredentials


class Keyring:
    """The keyring the session falls back to: nothing remembered."""

    def password_for(self, url: str, username: str) -> str | None:
        return None

    def username_for(self, url: str) -> str | None:
        return None


def config(*names: str) -> Config:
    sources = [
        {"name": n, "url": f"https://{n}.example/dicom-web", "auth": "basic", "username": "wang"}
        for n in names
    ]
    return merge_layers([(Path("test.toml"), {"sources": sources})])


def source(cfg: Config, name: str) -> SourceConfig:
    return cfg.source(name)


def test_the_lock_names_the_first_source_signed_in() -> None:
    cfg = config("provincial", "gulou")
    credentials = SessionCredentials(Keyring())
    credentials.put(source(cfg, "gulou").url, "wang", "pw")
    holder = lock_holder(cfg, credentials)
    assert holder.source == source(cfg, "gulou") and holder.user == "wang" and holder.can_unlock


def test_with_nobody_signed_in_the_lock_cannot_be_unlocked_by_password() -> None:
    cfg = config("provincial")
    holder = lock_holder(cfg, SessionCredentials(Keyring()))
    assert holder.source is None and not holder.can_unlock
    with pytest.raises(AuthError, match="close the session"):
        unlock(holder, "anything", SessionCredentials(Keyring()))


def test_the_server_decides_when_it_answers() -> None:
    cfg = config("provincial")
    holder = LockHolder("doctor", source(cfg, "provincial"), "wang")
    asked: list[tuple[str, str]] = []

    def check(_s: SourceConfig, user: str, password: str) -> None:
        asked.append((user, password))
        if password != "right":
            raise AuthError("provincial: wrong username or password")

    credentials = SessionCredentials(Keyring())
    assert unlock(holder, "right", credentials, check) == "checked"
    with pytest.raises(AuthError):
        unlock(holder, "wrong", credentials, check)
    assert asked == [("wang", "right"), ("wang", "wrong")]


def down(_s: SourceConfig, _u: str, _p: str) -> None:
    raise NetworkError("provincial: cannot reach the server")


def test_the_link_down_the_sessions_own_password_unlocks() -> None:
    cfg = config("provincial")
    holder = LockHolder("doctor", source(cfg, "provincial"), "wang")
    credentials = SessionCredentials(Keyring())
    credentials.put(source(cfg, "provincial").url, "wang", "right")
    assert unlock(holder, "right", credentials, down) == "offline"
    with pytest.raises(AuthError):
        unlock(holder, "wrong", credentials, down)


def test_the_link_down_and_no_password_known_the_link_is_said() -> None:
    cfg = config("provincial")
    holder = LockHolder("doctor", source(cfg, "provincial"), "wang")
    with pytest.raises(NetworkError, match="cannot reach"):
        unlock(holder, "right", SessionCredentials(Keyring()), down)


def test_a_certificate_refused_is_not_stood_in_for_by_the_known_password() -> None:
    cfg = config("provincial")
    holder = LockHolder("doctor", source(cfg, "provincial"), "wang")
    credentials = SessionCredentials(Keyring())
    credentials.put(source(cfg, "provincial").url, "wang", "right")

    def refused(_s: SourceConfig, _u: str, _p: str) -> None:
        raise CertificateError("provincial: the server's certificate has expired", "expired")

    with pytest.raises(CertificateError):
        unlock(holder, "right", credentials, refused)


def test_closing_the_session_forgets_its_passwords() -> None:
    credentials = SessionCredentials(Keyring())
    credentials.put("https://p.example/dicom-web", "wang", "pw")
    credentials.clear()
    assert credentials.password_for("https://p.example/dicom-web", "wang") is None


def test_wrong_passwords_in_a_row_slow_the_next_try_and_a_right_one_resets() -> None:
    now = [0.0]
    attempts = UnlockAttempts(clock=lambda: now[0])
    cfg = config("provincial")
    holder = LockHolder("doctor", source(cfg, "provincial"), "wang")
    checked: list[str] = []

    def check(_s: SourceConfig, _u: str, password: str) -> None:
        checked.append(password)
        if password != "right":
            raise AuthError("provincial: wrong username or password")

    credentials = SessionCredentials(Keyring())
    for _ in range(3):  # three free tries
        with pytest.raises(AuthError):
            unlock(holder, "guess", credentials, check, attempts=attempts)
    with pytest.raises(UnlockTooSoonError) as waiting:
        unlock(holder, "right", credentials, check, attempts=attempts)
    assert waiting.value.seconds == 1.0 and checked == ["guess"] * 3  # not even asked
    now[0] += 1.0
    with pytest.raises(AuthError):
        unlock(holder, "guess", credentials, check, attempts=attempts)
    assert attempts.wait_s() == 2.0  # doubling
    now[0] += 2.0
    assert unlock(holder, "right", credentials, check, attempts=attempts) == "checked"
    assert attempts.failures == 0 and attempts.wait_s() == 0


def test_each_unlock_tried_is_in_the_audit_trail_refused_or_not(
    tmp_path: Path, memory_keyring: object
) -> None:
    from viewer.audit import reader
    from viewer.config_privacy import PrivacyConfig
    from viewer.session.auditing import Auditor

    cfg = config("provincial")
    cfg = Config(cfg.cache, cfg.sources, cfg.ui, privacy=PrivacyConfig(audit_dir=tmp_path))
    audit = Auditor.of(cfg)
    holder = LockHolder("doctor", source(cfg, "provincial"), "wang")

    def check(_s: SourceConfig, _u: str, password: str) -> None:
        if password != "right":
            raise AuthError("provincial: wrong username or password")

    credentials = SessionCredentials(Keyring())
    with pytest.raises(AuthError):
        unlock(holder, "wrong", credentials, check, audit=audit)
    unlock(holder, "right", credentials, check, audit=audit)
    trail = audit._trail
    assert trail is not None
    rows = reader.show(trail.folder, trail.keys(create=False)).rows
    assert [(r.kind, r.outcome, r.platform_user, r.detail["how"]) for r in rows] == [
        ("signed_in", 4, "wang", "unlock"),
        ("signed_in", 0, "wang", "unlock checked"),
    ]
