"""The streaming multipart/related parser (RFC 2046 §5.1): parts whole, however split."""

from __future__ import annotations

import itertools

import pytest

from viewer.dicomweb.multipart import (
    MultipartParser,
    PartWriter,
    TruncatedError,
    boundary_from_content_type,
    content_type_params,
)
from viewer.errors import InvalidDataError, NetworkError

BOUNDARY = b"b0undary-7f3a"
# Bodies full of near-delimiters: CRLFs, dashes, a boundary without its CRLF, a prefix.
TRICKY = b"\r\n-\r\n--\r\n--b0und\r\n--b0undary-7f3\r--b0undary-7f3a-not-at-line-start\r\n\r"
BODIES = [b"first body", TRICKY, b"", bytes(range(256)) * 3]


class Recorder:
    """A PartWriter that remembers what it was given and how it ended."""

    def __init__(self, headers: dict[str, str], log: list[Recorder]) -> None:
        self.headers = headers
        self.chunks: list[bytes] = []
        self.ended = False
        self.aborted = False
        log.append(self)

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)

    def write(self, data: bytes | memoryview) -> None:
        assert not (self.ended or self.aborted)
        self.chunks.append(data)

    def end(self) -> None:
        self.ended = True

    def abort(self) -> None:
        self.aborted = True


def message(
    bodies: list[bytes],
    boundary: bytes = BOUNDARY,
    *,
    preamble: bytes = b"",
    epilogue: bytes = b"",
    padding: bytes = b"",
    close: bool = True,
    length: bool = True,
) -> bytes:
    out = preamble + (b"\r\n" if preamble else b"")
    for body in bodies:
        out += b"--" + boundary + padding + b"\r\n"
        out += b"Content-Type: application/dicom\r\n"
        out += b"Content-Length: %d\r\n\r\n" % len(body) if length else b"\r\n"
        out += body + b"\r\n"
    if close:
        out += b"--" + boundary + b"--" + padding + b"\r\n" + epilogue
    return out


def parse(
    pieces: list[bytes], boundary: bytes = BOUNDARY
) -> tuple[MultipartParser, list[Recorder]]:
    log: list[Recorder] = []
    parser = MultipartParser(boundary, lambda headers: Recorder(headers, log))
    for piece in pieces:
        parser.feed(piece)
    parser.close()
    return parser, log


def split_at(data: bytes, *cuts: int) -> list[bytes]:
    edges = [0, *cuts, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(edges)]


# Parts that declare their Content-Length are taken by it; the others by the boundary.
LENGTH_OR_BOUNDARY = pytest.mark.parametrize(
    "length", [True, False], ids=["by-length", "by-boundary"]
)


class TestBoundaryFromContentType:
    def test_unquoted_boundary(self) -> None:
        value = "multipart/related; type=application/dicom; boundary=abc-123"
        assert boundary_from_content_type(value) == b"abc-123"

    def test_quoted_boundary_with_characters_a_token_cannot_hold(self) -> None:
        value = 'multipart/related; boundary="a b:c=d?\\"e"; type="application/dicom"'
        assert boundary_from_content_type(value) == b'a b:c=d?"e'

    def test_names_and_type_are_case_insensitive(self) -> None:
        assert boundary_from_content_type("Multipart/Related; BOUNDARY=x") == b"x"

    def test_orthancs_73_character_boundary_is_accepted(self) -> None:
        boundary = "9da27499-40e6-4a03-b130-a9209602652d-c7abff69-daaa-466d-9cba-9b33805da"
        value = f'multipart/related; type="application/dicom"; boundary={boundary}'
        assert boundary_from_content_type(value) == boundary.encode()

    @pytest.mark.parametrize(
        "value",
        [
            "application/dicom+json",
            "",
            "multipart/related; type=application/dicom",
            'multipart/related; boundary=""',
        ],
    )
    def test_not_multipart_or_no_boundary_is_invalid_data(self, value: str) -> None:
        with pytest.raises(InvalidDataError):
            boundary_from_content_type(value)

    def test_params_are_parsed_past_a_quoted_semicolon(self) -> None:
        media, params = content_type_params('multipart/related; type="a;b"; boundary=z')
        assert media == "multipart/related"
        assert params == {"type": "a;b", "boundary": "z"}


