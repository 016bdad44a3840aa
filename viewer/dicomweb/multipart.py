"""A streaming parser for multipart/related bodies (RFC 2046 §5.1, RFC 2387).

WADO-RS answers a study as one multipart body (PS3.18 §8.7.3.3): a whole study can be
gigabytes, so the body is fed in network chunks and each part's bytes go straight to a
per-part writer; nothing larger than one chunk is ever held.

Design: a push parser with four states (preamble, after a delimiter, headers, body). The
delimiter is ``CRLF "--" boundary``; the stream is treated as if it began with CRLF, so a
first boundary at the very start needs no special case (RFC 2046: the CRLF before a
delimiter belongs to the delimiter, not to the part). In a body, ``bytes.find`` looks for
the delimiter in the current chunk; only a tail that could be the start of a delimiter
split across chunks is held back, so a chunk without one is handed on without a copy.
When a part declares its Content-Length (Orthanc's do), the body is taken by its length
and the delimiter is checked where it must then be: searching every byte of a study for
the delimiter took a tenth of the retrieving thread's time. A part whose delimiter is
not where its length says is InvalidDataError, never a part cut or run on.

A part is committed only once the delimiter after it has been seen. If the stream ends
before the closing delimiter the open part is aborted and :class:`TruncatedError` (a
NetworkError) is raised: a cut connection must never leave a half instance behind.
A body that breaks the syntax raises InvalidDataError, also after aborting the part.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum, auto
from typing import Protocol

from viewer.errors import InvalidDataError, NetworkError

MAX_HEADER_BYTES = 64 * 1024  # one part's header block; DICOM parts have a few short lines
MAX_PART_LENGTH = 1 << 44  # a Content-Length above this is not believed (16 TiB)
MAX_BOUNDARY_LENGTH = 200  # RFC 2046 says 70; Orthanc 1.10 sends 73, so allow some slack
_LINE_SLACK = 1024  # transport padding allowed after a delimiter, before its CRLF
_TCHARS = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_PARAM_RE = re.compile(rf';\s*({_TCHARS})\s*=\s*("(?:[^"\\]|\\.)*"|{_TCHARS})')
_PADDING = b" \t"


class TruncatedError(NetworkError):
    """The stream ended before the closing delimiter: the connection was cut."""


class PartWriter(Protocol):
    """Receives one part: body chunks, then ``end`` (complete) or ``abort`` (not)."""

    def write(self, data: bytes | memoryview) -> None: ...

    def end(self) -> None: ...

    def abort(self) -> None: ...


# Called once per part with its headers (names lower-cased); returns the part's writer.
PartHandler = Callable[[dict[str, str]], PartWriter]


def content_type_params(content_type: str) -> tuple[str, dict[str, str]]:
    """``("multipart/related", {"type": ..., "boundary": ...})`` from a Content-Type value.

    Parameter names are lower-cased; quoted values are unquoted (RFC 9110 §5.6.4).
    """
    media_type, _, rest = content_type.partition(";")
    params: dict[str, str] = {}
    for match in _PARAM_RE.finditer(";" + rest):
        value = match.group(2)
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        params[match.group(1).lower()] = value
    return media_type.strip().lower(), params


def boundary_from_content_type(content_type: str) -> bytes:
    """The boundary of a ``multipart/*`` Content-Type, quoted or not.

    Raises InvalidDataError if the type is not multipart or the boundary is missing or
    unusable.
    """
    media_type, params = content_type_params(content_type)
    if not media_type.startswith("multipart/"):
        raise InvalidDataError(f"expected a multipart answer, got {media_type or 'no type'!r}")
    boundary = params.get("boundary", "")
    if not boundary or len(boundary) > MAX_BOUNDARY_LENGTH or not boundary.isascii():
        raise InvalidDataError("the multipart answer has no usable boundary")
    if boundary.rstrip(" ") != boundary or any(c in boundary for c in "\r\n"):
        raise InvalidDataError("the multipart answer has no usable boundary")
    return boundary.encode("ascii")


class _State(Enum):
    PREAMBLE = auto()
    AFTER_DELIMITER = auto()  # "--" (close) or transport padding + CRLF comes next
    HEADERS = auto()
    BODY = auto()
    EPILOGUE = auto()


class MultipartParser:
    """Feed it the body chunk by chunk with :meth:`feed`, then call :meth:`close`.

    ``on_part`` is called with each part's headers and returns the writer for its body.
    Any error (from the parser or a writer) aborts the open part before propagating;
    after an error the parser must not be fed again.
    """

    def __init__(self, boundary: bytes, on_part: PartHandler) -> None:
        if not boundary:
            raise ValueError("empty boundary")
        self._delimiter = b"\r\n--" + boundary
        self._on_part = on_part
        self._state = _State.PREAMBLE
        self._buffer = b"\r\n"  # a first delimiter at the very start has no CRLF before it
        self._part: PartWriter | None = None
        self._remaining: int | None = None  # body bytes still to come, by Content-Length
        self.parts = 0  # parts completed so far

    @property
    def done(self) -> bool:
        """The closing delimiter has been seen."""
        return self._state is _State.EPILOGUE

    def feed(self, chunk: bytes) -> None:
        if self._state is _State.EPILOGUE or not chunk:
            return  # the epilogue is ignored (RFC 2046)
        data = self._buffer + chunk if self._buffer else chunk
        self._buffer = b""
        try:
            self._consume(data)
        except BaseException:
            self._abort_part()
            raise

    def close(self) -> None:
        """The stream has ended: raises TruncatedError unless the body was complete."""
        if self._state is not _State.EPILOGUE:
            self._abort_part()
            state = "in a part" if self._state is _State.BODY else "before the closing boundary"
            raise TruncatedError(f"the multipart answer ended early ({state})")

    def abort(self) -> None:
        """Give up (cancel, network error): the open part, if any, is discarded."""
        self._abort_part()

    # -- states ---------------------------------------------------------------------
    def _consume(self, data: bytes) -> None:
        pos = 0
        while pos < len(data):
            step = self._step(data, pos)
            if step is None:  # needs more data; the step kept what it must
                return
            pos = step
            if self._state is _State.EPILOGUE:
                return

    def _step(self, data: bytes, pos: int) -> int | None:
        """One state's work from ``pos``: the next position, or None if it needs more."""
        if self._state is _State.BODY:
            return self._body(data, pos)
        if self._state is _State.HEADERS:
            return self._headers(data, pos)
        if self._state is _State.AFTER_DELIMITER:
            return self._after_delimiter(data, pos)
        return self._preamble(data, pos)

    def _preamble(self, data: bytes, pos: int) -> int | None:
        found = data.find(self._delimiter, pos)
        if found < 0:
            # Only a tail that could start a delimiter matters; the preamble is ignored.
            self._buffer = data[max(pos, len(data) - len(self._delimiter) + 1) :]
            return None
        self._state = _State.AFTER_DELIMITER
        return found + len(self._delimiter)

    def _after_delimiter(self, data: bytes, pos: int) -> int | None:
        if data.startswith(b"--", pos):
            self._state = _State.EPILOGUE
            return len(data)
        if len(data) - pos < 2:
            self._buffer = data[pos:]
            return None
        eol = data.find(b"\r\n", pos, pos + _LINE_SLACK)
        if eol < 0:
            if len(data) - pos >= _LINE_SLACK:
                raise InvalidDataError("malformed multipart body: junk after a boundary")
            if data[pos:].strip(_PADDING + b"\r"):
                raise InvalidDataError("malformed multipart body: junk after a boundary")
            self._buffer = data[pos:]
            return None
        if data[pos:eol].strip(_PADDING):
            raise InvalidDataError("malformed multipart body: junk after a boundary")
        self._state = _State.HEADERS
        return eol + 2

    def _headers(self, data: bytes, pos: int) -> int | None:
        if data.startswith(b"\r\n", pos):  # no headers at all (RFC 2046 allows it)
            end, block = pos + 2, b""
        else:
            found = data.find(b"\r\n\r\n", pos, pos + MAX_HEADER_BYTES)
            if found < 0:
                if len(data) - pos >= MAX_HEADER_BYTES:
                    raise InvalidDataError("malformed multipart body: part headers too long")
                self._buffer = data[pos:]
                return None
            end, block = found + 4, data[pos:found]
        headers = parse_headers(block)
        self._part = self._on_part(headers)
        self._remaining = _declared_length(headers)
        self._state = _State.BODY
        return end

    def _body(self, data: bytes, pos: int) -> int | None:
        part = self._part
        assert part is not None
        if self._remaining is not None:
            return self._body_of_length(data, pos, part, self._remaining)
        found = data.find(self._delimiter, pos)
        if found >= 0:
            if found > pos:
                part.write(memoryview(data)[pos:found])
            return self._end_part(part, found)
        keep = self._held_back(data, pos)
        if keep > pos:
            part.write(data if pos == 0 and keep == len(data) else memoryview(data)[pos:keep])
        self._buffer = data[keep:]
        return None

    def _body_of_length(
        self, data: bytes, pos: int, part: PartWriter, remaining: int
    ) -> int | None:
        """The body by its Content-Length; the delimiter must follow it at once."""
        end = pos + remaining
        if end > len(data):  # the body goes on in the next chunk
            part.write(data if pos == 0 else memoryview(data)[pos:])
            self._remaining = end - len(data)
            return None
        delimiter = self._delimiter
        tail = data[end : end + len(delimiter)]
        if not delimiter.startswith(tail):
            raise InvalidDataError(
                "malformed multipart body: a part does not end where its Content-Length says"
            )
        if end > pos:
            part.write(memoryview(data)[pos:end])
        if len(tail) < len(delimiter):  # the delimiter is cut by the end of this chunk
            self._remaining = 0
            self._buffer = tail
            return None
        return self._end_part(part, end)

    def _end_part(self, part: PartWriter, delimiter_at: int) -> int:
        self._part = None
        self._remaining = None
        part.end()
        self.parts += 1
        self._state = _State.AFTER_DELIMITER
        return delimiter_at + len(self._delimiter)

    def _held_back(self, data: bytes, pos: int) -> int:
        """Where the tail that could be a split delimiter starts (len(data) if none)."""
        start = max(pos, len(data) - len(self._delimiter) + 1)
        cr = data.find(b"\r", start)
        while cr >= 0:
            if self._delimiter.startswith(data[cr:]):
                return cr
            cr = data.find(b"\r", cr + 1)
        return len(data)

    def _abort_part(self) -> None:
        part, self._part = self._part, None
        if part is not None:
            part.abort()


def _declared_length(headers: dict[str, str]) -> int | None:
    """A part's Content-Length (RFC 9110 §8.6), or None when absent or not believable."""
    value = headers.get("content-length", "")
    if not value.isascii() or not value.isdigit() or int(value) > MAX_PART_LENGTH:
        return None
    return int(value)


def parse_headers(block: bytes) -> dict[str, str]:
    """A part's header block (RFC 5322 syntax, folded lines allowed); names lower-cased."""
    headers: dict[str, str] = {}
    if not block:
        return headers
    name = ""
    for raw in block.split(b"\r\n"):
        line = raw.decode("latin-1")
        if line[:1] in (" ", "\t") and name:
            headers[name] += " " + line.strip()
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or not key or " " in key or "\t" in key:
            raise InvalidDataError("malformed multipart body: bad part header line")
        name = key.lower()
        headers[name] = value.strip()
    return headers
