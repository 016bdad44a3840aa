"""Bad image data from any source ends in InvalidDataError, never in a dead process.

Issue 12, findings 1 and 4. The damaged files are made here: a small baseline JPEG
(Pillow) whose JFIF revision and sample precision are then overwritten, so that
pylibjpeg and Pillow refuse it and GDCM aborts the process calling it; an RLE image whose
first run overflows its segment, which makes pylibjpeg-rle panic (pyo3's PanicException,
a BaseException); headers with lengths and sizes that promise gigabytes. What could kill
the process runs in a child Python, so a regression fails the test instead of the run.
"""

from __future__ import annotations

import io
import signal
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate, generate_frames
from pydicom.pixels import get_decoder
from pydicom.uid import (
    CTImageStorage,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRLittleEndian,
    JPEGBaseline8Bit,
    RLELossless,
    SecondaryCaptureImageStorage,
    generate_uid,
)

from viewer.cli import run
from viewer.errors import InvalidDataError
from viewer.imaging.decode import decode, read_dataset

ROOT = Path(__file__).resolve().parents[2]


def _dataset(syntax: str, sop_class: str) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = syntax
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = generate_uid()
    ds.Modality = "OT"
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    return ds


def jpeg_that_aborts_gdcm() -> bytes:
    """A 64×64 baseline JPEG with two header bytes overwritten: JFIF revision 2.01 (GDCM
    throws an uncaught C++ exception: SIGABRT) and a sample precision of 12 in a baseline
    frame (pylibjpeg and Pillow refuse it)."""
    image = (np.add.outer(np.arange(64), np.arange(64)) * 2).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(image).save(out, format="JPEG", quality=90)
    data = bytearray(out.getvalue())
    assert data[6:11] == b"JFIF\0"
    data[11] = 2  # JFIF major revision
    sof = data.index(b"\xff\xc0")
    data[sof + 4] = 12  # sample precision
    return bytes(data)


def corrupt_jpeg_file(path: Path) -> Path:
    """A Part 10 secondary capture holding :func:`jpeg_that_aborts_gdcm`."""
    ds = _dataset(JPEGBaseline8Bit, SecondaryCaptureImageStorage)
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.InstanceNumber = 1
    ds.Rows = ds.Columns = 64
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    ds.PixelData = encapsulate([jpeg_that_aborts_gdcm()])
    ds["PixelData"].VR = "OB"
    ds.save_as(path, enforce_file_format=True)
    return path


