"""Decoder plugins in the viewer's order: pylibjpeg / pyjpegls first, GDCM when they fail.

pydicom 3 on its own tries GDCM first whenever python-gdcm is installed. Issue 5 asks for
pylibjpeg (and pyjpegls) with GDCM as the fallback, Pillow only where nothing else
decodes. A failing plugin is simulated by replacing its decode function in pydicom's
decoder for the transfer syntax (GDCM, which decodes in a child process, by replacing
the call that hands it the image); images are made here and compressed with pydicom's
encoders, so every lossless fallback must give the very stored values that went in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.pixels import get_decoder, get_encoder
from pydicom.pixels.decoders.base import Decoder
from pydicom.uid import (
    JPEG2000,
    UID,
    CTImageStorage,
    ExplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEGBaseline8Bit,
    JPEGLosslessSV1,
    JPEGLSLossless,
    JPEGLSNearLossless,
    RLELossless,
    generate_uid,
)

import viewer.imaging.decode as decode_module
from viewer.cli import run
from viewer.errors import InvalidDataError
from viewer.imaging.decode import decode, plugin_order
from viewer.imaging.isolated import ISOLATED_PLUGINS, ChildDecodeError

ALL = ("gdcm", "pillow", "pydicom", "pyjpegls", "pylibjpeg")


class TestOrder:
    """The order for each transfer syntax, whatever pydicom lists first."""

    def test_jpeg_tries_pylibjpeg_then_gdcm_then_pillow(self) -> None:
        for syntax in (JPEGBaseline8Bit, JPEGLosslessSV1, JPEG2000Lossless, JPEG2000):
            assert plugin_order(syntax, ("gdcm", "pylibjpeg", "pillow")) == (
                "pylibjpeg",
                "gdcm",
                "pillow",
            )

    def test_jpeg_ls_tries_pyjpegls_then_gdcm_never_libjpeg(self) -> None:
        # libjpeg's JPEG-LS looped for ever on a damaged stream, in process (fuzz 4/3488).
        for syntax in (JPEGLSLossless, JPEGLSNearLossless):
            assert plugin_order(syntax, ("gdcm", "pylibjpeg", "pyjpegls")) == ("pyjpegls", "gdcm")

    def test_rle_tries_pylibjpeg_then_pydicoms_own(self) -> None:
        assert plugin_order(RLELossless, ("pylibjpeg", "pydicom")) == ("pylibjpeg", "pydicom")

    def test_only_installed_plugins_are_tried(self) -> None:
        assert plugin_order(JPEG2000Lossless, ("gdcm",)) == ("gdcm",)

    def test_a_plugin_the_viewer_does_not_know_comes_last(self) -> None:
        assert plugin_order(JPEGBaseline8Bit, ("site", "gdcm", "pylibjpeg")) == (
            "pylibjpeg",
            "gdcm",
            "site",
        )

    def test_native_syntaxes_need_no_plugin(self) -> None:
        assert plugin_order(ExplicitVRLittleEndian) == ()

    def test_the_installed_order_never_puts_gdcm_first_when_another_decodes(self) -> None:
        for syntax in (JPEGBaseline8Bit, JPEGLosslessSV1, JPEGLSLossless, JPEG2000Lossless):
            installed = get_decoder(syntax).available_plugins
            order = plugin_order(syntax)
            never = {"pylibjpeg"} if syntax == JPEGLSLossless else set()  # see JPEG_LS_PREFERENCE
            assert set(order) == set(installed) - never
            if len(order) > 1:
                assert order[0] != "gdcm" and order[-1] in ("gdcm", "pillow")


# -- images made here, compressed by pydicom ------------------------------------------------


def stored_image() -> np.ndarray:
    rng = np.random.default_rng(5)
    image = rng.integers(0, 4096, size=(2, 64, 80), dtype=np.uint16)  # two frames, 12 bits
    image[:, :4, :4] = [0, 4095, 2048, 1]  # the extremes as well
    return image


def compressed(syntax: UID, encoder: str) -> Dataset:
    """A 12-bit two-frame image in ``syntax``, coded by pydicom's ``encoder`` plugin."""
    if encoder not in get_encoder(syntax).available_plugins:
        pytest.skip(f"pydicom cannot encode {syntax.name} here (no {encoder})")
    image = stored_image()
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = generate_uid()
    ds.Rows, ds.Columns, ds.NumberOfFrames = 64, 80, 2
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.PixelData = image.tobytes()
    ds.compress(syntax, image, encoding_plugin=encoder)
    return ds


