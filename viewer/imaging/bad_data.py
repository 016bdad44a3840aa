"""The one mapping of failures at the boundary of reading, decoding and display.

Damaged files make pydicom and the codecs fail in many ways: ``struct.error``,
``zlib.error``, ``BytesLengthException``, ``NotImplementedError``, ``TypeError``,
``ValueError``, ``MemoryError`` for a length nobody checked, and pylibjpeg-rle's
``pyo3_runtime.PanicException``, which derives from ``BaseException`` alone and so slips
past every ``except Exception``. Every entry point that reads, decodes or displays an
image (:func:`~viewer.imaging.decode.read_dataset`, :func:`~viewer.imaging.decode.decode`,
:func:`~viewer.imaging.export.display_image`, the thumbnail, the volume loader) runs
inside :func:`bad_data`, so what comes out is a typed error: the project's own errors
pass unchanged (a UsageError stays a usage error), anything else becomes InvalidDataError
(exit 6 on the command line; a placeholder with the reason in the window).

Three exceptions are never taken for bad data: KeyboardInterrupt, SystemExit and
GeneratorExit are how Python stops work, not what a file did.

A failure mapped here is named by where and its kind, not by the library's text: that
text can quote header values, and header values can be a patient's. (A codec's own
one-line reason, which :mod:`~viewer.imaging.decode` keeps for each plugin that failed,
speaks of the compressed stream alone: the isolated child is given no other element.)
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from viewer.errors import InvalidDataError, QingyingError

log = logging.getLogger(__name__)

NEVER_MAPPED = (KeyboardInterrupt, SystemExit, GeneratorExit)


def is_stop(err: BaseException) -> bool:
    """How Python stops work: to be re-raised, never reported as bad data."""
    return isinstance(err, NEVER_MAPPED)


def as_invalid_data(err: BaseException, where: str) -> InvalidDataError:
    """The InvalidDataError for a failure that is none of the project's own errors."""
    label = f"{where}: " if where else ""
    if isinstance(err, MemoryError):
        return InvalidDataError(f"{label}image too large to decode (out of memory)")
    kind = type(err).__name__
    log.debug("%sdamaged image data: %s", label, kind)
    return InvalidDataError(f"{label}damaged image data ({kind})")


@contextmanager
def bad_data(where: str = "") -> Iterator[None]:
    """Run the block; a failure other than the project's errors and Python's stops
    leaves it as InvalidDataError (chained to the original, for ``--debug``)."""
    try:
        yield
    except QingyingError:
        raise
    except BaseException as err:
        if is_stop(err):
            raise
        raise as_invalid_data(err, where) from err
