"""``open``: show a patient's history (and a study in it) in the window, as the HIS
asks (``qingying://open?...``, :mod:`viewer.launch`). A window already open in this
user's session takes the request; else a new one opens with it. Nothing is written,
and sign-in is the window's as always."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from viewer.errors import UsageError
from viewer.launch import LaunchRequest, parse_launch_url

if TYPE_CHECKING:
    from viewer.cli.main import GuiLauncher
    from viewer.config import Config

HELP = "show a patient's history in the window, as the HIS asks"


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "open",
        help=HELP,
        description="Show a patient's imaging history (and a study in it) in the window; "
        "an open window of this user takes the request. The same as the URL "
        "qingying://open?patient=ID&issuer=ISSUER[&study=UID][&accession=N].",
    )
    parser.add_argument("--patient", metavar="ID", help="the patient's ID in ISSUER's registry")
    parser.add_argument("--issuer", metavar="ISSUER", help="IssuerOfPatientID of that ID")
    parser.add_argument("--study", metavar="UID", help="a study of the patient to show")
    parser.add_argument("--accession", metavar="N", help="a study's accession number")
    parser.add_argument("--url", metavar="URL", help="a qingying://open?... URL instead")
    parser.set_defaults(window_handler=run)


def launch_request(args: argparse.Namespace) -> LaunchRequest:
    """The request ``args`` make: a URL alone, or the parameters, each checked."""
    named = (args.patient, args.issuer, args.study, args.accession)
    if args.url is not None:
        if any(v is not None for v in named):
            raise UsageError("give --url alone, or --patient and --issuer without it")
        return parse_launch_url(args.url)
    patient, issuer, study, accession = (v or "" for v in named)
    return LaunchRequest(patient, issuer, study, accession)


def run(args: argparse.Namespace, config: Config, gui: GuiLauncher | None) -> int:
    request = launch_request(args)
    if gui is None:  # viewer.cli.run called without a window to open (a script, a test)
        raise UsageError("open shows the window: run it as python main.py open ...")
    return gui(args.config, request)
