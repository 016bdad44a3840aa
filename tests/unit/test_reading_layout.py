"""The reading layout: one series a viewport, two patients named, cells kept across grids."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.stacks import open_stack
from viewer.session.layout import GRIDS, ReadingLayout, grid_named


def test_layout_names_are_rows_by_columns_and_unknown_ones_are_refused() -> None:
    assert (grid_named("1x2").rows, grid_named("1x2").columns) == (1, 2)
    assert grid_named(" 2×2 ") == GRIDS["2x2"]
    assert [g.cells for g in GRIDS.values()] == [1, 2, 2, 4, 3, 9]
    with pytest.raises(ValueError, match="1x1, 1x2, 2x1, 2x2, 1x3, 3x3"):
        grid_named("4x4")


def test_two_patients_in_one_layout_are_told_apart_by_id_and_issuer_not_name(
    tmp_path: Path,
) -> None:
    layout = ReadingLayout(GRIDS["1x2"])
    one = open_stack(tmp_path / "a", patient=("P1", "HOSP-A"), name="王^伟")
    same = open_stack(tmp_path / "b", patient=("P1", "HOSP-A"), name="WANG^WEI")
    namesake = open_stack(tmp_path / "c", patient=("P9", "HOSP-B"), name="王^伟")
    layout.place(one, 0)
    layout.place(same, 1)
    assert len(layout.patients()) == 1
    layout.place(namesake, 1)
    assert [p.patient_id for p in layout.patients()] == ["P1", "P9"]
    layout.set_grid(GRIDS["1x1"])  # the second patient is no longer on screen
    assert len(layout.patients()) == 1


def test_a_smaller_grid_keeps_the_hidden_cells_and_the_active_one_stays_visible(
    tmp_path: Path,
) -> None:
    layout = ReadingLayout(GRIDS["2x2"])
    series = [open_stack(tmp_path / str(i)) for i in range(4)]
    for i, s in enumerate(series):
        layout.place(s, i)
    layout.activate(3)
    active: list[int] = []
    layout.active_changed.connect(active.append)
    layout.set_grid(GRIDS["1x2"])
    assert layout.active == 0 and active == [0]
    assert layout.shown == series[:2]
    layout.set_grid(GRIDS["2x2"])
    assert layout.shown == series  # back where they were
    with pytest.raises(IndexError):
        ReadingLayout(GRIDS["1x2"]).activate(2)


def test_a_series_is_released_when_no_cell_shows_it_any_more(tmp_path: Path) -> None:
    layout = ReadingLayout(GRIDS["1x2"])
    a, b = open_stack(tmp_path / "a"), open_stack(tmp_path / "b")
    released: list[object] = []
    layout.released.connect(released.append)
    layout.place(a, 0)
    layout.place(a, 1)
    layout.place(b, 0)
    assert released == []  # still in cell 1
    layout.place(b, 1)
    assert released == [a]
    layout.clear()
    assert released == [a, b] and layout.open_series() == []


def test_beside_widens_one_viewport_to_two_and_fills_the_next_empty_cell(tmp_path: Path) -> None:
    layout = ReadingLayout()
    current, prior = open_stack(tmp_path / "a"), open_stack(tmp_path / "b")
    layout.place(current)
    assert layout.place_beside(prior) == 1
    assert layout.grid == GRIDS["1x2"] and layout.shown == [current, prior]
    assert layout.active == 1


def test_mpr_shows_the_series_plane_and_two_reformats_and_ends_with_the_last_reformat(
    tmp_path: Path,
) -> None:
    from viewer.session.layout import MPR_GRID

    layout = ReadingLayout()
    series = open_stack(tmp_path / "a", count=6, size=(8, 10))
    released: list[object] = []
    layout.released.connect(released.append)
    layout.place(series)
    assert layout.show_mpr(series)
    assert layout.grid == MPR_GRID and layout.shown == [series] * 3
    assert layout.planes[:3] == [2, 1, 0] and released == []
    cursor = layout.cursor
    assert cursor is not None and cursor.counts == (10, 8, 6)
    assert (cursor.position(0), cursor.position(1)) == (5, 4)  # the middle
    moved: list[int] = []
    cursor.moved.connect(moved.append)
    series.set_slice(3)  # scrolling the stack's plane moves the point
    cursor.set_point(99, -4, 1.4)  # kept within the volume
    assert moved == [2, 0, 1, 2] and (cursor.position(0), cursor.position(1)) == (9, 0)
    assert series.slice == 1
    layout.place(None, 1)
    assert layout.cursor is cursor  # a reformat is still shown
    layout.place(None, 2)
    assert layout.cursor is None and released == []  # the series is still in cell 0
    single = open_stack(tmp_path / "one", count=1)
    assert not layout.show_mpr(single)
    with pytest.raises(ValueError, match="MPR"):
        layout.place(single, 1, plane=0)


def test_mpr_in_a_2x2_keeps_the_fourth_viewport(tmp_path: Path) -> None:
    layout = ReadingLayout(GRIDS["2x2"])
    current, prior = open_stack(tmp_path / "a"), open_stack(tmp_path / "b")
    layout.place(prior, 3)
    layout.place(current, 0)
    assert layout.show_mpr(current)
    assert layout.grid == GRIDS["2x2"]
    assert layout.shown == [current, current, current, prior]


def test_series_without_a_patient_id_are_never_taken_for_one_patient(tmp_path: Path) -> None:
    layout = ReadingLayout(GRIDS["1x2"])
    a = open_stack(tmp_path / "a", patient=("", ""), name="Anon^A")
    b = open_stack(tmp_path / "b", patient=("", ""), name="Anon^B")
    layout.place(a, 0)
    layout.place(b, 1)
    assert len(layout.patients()) == 2  # said in red: nothing says they are one person
    layout.place(a, 1)
    assert len(layout.patients()) == 1  # the same series twice is one patient


def test_an_id_without_its_issuer_needs_the_name_and_birth_date_to_agree(tmp_path: Path) -> None:
    layout = ReadingLayout(GRIDS["1x2"])
    here = open_stack(tmp_path / "a", patient=("12345", "HOSP-A"), name="Li^Na")
    there = open_stack(tmp_path / "b", patient=("12345", ""), name="Zhang^Wei")
    layout.place(here, 0)
    layout.place(there, 1)
    assert len(layout.patients()) == 2
    same = open_stack(tmp_path / "c", patient=("12345", ""), name="Li^Na")
    layout.place(same, 1)
    assert len(layout.patients()) == 1


def test_mpr_beside_a_prior_keeps_the_prior_in_a_2x2(tmp_path: Path) -> None:
    layout = ReadingLayout()
    current, prior = open_stack(tmp_path / "a"), open_stack(tmp_path / "b")
    released: list[object] = []
    layout.released.connect(released.append)
    layout.place(current)
    layout.place_beside(prior)  # 1x2, the prior active
    layout.activate(0)
    assert layout.show_mpr(current)
    assert layout.grid == GRIDS["2x2"] and layout.shown == [current, current, current, prior]
    assert released == []


def test_ending_mpr_beside_a_prior_gives_the_two_side_by_side_again(tmp_path: Path) -> None:
    layout = ReadingLayout()
    current, prior = open_stack(tmp_path / "a"), open_stack(tmp_path / "b")
    released: list[object] = []
    layout.released.connect(released.append)
    layout.place(current)
    layout.place_beside(prior)
    layout.activate(0)
    assert layout.show_mpr(current)
    layout.end_mpr()
    assert layout.cursor is None and layout.grid == GRIDS["1x2"]
    assert layout.shown == [current, prior] and released == []
    assert layout.planes[:4] == [2, 2, 2, 2]


def test_opening_another_patients_series_starts_the_layout_afresh(tmp_path: Path) -> None:
    layout = ReadingLayout(GRIDS["2x2"])
    ct, prior = open_stack(tmp_path / "ct"), open_stack(tmp_path / "prior")
    layout.place(ct, 0)
    layout.place(prior, 1)
    layout.set_grid(GRIDS["1x1"])  # the prior hidden, still held
    released: list[object] = []
    layout.released.connect(released.append)
    same = open_stack(tmp_path / "same")  # the same patient: the layout stays
    assert layout.open_for(same) is False and layout.open_series() == [ct, prior]
    other = open_stack(tmp_path / "other", patient=("P2", "HOSP-A"))
    assert layout.open_for(other) is True
    assert released == [ct, prior]  # the hidden one too: never shown with the next
    assert layout.open_series() == [] and layout.grid == GRIDS["1x1"] and layout.active == 0


def test_a_wider_kin_keeps_a_linked_prior_and_counts_one_patient(tmp_path: Path) -> None:
    """A prior under the patient's ID at another hospital, linked by the history: one
    patient where the caller's rule says so, two where only the files speak."""
    ct = open_stack(tmp_path / "ct", patient=("P1", "HOSP-A"))
    prior = open_stack(tmp_path / "prior", patient=("X-77", "HOSP-B"))
    layout = ReadingLayout(GRIDS["1x2"])
    layout.place(ct, 0)
    layout.place(prior, 1)
    linked = {ct.study_uid, prior.study_uid}

    def kin(a: object, b: object) -> bool:
        return {a.study_uid, b.study_uid} <= linked  # type: ignore[attr-defined]

    assert len(layout.patients()) == 2 and len(layout.patients(kin)) == 1
    assert layout.open_for(prior, kin) is False
    assert layout.open_for(prior) is True  # without the link: another patient
