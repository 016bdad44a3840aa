"""Cases of the file boundaries: header reading, the cache writer, decode and display,
and the import of a patient's CD."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path
from typing import Any

from tests.fuzz.boundaries import BrokenPromiseError, chunked, keep
from tests.fuzz.corpus import OUTSIDE_SOP_UID, STUDY_UID, Corpus
from tests.fuzz.mutate import mutate_part10, walk

_MAX_CACHE = 1 << 30


def _mutated(rng: random.Random, corpus: Corpus) -> tuple[str, bytes, bool]:
    """(seed name, bytes, mutated?): a corpus file, mutated in 95 of 100 cases."""
    name = rng.choice(sorted(corpus.part10))
    data = corpus.part10[name]
    if rng.random() < 0.05:
        return name, data, False
    others = [corpus.part10[n] for n in sorted(corpus.part10) if n != name]
    return name, mutate_part10(rng, data, others), True


def _valid_uids(header: Any, where: str) -> None:
    from viewer.uids import is_valid_uid

    for field in ("study_uid", "series_uid", "sop_uid"):
        if not is_valid_uid(getattr(header, field)):
            raise BrokenPromiseError(
                f"{where} returned an invalid {field}: {getattr(header, field)!r}"
            )


# Fields that decide whose instance it is: both readers must agree on them.
_IDENTITY = ("study_uid", "series_uid", "sop_uid", "patient_id", "issuer", "patient_name")


def header(rng: random.Random, corpus: Corpus, work: Path) -> None:
    from viewer.cache.header import read_header, read_prefix

    _name, data, _ = _mutated(rng, corpus)
    path = work / "header.dcm"
    path.write_bytes(data)
    cut = rng.choice((132, 256, 1024, len(data) // 2, len(data)))
    partial, _layout = read_prefix(data[:cut], cut >= len(data))
    if partial is not None:
        _valid_uids(partial, "read_prefix of the first bytes")
    from_prefix, _layout = read_prefix(data, True)
    from_file = read_header(path)
    _valid_uids(from_file, "read_header")
    if from_prefix is not None:
        _valid_uids(from_prefix, "read_prefix")
        for field in _IDENTITY:
            a, b = getattr(from_prefix, field), getattr(from_file, field)
            if a != b:
                raise BrokenPromiseError(
                    f"read_prefix and read_header disagree on {field}: {a!r} != {b!r}"
                )


def _cache_files(root: Path) -> list[Path]:
    """Files in study folders (not the index, temp files or quarantine)."""
    return [
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.parts[len(root.parts)] not in (".tmp", ".quarantine")
        and not p.name.startswith("index.sqlite3")
    ]


def cache_writer(rng: random.Random, corpus: Corpus, work: Path) -> None:
    from viewer.cache.store import CacheStore

    _name, data, mutated = _mutated(rng, corpus)
    keep(work, "instance.dcm", data)
    with CacheStore(work / "cache", _MAX_CACHE) as store:
        if rng.random() < 0.5:
            _one_instance(rng, store, data)
        else:
            _pack(rng, corpus, store, data, mutated)


def _one_instance(rng: random.Random, store: Any, data: bytes) -> None:
    from viewer.instance_file import read_instance_bytes

    try:
        with store.begin_instance() as sink:
            for chunk in chunked(rng, data):
                sink.write(chunk)
            cached = sink.commit()
    except BaseException:
        if store.studies() or _cache_files(store.root):
            raise BrokenPromiseError("a rejected instance left something in the cache") from None
        raise
    if read_instance_bytes(cached.file) != data:
        raise BrokenPromiseError("the committed instance's bytes are not the bytes written")


def _pack(rng: random.Random, corpus: Corpus, store: Any, data: bytes, mutated: bool) -> None:
    """One pack: valid instances of the study, the mutated one among them. Nothing of
    another study may land; once the bad one is refused, the valid ones must all land
    (a refused part gives its place in the pack back, and nothing else changes)."""
    valid = [corpus.part10[n] for n in rng.sample(sorted(corpus.part10), rng.randint(1, 3))]
    at = rng.randrange(len(valid) + 1)
    sequence = [
        *((v, False) for v in valid[:at]),
        (data, mutated),
        *((v, False) for v in valid[at:]),
    ]
    bad_taken = False
    with store.pack_sinks(STUDY_UID) as packs:
        for instance, is_mutated in sequence:
            try:
                _append(rng, packs, instance)
            except Exception:
                if is_mutated:
                    continue  # the bad one may be refused: go on with the rest
                if not bad_taken:
                    raise BrokenPromiseError(
                        "a valid instance was refused in a pack after a bad one"
                    ) from None
                raise  # the bad one was taken (a valid file after all): a plain outcome
            bad_taken = bad_taken or is_mutated
    studies = {s.study_uid for s in store.studies()}
    if studies - {STUDY_UID}:
        raise BrokenPromiseError(f"a pack for study {STUDY_UID} left other studies: {studies}")
    if not bad_taken:
        cached_uids = store.cached_sop_uids(STUDY_UID)
        for uid in filter(None, map(_sop_uid, valid)):
            if uid not in cached_uids:
                raise BrokenPromiseError(f"valid instance {uid} of a pack is not in the cache")


def _append(rng: random.Random, packs: Any, instance: bytes) -> None:
    from viewer.instance_file import read_instance_bytes

    with packs.begin_instance() as part:
        for chunk in chunked(rng, instance):
            part.write(chunk)
        cached = part.commit()
    if cached.study_uid != STUDY_UID:
        raise BrokenPromiseError(f"a pack for study {STUDY_UID} took one of {cached.study_uid}")
    if read_instance_bytes(cached.file) != instance:
        raise BrokenPromiseError("a packed instance's bytes are not the bytes written")


def _sop_uid(data: bytes) -> str:
    e = next((e for e in walk(data) if e.tag == 0x00080018), None)
    return data[e.value_at : e.end].rstrip(b"\x00 ").decode() if e else ""


def decode_display(rng: random.Random, corpus: Corpus, work: Path) -> None:
    from viewer.imaging.decode import decode, read_dataset
    from viewer.imaging.thumbnail import THUMBNAIL_SIZE, series_thumbnail

    _name, data, _ = _mutated(rng, corpus)
    path = work / "image.dcm"
    path.write_bytes(data)
    ds = read_dataset(path)
    decode(ds, str(path))
    image = series_thumbnail([path])
    if image.dtype.name != "uint8" or image.ndim not in (2, 3):
        raise BrokenPromiseError(f"a thumbnail of {image.dtype} {image.shape}")
    if max(image.shape[:2]) > THUMBNAIL_SIZE or min(image.shape[:2]) < 1:
        raise BrokenPromiseError(f"a thumbnail of shape {image.shape}")


def measure_image(rng: random.Random, corpus: Corpus, work: Path) -> None:
    """A mutated file measured as the ``measure`` command does: every value finite or
    absent, the calibration a positive size or uncalibrated."""
    import math

    from viewer.imaging.decode import read_dataset
    from viewer.measure.image import measured_image
    from viewer.measure.tools import POINTS, Tool, measure

    _name, data, _ = _mutated(rng, corpus)
    path = work / "image.dcm"
    path.write_bytes(data)
    image = measured_image(read_dataset(path), 1, str(path))
    tool = rng.choice([t for t in Tool if POINTS[t] is not None])
    side = max(image.shape) + 4
    count = POINTS[tool] or 2
    points = [(rng.uniform(-4, side), rng.uniform(-4, side)) for _ in range(count)]
    try:
        done = measure(image, tool, points)
    except ValueError:
        return  # points no tool can take (an angle's ray of no length): said, not raised
    cal = done.calibration
    sizes = (cal.row_mm, cal.column_mm)
    if not all(math.isfinite(v) and v > 0 for v in sizes):
        raise BrokenPromiseError(f"a calibration of {sizes}")
    values = [done.value.value if done.value else 0.0, done.probe or 0.0]
    if done.stats is not None:
        values += [done.stats.mean, done.stats.sd, done.stats.minimum, done.stats.maximum]
    if not all(math.isfinite(v) for v in values):
        raise BrokenPromiseError(f"a {tool} of {values}")


# -- a patient's CD -----------------------------------------------------------------------

_OUTSIDE_REFS = (b"..\\OUTSIDE", b"..\\..\\..\\..\\..\\..\\..\\..\\..\\dev\\zero", b"DICOMDIR")
_OUTSIDE_REFS += (b"PT000000", b"\\etc\\passwd", b"", b"A\\" * 200 + b"B")


def _refer_elsewhere(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """A directory record's ReferencedFileID (0004,1500) pointed out of the CD."""
    refs = [e for e in walk(data) if e.tag == 0x00041500]
    if not refs:
        return data, "DICOMDIR without references"
    e = rng.choice(refs)
    value = rng.choice(_OUTSIDE_REFS)
    # Padded to the old length where it fits: the records' byte offsets stay right.
    value = (
        value.ljust(e.length, b" ") if len(value) <= e.length else value + b" " * (len(value) % 2)
    )
    length = len(value).to_bytes(2, "little")
    what = f"DICOMDIR refers to {value.strip().decode()[:40]!r}"
    return data[: e.length_at] + length + value + data[e.end :], what


