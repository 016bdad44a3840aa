"""Issue 18's acceptance: after the demo's main patient is searched, fetched, opened,
measured and exported, no file the app wrote holds the patient's name, ID or birth date.

Every step is the real command (``python main.py --config CFG ...``) in a process of its
own, with HOME and every XDG folder (config, cache, data, state, runtime) and TMPDIR
pointed into one throwaway home, and the working folder there too: whatever the app
writes (the offline cache with its packs, index and measurements, its config, the audit
trail, logs, temporary and quarantined files, anything Qt or the window keeps) lands
under it, and all of it is read back. The keys of the cache and the audit trail live in
the keyring, so the processes need a real Secret Service: run through
scripts/run-tests.sh (gnome-keyring in a private D-Bus session).

What the doctor exports on purpose (DICOM files, a PNG, a measurement report) goes to a
folder outside that home: it is the user's own copy and names the patient by design.
It is scanned too, as the positive control that the needles would be found.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.written_files import REPO
from viewer import secrets
from viewer.cache import cache_key
from viewer.cache.cache_key import read_key_id
from viewer.demo.platform import RunningPlatform

pytestmark = [
    pytest.mark.integration,
    pytest.mark.keyring_real,
    pytest.mark.skipif(
        not os.environ.get("QINGYING_REAL_KEYRING"),
        reason="needs a real Secret Service: run through scripts/run-tests.sh",
    ),
]

UID = r"[0-9.]{1,64}"
# The cache's instance bytes: a retrieval's pack, or an instance's own file.
INSTANCE_FILE_RE = re.compile(rf"{UID}/(packs/[^/]+\.pack|{UID}/{UID}\.dcm)")
TIMEOUT_S = 120
CHUNK = 16 << 20
CACHE = Path(".cache", "Qingying", "studies")  # the default cache, under XDG_CACHE_HOME


def needles(platform: RunningPlatform) -> dict[str, bytes]:
    """What a copy of the main patient's identity would contain, by a label that names
    the kind (never the value: a failure message must not spread what it looks for).

    ASCII needles are matched regardless of case (an index may keep names folded).
    Only needles of six bytes and more: encrypted data would match shorter ones by chance.
    """
    patient = platform.manifest.patient("p1")  # the main patient, as the manifest names it
    alphabetic, ideographic = patient.name.split("=")[:2]  # PN: alphabetic=ideographic=
    given = alphabetic.split("^")[1]
    family_i, given_i = ideographic.split("^")[:2]
    found: dict[str, bytes] = {
        "name (PN, alphabetic)": alphabetic.encode(),
        "given name (alphabetic)": given.encode(),
        "name (PN, UTF-8)": patient.name.encode(),
        "name (PN ideographic, UTF-8)": ideographic.encode(),
        "name (ideographic, UTF-8)": (family_i + given_i).encode(),
        "given name (ideographic, UTF-8)": given_i.encode(),
        "name (PN, GB18030)": patient.name.rstrip("=").encode("gb18030"),
        "name (PN ideographic, GB18030)": ideographic.encode("gb18030"),
        "name (ideographic, GB18030)": (family_i + given_i).encode("gb18030"),
        "name (ideographic, UTF-16)": (family_i + given_i).encode("utf-16-le"),
        "given name (ideographic, JSON escape)": given_i.encode("ascii", "backslashreplace"),
        "PatientID": patient.platform_id.encode(),
        "birth date (YYYYMMDD)": patient.birth_date.encode(),
        "birth date (YYYY-MM-DD)": _dashed(patient.birth_date, "-"),
        "birth date (YYYY/MM/DD)": _dashed(patient.birth_date, "/"),
    }
    for issuer, mrn in patient.mrns.items():  # the same patient's IDs at each hospital
        found[f"PatientID at {issuer}"] = mrn.encode()
    assert all(len(n) >= 6 for n in found.values())
    return found


def _dashed(date: str, sep: str) -> bytes:
    return f"{date[:4]}{sep}{date[4:6]}{sep}{date[6:]}".encode()


def scan(root: Path, looked_for: dict[str, bytes]) -> tuple[dict[str, list[str]], list[str]]:
    """({relative path: labels of the needles it holds}, every regular file read)."""
    hits: dict[str, list[str]] = {}
    read: list[str] = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue  # a socket, a FIFO, a link: nothing kept in it
            relative = path.relative_to(root).as_posix()
            read.append(relative)
            if labels := holds(path, looked_for):
                hits[relative] = labels
    return hits, read


def holds(path: Path, looked_for: dict[str, bytes]) -> list[str]:
    """The labels of the needles in the file, read a chunk at a time (a pack is
    hundreds of MB), each chunk with the tail of the one before so none is cut."""
    folded = {k: v.lower() for k, v in looked_for.items() if v.isascii()}
    exact = {k: v for k, v in looked_for.items() if not v.isascii()}
    overlap = max(map(len, looked_for.values())) - 1
    found: set[str] = set()
    tail = b""
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            window = tail + chunk
            lowered = window.lower()  # ASCII letters only: multi-byte needles matched as is
            found.update(k for k, v in exact.items() if v in window)
            found.update(k for k, v in folded.items() if v in lowered)
            tail = window[-overlap:]
    return sorted(found)


def redacted(text: str, looked_for: dict[str, bytes]) -> str:
    """A command's words with every needle replaced by its label, for a failure message."""
    for label, needle in sorted(looked_for.items(), key=lambda kv: -len(kv[1])):
        try:
            value = needle.decode()
        except UnicodeDecodeError:
            continue  # GB18030 and UTF-16 bytes are never in the decoded text as such
        text = re.sub(re.escape(value), f"<{label}>", text, flags=re.IGNORECASE)
    return text


