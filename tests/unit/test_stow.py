"""STOW-RS: the request is a multipart/related body our own reader takes back part for
part; the server's answer is read for what it stored and what it refused, and a refusal
of everything is an error; a source is set to take reports in the site configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from viewer.config import ConfigError, load_config
from viewer.dicomweb.multipart import MultipartParser, boundary_from_content_type
from viewer.dicomweb.stow import multipart_body, store
from viewer.errors import ServerError

SOP = "1.2.826.0.1.3680043.8.498.7"


class Part:
    def __init__(self, parts: list[bytes]) -> None:
        self.parts, self.data = parts, b""

    def write(self, data: bytes | memoryview) -> None:
        self.data += bytes(data)

    def end(self) -> None:
        self.parts.append(self.data)

    def abort(self) -> None:
        raise AssertionError("a part cut short")


def test_the_request_body_reads_back_part_for_part() -> None:
    sent = [b"DICM one", b"--qingying- a boundary-like line\r\n inside", b""]
    body, content_type = multipart_body(sent)
    assert content_type.startswith('multipart/related; type="application/dicom"')
    got: list[bytes] = []
    parser = MultipartParser(boundary_from_content_type(content_type), lambda _h: Part(got))
    parser.feed(body)
    parser.close()
    assert got == sent


class Answer:
    def __init__(self, status: int, body: bytes) -> None:
        self.status, self.body = status, body

    def post(self, url: str, **_kwargs: Any) -> requests.Response:
        response = requests.Response()
        response.status_code, response._content, response.url = self.status, self.body, url
        return response


def sop_sequence(tag: str) -> bytes:
    import json

    item = {"00081155": {"vr": "UI", "Value": [SOP]}}
    return json.dumps({tag: {"vr": "SQ", "Value": [item]}}).encode()


def test_what_the_server_stored_and_refused_is_read_and_refusing_all_is_an_error() -> None:
    ok = store(Answer(200, sop_sequence("00081199")), "http://x", "p", SOP, [b"x"])  # type: ignore[arg-type]
    assert ok.stored == (SOP,) and ok.failed == ()
    with pytest.raises(ServerError, match="stored none"):
        store(Answer(409, sop_sequence("00081198")), "http://x", "p", SOP, [b"x"])  # type: ignore[arg-type]
    with pytest.raises(ServerError, match="stored none"):
        store(Answer(200, b"<html>not json</html>"), "http://x", "p", SOP, [b"x"])  # type: ignore[arg-type]


def test_a_source_takes_reports_only_where_the_site_says_so(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    entry = '[[sources]]\nname = "p"\nurl = "https://p.example/dicom-web"\nauth = "none"\n'
    path.write_text(entry + "store = true\n", encoding="utf-8")
    assert load_config(path).sources[0].store is True
    path.write_text(entry, encoding="utf-8")
    assert load_config(path).sources[0].store is False
    path.write_text(entry + 'store = "yes"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="true or false"):
        load_config(path)
