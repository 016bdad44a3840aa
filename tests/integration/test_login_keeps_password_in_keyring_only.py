"""End to end with a real Secret Service: `login` keeps the password in the keyring only.

Runs the real command in a subprocess against a real Orthanc whose password is random,
then looks for that password in every file a careless client could have written.
"""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.written_files import REPO, files_to_search, read
from viewer.demo.orthanc import OrthancInstance, find_free_port, start, stop

pytestmark = [pytest.mark.integration, pytest.mark.keyring_real]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[OrthancInstance, str]]:
    if not os.environ.get("QINGYING_REAL_KEYRING"):
        pytest.skip("needs a real Secret Service: run through scripts/run-tests.sh")
    password = secrets.token_urlsafe(18)
    instance = OrthancInstance(
        key="secret-check",
        name="QINGYING-SECRET-CHECK",
        http_port=find_free_port(),
        users={"doctor": password},
        root=tmp_path_factory.mktemp("secret-check"),
    )
    start(instance)
    try:
        yield instance, password
    finally:
        stop(instance)


def test_login_then_search_leaves_the_password_in_no_file(
    server: tuple[OrthancInstance, str], tmp_path: Path
) -> None:
    instance, password = server
    config = tmp_path / "config.toml"
    config.write_text(
        f'[[sources]]\nname = "check"\nurl = "{instance.dicomweb_url}"\n'
        'username = "doctor"\nissuer = "JS-EMPI"\n',
        encoding="utf-8",
    )
    main = [sys.executable, str(REPO / "main.py"), "--config", str(config)]
    login = subprocess.run(
        [*main, "login", "--source", "check", "--password-stdin"],
        input=password + "\n", capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert login.returncode == 0, login.stderr
    # The stored password works for a new process: it came from the keyring.
    search = subprocess.run(
        [*main, "search", "--patient-id", "1", "--issuer", "JS-EMPI", "--json"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert search.returncode == 5, search.stderr  # empty server: not found, but signed in
    assert "not signed in" not in search.stderr

    needles = [password.encode(), base64.b64encode(password.encode())]
    basic = base64.b64encode(f"doctor:{password}".encode())
    needles.append(basic)
    leaks = [
        str(path)
        for path in files_to_search(skip=[instance.root])
        if any(needle in read(path) for needle in needles)
    ]
    assert leaks == []
