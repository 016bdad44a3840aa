"""The demo scenario as data: institutions, patients and their studies.

docs/demo-scenario.md explains the story; this module is its single source of truth.
Dates are fixed so the output never depends on when it is generated.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydicom.uid import (
    ExplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEGLosslessSV1,
    JPEGLSLossless,
    RLELossless,
)

from viewer.demo.identifiers import make_resident_id

PLATFORM = "platform"
PACS = "pacs"
TARGETS = (PLATFORM, PACS)

PLATFORM_ISSUER = "JS-EMPI"
PACS_ISSUER = "NJGL"  # the hospital PACS belongs to 南京鼓楼医院


@dataclass(frozen=True)
class Institution:
    """An institution; ``issuer`` is the IssuerOfPatientID of its MRNs."""

    issuer: str
    name: str  # InstitutionName (0008,0080), GB18030
    department: str  # InstitutionalDepartmentName (0008,1040)
    station: str  # StationName (0008,1010), ASCII


INSTITUTIONS: dict[str, Institution] = {
    i.issuer: i
    for i in (
        Institution("JSPH", "江苏省人民医院", "放射科", "JSPH-RAD1"),
        Institution("NJGL", "南京鼓楼医院", "医学影像科", "NJGL-IMG2"),
        Institution("SZFY", "苏州大学附属第一医院", "影像科", "SZFY-RAD3"),
        Institution("WXRM", "无锡市人民医院", "放射科", "WXRM-RAD1"),
    )
}


@dataclass(frozen=True)
class PatientDef:
    """One patient; ``mrns`` maps issuer -> MRN at each hospital that saw them."""

    key: str
    name: str  # PN: alphabetic=ideographic= (PS3.5 §6.2.1.2)
    birth_date: str  # YYYYMMDD
    sex: str  # M / F
    region: str  # 6-digit administrative region code of the resident ID
    sequence: int  # 3-digit order code; parity follows sex
    mrns: tuple[tuple[str, str], ...]

    @property
    def platform_id(self) -> str:
        return make_resident_id(self.region, self.birth_date, self.sequence, self.sex)

    def mrn(self, issuer: str) -> str:
        return dict(self.mrns)[issuer]


PATIENTS: tuple[PatientDef, ...] = (
    PatientDef(
        "p1",
        "Wang^XiaoDong=王^小东=",
        "19650314",
        "M",
        "320102",
        37,
        (
            ("JSPH", "0003417265"),
            ("NJGL", "GL20081136"),
            ("SZFY", "SZ6627190"),
            ("WXRM", "W518833"),
        ),
    ),
    PatientDef(
        "p2",
        "Li^XiuYing=李^秀英=",
        "19780722",
        "F",
        "320508",
        124,
        (("SZFY", "SZ7741052"), ("JSPH", "0004502318"), ("WXRM", "W620417")),
    ),
    PatientDef(
        "p3",
        "Zhang^Wei=张^伟=",
        "19520105",
        "M",
        "320213",
        211,
        (("WXRM", "W301955"), ("JSPH", "0002279043"), ("SZFY", "SZ5310288")),
    ),
    # Same name as p1, another person: must never be merged with p1.
    PatientDef(
        "p4",
        "Wang^XiaoDong=王^小东=",
        "19881030",
        "M",
        "320106",
        58,
        (("NJGL", "GL20150872"), ("JSPH", "0005128846"), ("SZFY", "SZ8830471")),
    ),
)

# Kinds of study the series modules know how to build.
CT_CHEST_ABDOMEN = "ct_chest_abdomen"
MR_HEAD = "mr_head"
DX_CHEST = "dx_chest"
CR_CHEST = "cr_chest"
US_ABDOMEN = "us_abdomen"


@dataclass(frozen=True)
class StudyDef:
    """One study of the scenario; ``codec`` is the transfer syntax of its image series."""

    key: str
    patient: str
    kind: str
    institution: str  # issuer code of the institution that made it
    date: str  # YYYYMMDD
    time: str  # HHMMSS
    targets: tuple[str, ...]
    codec: str = ExplicitVRLittleEndian
    slices: int = 0  # CT only
    repeat_of: str = ""  # key of the earlier study this one repeats
    main: bool = False  # the main patient's CT (markers recorded in the manifest)

    @property
    def accession_number(self) -> str:
        # SH, at most 16 characters: issuer + date + 3 digits from the key
        return f"{self.institution}{self.date}{sum(map(ord, self.key)) % 1000:03d}"


STUDIES: tuple[StudyDef, ...] = (
    # p1: the main patient, seen at all four hospitals.
    StudyDef("p1-mr-2019", "p1", MR_HEAD, "SZFY", "20190520", "091522", (PLATFORM,), RLELossless),
    StudyDef("p1-us-2021", "p1", US_ABDOMEN, "WXRM", "20210908", "143005", (PLATFORM,)),
    StudyDef(
        "p1-ct-2023",
        "p1",
        CT_CHEST_ABDOMEN,
        "JSPH",
        "20231102",
        "101248",
        (PLATFORM,),
        slices=300,
        main=True,
    ),
    # Her prior CT, a year and a half earlier at another hospital: what "compare with
    # prior" puts beside the 2023 one.
    StudyDef(
        "p1-ct-2022",
        "p1",
        CT_CHEST_ABDOMEN,
        "SZFY",
        "20220418",
        "142210",
        (PLATFORM,),
        slices=200,
    ),
    StudyDef("p1-dx-2024a", "p1", DX_CHEST, "JSPH", "20240304", "083116", (PLATFORM,)),
    # The same exam 18 days later at another hospital; 南京鼓楼医院 keeps it in its PACS
    # and has uploaded it to the platform.
    StudyDef(
        "p1-dx-2024b",
        "p1",
        DX_CHEST,
        "NJGL",
        "20240322",
        "154402",
        (PLATFORM, PACS),
        repeat_of="p1-dx-2024a",
    ),
    # Not (yet) uploaded: only the hospital PACS has it.
    StudyDef("p1-us-2024", "p1", US_ABDOMEN, "NJGL", "20240610", "100731", (PACS,), JPEGLSLossless),
    # p2
    StudyDef("p2-cr-2018", "p2", CR_CHEST, "SZFY", "20180411", "112040", (PLATFORM,)),
    StudyDef(
        "p2-mr-2020", "p2", MR_HEAD, "JSPH", "20201015", "160318", (PLATFORM,), JPEG2000Lossless
    ),
    StudyDef(
        "p2-ct-2022",
        "p2",
        CT_CHEST_ABDOMEN,
        "SZFY",
        "20220630",
        "094455",
        (PLATFORM,),
        JPEGLSLossless,
        slices=200,
    ),
    StudyDef("p2-us-2023", "p2", US_ABDOMEN, "WXRM", "20230819", "135912", (PLATFORM,)),
    # p3
    StudyDef(
        "p3-ct-2017",
        "p3",
        CT_CHEST_ABDOMEN,
        "WXRM",
        "20171201",
        "082733",
        (PLATFORM,),
        JPEG2000Lossless,
        slices=200,
    ),
    StudyDef(
        "p3-cr-2019", "p3", CR_CHEST, "JSPH", "20190214", "102650", (PLATFORM,), JPEG2000Lossless
    ),
    StudyDef(
        "p3-mr-2021", "p3", MR_HEAD, "SZFY", "20210303", "171204", (PLATFORM,), JPEGLosslessSV1
    ),
    StudyDef("p3-us-2022", "p3", US_ABDOMEN, "WXRM", "20220909", "091847", (PLATFORM,)),
    # p4: same name as p1, with studies at 南京鼓楼医院 so a name search on the PACS finds both.
    StudyDef("p4-mr-2020", "p4", MR_HEAD, "NJGL", "20200108", "130144", (PLATFORM, PACS)),
    StudyDef(
        "p4-ct-2022",
        "p4",
        CT_CHEST_ABDOMEN,
        "JSPH",
        "20220517",
        "111530",
        (PLATFORM,),
        JPEGLosslessSV1,
        slices=200,
    ),
    StudyDef(
        "p4-cr-2023", "p4", CR_CHEST, "NJGL", "20230707", "084920", (PLATFORM, PACS), RLELossless
    ),
    StudyDef("p4-us-2024", "p4", US_ABDOMEN, "SZFY", "20240202", "150236", (PLATFORM,)),
)


def patient(key: str) -> PatientDef:
    """The patient with ``key``."""
    for p in PATIENTS:
        if p.key == key:
            return p
    raise KeyError(key)


def study_def(key: str) -> StudyDef:
    """The study definition with ``key``."""
    for s in STUDIES:
        if s.key == key:
            return s
    raise KeyError(key)