class TestParts:
    def test_each_part_gets_its_headers_and_exact_body(self) -> None:
        parser, log = parse([message(BODIES)])
        assert [r.body for r in log] == BODIES
        assert all(r.ended and not r.aborted for r in log)
        assert log[0].headers == {"content-type": "application/dicom", "content-length": "10"}
        assert parser.parts == len(BODIES) and parser.done

    @LENGTH_OR_BOUNDARY
    def test_a_split_anywhere_gives_the_same_parts(self, length: bool) -> None:
        data = message(BODIES, preamble=b"pre", epilogue=b"post", length=length)
        for cut in range(len(data) + 1):
            _, log = parse(split_at(data, cut))
            assert [r.body for r in log] == BODIES, f"split at {cut}"

    @LENGTH_OR_BOUNDARY
    def test_two_splits_anywhere_near_the_delimiters_give_the_same_parts(
        self, length: bool
    ) -> None:
        data = message([b"x" * 5, TRICKY], length=length)
        for a in range(len(data)):
            for b in range(a, min(len(data), a + 24) + 1):
                _, log = parse(split_at(data, a, b))
                assert [r.body for r in log] == [b"x" * 5, TRICKY], f"splits {a}, {b}"

    @LENGTH_OR_BOUNDARY
    def test_byte_by_byte_gives_the_same_parts(self, length: bool) -> None:
        data = message(BODIES, length=length)
        _, log = parse([data[i : i + 1] for i in range(len(data))])
        assert [r.body for r in log] == BODIES

    def test_preamble_and_epilogue_are_ignored(self) -> None:
        data = message([b"a"], preamble=b"This is a preamble.\r\n--not it", epilogue=b"junk")
        _, log = parse([data])
        assert [r.body for r in log] == [b"a"]

    def test_transport_padding_after_a_boundary_is_ignored(self) -> None:
        _, log = parse([message([b"a", b"b"], padding=b" \t ")])
        assert [r.body for r in log] == [b"a", b"b"]

    def test_a_part_without_headers(self) -> None:
        data = b"--" + BOUNDARY + b"\r\n\r\nbody\r\n--" + BOUNDARY + b"--"
        _, log = parse([data])
        assert log[0].headers == {}
        assert log[0].body == b"body"

    def test_folded_header_lines_are_joined(self) -> None:
        data = b"--x\r\nContent-Type: application/dicom;\r\n transfer-syntax=1.2\r\n\r\nb\r\n--x--"
        _, log = parse([data], b"x")
        assert log[0].headers["content-type"] == "application/dicom; transfer-syntax=1.2"

    def test_no_parts_at_all(self) -> None:
        parser, log = parse([b"--" + BOUNDARY + b"--\r\n"])
        assert log == [] and parser.done

    def test_data_after_the_closing_delimiter_is_not_read_as_a_part(self) -> None:
        data = message([b"a"]) + message([b"ghost"])
        _, log = parse([data])
        assert [r.body for r in log] == [b"a"]


class TestNoCopies:
    def test_a_chunk_inside_a_body_is_handed_on_as_it_is(self) -> None:
        log: list[Recorder] = []
        parser = MultipartParser(BOUNDARY, lambda headers: Recorder(headers, log))
        parser.feed(b"--" + BOUNDARY + b"\r\n\r\n")
        chunk = bytes(1 << 20)
        parser.feed(chunk)
        assert log[0].chunks[-1] is chunk

    def test_only_a_possible_delimiter_start_is_held_back(self) -> None:
        log: list[Recorder] = []
        parser = MultipartParser(BOUNDARY, lambda headers: Recorder(headers, log))
        parser.feed(b"--" + BOUNDARY + b"\r\n\r\n")
        parser.feed(b"abc\r\n--b0un")
        assert log[0].body == b"abc"  # "\r\n--b0un" may be a delimiter: it waits
        parser.feed(b"dry")
        assert log[0].body == b"abc\r\n--b0undry"  # it was not