def need(syntax: UID, *plugins: str) -> None:
    missing = [p for p in plugins if p not in get_decoder(syntax).available_plugins]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed for {syntax.name}")


def broken(name: str) -> Callable[[bytes, Any], bytes]:
    def decode_frame(src: bytes, runner: Any) -> bytes:
        raise RuntimeError(f"{name} was made to fail by the test")

    return decode_frame


class Children:
    """The plugins that decode in a child process: which were asked, which must fail."""

    def __init__(self) -> None:
        self.failing: set[str] = set()
        self.tried: list[str] | None = None


CHILDREN = Children()


@pytest.fixture(autouse=True)
def children(monkeypatch: pytest.MonkeyPatch) -> Children:
    global CHILDREN
    CHILDREN = state = Children()
    real = decode_module.decode_in_child

    def in_child(ds: Dataset, plugin: str, index: int | None) -> Any:
        if state.tried is not None:
            state.tried.append(plugin)
        if plugin in state.failing:
            raise ChildDecodeError(f"{plugin} was made to fail by the test")
        return real(ds, plugin, index)

    monkeypatch.setattr(decode_module, "decode_in_child", in_child)
    return state


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch, children: Children) -> list[str]:
    """The plugin of every decoding pydicom (or the child process) is asked for, in order."""
    tried: list[str] = []
    children.tried = tried
    original = Decoder.as_array

    def spy(self: Decoder, src: Any, **kwargs: Any) -> Any:
        tried.append(kwargs.get("decoding_plugin", ""))
        return original(self, src, **kwargs)

    monkeypatch.setattr(Decoder, "as_array", spy)
    return tried


def fail(monkeypatch: pytest.MonkeyPatch, syntax: UID, *plugins: str) -> None:
    table = get_decoder(syntax)._available  # pydicom's {plugin: decode function}
    for plugin in plugins:
        if plugin in ISOLATED_PLUGINS:
            CHILDREN.failing.add(plugin)
        elif plugin in table:
            monkeypatch.setitem(table, plugin, broken(plugin))


class TestPreferred:
    def test_jpeg_2000_is_decoded_by_pylibjpeg_although_gdcm_is_there(
        self, attempts: list[str]
    ) -> None:
        need(JPEG2000Lossless, "pylibjpeg", "gdcm")
        ds = compressed(JPEG2000Lossless, "pylibjpeg")
        assert np.array_equal(decode(ds).frames, stored_image())
        assert attempts == ["pylibjpeg"]

    def test_jpeg_ls_is_decoded_by_pyjpegls(self, attempts: list[str]) -> None:
        need(JPEGLSLossless, "pyjpegls")
        ds = compressed(JPEGLSLossless, "pyjpegls")
        assert np.array_equal(decode(ds).frames, stored_image())
        assert attempts == ["pyjpegls"]


