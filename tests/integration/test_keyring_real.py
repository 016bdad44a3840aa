"""viewer.secrets against a real Secret Service (gnome-keyring), and no copy in any file.

scripts/run-tests.sh runs pytest inside ``dbus-run-session`` with gnome-keyring started
and unlocked, its files under a throwaway XDG_DATA_HOME (also in
QINGYING_TEST_KEYRING_HOME), and sets QINGYING_REAL_KEYRING=1. Without that variable
these tests skip; with it they fail if the Secret Service cannot be used.

The scan for left-over copies only reads files changed since the password existed
(inode change time): a file holding a copy of a new random password must have been
written after it was made, and ctime cannot be set back by a program.
"""

from __future__ import annotations

import base64
import os
import secrets as pysecrets
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.core
import pytest
from keyring.backends import SecretService, chainer

from viewer import secrets

REPO = Path(__file__).resolve().parents[2]
REPO_SKIP = {".venv", ".git"}
CHUNK = 8 * 1024 * 1024
CTIME_SLACK_S = 2.0  # file-system timestamps may be coarse

real_keyring_only = pytest.mark.skipif(
    not os.environ.get("QINGYING_REAL_KEYRING"),
    reason=(
        "QINGYING_REAL_KEYRING is not set: run through scripts/run-tests.sh, which starts "
        "an unlocked gnome-keyring in a private D-Bus session"
    ),
)


# -- finding copies of a secret in files ----------------------------------------------------
def needles(secret: str) -> list[bytes]:
    """The byte strings a stored copy of ``secret`` would contain.

    Plain (UTF-8, UTF-16), hex, and base64 (standard and URL-safe) at each of the three
    alignments it could have inside a longer base64 text.
    """
    raw = secret.encode()
    found = [raw, secret.encode("utf-16-le"), raw.hex().encode()]
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + raw)
        middle = encoded[4:-4]  # drop the groups shared with neighbouring bytes
        found += [middle, middle.replace(b"+", b"-").replace(b"/", b"_")]
    return list(dict.fromkeys(found))


def scan_roots() -> list[Path]:
    home = Path.home()
    candidates = [
        os.environ.get("QINGYING_TEST_KEYRING_HOME"),
        REPO,
        tempfile.gettempdir(),
        "/tmp",
        home / ".config",
        home / ".cache",
        home / ".local" / "share",
        os.environ.get("XDG_CONFIG_HOME"),
        os.environ.get("XDG_CACHE_HOME"),
        os.environ.get("XDG_DATA_HOME"),
    ]
    roots: list[Path] = []
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            resolved = Path(candidate).resolve()
            if resolved not in roots:
                roots.append(resolved)
    return roots


def changed_files(root: Path, since: float) -> Iterator[Path]:
    """Regular files under ``root`` changed at or after ``since`` (no links followed)."""
    for folder, dirs, files in os.walk(root, onerror=lambda _err: None):
        if Path(folder) == REPO:
            dirs[:] = [d for d in dirs if d not in REPO_SKIP]
        for name in files:
            path = Path(folder) / name
            try:
                info = path.lstat()
            except OSError:
                continue  # gone, or not ours to read
            if stat.S_ISREG(info.st_mode) and info.st_ctime >= since - CTIME_SLACK_S:
                yield path


def holds_any(path: Path, patterns: list[bytes]) -> bool:
    overlap = max(len(p) for p in patterns) - 1
    tail = b""
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(CHUNK):
                window = tail + chunk
                if any(p in window for p in patterns):
                    return True
                tail = window[-overlap:]
    except OSError:
        return False  # vanished or unreadable (another user's file)
    return False


def files_holding(secret: str, since: float) -> tuple[list[Path], int]:
    """(files holding a copy of ``secret``, how many files were read)."""
    patterns = needles(secret)
    seen: set[Path] = set()
    hits = []
    for root in scan_roots():
        for path in changed_files(root, since):
            if path in seen:
                continue
            seen.add(path)
            if holds_any(path, patterns):
                hits.append(path)
    return hits, len(seen)


