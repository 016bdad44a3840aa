"""Who is who: patient IDs joined only by links the sources state, never by name alone.

Union-find over PatientRefs. An edge exists when a record of one ID lists the other in
OtherPatientIDsSequence, or when the user confirmed that two IDs are one patient.
Records whose names and birth dates agree but have no such edge stay apart and are
reported as *possible* same patients for the user to confirm.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from viewer.records import PatientRef, StudyRecord


class PatientLinks:
    """Disjoint sets of PatientRefs."""

    def __init__(self) -> None:
        self._parent: dict[PatientRef, PatientRef] = {}

    def add(self, ref: PatientRef) -> None:
        self._parent.setdefault(ref, ref)

    def root(self, ref: PatientRef) -> PatientRef:
        self.add(ref)
        while self._parent[ref] != ref:
            self._parent[ref] = self._parent[self._parent[ref]]  # path halving
            ref = self._parent[ref]
        return ref

    def link(self, a: PatientRef, b: PatientRef) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            # The smaller ref becomes the root so that grouping is deterministic.
            low, high = sorted((ra, rb))
            self._parent[high] = low

    def members(self, ref: PatientRef) -> frozenset[PatientRef]:
        root = self.root(ref)
        return frozenset(r for r in self._parent if self.root(r) == root)


def build_links(
    records: Iterable[StudyRecord], confirmed: Iterable[tuple[PatientRef, PatientRef]] = ()
) -> PatientLinks:
    links = PatientLinks()
    for record in records:
        links.add(record.patient)
        for other in record.linked_patients:
            links.link(record.patient, other)
    for a, b in confirmed:
        links.link(a, b)
    return links


def normalised_name(pn: str) -> str:
    """A PN string reduced for comparison: groups trimmed of empty trailing parts, upper."""
    groups = [g.rstrip("^").strip().upper() for g in pn.split("=")]
    while groups and not groups[-1]:
        groups.pop()
    return "=".join(groups)


def same_person_by_demographics(a: StudyRecord, b: StudyRecord) -> bool:
    """Same name (any shared non-empty component group) and same birth date.

    Used only to *suggest* a match for the user to confirm, never to merge.
    """
    if not a.birth_date or a.birth_date != b.birth_date:
        return False
    groups_a = [g for g in normalised_name(a.patient_name).split("=") if g]
    groups_b = [g for g in normalised_name(b.patient_name).split("=") if g]
    return any(g in groups_b for g in groups_a)


@dataclass(frozen=True)
class NameProbe:
    """The name and birth date used to look for unlinked records of the same person."""

    name: str  # a PN pattern without wildcards: one component group
    birth_date: str


def name_probe(record: StudyRecord) -> NameProbe | None:
    if not record.birth_date:
        return None
    groups = [g for g in record.patient_name.split("=") if g.strip("^ ")]
    if not groups:
        return None
    return NameProbe(groups[0].rstrip("^"), record.birth_date)
