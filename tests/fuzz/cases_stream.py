"""Cases of the network boundaries: a WADO-RS multipart answer, a QIDO-RS JSON answer."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

from tests.fuzz.boundaries import BrokenPromiseError, chunked, keep
from tests.fuzz.corpus import MULTIPART_SEEDS, STUDY_UID, Corpus
from tests.fuzz.mutate import WEIRD_NUMBERS, mutate_bytes, mutate_json, splice

# -- multipart ------------------------------------------------------------------------------

BOUNDARIES = (
    b"fuzz-boundary-0123456789",
    b"x",
    b"-" * 20 + b"4d1b2a7c" * 6 + b"-" * 5,  # 73 characters, as Orthanc sends
    b"a'()+_,-./:=?b",
)
_LENGTH_RE = re.compile(rb"Content-Length: *(\d+)")


class _Recorder:
    """The part handler: records each part, and checks the writer protocol the parser
    promises (bytes, then exactly one of end or abort; nothing after)."""

    def __init__(self) -> None:
        self.parts: list[_Part] = []

    def on_part(self, headers: dict[str, str]) -> _Part:
        if not isinstance(headers, dict):
            raise BrokenPromiseError(f"part headers are a {type(headers).__name__}, not a dict")
        if any(p.state == "open" for p in self.parts):
            raise BrokenPromiseError("a new part began while the previous one was still open")
        part = _Part()
        self.parts.append(part)
        return part

    def check_closed(self) -> None:
        if any(p.state == "open" for p in self.parts):
            raise BrokenPromiseError("the parser stopped and left a part neither ended nor aborted")


class _Part:
    def __init__(self) -> None:
        self.data = bytearray()
        self.state = "open"

    def write(self, data: bytes | memoryview) -> None:
        if self.state != "open":
            raise BrokenPromiseError(f"write to a part that was already {self.state}")
        self.data += bytes(data)

    def end(self) -> None:
        self._close("ended")

    def abort(self) -> None:
        self._close("aborted")

    def _close(self, how: str) -> None:
        if self.state != "open":
            raise BrokenPromiseError(f"a part {self.state} was {how} again")
        self.state = how


def build_multipart(parts: list[bytes], boundary: bytes, with_length: bool, pad: bytes) -> bytes:
    out = [pad]
    for data in parts:
        out.append(b"\r\n--" + boundary + b"\r\nContent-Type: application/dicom\r\n")
        if with_length:
            out.append(b"Content-Length: %d\r\n" % len(data))
        out.append(b"MIME-Version: 1.0\r\n\r\n" + data)
    out.append(b"\r\n--" + boundary + b"--\r\n" + pad)
    return b"".join(out)


def _mutate_multipart(
    rng: random.Random, body: bytes, boundary: bytes, others: list[bytes]
) -> bytes:
    roll = rng.random()
    lengths = list(_LENGTH_RE.finditer(body))
    if roll < 0.2 and lengths:
        m = rng.choice(lengths)
        weird = rng.choice((*WEIRD_NUMBERS[:14], b"-1", b"+5", b"0x10", b" 12", b"1 2"))
        return body[: m.start(1)] + weird + body[m.end(1) :]
    if roll < 0.3:  # a header block that never ends, or a line that is not a header
        at = body.find(b"\r\n\r\n")
        junk = rng.choice((b"X-Pad: " + b"a" * 70000 + b"\r\n", b"no colon here\r\n", b"\n\n"))
        return body[:at] + b"\r\n" + junk + body[at + 2 :] if at >= 0 else body
    if roll < 0.4:  # delimiters: closing one missing, padded, inside a body, bare LF
        delim = b"--" + boundary
        options = (
            (delim + b"--", delim),
            (delim + b"\r\n", delim + b" " * rng.choice((1, 2000)) + b"\r\n"),
            (b"\r\n" + delim, b"\n" + delim),
            (b"MIME-Version", delim + b"MIME-Version"),
            (delim + b"--", delim + b"--" + delim),
        )
        old, new = rng.choice(options)
        return body.replace(old, new, rng.choice((1, -1)))
    if roll < 0.5:
        return splice(rng, body, rng.choice(others))
    return mutate_bytes(rng, body)


def _content_type(rng: random.Random, boundary: bytes) -> str:
    text = boundary.decode("latin-1")
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    value = f'multipart/related; type="application/dicom"; boundary={quoted}'
    if rng.random() < 0.1:
        value = rng.choice(
            (
                "multipart/related",
                f"multipart/related; boundary={'b' * 300}",
                'multipart/related; boundary=""',
                "application/dicom",
                f"multipart/related; boundary={quoted}; boundary=other",
                'multipart/related; boundary="\\',
                "multipart/related; boundary=王",
                "",
            )
        )
    return value


def multipart(rng: random.Random, corpus: Corpus, work: Path) -> None:
    from viewer.dicomweb.multipart import MultipartParser, boundary_from_content_type

    boundary = rng.choice(BOUNDARIES)
    parts = [corpus.part10[n] for n in rng.sample(MULTIPART_SEEDS, rng.randint(1, 3))]
    pad = rng.choice((b"", b"", b"preamble or epilogue text"))
    body = build_multipart(parts, boundary, rng.random() < 0.5, pad)
    content_type = _content_type(rng, boundary)
    mutated = rng.random() >= 0.05  # a few cases check the parser on a valid answer
    if mutated:
        others = list(corpus.part10.values())
        for _ in range(rng.choice((1, 1, 2, 3))):
            body = _mutate_multipart(rng, body, boundary, others)
    keep(work, "body.multipart", body)
    keep(work, "content-type.txt", content_type.encode())
    recorder = _Recorder()
    try:
        parser = MultipartParser(boundary_from_content_type(content_type), recorder.on_part)
        for chunk in chunked(rng, body):
            parser.feed(chunk)
        parser.close()
    except BrokenPromiseError:
        raise
    except BaseException:
        recorder.check_closed()  # an error also aborts the open part (module docstring)
        raise
    recorder.check_closed()
    if not mutated and [bytes(p.data) for p in recorder.parts] != parts:
        raise BrokenPromiseError("a valid answer did not come out as its parts, byte for byte")
    if any(p.state != "ended" for p in recorder.parts):
        raise BrokenPromiseError("the parser finished without an error but aborted a part")


# -- QIDO -----------------------------------------------------------------------------------


class _Session:
    """A requests.Session stand-in answering every GET with one body (later pages:
    empty), as a server would send it."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def get(self, url: str, headers: dict[str, str] | None = None, **_: Any) -> Any:
        import requests

        response = requests.Response()
        response.status_code = 200
        response.url = url
        response.headers["Content-Type"] = "application/dicom+json"
        later_page = "offset=" in url and "offset=0" not in url
        response._content = b"[]" if later_page else self.body
        return response


