"""A fetch imports neither pydicom nor numpy unless an instance truly needs pydicom.

``python main.py fetch`` used to import pydicom (about 0.25 s here) and numpy before it
sent its first request, through the cache's header reader, the pixel layout and the
imaging package, though the cache walks the headers of every little-endian instance
itself (:mod:`viewer.part10`). What is checked, each in a fresh interpreter:

- importing the fetcher, the cache, WADO-RS retrieval and the DICOMweb client imports
  neither;
- caching instances in the syntaxes the walk reads (explicit and implicit VR little
  endian, encapsulated: JPEG, JPEG 2000, RLE; with and without Pixel Data), a file each
  and into a pack, imports neither, and they are cached;
- an instance in a syntax the walk does not read (big endian) is still cached, read by
  pydicom, which is then imported: that is the one case that needs it;
- importing the ``fetch`` command's modules (``viewer.cli``, the sources, the keyring)
  imports none of them, nor psygnal, Qt or VTK.

How long those take is bench/bench_fetch_command.py's to say. The tables the walk uses
instead of pydicom's dictionary (:data:`viewer.part10.DICTIONARY`,
:data:`viewer.part10.TRANSFER_SYNTAXES`) are checked against pydicom's here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pydicom
from pydicom.datadict import dictionary_VR, tag_for_keyword
from pydicom.uid import UID, AllTransferSyntaxes

from viewer import part10

ROOT = Path(__file__).resolve().parents[2]
TEST_FILES = Path(pydicom.__file__).parent / "data" / "test_files"
HEAVY = ("pydicom", "numpy", "PIL", "pylibjpeg", "jpeg_ls", "gdcm", "openjpeg", "libjpeg")

# (file, what it is): every syntax family the walk reads
WALKABLE = [
    ("CT_small.dcm", "explicit VR little endian"),
    ("MR_small_implicit.dcm", "implicit VR little endian"),
    ("rtplan.dcm", "implicit VR little endian, no Pixel Data"),
    ("JPEG2000.dcm", "JPEG 2000, encapsulated"),
    ("SC_rgb_rle.dcm", "RLE, encapsulated"),
    ("SC_rgb_jpeg_dcmtk.dcm", "JPEG baseline, encapsulated"),
]


def run_python(code: str, *args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def heavy_after(setup: str, roots: tuple[str, ...] = HEAVY) -> list[str]:
    code = (
        f"import json, sys\n{setup}\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {roots!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    found: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def cache_in_child(root: Path, files: list[Path], *, pack: bool) -> dict[str, object]:
    """Cache ``files`` in a fresh interpreter (into one pack per study, or a file each);
    what was cached and which heavy modules were imported."""
    code = f"""
import json, sys
from pathlib import Path
from viewer.cache.sink import ANY_INSTANCE, Accept
from viewer.cache.store import CacheStore

root, pack, *files = sys.argv[1:]
cached = []
with CacheStore(Path(root), 1 << 30) as store:
    for name, study in (f.split("|") for f in files):
        data = Path(name).read_bytes()
        if pack == "pack":
            with store.pack_sinks(study) as sinks:
                sink = sinks.begin_instance(Accept("test", study))
                sink.write(data)
                cached.append(sink.commit().sop_uid)
        else:
            sink = store.begin_instance(ANY_INSTANCE)
            sink.write(data)
            cached.append(sink.commit().sop_uid)
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r})
print(json.dumps({{"cached": cached, "heavy": heavy}}))
"""
    args = [f"{f}|{pydicom.dcmread(f, stop_before_pixels=True).StudyInstanceUID}" for f in files]
    return run_python(code, str(root), "pack" if pack else "files", *args)


def sop_uids(files: list[Path]) -> list[str]:
    return [str(pydicom.dcmread(f, stop_before_pixels=True).SOPInstanceUID) for f in files]


def test_the_fetch_cache_and_retrieval_modules_import_neither_pydicom_nor_numpy() -> None:
    assert (
        heavy_after(
            "import viewer.retrieve.fetch, viewer.cache.store, viewer.cache.sink, "
            "viewer.dicomweb.wado, viewer.dicomweb.client, viewer.imaging.pixel_layout, "
            "viewer.part10"
        )
        == []
    )


def test_the_fetch_command_imports_no_event_library_nor_heavy_modules() -> None:
    """The command keeps the cache's budget by viewer.session.budget, which is kept apart
    from the session's downloads so that psygnal (which imports importlib.metadata,
    55-75 ms here) is not imported by a command that needs no events."""
    setup = "import viewer.cli.main, viewer.cli.fetch_cmd"
    assert heavy_after(setup, (*HEAVY, "psygnal", "PySide6", "vtkmodules")) == []


def test_the_imaging_package_brings_its_names_only_when_asked() -> None:
    assert heavy_after("import viewer.imaging") == []
    assert "numpy" in heavy_after("from viewer.imaging import to_display")


def test_caching_walkable_instances_imports_neither_pydicom_nor_numpy(tmp_path: Path) -> None:
    files = [TEST_FILES / name for name, _what in WALKABLE]
    for pack in (False, True):
        result = cache_in_child(tmp_path / f"cache-{pack}", files, pack=pack)
        assert result["cached"] == sop_uids(files)
        assert result["heavy"] == [], f"pack={pack}"


def test_an_instance_the_walk_cannot_read_is_still_cached_through_pydicom(
    tmp_path: Path,
) -> None:
    files = [TEST_FILES / "MR_small_bigendian.dcm"]
    result = cache_in_child(tmp_path / "cache", files, pack=True)
    assert result["cached"] == sop_uids(files)
    assert "pydicom" in result["heavy"]  # read by pydicom: it is imported for it


def test_the_walks_dictionary_is_pydicoms() -> None:
    for keyword, (tag, vr) in part10.DICTIONARY.items():
        assert tag_for_keyword(keyword) == tag, keyword
        assert dictionary_VR(tag) == vr, keyword
        assert part10.tag_of(keyword) == tag
        assert part10.vr_of(tag) == vr
    assert part10.tag_of("PixelData") == 0x7FE00010  # not in the table: from pydicom
    assert part10.vr_of(0x00081090) == "LO"  # ManufacturerModelName


def test_the_walks_transfer_syntaxes_are_pydicoms() -> None:
    for uid in {*AllTransferSyntaxes, *part10.TRANSFER_SYNTAXES, "1.2.3.4", "1.2.840.10008.1.1"}:
        ours, theirs = part10.transfer_syntax(uid), UID(uid)
        assert ours.uid == uid
        assert ours.known == theirs.is_transfer_syntax, uid
        if ours.known:
            assert ours.little_endian == theirs.is_little_endian, uid
            assert ours.deflated == theirs.is_deflated, uid
            assert ours.encapsulated == theirs.is_encapsulated, uid
    assert part10.transfer_syntax(" 1.2.840.10008.1.2.1 ").uid == "1.2.840.10008.1.2.1"
