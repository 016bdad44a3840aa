"""``search``: a patient's studies from every source, merged, as JSON on stdout.

Problems with single sources, notes and possible same patients go to stderr as warnings;
stdout stays valid JSON for scripts.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from viewer.config import Config
from viewer.dicomweb.qido import StudyQuery
from viewer.errors import ExitCode, NotSignedInError
from viewer.history.result import SearchNote
from viewer.history.service import HistoryResult, HistoryStudy, search_failed_entirely
from viewer.session.model import ReadingSession
from viewer.sources.opening import open_sources
from viewer.workspace import open_store


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("search", help="a patient's imaging history across all sources")
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--patient-id", metavar="ID")
    who.add_argument("--name", metavar="PATTERN", help="Latin or Chinese; * and ? wildcards")
    who.add_argument("--accession", metavar="NUMBER")
    parser.add_argument("--issuer", metavar="I", help="IssuerOfPatientID of --patient-id")
    parser.add_argument("--birth-date", metavar="YYYYMMDD")
    parser.add_argument("--sex", choices=("M", "F", "O"))
    parser.add_argument("--modality", metavar="M")
    parser.add_argument("--from", dest="date_from", metavar="YYYYMMDD")
    parser.add_argument("--to", dest="date_to", metavar="YYYYMMDD")
    parser.add_argument(
        "--source",
        dest="sources",
        nargs="+",
        action="extend",
        metavar="NAME",
        default=[],
        help="only these sources ('cache' is the offline cache); default: all and the cache",
    )
    parser.add_argument(
        "--folder",
        dest="folders",
        type=Path,
        action="append",
        default=[],
        metavar="PATH",
        help="a folder or DICOMDIR (a patient's CD) read as a source, without copying",
    )
    parser.add_argument(
        "--similar-days", type=int, metavar="N", help="default: history.similar_days (30)"
    )
    parser.add_argument("--json", action="store_true", required=True, help="JSON output")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, config: Config) -> int:
    query = StudyQuery(
        patient_id=args.patient_id or "",
        issuer=args.issuer or "",
        name=args.name or "",
        birth_date=args.birth_date or "",
        sex=args.sex or "",
        modality=args.modality or "",
        date_from=args.date_from or "",
        date_to=args.date_to or "",
        accession_number=args.accession or "",
    )
    with open_store(config) as store:
        # The window's session, driven from the command line: the same search, the
        # sources those asked for.
        session = ReadingSession(
            config,
            store=store,
            open_sources=lambda: open_sources(config, store, args.sources, args.folders),
        )
        if args.similar_days:
            session.similar_days = args.similar_days
        result = session.search(query)
    failure = search_failed_entirely(result)
    if failure is not None:
        raise failure
    report_warnings(result)
    rows = [study_json(s) for s in studies_to_print(result, by_id=bool(query.patient_id))]
    print(json.dumps(rows, ensure_ascii=False, indent=2))
    return 0 if rows else int(ExitCode.NOT_FOUND)


def studies_to_print(result: HistoryResult, *, by_id: bool) -> list[HistoryStudy]:
    """An ID search prints its patient only; a name search every patient it found."""
    histories = result.histories[:1] if by_id else result.histories
    return [study for history in histories for study in history.studies]


def report_warnings(result: HistoryResult) -> None:
    if result.offline:
        print(
            "offline: no source could be reached; showing what the offline cache holds",
            file=sys.stderr,
        )
    for problem in result.problems:
        hint = ""
        if isinstance(problem.error, NotSignedInError):
            hint = f" (run: login --source {problem.source} --password-stdin)"
        print(f"warning: {problem.message}{hint}", file=sys.stderr)
    for note in result.notes:
        print(f"note: {note_text(note)}", file=sys.stderr)
    for i, j in result.possible_same:
        a, b = result.histories[i], result.histories[j]
        ids_b = ", ".join(str(r) for r in sorted(b.patients))
        print(
            f"possible same patient, not merged (confirm in the viewer): {ids_b} "
            f"has the same name and birth date as {min(a.patients)}",
            file=sys.stderr,
        )


def note_text(note: SearchNote) -> str:
    """A search note in the terminal's words (English)."""
    if note.kind == "no-source-for-issuer":
        return f"no configured source uses patient IDs issued by {note.issuer}"
    if note.kind == "capped":
        return f"{note.source}: more studies match than were fetched; narrow the search"
    if note.kind == "skipped":
        return f"{note.source}: {note.count} unusable result(s) left out"
    return "a study is filed under two patients that no source links; check the patients first"


def study_json(study: HistoryStudy) -> dict[str, Any]:
    r = study.record
    return {
        "StudyInstanceUID": r.study_uid,
        "PatientID": r.patient.patient_id,
        "IssuerOfPatientID": r.patient.issuer,
        "PatientName": r.patient_name,
        "PatientBirthDate": r.birth_date,
        "PatientSex": r.sex,
        "StudyDate": r.study_date,
        "StudyTime": r.study_time,
        "AccessionNumber": r.accession_number,
        "StudyDescription": r.description,
        "ModalitiesInStudy": list(r.modalities),
        "BodyPartExamined": r.body_part,
        "InstitutionName": r.institution,
        "NumberOfStudyRelatedSeries": r.series_count,
        "NumberOfStudyRelatedInstances": r.instance_count,
        "sources": list(study.sources),
        "RecentSimilar": sorted(study.recent_similar),
        "cached": study.cached,
    }
