"""The least a Python process on Qingying's stack can do to fetch a study: a floor.

Run as a new process by :mod:`bench.bench_fetch_command`, next to the real command: it
reads the source's password from the keyring as the command does
(:func:`viewer.secrets.get_password`), sends the same WADO-RS request and writes the
multipart answer as it arrives to one file, then leaves with ``os._exit`` as the command
does. No config, no cache, no parsing, no check: whatever the command takes beyond this is
Qingying's own; what this takes is the interpreter's, the keyring's and the HTTP
client's. ``requests`` is the stack's client; ``stdlib`` the same with ``http.client``,
to show what the choice of client costs.

    python -m bench.floor_fetch requests|stdlib STUDY_URL USER OUT
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

TIMEOUT = 30  # seconds, as a stalled answer would end either client
ACCEPT = 'multipart/related; type="application/dicom"; transfer-syntax=*'
CHUNK = 1 << 20


def with_requests(url: str, user: str, password: str, out: str) -> None:
    import requests

    answer = requests.get(
        url, auth=(user, password), headers={"Accept": ACCEPT}, stream=True, timeout=TIMEOUT
    )
    answer.raise_for_status()
    with Path(out).open("wb") as body:
        for chunk in answer.iter_content(CHUNK):
            body.write(chunk)


def with_stdlib(url: str, user: str, password: str, out: str) -> None:
    import base64
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=TIMEOUT)
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    connection.request(
        "GET", parts.path, headers={"Accept": ACCEPT, "Authorization": f"Basic {token}"}
    )
    answer = connection.getresponse()
    if answer.status != 200:
        raise SystemExit(f"HTTP {answer.status}")
    with Path(out).open("wb") as body:
        while chunk := answer.read1(CHUNK):
            body.write(chunk)


def main(client: str, url: str, user: str, out: str) -> None:
    from viewer.secrets import get_password

    password = get_password(url.split("/studies/")[0], user)
    if password is None:
        raise SystemExit("no password in the keyring: sign in first")
    {"requests": with_requests, "stdlib": with_stdlib}[client](url, user, password, out)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(*sys.argv[1:5])
