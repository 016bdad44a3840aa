"""The Debian package, built and installed for real (issue 16): the PyInstaller bundle and
``scripts/build-deb.sh`` as ``make package`` runs them, installed with ``dpkg -i`` after
preseeding debconf, used from ``/usr/bin/qingying`` — its version, its site config, its
window offscreen on the demo platform, the desktop's ``qingying://`` handler, a link
opening a patient's history in the running window — and removed cleanly.

It changes the machine (a package in /opt, /usr/bin, /etc), so it runs only as root on a
Debian system where no qingying package is installed already (CI: a fresh machine).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT as REPO
from viewer.demo.platform import RunningPlatform

pytestmark = [pytest.mark.package, pytest.mark.integration]

PRESEED = {
    "platform_url": ("string", "https://platform.example.cn/dicom-web"),
    "platform_issuer": ("string", "JS-EMPI"),
    "auth": ("select", "basic"),
    "cache_dir": ("string", ""),
    "cache_size": ("string", "50 GB"),
    "lock": ("boolean", "true"),
}
BUDGET_BYTES = 250 * 10**6  # the package, compressed


def _run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        list(args), capture_output=True, text=True, check=False, timeout=600, **kwargs
    )


def _installed() -> bool:
    status = _run("dpkg-query", "-W", "-f=${db:Status-Status}", "qingying")
    return status.returncode == 0 and status.stdout.strip() == "installed"


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package, built as ``make package`` builds it (its PyInstaller, this venv)."""
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("installs a package: root on Debian only (CI)")
    for tool in ("dpkg-deb", "dpkg", "debconf-set-selections", "xdg-mime"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is missing (scripts/system-packages.txt)")
    if _installed():
        pytest.skip("a qingying package is installed here: a test does not replace it")
    out = tmp_path_factory.mktemp("package")
    build = _run(
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", str(out / "dist"), "--workpath", str(out / "work"),
        str(REPO / "packaging" / "qingying.spec"), cwd=REPO,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-3000:]
    versions = _run(sys.executable, "-m", "pip", "freeze", "--exclude-editable")
    (out / "dist" / "qingying" / "VERSIONS.txt").write_text(versions.stdout, encoding="utf-8")
    made = _run(
        "bash", str(REPO / "scripts" / "build-deb.sh"), str(out / "dist" / "qingying"), str(out)
    )
    assert made.returncode == 0, made.stderr
    for left in ("work", "dist"):  # 1.2 GB a run, of which pytest keeps three runs
        shutil.rmtree(out / left, ignore_errors=True)
    return Path(made.stdout.strip())


@pytest.fixture(scope="module")
def installed(deb: Path) -> Iterator[Path]:
    """Preseeded (a silent install, as IT runs it on 500 machines), then installed."""
    answers = "".join(f"qingying qingying/{k} {t} {v}\n" for k, (t, v) in PRESEED.items())
    seeded = _run("debconf-set-selections", input=answers)
    assert seeded.returncode == 0, seeded.stderr
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = _run("dpkg", "-i", str(deb), env=env)
    assert install.returncode == 0, install.stdout + install.stderr
    try:
        yield deb
    finally:
        _run("dpkg", "--purge", "qingying", env=env)


def test_the_package_holds_the_bundle_the_command_the_entry_and_fits_its_budget(
    deb: Path,
) -> None:
    contents = _run("dpkg-deb", "-c", str(deb)).stdout
    for path in (
        "./opt/qingying/qingying",
        "./opt/qingying/VERSIONS.txt",
        "./usr/bin/qingying",
        "./usr/share/applications/qingying.desktop",
        "./usr/share/icons/hicolor/scalable/apps/qingying.svg",
        "./usr/share/doc/qingying/deployment.md",
    ):
        assert path in contents, path
    assert ".ts\n" not in contents  # translation sources stay out; the .qm go in
    control = _run("dpkg-deb", "-f", str(deb), "Package", "Depends").stdout
    assert "Package: qingying" in control and "libgl1" in control and "debconf" in control
    assert deb.stat().st_size <= BUDGET_BYTES, deb.stat().st_size


def test_preseeded_answers_become_the_locked_site_config(installed: Path, tmp_path: Path) -> None:
    site = Path("/etc/qingying/config.toml")
    text = site.read_text(encoding="utf-8")
    assert 'url = "https://platform.example.cn/dicom-web"' in text
    env = dict(os.environ, QINGYING_SITE_CONFIG=str(site), QINGYING_USER_CONFIG=str(tmp_path / "u"))
    shown = _run("/usr/bin/qingying", "config", "show", "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    config = json.loads(shown.stdout)
    assert config["locked"] == {"keys": ["sources", "cache.dir"], "by": str(site)}
    (source,) = config["sources"]
    assert (source["auth"], source["issuer"], source["username"]) == ("basic", "JS-EMPI", None)
    assert config["cache"]["max_size"] == 50 * 10**9


def test_the_installed_command_says_its_version(installed: Path) -> None:
    from viewer import __version__

    shown = _run("/usr/bin/qingying", "--version")
    assert shown.returncode == 0, shown.stderr
    commit = _run("git", "-C", str(REPO), "describe", "--always", "--dirty").stdout.strip()
    commit = commit or "unknown"  # a copy that is no git checkout: the spec says so too
    assert shown.stdout.startswith(f"qingying {__version__} (build {commit} 20")  # and its day
    versions = Path("/opt/qingying/VERSIONS.txt").read_text(encoding="utf-8")
    assert "pydicom==" in versions and "vtk==" in versions  # what it was built with


def test_the_desktop_hands_qingying_links_to_the_app(installed: Path) -> None:
    assert _run("xdg-mime", "query", "default", "x-scheme-handler/qingying").stdout.strip() == (
        "qingying.desktop"
    )
    if shutil.which("desktop-file-validate"):
        checked = _run("desktop-file-validate", "/usr/share/applications/qingying.desktop")
        assert checked.returncode == 0, checked.stdout + checked.stderr


def _on_platform(platform: RunningPlatform, tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment and config for the installed app on the demo platform, signed in
    through the real keyring (as a doctor would be)."""
    if not os.environ.get("QINGYING_REAL_KEYRING"):
        pytest.skip("needs the real keyring of scripts/run-tests.sh")
    config = tmp_path / "demo.toml"
    config.write_text(
        f'[cache]\ndir = "{tmp_path / "cache"}"\n[[sources]]\nname = "provincial"\n'
        f'url = "{platform.platform_url}"\nusername = "doctor"\nissuer = "JS-EMPI"\n',
        encoding="utf-8",
    )
    env = dict(
        os.environ,
        QINGYING_SITE_CONFIG=str(tmp_path / "no-site.toml"),  # the preseeded one locks sources
        QINGYING_LAUNCH_NAME=str(tmp_path / "launch.sock"),
        QT_QPA_PLATFORM="offscreen",
        VTK_DEFAULT_OPENGL_WINDOW="vtkOSOpenGLRenderWindow",
    )
    login = _run(
        "/usr/bin/qingying", "--config", str(config), "login", "--source", "provincial",
        "--password-stdin", input=platform.auth("platform")[1] + "\n", env=env,
    )  # fmt: skip
    assert login.returncode == 0, login.stderr
    return env, config


def test_the_installed_app_shows_a_study_of_the_demo_platform_offscreen(
    installed: Path, platform: RunningPlatform, tmp_path: Path
) -> None:
    env, config = _on_platform(platform, tmp_path)
    markers = platform.manifest.ct_markers
    main = ["/usr/bin/qingying", "--config", str(config)]
    fetched = _run(*main, "fetch", "--study", markers.study_instance_uid, env=env)
    assert fetched.returncode == 0, fetched.stderr
    shot = tmp_path / "window.png"
    shown = _run(
        *main, "view", "--study", markers.study_instance_uid, "--size", "1100x700",
        "--screenshot", str(shot), env=env,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1100, 700)
    # The viewport's middle: the phantom's soft tissue (grey at W 400 L 40) and its
    # vertebra (white) over air (black): an image drawn, not a blank or black window.
    middle = {
        image.pixelColor(x, y).getRgb()[:3] for x in range(400, 900, 4) for y in range(200, 540, 4)
    }
    greys = {r for r, g, b in middle if r == g == b}
    assert 0 in greys and 255 in greys and any(60 < r < 200 for r in greys), sorted(greys)


def test_a_qingying_link_opens_the_patients_history_in_the_running_window(
    installed: Path, platform: RunningPlatform, tmp_path: Path
) -> None:
    env, config = _on_platform(platform, tmp_path)
    main_ct = next(s for s in platform.manifest.studies if "main_ct" in s.tags)
    patient = platform.manifest.patient(main_ct.patient_key)
    log = tmp_path / "window.log"
    with log.open("w") as err:
        window = subprocess.Popen(
            ["/usr/bin/qingying", "--debug", "--config", str(config)], env=env, stderr=err,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
    try:
        socket = Path(env["QINGYING_LAUNCH_NAME"])
        _wait(lambda: socket.exists(), 60, "the window never listened for launches")
        url = (
            f"qingying://open?patient={patient.platform_id}&issuer={patient.platform_issuer}"
            f"&study={main_ct.study_instance_uid}"
        )
        started = time.monotonic()
        link = _run("/usr/bin/qingying", url, env=env)  # as the desktop runs Exec=qingying %u
        assert link.returncode == 0, link.stderr
        assert time.monotonic() - started < 10  # handed over, not a second window
        _wait(lambda: "a launch showed" in log.read_text(), 60, "no history shown")
        shown = log.read_text().split("a launch showed ", 1)[1].split()[0]
        assert int(shown) >= 1
        assert window.poll() is None  # the one window, still open
    finally:
        window.terminate()
        window.wait(30)


def test_removal_leaves_nothing_in_opt_or_usr_bin_and_purge_takes_the_site_config(
    installed: Path,
) -> None:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    removed = _run("dpkg", "-r", "qingying", env=env)
    assert removed.returncode == 0, removed.stderr
    assert not Path("/opt/qingying").exists() and not Path("/usr/bin/qingying").exists()
    assert _run("xdg-mime", "query", "default", "x-scheme-handler/qingying").stdout.strip() == ""
    assert Path("/etc/qingying/config.toml").exists()  # remove keeps the configuration
    purged = _run("dpkg", "--purge", "qingying", env=env)
    assert purged.returncode == 0, purged.stderr
    assert not Path("/etc/qingying").exists()


def _wait(ready: object, seconds: float, why: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(why)
