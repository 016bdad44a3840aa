"""Reading DICOM files and decoding their pixel data, with errors a user can act on.

pydicom reads the file (also without preamble or file meta) and its decoder for the
transfer syntax turns Pixel Data into an array. Which plugin decodes is chosen here, not
by pydicom: pydicom 3 tries GDCM first whenever python-gdcm is installed, while this
viewer prefers pylibjpeg (libjpeg, OpenJPEG, RLE) and pyjpegls (CharLS), falls back to
GDCM only when they fail, and to Pillow only when nothing else decodes
(:func:`plugin_order`). Each plugin decodes every frame of a file, so frames never mix
two decoders' rounding. GDCM runs in a child process (:mod:`viewer.imaging.isolated`):
on some damaged JPEG it aborts the process that calls it.

What cannot be read or decoded raises InvalidDataError naming the file and the transfer
syntax, whatever pydicom or a codec raised (:mod:`viewer.imaging.bad_data`). Sizes are
checked before anything is allocated: a value length past the end of the file is not
read (reads stop at the instance's end), and the decoded size that Rows × Columns ×
Samples × Bits × Frames promise must fit in memory and in the pixel data there is.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom.dataelem import RawDataElement
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

from viewer import part10
from viewer.errors import InvalidDataError
from viewer.imaging.bad_data import bad_data, is_stop
from viewer.imaging.isolated import ISOLATED_PLUGINS, ChildDecodeError, decode_in_child
from viewer.imaging.pixel_layout import native_pixel_bytes
from viewer.instance_file import InstanceFile, Readable, as_instance_file, read_dicom

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
# here (0.7 ms/frame, GDCM 1.3); both decode in the isolated child. libjpeg's JPEG-LS
# (pylibjpeg) is never tried: it looped for ever on a damaged 488-byte stream (the long
# fuzz run, decode seed 4 case 3488), in this process, where nothing can stop it.
JPEG_LS_PREFERENCE = ("pyjpegls", "gdcm")
_NEVER_BY_SYNTAX = {JPEGLSLossless: ("pylibjpeg",), JPEGLSNearLossless: ("pylibjpeg",)}
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
    with bad_data(str(path)):
        try:
            ds = read_dicom(bounded(path), force=True)
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
        _check_not_cut(ds, f"{path}: ")
        return ds


def bounded(path: Readable) -> InstanceFile:
    """``path`` as a range of bytes with a known end, so that every read stops there.

    pydicom reads a value by asking for its length: a bogus 32-bit length in a plain
    file (read through Python's file object) allocates 4 GiB first; the reader of a
    range never asks for more than is left (:func:`viewer.instance_file.open_instance`).
    """
    item = as_instance_file(path)
    if item.is_range or item.key is not None:  # a sealed one is read through a range reader
        return item
    try:
        size = Path(item.path).stat().st_size
    except OSError as err:
        raise InvalidDataError(f"{path}: cannot be read ({err.strerror or err})") from err
    return InstanceFile(item.path, 0, size)


def _check_not_cut(ds: Dataset, label: str) -> None:
    """Pixel data whose length runs past the end of the instance (the file was cut, or
    the length is bogus): said so here, in numbers, rather than by a codec later."""
    for keyword in PIXEL_DATA_TAGS:
        if keyword not in ds:
            continue
        element: object = ds.get_item(keyword)  # still raw: as read, not yet converted
        if not isinstance(element, RawDataElement) or element.length == part10.UNDEFINED_LENGTH:
            continue
        got = len(element.value) if element.value is not None else element.length
        if got < element.length:
            raise InvalidDataError(
                f"{label}damaged pixel data ({transfer_syntax(ds).name}): "
                f"cut short ({got} of {element.length} bytes)"
            )


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
    never = _NEVER_BY_SYNTAX.get(syntax, ())
    known = [name for name in preference if name in available]
    rest = [name for name in available if name not in known and name not in never]
    return (*known, *rest)


def decode(ds: Dataset, where: str = "", *, frame: int | None = None) -> DecodedPixels:
    """Every frame as an array (YBR converted to RGB once, by pydicom); only ``frame``
    (counted from 1) when it is given, still frames first.

    The plugins of :func:`plugin_order` are tried in turn, each on the whole file, until
    one decodes it. A problem with the data itself (too short, a missing Image Pixel
    element) is not retried: every plugin would meet it. Whatever fails, the caller gets
    InvalidDataError (or the UsageError of a frame that does not exist).
    """
    with bad_data(where):
        return _decode(ds, where, frame)


def _decode(ds: Dataset, where: str, frame: int | None) -> DecodedPixels:
    syntax = transfer_syntax(ds)
    label = f"{where}: " if where else ""
    _check_image_pixel_module(ds, label)
    _check_sizes(ds, syntax, label, frame)
    try:
        decoder = get_decoder(syntax)
    except NotImplementedError as err:
        raise InvalidDataError(f"{label}cannot decode {_name(syntax)}: no decoder for it") from err
    plugins = plugin_order(syntax, decoder.available_plugins)
    if syntax.is_compressed and not plugins:
        missing = "; ".join(decoder.missing_dependencies) or "no plugin"
        raise InvalidDataError(f"{label}cannot decode {_name(syntax)}: {missing}")
    failures: list[str] = []
    index = None if frame is None else frame - 1
    for plugin in plugins or ("",):
        try:
            arr, meta = _as_array(decoder, ds, plugin, index)
        except _PluginError as failed:
            failures.append(str(failed))
            continue
        except _DAMAGED as err:
            why = _FEWER_FRAMES if isinstance(err, StopIteration) else _short(err)
            raise InvalidDataError(f"{label}damaged pixel data ({syntax.name}): {why}") from err
        if failures:
            log.info("%s%s decoded by %s after: %s", label, syntax.name, plugin, failures)
        frames = _frames_first(arr, ds) if frame is None else arr[np.newaxis]
        return DecodedPixels(frames, _photometric(ds, meta))
    raise InvalidDataError(f"{label}cannot decode {_name(syntax)}: {'; '.join(failures)}")


class _PluginError(Exception):
    """One plugin could not decode (``str()``: "plugin: why"); the next may."""


def _as_array(
    decoder: Any, ds: Dataset, plugin: str, index: int | None
) -> tuple[npt.NDArray[Any], dict[str, Any]]:
    try:
        if plugin in ISOLATED_PLUGINS:
            arr, meta = decode_in_child(ds, plugin, index)
        else:
            arr, meta = decoder.as_array(ds, decoding_plugin=plugin, index=index)
        return arr, meta
    except ChildDecodeError as err:
        raise _PluginError(f"{plugin}: {_short_text(str(err), 120)}") from err
    except RuntimeError as err:  # pydicom's account of a plugin that failed
        why = f"{plugin}: {_plugin_message(err, plugin)}" if plugin else _short(err)
        raise _PluginError(why) from err
    except Exception:
        raise  # the data's problem (_DAMAGED) or one bad_data() names
    except BaseException as err:
        # A codec's panic (pylibjpeg-rle: pyo3's PanicException) is that plugin's
        # failure: pydicom lets it through, as it is no Exception. The next may decode.
        if is_stop(err) or not plugin:
            raise
        raise _PluginError(f"{plugin}: failed ({type(err).__name__})") from err


def max_decoded_bytes() -> int:
    """The most one decode may allocate: half the machine's memory (4 GiB where the OS
    does not say). Past that, a decoder would take the viewer's memory, or the OS would
    end the process, for an image that is almost surely a bogus Rows or Number of Frames."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (AttributeError, ValueError, OSError):
        return 4 << 30