def run_child(code: str, *args: str, memory: int | None = None) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh Python (the project importable), optionally with its address
    space capped at ``memory`` bytes."""
    prelude = ""
    if memory is not None:
        prelude = (
            "import resource\n"
            f"resource.setrlimit(resource.RLIMIT_AS, ({memory}, resource.RLIM_INFINITY))\n"
        )
    script = prelude + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def decode_in_a_child(path: Path, memory: int | None = None) -> subprocess.CompletedProcess[str]:
    """``decode(read_dataset(path))`` in a fresh Python (capped at ``memory`` bytes): it
    prints the InvalidDataError it meets; a crash shows in its exit status."""
    return run_child(
        """
        import sys
        from viewer.errors import InvalidDataError
        from viewer.imaging.decode import decode, read_dataset
        if __name__ == "__main__":
            try:
                decode(read_dataset(sys.argv[1]), sys.argv[2])
            except InvalidDataError as err:
                print("InvalidDataError:", err)
        """,
        str(path),
        path.name,
        memory=memory,
    )


class TestACodecThatAbortsCannotTakeTheProcessDown:
    def test_the_test_jpeg_does_abort_gdcm_in_the_process_that_calls_it(
        self, tmp_path: Path
    ) -> None:
        """The control: the file is what the other tests say it is."""
        if "gdcm" not in get_decoder(JPEGBaseline8Bit).available_plugins:
            pytest.skip("python-gdcm is not installed")
        path = corrupt_jpeg_file(tmp_path / "bad.dcm")
        child = run_child(
            """
            import sys
            from pydicom import dcmread
            ds = dcmread(sys.argv[1])
            ds.pixel_array_options(decoding_plugin="gdcm")
            ds.pixel_array
            """,
            str(path),
        )
        assert child.returncode == -signal.SIGABRT, child.stderr[-300:]

    def test_decoding_a_jpeg_that_aborts_gdcm_raises_invalid_data_and_the_process_lives(
        self, tmp_path: Path
    ) -> None:
        path = corrupt_jpeg_file(tmp_path / "bad.dcm")
        child = decode_in_a_child(path)
        assert child.returncode == 0, child.stderr[-500:]
        assert child.stdout.startswith("InvalidDataError: bad.dcm: cannot decode JPEG Baseline")
        assert "pylibjpeg: " in child.stdout and "gdcm: gdcm crashed (signal SIGABRT)" in (
            child.stdout
        )

    def test_export_of_a_jpeg_that_aborts_gdcm_exits_6_in_one_line(self, tmp_path: Path) -> None:
        path = corrupt_jpeg_file(tmp_path / "bad.dcm")
        child = subprocess.run(
            [sys.executable, "main.py", "export", "--file", str(path), "--out", "x.png"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert child.returncode == 6, child.stderr[-500:]
        assert child.stderr.count("\n") == 1 and "Traceback" not in child.stderr
        assert child.stderr.startswith(f"qingying: {path}: cannot decode JPEG Baseline")


def rle_that_panics() -> Dataset:
    """A 16×16 16-bit RLE image whose first run asks to repeat a byte 128 times past its
    segment's end: pylibjpeg-rle panics (index out of bounds); pydicom's own RLE
    decoder stops at the segment's end."""
    ds = _dataset(ExplicitVRLittleEndian, CTImageStorage)
    ds.Rows = ds.Columns = 16
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    image = np.arange(256, dtype=np.uint16).reshape(16, 16) * 7
    ds.PixelData = image.tobytes()
    ds.compress(RLELossless, image, encoding_plugin="pydicom")
    frame = bytearray(next(generate_frames(ds.PixelData, number_of_frames=1)))
    frame[struct.unpack_from("<I", frame, 4)[0]] = 0x81  # first segment: repeat 128 times
    ds.PixelData = encapsulate([bytes(frame)])
    return ds


