"""Linked scrolling: viewports move together by where their slices are in the patient,
automatically within a frame of reference, by the doctor's offset across frames."""

from __future__ import annotations

from pathlib import Path

from tests.support.stacks import SAGITTAL, open_stack
from viewer.session.linking import ScrollLink, placement


def test_one_frame_of_reference_scrolls_together_by_position(tmp_path: Path) -> None:
    a = open_stack(tmp_path / "a", z0=0.0, step=2.0, count=10, frame="1.2.3")
    b = open_stack(tmp_path / "b", z0=4.0, step=4.0, count=4, frame="1.2.3")  # 4, 8, 12, 16
    link = ScrollLink()
    a.set_slice(4)  # 8 mm
    assert link.follow(a, [a, b]) == {1: 1}  # b's 8 mm slice
    a.set_slice(7)  # 14 mm: between 12 and 16, nearest first
    assert link.follow(a, [b]) == {0: 2}
    a.set_slice(0)  # 0 mm: b's 4 mm is one spacing away, still the same region
    assert link.follow(a, [b]) == {0: 0}


def test_a_level_outside_the_other_stack_leaves_it_where_it_is(tmp_path: Path) -> None:
    a = open_stack(tmp_path / "a", z0=0.0, step=2.0, count=40, frame="1.2.3")
    b = open_stack(tmp_path / "b", z0=0.0, step=2.0, count=5, frame="1.2.3")  # 0 … 8 mm
    a.set_slice(30)  # 60 mm
    assert ScrollLink().follow(a, [b]) == {}


def test_another_frame_moves_only_once_linked_and_keeps_the_doctors_offset(tmp_path: Path) -> None:
    current = open_stack(tmp_path / "now", z0=100.0, step=2.0, count=20)
    prior = open_stack(tmp_path / "prior", z0=-50.0, step=2.0, count=20)  # another frame
    link = ScrollLink()
    current.set_slice(5)
    assert link.follow(current, [prior]) == {}  # no shared space: not without the doctor
    prior.set_slice(8)  # the doctor finds the same anatomy in the prior …
    assert link.link(current, [prior]) == [prior]  # … and links
    assert link.manual
    current.set_slice(9)  # four slices on
    assert link.follow(current, [prior]) == {0: 12}
    prior.set_slice(3)  # moving the prior moves the current by the same offset
    assert link.follow(prior, [current]) == {0: 0}
    link.unlink()
    assert link.follow(current, [prior]) == {}


def test_an_opposite_normal_counts_its_distances_the_other_way(tmp_path: Path) -> None:
    flipped = (1.0, 0.0, 0.0, 0.0, -1.0, 0.0)  # normal -z: distances are -z
    a = open_stack(tmp_path / "a", z0=0.0, step=2.0, count=10, frame="1.2.3")
    b = open_stack(tmp_path / "b", z0=-18.0, step=2.0, count=10, frame="1.2.3", orientation=flipped)
    placed_b = placement(b)
    assert placed_b is not None and placed_b.normal[2] < 0
    a.set_slice(3)  # z = 6 mm: b's distance -6
    (k,) = ScrollLink().follow(a, [b]).values()
    assert placed_b.distances[k] == -6.0


def test_no_link_across_orientations_patients_or_single_images(tmp_path: Path) -> None:
    a = open_stack(tmp_path / "a", frame="1.2.3")
    sagittal = open_stack(tmp_path / "s", frame="1.2.3", orientation=SAGITTAL)
    stranger = open_stack(tmp_path / "x", frame="1.2.3", patient=("P1", "HOSP-B"))
    single = open_stack(tmp_path / "one", frame="1.2.3", count=1)
    link = ScrollLink()
    a.set_slice(2)
    assert link.follow(a, [sagittal, stranger, single]) == {}
    # Same ID at another hospital is another patient: not linked by hand either.
    assert link.link(a, [sagittal, stranger, single]) == []
    assert not link.manual