def _source(name: str, body: bytes) -> Any:
    from viewer.dicomweb.client import DicomwebClient
    from viewer.sources.dicomweb import DicomwebSource

    client = DicomwebClient(f"http://{name}.invalid/dicom-web", _Session(body), name=name)  # type: ignore[arg-type]
    return DicomwebSource(name, "JS-EMPI", client)


def qido(rng: random.Random, corpus: Corpus, work: Path) -> None:
    from viewer.dicomweb.qido import StudyQuery
    from viewer.history.service import HistorySearch

    body = mutate_json(rng, corpus.qido) if rng.random() >= 0.05 else corpus.qido
    keep(work, "answer.json", body)
    # The cross-source search: one source answers badly, one well. Its promise: a
    # source that fails is reported, and the others go on (viewer.history.service).
    bad, good = _source("fuzzed", body), _source("good", corpus.qido)
    query = StudyQuery(patient_id="320102199001011234")
    result = HistorySearch([bad, good]).run(query)
    if "good" not in result.answered:
        raise BrokenPromiseError("a bad answer from one source kept the good source's answer out")
    if not any(h.studies for h in result.histories):
        raise BrokenPromiseError("the good source's studies are missing from the history")
    # The series list of a study, read from the same answer.
    bad.list_series(STUDY_UID)