def test_the_scan_finds_plain_and_base64_copies(tmp_path: Path) -> None:
    """The scanner itself, on a throwaway token (never the password under test)."""
    token = pysecrets.token_urlsafe(24)
    start = time.time()
    encoded = base64.b64encode(b"x" + token.encode())
    (tmp_path / "plain.txt").write_bytes(b"prefix " + token.encode() + b" suffix")
    (tmp_path / "b64.cfg").write_bytes(b"password = " + encoded + b"\n")
    (tmp_path / "other.txt").write_bytes(b"nothing here")
    found = {p.name for p in changed_files(tmp_path, start) if holds_any(p, needles(token))}
    assert found == {"plain.txt", "b64.cfg"}


# -- the real keyring ---------------------------------------------------------------------
def _backends(backend: keyring.backend.KeyringBackend) -> list[keyring.backend.KeyringBackend]:
    if isinstance(backend, chainer.ChainerBackend):
        return list(backend.backends)
    return [backend]


@pytest.fixture
def real_keyring() -> Iterator[keyring.backend.KeyringBackend]:
    """The backend keyring picks by itself here, as the app does at start-up.

    Another test may have installed an in-memory backend: detect afresh, restore after.
    """
    before = keyring.get_keyring()
    keyring.core.init_backend()
    try:
        yield keyring.get_keyring()
    finally:
        keyring.set_keyring(before)


@real_keyring_only
@pytest.mark.keyring_real
def test_the_active_backend_is_secret_service(
    real_keyring: keyring.backend.KeyringBackend,
) -> None:
    for backend in _backends(real_keyring):
        module, name = type(backend).__module__, type(backend).__name__
        assert not module.startswith("keyrings.alt"), f"keyrings.alt is in use: {backend!r}"
        assert "plaintext" not in name.lower(), f"a plain-text keyring is in use: {backend!r}"
        assert module not in ("keyring.backends.fail", "keyring.backends.null"), backend
    assert type(real_keyring) is SecretService.Keyring, f"the active keyring: {real_keyring!r}"
    assert real_keyring.priority > 0  # viable: D-Bus reachable, the service answers


def _in_secret_service(service: str, username: str) -> list[str]:
    """The secrets the Secret Service itself holds for that entry, asked over D-Bus."""
    import secretstorage

    connection = secretstorage.dbus_init()
    try:
        items = secretstorage.search_items(connection, {"service": service, "username": username})
        return [item.get_secret().decode() for item in items]
    finally:
        connection.close()


def _keyring_files_changed(since: float, timeout: float = 5.0) -> list[Path]:
    home = Path(os.environ["QINGYING_TEST_KEYRING_HOME"]) / "keyrings"
    deadline = time.monotonic() + timeout
    while True:
        changed = list(changed_files(home, since)) if home.is_dir() else []
        if changed or time.monotonic() > deadline:
            return changed
        time.sleep(0.1)


@real_keyring_only
@pytest.mark.keyring_real
def test_a_password_round_trips_and_leaves_no_copy_in_any_file(
    real_keyring: keyring.backend.KeyringBackend,
) -> None:
    assert type(real_keyring) is SecretService.Keyring, f"the active keyring: {real_keyring!r}"
    url = f"https://pacs-{pysecrets.token_hex(4)}.keyring-test.invalid/dicom-web"
    user = f"doctor-{pysecrets.token_hex(3)}"
    start = time.time()
    password = pysecrets.token_urlsafe(24)
    try:
        secrets.store_password(url, user, password)
        # Comparisons go through `if`, never `assert ==`: a failure must not print it.
        if secrets.get_password(url, user) != password:
            pytest.fail("the password read back through viewer.secrets differs")
        if _in_secret_service(secrets.service_name(url), user) != [password]:
            pytest.fail("the Secret Service itself does not hold exactly that password")
        assert secrets.find_username(url) == user
        assert _keyring_files_changed(start), "gnome-keyring wrote nothing to its folder"
        hits, read = files_holding(password, start)
        assert hits == [], f"a copy of the stored password is in {hits}"
        assert read > 0
    finally:
        deleted = secrets.delete_password(url, user)
    assert deleted
    if secrets.get_password(url, user) is not None:
        pytest.fail("the password can still be read after delete_password")
    assert secrets.find_username(url) is None
    if _in_secret_service(secrets.service_name(url), user):
        pytest.fail("the Secret Service still holds the password after delete_password")
    assert secrets.delete_password(url, user) is False  # already gone
    hits, _ = files_holding(password, start)
    assert hits == [], f"a copy of the deleted password is in {hits}"