def _special(rng: random.Random, target: Path, outside: Path) -> str:
    """A listed file replaced by what a hostile or odd disc holds instead of a file."""
    if target.is_dir() and not target.is_symlink():
        target.rmdir()  # made a folder by an earlier damage of this case
    else:
        target.unlink()
    kind = rng.choice(("fifo", "link-out", "link-out", "dev-zero", "dangling", "folder", "empty"))
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "link-out":
        target.symlink_to(outside)
    elif kind == "dev-zero":
        target.symlink_to("/dev/zero")
    elif kind == "dangling":
        target.symlink_to(target.parent / "nowhere")
    elif kind == "folder":
        target.mkdir()
    else:
        target.write_bytes(b"")
    return kind


def dicomdir_import(rng: random.Random, corpus: Corpus, work: Path) -> None:
    from viewer.cache.store import CacheStore

    cd = work / "cd"
    shutil.copytree(corpus.cd, cd)
    outside = work / "OUTSIDE"
    shutil.copyfile(corpus.outside, outside)
    damage = [_damage(rng, corpus, cd, outside) for _ in range(rng.choice((1, 1, 2)))]
    if rng.random() < 0.1:  # an extra entry no DICOMDIR lists, pointing out of the CD
        (cd / "EXTRA").symlink_to(outside)
        damage.append("an extra link out of the CD")
    with CacheStore(work / "cache", _MAX_CACHE) as store:
        store.import_path(cd)
        for study in store.studies():
            if OUTSIDE_SOP_UID in store.cached_sop_uids(study.study_uid):
                raise BrokenPromiseError(
                    "the import took a file from outside the CD: " + "; ".join(damage)
                )


def _damage(rng: random.Random, corpus: Corpus, cd: Path, outside: Path) -> str:
    """One thing wrong with the CD: its DICOMDIR, one of its files, or what a file is;
    what it was, in words."""
    dicomdir = cd / "DICOMDIR"
    files = sorted(p for p in (cd / "PT000000").rglob("IM*"))
    others = [corpus.part10[n] for n in sorted(corpus.part10)]
    roll = rng.random()
    if roll < 0.45 and dicomdir.exists():
        data = dicomdir.read_bytes()
        if rng.random() < 0.25:
            data, what = _refer_elsewhere(rng, data)
        else:
            data, what = mutate_part10(rng, data, others), "DICOMDIR mutated"
        dicomdir.write_bytes(data)
        return what
    if roll < 0.55 and dicomdir.exists():
        dicomdir.unlink()  # no DICOMDIR: every file under the folder is tried
        return "no DICOMDIR"
    target = rng.choice(files)
    if roll < 0.85:
        if target.is_file() and not target.is_symlink():
            target.write_bytes(mutate_part10(rng, target.read_bytes(), others))
        return f"{target.name} mutated"
    if target.exists() or target.is_symlink():
        return f"{target.name} made {_special(rng, target, outside)}"
    return "nothing"