class App:
    """The app's commands, each a process of its own in the throwaway home."""

    def __init__(
        self, config: Path, home: Path, site_config: Path, looked_for: dict[str, bytes]
    ) -> None:
        self.looked_for = looked_for  # kept out of what a failure prints
        self.main = [sys.executable, str(REPO / "main.py"), "--config", str(config)]
        self.home = home
        runtime = home / "run"
        for folder in (home, runtime, home / "tmp"):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        drop = ("DISPLAY", "WAYLAND_DISPLAY", "QINGYING_USER_CONFIG")
        self.env = {k: v for k, v in os.environ.items() if k not in drop}
        self.env.update(
            HOME=str(home),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_CACHE_HOME=str(home / ".cache"),
            XDG_DATA_HOME=str(home / ".local" / "share"),
            XDG_STATE_HOME=str(home / ".local" / "state"),
            XDG_RUNTIME_DIR=str(runtime),
            TMPDIR=str(home / "tmp"),
            QINGYING_SITE_CONFIG=str(site_config),  # none: this machine's is not read
            QINGYING_LAUNCH_NAME=str(runtime / "launch.sock"),
            QT_QPA_PLATFORM="offscreen",
            PYTHONDONTWRITEBYTECODE="1",  # no .pyc of the app's own in the home
        )

    def __call__(self, *args: str, stdin: str | None = None, expect: int = 0) -> str:
        done = subprocess.run(
            [*self.main, *args], input=stdin, capture_output=True, text=True,
            check=False, timeout=TIMEOUT_S, env=self.env, cwd=self.home,
        )  # fmt: skip
        if done.returncode != expect:
            said = redacted(done.stderr, self.looked_for)
            pytest.fail(f"{' '.join(args[:2])} exited {done.returncode}: {said}")
        return done.stdout


@pytest.fixture
def app(platform: RunningPlatform, tmp_path: Path) -> Iterator[App]:
    config = tomllib.loads(platform.config_path.read_text(encoding="utf-8"))
    home, no_site = tmp_path / "home", tmp_path / "no-site-config.toml"
    runner = App(platform.config_path, home, no_site, needles(platform))
    try:
        yield runner
    finally:  # the test's own entries out of the (throwaway) keyring again
        for source in config["sources"]:
            secrets.delete_password(source["url"], source["username"])
        key_id = read_key_id(runner.home / CACHE)
        if key_id is not None:
            secrets.delete_secret(cache_key.SERVICE, key_id, what=cache_key.WHAT)