def _check_sizes(ds: Dataset, syntax: UID, label: str, frame: int | None) -> None:
    """Refuse, before allocating, an image bigger than memory allows or than its pixel
    data can hold (PS3.5 8.1.1: native data is Rows × Columns × Samples × Bits Allocated
    × Frames bits; encapsulated data holds at least one 8-byte item per frame)."""
    values = {}
    for keyword, tag in (
        ("Rows", "0028,0010"),
        ("Columns", "0028,0011"),
        ("BitsAllocated", "0028,0100"),
    ):
        values[keyword] = _whole(ds.get(keyword), keyword, tag, label)
        if values[keyword] < 1:
            raise InvalidDataError(f"{label}{keyword} ({tag}) is {values[keyword]}")
    samples = _whole(ds.get("SamplesPerPixel", 1) or 1, "SamplesPerPixel", "0028,0002", label)
    frames = int(str(ds.get("NumberOfFrames", 1) or 1))
    if samples < 1 or frames < 1:
        raise InvalidDataError(f"{label}{samples} samples per pixel, {frames} frames: no image")
    pixels = values["Rows"] * values["Columns"] * samples
    decoded = pixels * max(8, values["BitsAllocated"]) // 8 * (frames if frame is None else 1)
    if decoded > max_decoded_bytes():
        raise InvalidDataError(
            f"{label}image too large to decode: {values['Rows']}×{values['Columns']}, "
            f"{frames} frame(s), {decoded / (1 << 30):.1f} GiB"
        )
    data = next((ds[k].value for k in PIXEL_DATA_TAGS if k in ds), None)
    size = len(data) if isinstance(data, bytes | bytearray) else None
    if size is None:
        return
    if syntax.is_encapsulated:
        if frames > size // 8:
            raise InvalidDataError(
                f"{label}Number of Frames (0028,0008) is {frames}: "
                f"more than {size} bytes of pixel data can hold"
            )
        return
    photometric = str(ds.get("PhotometricInterpretation", ""))
    needed = native_pixel_bytes(
        values["Rows"], values["Columns"], samples, values["BitsAllocated"], frames, photometric
    )
    if size < needed:
        raise InvalidDataError(
            f"{label}damaged pixel data ({syntax.name}): "
            f"shorter than its image ({size} of {needed} bytes)"
        )


def _whole(value: Any, keyword: str, tag: str, label: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        raise InvalidDataError(f"{label}{keyword} ({tag}) is not a whole number") from None


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
