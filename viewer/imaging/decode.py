"""Reading DICOM files and decoding their pixel data, with errors a user can act on.

pydicom reads the file (also without preamble or file meta) and its decoder for the
transfer syntax turns Pixel Data into an array. Which plugin decodes is chosen here, not
by pydicom: pydicom 3 tries GDCM first whenever python-gdcm is installed, while this
viewer prefers pylibjpeg (libjpeg, OpenJPEG, RLE) and pyjpegls (CharLS), falls back to
GDCM only when they fail, and to Pillow only when nothing else decodes
(:func:`plugin_order`). Each plugin decodes every frame of a file, so frames never mix
two decoders' rounding. What cannot be read or decoded raises InvalidDataError naming
the file and the transfer syntax.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError
from pydicom.pixels.decoders.base import get_decoder
from pydicom.uid import (
    UID,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    JPEGLSLossless,
    JPEGLSNearLossless,
)

from viewer.errors import InvalidDataError
from viewer.instance_file import Readable, read_dicom

log = logging.getLogger(__name__)

PIXEL_DATA_TAGS = ("PixelData", "FloatPixelData", "DoubleFloatPixelData")

# pydicom's plugin names, most preferred first. pylibjpeg and pyjpegls are the decoders
# the project chose (issue 5); GDCM is the fallback, although it decodes JPEG lossless
# SV1 faster here (2.1 vs 4.5 ms/frame; the values are the same); Pillow decodes only
# 8-bit JPEG and JPEG 2000, so it comes last. The pure-Python "pydicom" RLE decoder gives
# the values pylibjpeg-rle gives, only slower. Plugins not named here (added by a site)
# are tried after these, in pydicom's order.
PLUGIN_PREFERENCE = ("pylibjpeg", "pyjpegls", "pydicom", "gdcm", "pillow")
# JPEG-LS (PS3.5 A.4.3): CharLS (pyjpegls) is a JPEG-LS codec above all and the fastest
# here (0.7 ms/frame, GDCM 1.3); libjpeg's JPEG-LS (pylibjpeg) comes second.
JPEG_LS_PREFERENCE = ("pyjpegls", "pylibjpeg", "gdcm")
# What pydicom raises for data that no plugin could decode either: too short, fewer
# fragments than frames (StopIteration, from its frame generator), odd values.
_DAMAGED = (ValueError, AttributeError, KeyError, TypeError, EOFError, IndexError, StopIteration)
_FEWER_FRAMES = "fewer frames than Number of Frames (0028,0008) says"
_PREFERENCE_BY_SYNTAX = {JPEGLSLossless: JPEG_LS_PREFERENCE, JPEGLSNearLossless: JPEG_LS_PREFERENCE}


@dataclass(frozen=True)
class DecodedPixels:
    frames: npt.NDArray[Any]  # (frames, rows, columns[, samples]), frames first always
    photometric: str  # of ``frames``: pydicom has already turned YBR_* into RGB


class _PluginFailures(logging.Filter):
    """pydicom logs every plugin that fails as an ERROR with its traceback (in
    ``pixels/decoders/base.py``, ``_decode_frame``), also when the next plugin succeeds.
    :func:`decode` tries the plugins itself and reports what failed in one line, so those
    records are moved to DEBUG on this module's logger (shown with ``--debug``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.funcName != "_decode_frame" or record.levelno < logging.ERROR:
            return True
        log.debug("decoder plugin failed: %s", record.getMessage(), exc_info=record.exc_info)
        return False


logging.getLogger("pydicom.pixels.decoders.base").addFilter(_PluginFailures())


def read_dataset(path: Readable) -> Dataset:
    """A DICOM file (or an instance in a pack) with pixel data; Part 10 or a bare dataset
    (no preamble, no meta)."""
    try:
        ds = read_dicom(path, force=True)
    except (InvalidDicomError, EOFError, ValueError, KeyError, TypeError) as err:
        raise InvalidDataError(f"{path}: not a readable DICOM file ({_short(err)})") from err
    except OSError as err:
        raise InvalidDataError(f"{path}: cannot be read ({err.strerror or err})") from err
    if not any(tag in ds for tag in PIXEL_DATA_TAGS):
        raise InvalidDataError(f"{path}: holds no image (no pixel data)")
    if "TransferSyntaxUID" not in ds.file_meta:
        # A bare dataset: its encoding is what pydicom found while reading it.
        implicit = ds.original_encoding[0]
        ds.file_meta.TransferSyntaxUID = (
            ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian
        )
    return ds


def transfer_syntax(ds: Dataset) -> UID:
    return UID(str(ds.file_meta.get("TransferSyntaxUID", ExplicitVRLittleEndian)))