def test_no_file_the_app_writes_holds_the_patients_name_id_or_birth_date(
    platform: RunningPlatform, app: App, tmp_path: Path
) -> None:
    manifest = platform.manifest
    patient = manifest.patient("p1")
    study, series = manifest.ct_markers.study_instance_uid, manifest.ct_markers.series_instance_uid
    exports = tmp_path / "exports"  # the user's own copies: outside the scanned home
    exports.mkdir()

    for source, target in (("provincial", "platform"), ("gulou", "pacs")):
        app("login", "--source", source, "--password-stdin", stdin=platform.auth(target)[1] + "\n")
    # Searched: by ID as the HIS asks, and by name as a doctor types it.
    # (Outputs naming the patient are tested as booleans: pytest would print them.)
    by_id = app("search", "--patient-id", patient.platform_id, "--issuer", "JS-EMPI", "--json")
    found_by_id = study in by_id
    assert found_by_id, "the search by ID did not find the main CT"
    # Fetched: the main CT, 300 slices, into the offline cache.
    assert "complete (300 instances" in app("fetch", "--study", study)
    typed = patient.name.split("=")[0].replace("^", "?") + "*"  # Orthanc's PN matching
    found_by_name = study in app("search", "--name", typed, "--json")
    assert found_by_name, "the search by name did not find the main CT"
    # Opened: the reading view (the window, offscreen) loads the series and draws it.
    app("view", "--study", study, "--series", series, "--slice", "150",
        "--viewport-png", str(exports / "viewport.png"))  # fmt: skip
    # Measured: kept with the study as if drawn on screen, and listed back.
    at = ["--study", study, "--series", series, "--instance", "150"]
    app("measure", *at, "--line", "100", "100", "300", "300", "--save")
    app("measure", *at, "--rect", "200", "200", "260", "260", "--save")
    app("measure", *at, "--key", "--save")
    assert "3 measurement(s)" in app("measurements", "list", "--study", study)
    # Exported: the study as DICOM, an image as PNG, the measurement report as DICOM SR.
    app("cache", "export", "--study", study, "--out", str(exports / "dicom"))
    app("export", *at, "--out", str(exports / "image.png"))
    app("measurements", "export", "--study", study, "--sr", str(exports / "report.dcm"))
    # The audit trail recorded it all, and reads back whole.
    assert "audit trail intact" in app("audit", "verify")

    looked_for = app.looked_for
    hits, read = scan(app.home, looked_for)

    # The scan saw what the app wrote: the cache's instances, index and measurements, the
    # audit trail; it cannot pass by reading nothing.
    cache = CACHE.as_posix()
    in_cache = [p.removeprefix(cache + "/") for p in read if p.startswith(cache + "/")]
    assert any(INSTANCE_FILE_RE.fullmatch(p) for p in in_cache), sorted(read)
    assert "index.sqlite3" in in_cache, sorted(read)
    assert any(p.startswith("measurements/") for p in in_cache), sorted(read)
    assert any("/audit/audit-" in p for p in read), sorted(read)
    # Positive control: the same scan finds the patient in the user's exported DICOM copy
    # (GB18030 as the demo's files are written), so the needles are the right ones.
    exported, _ = scan(exports, looked_for)
    seen_there = {label for labels in exported.values() for label in labels}
    expected = {"PatientID", "birth date (YYYYMMDD)", "name (PN, alphabetic)", "name (PN, GB18030)"}
    assert expected <= seen_there, sorted(seen_there)

    # Anything else first: the instance bytes are one finding, any other file another.
    order = sorted(hits, key=lambda p: (bool(INSTANCE_FILE_RE.search(p)), p))
    report = "\n".join(f"  {p}: {', '.join(hits[p])}" for p in order)
    assert not hits, f"{len(hits)} of {len(read)} files the app wrote name the patient:\n{report}"
