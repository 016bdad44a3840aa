"""Keys 1–9, the auto-window and the inversion, as the open series (the core) holds them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.dataset import Dataset

from tests.unit.test_render_slice_scene import open_series, ramp, write_series
from viewer.imaging.display import grayscale_chain, to_display
from viewer.imaging.voi_lut import VOILUT, Window
from viewer.session.presets import AUTO, CT_KEYS, FILE_PRESET, auto_window, key_presets
from viewer.session.reading import OpenSeries


@pytest.fixture
def ct(tmp_path: Path) -> OpenSeries:
    return open_series(write_series(tmp_path / "ct", ramp()))


def mr_with_two_windows_and_a_lut(tmp_path: Path) -> OpenSeries:
    folder = write_series(tmp_path / "mr", ramp())
    for path in folder.glob("*.dcm"):
        ds = pydicom.dcmread(path)
        ds.Modality = "MR"
        del ds.RescaleSlope, ds.RescaleIntercept
        ds.WindowCenter, ds.WindowWidth = [900, 1000], [300, 800]
        ds.WindowCenterWidthExplanation = ["T2 narrow", "T2 wide"]
        item = Dataset()
        item.LUTDescriptor = [256, 700, 8]
        item.add_new(0x00283006, "US", list(range(256)))  # LUT Data, 8-bit entries
        item.LUTExplanation = "vendor curve"
        ds.VOILUTSequence = [item]
        ds.save_as(path, enforce_file_format=True)
    return open_series(folder)


def test_ct_keys_1_to_8_are_the_clinical_presets_brain_to_bone(ct: OpenSeries) -> None:
    names = [p.name for p in ct.presets]
    assert names == list(CT_KEYS)
    assert names[:4] == ["ct-brain", "ct-subdural", "ct-stroke", "ct-lung"]
    assert names[4:] == ["ct-mediastinum", "ct-abdomen", "ct-liver", "ct-bone"]
    windows = {p.name: (p.voi.width, p.voi.center) for p in ct.presets}
    assert windows["ct-brain"] == (80, 40) and windows["ct-lung"] == (1500, -600)
    assert windows["ct-bone"] == (1800, 400) and windows["ct-liver"] == (150, 30)
    assert ct.choose_preset(3) and ct.window == Window(-600, 1500, explanation="ct-lung")
    assert ct.preset is not None and ct.preset.name == "ct-lung"
    assert not ct.choose_preset(8)  # key 9 holds nothing for CT
    assert ct.preset.name == "ct-lung"


def test_other_modalities_keys_pick_the_files_own_windows_then_voi_luts_in_order(
    tmp_path: Path,
) -> None:
    mr = mr_with_two_windows_and_a_lut(tmp_path)
    assert [(p.name, p.number, p.explanation) for p in mr.presets] == [
        (FILE_PRESET, 1, "T2 narrow"),
        (FILE_PRESET, 2, "T2 wide"),
        (FILE_PRESET, 3, "vendor curve"),
    ]
    assert mr.choose_preset(1) and mr.window is not None and mr.window.center == 1000
    assert mr.choose_preset(2) and isinstance(mr.chain.voi, VOILUT) and mr.window is None
    assert not mr.choose_preset(3)
    # No Hounsfield preset for a modality without Hounsfield units.
    assert all(p.name == FILE_PRESET for p in mr.presets)
    assert key_presets(Dataset()) == ()  # nothing in the file, nothing on the keys


def test_a_preset_is_an_event_and_a_drag_or_reset_forgets_its_name(ct: OpenSeries) -> None:
    seen: list[object] = []
    ct.window_changed.connect(seen.append)
    ct.choose_preset(0)
    assert seen == [ct.presets[0].voi]
    ct.set_window(50, 90)
    assert ct.preset is None and len(seen) == 2
    ct.choose_preset(0)
    ct.reset_window()
    assert ct.preset is None and ct.window == Window(40, 400)


def test_invert_is_the_chains_presentation_step_and_an_event(ct: OpenSeries) -> None:
    seen: list[bool] = []
    ct.inverted_changed.connect(seen.append)
    plain = ct.display_slice()
    ct.invert()
    assert ct.chain.inverted and ct.inverted and seen == [True]
    # What export writes for the same chain: the core's to_display, not a widget's 255 - x.
    assert np.array_equal(ct.display_slice(), to_display(ct.volume.voxels[0], ct.chain))
    assert np.array_equal(ct.display_slice().astype(int), 255 - plain.astype(int))
    ct.choose_preset(0)
    ct.reset_window()
    assert ct.inverted  # a window change leaves the inversion as the reader set it
    ct.invert()
    assert not ct.inverted and seen == [True, False]


def test_the_auto_window_spans_the_1st_to_99th_percentile_of_the_slice_shown(
    ct: OpenSeries,
) -> None:
    ct.set_slice(2)
    ct.auto_window()
    hu = ct.volume.voxels[2].astype(float) - 1024
    low, high = np.percentile(hu, [1, 99])
    window = ct.window
    assert window is not None and ct.preset is not None and ct.preset.name == AUTO
    assert window.center == pytest.approx((low + high + 1) / 2)
    assert window.width == pytest.approx(high - low + 1)
    shown = ct.display_slice()
    assert (shown == 0).mean() <= 0.02 and (shown == 255).mean() <= 0.02
    assert auto_window(np.array([])) is None


def test_the_auto_window_leaves_the_pixel_padding_out(tmp_path: Path) -> None:
    pixels = ramp()
    pixels[:, :, :8] = -2000  # a quarter of every slice is padding outside the patient
    folder = write_series(tmp_path / "padded", pixels)
    for path in folder.glob("*.dcm"):
        ds = pydicom.dcmread(path)
        ds.add_new(0x00280120, "SS", -2000)  # Pixel Padding Value, signed as the pixels
        ds.save_as(path, enforce_file_format=True)
    series = open_series(folder)
    series.auto_window()
    assert series.window is not None
    tissue = pixels[0][:, 8:].astype(float) - 1024
    assert series.window.center == pytest.approx(
        (np.percentile(tissue, 1) + np.percentile(tissue, 99) + 1) / 2
    )
    assert grayscale_chain(series.volume.headers[0]).voi != series.window


def test_the_auto_window_leaves_the_air_around_the_body_out() -> None:
    rng = np.random.default_rng(7)
    air = rng.normal(-1000, 5, 6000)  # 60 % of the slice outside the body
    tissue = rng.normal(40, 15, 3800)
    bone = rng.normal(700, 50, 200)
    window = auto_window(np.concatenate([air, tissue, bone]))
    assert window is not None
    low, high = window.center - window.width / 2, window.center + window.width / 2
    assert -100 < low < 20 and high > 600  # soft tissue to bone, not air to bone
    body_only = auto_window(np.concatenate([tissue, bone]))
    assert body_only is not None and abs(body_only.center - window.center) < 30
    # An image that is mostly dark tissue, not background: nothing is left out.
    even = np.concatenate([rng.normal(100, 10, 9900), rng.normal(300, 10, 100)])
    both = auto_window(even)
    assert both is not None and both.center - both.width / 2 < 90


def test_a_whole_series_table_covers_the_values_it_holds_and_shows_what_export_shows(
    ct: OpenSeries,
) -> None:
    from viewer.imaging.display import display_lut_for_bits, to_display

    table = ct.display_table()
    assert table is not None
    voxels = ct.volume.voxels
    assert (table.first_stored, table.last_stored) == (int(voxels.min()), int(voxels.max()))
    full = display_lut_for_bits(ct.chain, 16, True)
    for k in range(ct.slice_count):  # the narrow table draws what the full one and export do
        shown = ct.display_slice(k)
        assert np.array_equal(shown, to_display(voxels[k], ct.chain))
        assert np.array_equal(shown, full.table[voxels[k].astype(np.int64) - full.first_stored])


def test_a_series_still_arriving_keeps_the_table_over_every_stored_value(ct: OpenSeries) -> None:
    ct.volume.ready = np.ones(ct.slice_count, dtype=bool)
    ct.volume.ready[1] = False  # a slice yet to come may hold any value
    table = ct.display_table()
    assert table is not None and table.table.size == 1 << 16