def plugin_order(syntax: UID, available: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The installed decoder plugins for ``syntax``, in the order :func:`decode` tries them.

    Empty for the native (uncompressed, deflated) syntaxes, which pydicom decodes itself.
    ``available`` defaults to what pydicom finds installed for ``syntax``.
    """
    if available is None:
        try:
            available = get_decoder(syntax).available_plugins
        except NotImplementedError:
            return ()
    preference = _PREFERENCE_BY_SYNTAX.get(syntax, PLUGIN_PREFERENCE)
    known = [name for name in preference if name in available]
    return (*known, *(name for name in available if name not in known))


def decode(ds: Dataset, where: str = "", *, frame: int | None = None) -> DecodedPixels:
    """Every frame as an array (YBR converted to RGB once, by pydicom); only ``frame``
    (counted from 1) when it is given, still frames first.

    The plugins of :func:`plugin_order` are tried in turn, each on the whole file, until
    one decodes it. A problem with the data itself (too short, a missing Image Pixel
    element) is not retried: every plugin would meet it.
    """
    syntax = transfer_syntax(ds)
    label = f"{where}: " if where else ""
    _check_image_pixel_module(ds, label)
    try:
        decoder = get_decoder(syntax)
    except NotImplementedError as err:
        raise InvalidDataError(f"{label}cannot decode {_name(syntax)}: no decoder for it") from err
    plugins = plugin_order(syntax, decoder.available_plugins)
    if syntax.is_compressed and not plugins:
        missing = "; ".join(decoder.missing_dependencies) or "no plugin"
        raise InvalidDataError(f"{label}cannot decode {_name(syntax)}: {missing}")
    failures: list[str] = []
    for plugin in plugins or ("",):
        try:
            index = None if frame is None else frame - 1
            arr, meta = decoder.as_array(ds, decoding_plugin=plugin, index=index)
        except RuntimeError as err:  # pydicom's account of a plugin that failed
            failures.append(f"{plugin}: {_plugin_message(err, plugin)}" if plugin else _short(err))
            continue
        except _DAMAGED as err:
            why = _FEWER_FRAMES if isinstance(err, StopIteration) else _short(err)
            raise InvalidDataError(f"{label}damaged pixel data ({syntax.name}): {why}") from err
        if failures:
            log.info("%s%s decoded by %s after: %s", label, syntax.name, plugin, failures)
        frames = _frames_first(arr, ds) if frame is None else arr[np.newaxis]
        return DecodedPixels(frames, _photometric(ds, meta))
    raise InvalidDataError(f"{label}cannot decode {_name(syntax)}: {'; '.join(failures)}")


def _check_image_pixel_module(ds: Dataset, label: str) -> None:
    """The Image Pixel elements decoding needs (PS3.3 C.7.6.3, Type 1), present and whole
    numbers; pydicom's own account of a bad one does not say which element it was."""
    for keyword, tag in (
        ("Rows", "0028,0010"),
        ("Columns", "0028,0011"),
        ("BitsAllocated", "0028,0100"),
    ):
        if ds.get(keyword) in (None, ""):
            raise InvalidDataError(f"{label}no image: {keyword} ({tag}) is missing")
    frames = ds["NumberOfFrames"].value if "NumberOfFrames" in ds else None
    try:
        if frames not in (None, ""):
            int(str(frames))
    except ValueError:
        raise InvalidDataError(
            f"{label}Number of Frames (0028,0008) is not a whole number: {str(frames)!r}"
        ) from None


def _frames_first(arr: npt.NDArray[Any], ds: Dataset) -> npt.NDArray[Any]:
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    samples = int(ds.get("SamplesPerPixel", 1))
    if frames == 1 and arr.ndim == (2 if samples == 1 else 3):
        return arr[np.newaxis]
    return arr


def _photometric(ds: Dataset, meta: dict[str, Any]) -> str:
    """The photometric interpretation of the decoded array.

    pydicom reports it (``meta``): YBR_FULL and YBR_FULL_422 come out as RGB (it converts
    them, ``as_rgb``), as do JPEG 2000's YBR_ICT/RCT (the codec reverses its transform).
    """
    reported = str(meta.get("photometric_interpretation") or "").strip().upper()
    photometric = reported or str(ds.get("PhotometricInterpretation", "MONOCHROME2"))
    photometric = photometric.strip().upper()
    return "RGB" if photometric.startswith("YBR") else photometric


def _name(syntax: UID) -> str:
    return f"{syntax.name} ({syntax})" if syntax.name != str(syntax) else str(syntax)


def _plugin_message(err: RuntimeError, plugin: str) -> str:
    """One plugin's failure out of pydicom's "Unable to decode ... plugins:\\n  name: why"."""
    lines = [line.strip() for line in str(err).splitlines()]
    prefix = f"{plugin}: "
    for line in lines:
        if line.startswith(prefix):
            return _short_text(line[len(prefix) :], 120)
    return _short(err)


def _short(err: BaseException) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return _short_text(text, 160)


def _short_text(text: str, limit: int) -> str:
    text = text.strip() or "failed"
    return text if len(text) <= limit else text[: limit - 3] + "..."