class TestACodecPanicIsThatPluginsFailure:
    def test_an_rle_panic_hands_the_image_to_the_next_plugin(self) -> None:
        if "pylibjpeg" not in get_decoder(RLELossless).available_plugins:
            pytest.skip("pylibjpeg-rle is not installed")
        decoded = decode(rle_that_panics(), "rle.dcm")
        assert decoded.frames.shape == (1, 16, 16)

    def test_when_no_plugin_decodes_a_panic_is_named_in_invalid_data(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        available = get_decoder(RLELossless)._available
        if "pylibjpeg" not in available:
            pytest.skip("pylibjpeg-rle is not installed")

        def refuse(src: bytes, runner: Any) -> bytes:
            raise RuntimeError("made to fail by the test")

        monkeypatch.setitem(available, "pydicom", refuse)
        with pytest.raises(InvalidDataError) as caught:
            decode(rle_that_panics(), "rle.dcm")
        assert "pylibjpeg: failed (PanicException)" in str(caught.value)


class TestWhatPydicomRaisesIsInvalidData:
    def test_a_damaged_deflate_stream_is_invalid_data(self, tmp_path: Path) -> None:
        ds = _dataset(DeflatedExplicitVRLittleEndian, CTImageStorage)
        ds.Rows = ds.Columns = 4
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
        ds.PixelData = bytes(16)
        path = tmp_path / "deflated.dcm"
        ds.save_as(path, enforce_file_format=True)
        raw = bytearray(path.read_bytes())
        meta_length = struct.unpack_from("<I", raw, 132 + 8)[0]  # (0002,0000) UL
        start = 132 + 12 + meta_length  # the deflated data set
        raw[start:] = b"\xff" * (len(raw) - start)  # block type 3: no deflate stream
        path.write_bytes(bytes(raw))
        with pytest.raises(zlib.error):  # the control: what pydicom raises
            __import__("pydicom").dcmread(path)
        with pytest.raises(InvalidDataError, match=r"deflated\.dcm: "):
            read_dataset(path)

    def test_a_rows_value_of_three_bytes_is_invalid_data(self, tmp_path: Path) -> None:
        ds = _dataset(ExplicitVRLittleEndian, CTImageStorage)
        ds.Rows = ds.Columns = 4
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
        ds.PixelData = bytes(16)
        path = tmp_path / "rows.dcm"
        ds.save_as(path, enforce_file_format=True)
        raw = path.read_bytes()
        rows = raw.index(b"\x28\x00\x10\x00US\x02\x00")
        # Rows with a length of 3: pydicom raises BytesLengthException when it reads it.
        patched = raw[:rows] + b"\x28\x00\x10\x00US\x03\x00\x04\x00\x00" + raw[rows + 10 :]
        path.write_bytes(patched)
        with pytest.raises(InvalidDataError, match=r"rows\.dcm: "):
            decode(read_dataset(path), str(path))

    def test_memory_error_is_invalid_data(self, tmp_path: Path) -> None:
        """An image within the size check (half the machine's memory) that this process
        cannot allocate: pydicom's output buffer fails with MemoryError."""
        ds = rle_that_panics()
        ds.Rows = ds.Columns = 20000
        ds.NumberOfFrames = 2  # 1.6 GB of 16-bit values
        ds.PixelData = encapsulate([ds.PixelData[8:][:200]] * 2)
        path = tmp_path / "big.dcm"
        ds.save_as(path, enforce_file_format=True)
        child = decode_in_a_child(path, memory=1 << 30)
        assert child.returncode == 0, child.stderr[-500:]
        assert (
            child.stdout == "InvalidDataError: big.dcm: image too large to decode (out of memory)\n"
        )

    def test_keyboard_interrupt_is_never_taken_for_bad_data(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def interrupted(src: bytes, runner: Any) -> bytes:
            raise KeyboardInterrupt

        decoder = get_decoder(RLELossless)
        for plugin in list(decoder._available):
            monkeypatch.setitem(decoder._available, plugin, interrupted)
        with pytest.raises(KeyboardInterrupt):
            decode(rle_that_panics(), "rle.dcm")


class TestAbsurdSizesAreRefusedBeforeAllocating:
    def test_a_pixel_data_length_of_4_gib_is_refused_without_allocating_it(
        self, tmp_path: Path
    ) -> None:
        ds = _dataset(ExplicitVRLittleEndian, CTImageStorage)
        ds.Rows = ds.Columns = 8
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
        ds.PixelData = bytes(128)
        path = tmp_path / "length.dcm"
        ds.save_as(path, enforce_file_format=True)
        raw = bytearray(path.read_bytes())
        at = raw.rindex(b"\xe0\x7f\x10\x00OW\x00\x00")
        raw[at + 8 : at + 12] = struct.pack("<I", 0xFFFFFFF0)
        path.write_bytes(bytes(raw))
        child = decode_in_a_child(path, memory=1 << 30)
        assert child.returncode == 0, child.stderr[-500:]
        assert "cut short (128 of 4294967280 bytes)" in child.stdout

    def test_rows_and_frames_that_promise_terabytes_are_refused(self) -> None:
        ds = rle_that_panics()
        ds.Rows = ds.Columns = 65535
        ds.NumberOfFrames = 2_000_000
        with pytest.raises(InvalidDataError, match="image too large to decode: 65535×65535"):
            decode(ds, "huge.dcm")

    def test_more_frames_than_encapsulated_data_can_hold_are_refused(self) -> None:
        ds = rle_that_panics()
        ds.NumberOfFrames = 10_000
        with pytest.raises(InvalidDataError, match=r"Number of Frames \(0028,0008\) is 10000"):
            decode(ds, "frames.dcm")

    def test_native_pixel_data_shorter_than_its_image_is_refused(self) -> None:
        ds = _dataset(ExplicitVRLittleEndian, CTImageStorage)
        ds.Rows, ds.Columns = 60000, 60000
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
        ds.PixelData = bytes(16)
        with pytest.raises(InvalidDataError, match=r"shorter than its image \(16 of"):
            decode(ds, "short.dcm")


def test_a_panic_no_boundary_mapped_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    class Panic(BaseException):
        """Like pyo3_runtime.PanicException: no Exception."""

    def panics(args: Any, config: Any) -> int:
        raise Panic("internal detail")

    from viewer.cli import export_cmd

    monkeypatch.setattr(export_cmd, "run", panics)
    code = run(["export", "--file", "x.dcm", "--out", str(tmp_path / "x.png")])
    err = capsys.readouterr().err
    assert code == 1
    assert err == "qingying: unexpected error (Panic); run with --debug for details\n"