class TestFallback:
    """A plugin that fails hands the whole file to the next one; values stay exact."""

    def test_jpeg_2000_falls_back_to_gdcm_when_pylibjpeg_fails(
        self, monkeypatch: pytest.MonkeyPatch, attempts: list[str]
    ) -> None:
        need(JPEG2000Lossless, "pylibjpeg", "gdcm")
        ds = compressed(JPEG2000Lossless, "pylibjpeg")
        fail(monkeypatch, JPEG2000Lossless, "pylibjpeg")
        assert np.array_equal(decode(ds).frames, stored_image())
        assert attempts == ["pylibjpeg", "gdcm"]

    def test_jpeg_ls_falls_back_past_pyjpegls_to_gdcm_never_to_libjpeg(
        self, monkeypatch: pytest.MonkeyPatch, attempts: list[str]
    ) -> None:
        need(JPEGLSLossless, "pyjpegls", "gdcm")
        ds = compressed(JPEGLSLossless, "pyjpegls")
        fail(monkeypatch, JPEGLSLossless, "pyjpegls")
        assert np.array_equal(decode(ds).frames, stored_image())
        assert attempts == ["pyjpegls", "gdcm"]

    def test_rle_falls_back_to_pydicoms_own_decoder(
        self, monkeypatch: pytest.MonkeyPatch, attempts: list[str]
    ) -> None:
        need(RLELossless, "pylibjpeg", "pydicom")
        ds = compressed(RLELossless, "pydicom")
        fail(monkeypatch, RLELossless, "pylibjpeg")
        assert np.array_equal(decode(ds).frames, stored_image())
        assert attempts == ["pylibjpeg", "pydicom"]

    def test_a_failed_plugin_is_logged_below_warning(
        self, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
    ) -> None:
        need(JPEG2000Lossless, "pylibjpeg", "gdcm")
        ds = compressed(JPEG2000Lossless, "pylibjpeg")
        fail(monkeypatch, JPEG2000Lossless, "pylibjpeg")
        with caplog.at_level(logging.DEBUG):
            decode(ds)
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert any("made to fail" in r.getMessage() for r in caplog.records)


class TestEveryPluginFails:
    def test_the_error_names_the_transfer_syntax_and_each_plugins_reason(
        self, monkeypatch: pytest.MonkeyPatch, attempts: list[str]
    ) -> None:
        need(JPEG2000Lossless, "pylibjpeg")
        ds = compressed(JPEG2000Lossless, "pylibjpeg")
        plugins = get_decoder(JPEG2000Lossless).available_plugins
        fail(monkeypatch, JPEG2000Lossless, *plugins)
        with pytest.raises(InvalidDataError) as caught:
            decode(ds, "scan.dcm")
        message = str(caught.value)
        assert message.startswith("scan.dcm: cannot decode ")
        assert JPEG2000Lossless.name in message and str(JPEG2000Lossless) in message
        assert all(f"{p}: {p} was made to fail" in message for p in plugins)
        assert "\n" not in message
        assert attempts == list(plugin_order(JPEG2000Lossless))

    def test_export_exits_6_in_one_line(
        self,
        monkeypatch: pytest.MonkeyPatch,
        tmp_path: Any,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        need(JPEG2000Lossless, "pylibjpeg")
        path = tmp_path / "j2k.dcm"
        compressed(JPEG2000Lossless, "pylibjpeg").save_as(path, enforce_file_format=True)
        fail(monkeypatch, JPEG2000Lossless, *get_decoder(JPEG2000Lossless).available_plugins)
        code = run(["export", "--file", str(path), "--out", str(tmp_path / "x.png")])
        err = capsys.readouterr().err
        assert code == 6
        assert err.count("\n") == 1 and str(JPEG2000Lossless) in err and "Traceback" not in err

    def test_damaged_data_is_not_handed_from_plugin_to_plugin(self, attempts: list[str]) -> None:
        """Pixel Data too short for its frames fails the same way in every plugin."""
        need(RLELossless, "pylibjpeg")
        ds = compressed(RLELossless, "pydicom")
        ds.NumberOfFrames = 3  # two frames are encoded
        with pytest.raises(InvalidDataError, match=r"RLE Lossless\): fewer frames than"):
            decode(ds)
        assert len(attempts) <= 1
