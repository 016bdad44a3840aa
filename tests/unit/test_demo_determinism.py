"""The generator is deterministic and reuses a current data set."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from viewer.demo import GENERATOR_VERSION, Manifest, ensure_demo_data
from viewer.demo.generate import write_study
from viewer.demo.patients import study_def

DEMO_DATA_DIR = Path(
    os.environ.get("QINGYING_DEMO_DATA", Path(__file__).resolve().parents[2] / ".demo" / "data")
)
# Small studies that still cover both targets, colour, SV1 (GDCM) and RLE.
SUB_CASE = ("p1-dx-2024b", "p4-cr-2023", "p1-us-2024", "p3-mr-2021")


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.dcm"))}


def test_generation_is_deterministic(demo_data: Manifest, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for key in SUB_CASE:
        entry_a = write_study(study_def(key), first)
        entry_b = write_study(study_def(key), second)
        assert entry_a == entry_b == demo_data.study(key)
    a, b = _tree(first), _tree(second)
    assert a == b
    assert len(a) == sum(
        demo_data.study(k).instance_count * len(demo_data.study(k).targets) for k in SUB_CASE
    )
    # ... and byte-identical with the full data set generated earlier.
    for relative, data in a.items():
        assert (DEMO_DATA_DIR / relative).read_bytes() == data


def test_ensure_demo_data_reuses_current_data(demo_data: Manifest) -> None:
    assert demo_data.generator_version == GENERATOR_VERSION
    started = time.monotonic()
    again = ensure_demo_data(DEMO_DATA_DIR)
    assert time.monotonic() - started < 5
    assert again == demo_data


def test_manifest_round_trips_through_json(demo_data: Manifest, tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    demo_data.save(path)
    assert Manifest.load(path) == demo_data
    assert "王^小东" in path.read_text(encoding="utf-8")


def test_stale_data_set_is_replaced(
    demo_data: Manifest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import viewer.demo.generate as gen

    out = tmp_path / "data"
    out.mkdir()
    (out / "manifest.json").write_text('{"generator_version": "0"}', encoding="utf-8")
    (out / "leftover.txt").write_text("old", encoding="utf-8")
    calls: list[Path] = []

    def fake_generate(folder: Path) -> Manifest:
        calls.append(folder)
        (folder / "manifest.json").write_text("{}", encoding="utf-8")
        return demo_data

    monkeypatch.setattr(gen, "generate", fake_generate)
    result = ensure_demo_data(out)
    assert calls and calls[0] != out and calls[0].parent == out.parent
    assert result.generator_version == GENERATOR_VERSION
    assert not (out / "leftover.txt").exists()
    assert (out / "manifest.json").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # no temp folders left behind