# -- a study's measurements file --------------------------------------------------------

_MEASURED_STUDY = "1.2.826.0.1.3680043.8.498.1"
_MEASURED_IMAGE = ("1.2.826.0.1.3680043.8.498.2", "1.2.826.0.1.3680043.8.498.3", 1)


def _measurements_file() -> bytes:
    from viewer.measure.tools import POINTS, Tool
    from viewer.session.annotation_file import _entry
    from viewer.session.annotations import Annotation

    items = []
    for tool in Tool:
        wanted = POINTS[tool]
        count = wanted if wanted is not None else 4
        points = [(float(3 * i), float(i * i)) for i in range(count)]
        known = 25.0 if tool is Tool.CALIBRATE else None
        made = Annotation.new(tool, points, _MEASURED_IMAGE, text="注 note", known_mm=known)
        items.append(_entry(made))
    body = {"version": 1, "study": _MEASURED_STUDY, "measurements": items}
    return json.dumps(body, ensure_ascii=False).encode()


def measurements(rng: random.Random, corpus: Corpus, work: Path) -> None:
    """A mutated measurements file read back: what comes out is measurements that can be
    drawn (every check of a new one passed), none of another study, nothing raised.
    Every other case, the mutated file is another writer's, written between this
    writer's read and its save: the save keeps this writer's measurement whole."""
    import math

    from viewer.measure.tools import Tool, check_points
    from viewer.session.annotation_file import AnnotationFile
    from viewer.session.annotations import Annotation
    from viewer.uids import is_valid_uid

    data = mutate_json(rng, _measurements_file())
    file = AnnotationFile(work, _MEASURED_STUDY)
    file.folder.mkdir()
    keep(work, "measurements.json", data)
    if rng.random() < 0.5:
        study = file.studied()  # no file yet: nothing
        file.path.write_bytes(data)  # another writer's, meanwhile
        mine = Annotation.new(Tool.LINE, [(1.0, 2.0), (3.0, 4.0)], _MEASURED_IMAGE)
        study.add(mine)
        if mine not in AnnotationFile(work, _MEASURED_STUDY).load():
            raise BrokenPromiseError("a save over another writer's file lost its measurement")
    file.path.write_bytes(data)
    for a in file.load():
        check_points(a.tool, a.points)
        if not (is_valid_uid(a.series_uid) and is_valid_uid(a.sop_instance_uid)):
            raise BrokenPromiseError("a measurement read back names an image by no UID")
        if not all(math.isfinite(v) for p in a.points for v in p) or a.frame < 1:
            raise BrokenPromiseError(f"a measurement read back at {a.points}, frame {a.frame}")


def launch(rng: random.Random, corpus: Corpus, work: Path) -> None:
    """A mutated launch line, as another local program could hand it over the window's
    socket (or the HIS put in a URL): read into a request that keeps every rule, or
    refused as a usage error; never another patient's request half-read."""
    from viewer.launch import LaunchRequest, parse_launch_url

    base = LaunchRequest("320102196503140372", "鼓楼", "1.2.840.10008.1.2.1", "JS1").url()
    data = mutate_bytes(rng, base.encode("utf-8"))
    if rng.random() < 0.3:
        data = splice(rng, data, b"&patient=2&issuer=X&study=1.2&%FF%00#?")
    keep(work, "launch.txt", data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return  # the window's server drops such a line before reading it
    request = parse_launch_url(text)
    if parse_launch_url(request.url()) != request:
        raise BrokenPromiseError("a launch read does not read back the same from its URL")
    if not (request.patient_id and request.issuer):
        raise BrokenPromiseError("a launch read names no patient or no issuer")