class TestDeclaredLength:
    def part(self, declared: bytes, body: bytes) -> bytes:
        return b"--" + BOUNDARY + b"\r\nContent-Length: " + declared + b"\r\n\r\n" + body

    @pytest.mark.parametrize("declared", [b"3", b"5"], ids=["too-short", "too-long"])
    def test_a_part_that_does_not_end_where_its_length_says_is_invalid_data(
        self, declared: bytes
    ) -> None:
        data = message([b"fine"])[: -len(b"--" + BOUNDARY + b"--\r\n")]
        data += self.part(declared, b"abcd\r\n--" + BOUNDARY + b"--\r\n")
        log: list[Recorder] = []
        parser = MultipartParser(BOUNDARY, lambda headers: Recorder(headers, log))
        with pytest.raises(InvalidDataError, match="Content-Length"):
            parser.feed(data)
        assert [(r.body, r.ended, r.aborted) for r in log[:1]] == [(b"fine", True, False)]
        assert log[1].aborted and not log[1].ended

    @pytest.mark.parametrize("declared", [b"4x", b"-4", "\uff14".encode(), b"", b"9" * 30])
    def test_a_length_that_is_not_a_believable_number_is_ignored(self, declared: bytes) -> None:
        data = self.part(declared, b"abcd\r\n--" + BOUNDARY + b"--\r\n")
        _, log = parse([data])
        assert [r.body for r in log] == [b"abcd"]

    def test_a_chunk_inside_a_body_of_known_length_is_handed_on_as_it_is(self) -> None:
        log: list[Recorder] = []
        parser = MultipartParser(BOUNDARY, lambda headers: Recorder(headers, log))
        parser.feed(b"--" + BOUNDARY + b"\r\nContent-Length: %d\r\n\r\n" % (3 << 20))
        chunk = bytes(1 << 20)
        parser.feed(chunk)
        assert log[0].chunks[-1] is chunk


class TestTruncation:
    def test_a_cut_inside_a_part_aborts_it_and_keeps_the_ended_ones(self) -> None:
        data = message([b"complete", b"half of it"])
        cut = data.index(b"half") + 4
        log: list[Recorder] = []
        parser = MultipartParser(BOUNDARY, lambda headers: Recorder(headers, log))
        parser.feed(data[:cut])
        with pytest.raises(TruncatedError, match="in a part"):
            parser.close()
        assert [(r.ended, r.aborted) for r in log] == [(True, False), (False, True)]

    def test_a_truncated_stream_is_a_network_error(self) -> None:
        assert issubclass(TruncatedError, NetworkError)

    @pytest.mark.parametrize(
        "cut_after",
        [b"", b"--" + BOUNDARY, b"Content-Length: 1\r\n", b"a\r\n--" + BOUNDARY, b"a\r\n--b0un"],
    )
    def test_a_cut_before_the_closing_delimiter_is_truncation(self, cut_after: bytes) -> None:
        data = message([b"a", b"b"])
        cut = data.index(cut_after) + len(cut_after) if cut_after else 0
        with pytest.raises(TruncatedError):
            parse([data[:cut]])

    def test_a_missing_closing_delimiter_is_truncation_even_with_all_parts_ended(self) -> None:
        data = message([b"a"], close=False) + b"--" + BOUNDARY + b"\r\n"
        with pytest.raises(TruncatedError):
            parse([data])


class TestMalformed:
    def test_junk_after_a_boundary_is_invalid_data(self) -> None:
        data = b"--" + BOUNDARY + b"junk\r\n\r\nbody\r\n--" + BOUNDARY + b"--"
        with pytest.raises(InvalidDataError, match="junk after a boundary"):
            parse([data])

    def test_a_header_line_without_a_colon_is_invalid_data(self) -> None:
        data = b"--" + BOUNDARY + b"\r\nnot a header\r\n\r\nbody\r\n--" + BOUNDARY + b"--"
        with pytest.raises(InvalidDataError, match="header"):
            parse([data])

    def test_endless_headers_are_invalid_data_not_memory_growth(self) -> None:
        log: list[Recorder] = []
        parser = MultipartParser(BOUNDARY, lambda headers: Recorder(headers, log))
        parser.feed(b"--" + BOUNDARY + b"\r\n")
        with pytest.raises(InvalidDataError, match="too long"):
            for _ in range(100):
                parser.feed(b"X-Filler: " + b"y" * 1000 + b"\r\n")

    def test_an_error_in_a_writer_aborts_its_part(self) -> None:
        class Failing(Recorder):
            def write(self, data: bytes | memoryview) -> None:
                raise OSError("disk full")

        log: list[Recorder] = []
        parser = MultipartParser(BOUNDARY, lambda headers: Failing(headers, log))
        with pytest.raises(OSError, match="disk full"):
            parser.feed(message([b"a"]))
        assert log[0].aborted and not log[0].ended

    def test_an_error_after_headers_aborts_the_open_part(self) -> None:
        log: list[Recorder] = []

        def on_part(headers: dict[str, str]) -> PartWriter:
            if log:
                raise InvalidDataError("second part refused")
            return Recorder(headers, log)

        parser = MultipartParser(BOUNDARY, on_part)
        parser.feed(b"--" + BOUNDARY + b"\r\n\r\npartial")
        parser.abort()
        assert log[0].aborted
