"""Every installer asks IT the same answers and turns them into the same site config:
packaging/product.toml names them once; the MSI's properties, the debconf questions and
the macOS Info.plist are rendered or checked from it, and each answer reaches a real
option of ``qingying config write-site``, whose file the app then reads. (The MSI and
the .dmg themselves are built on Windows and macOS runners: packaging/ci/installers.yml.)"""

from __future__ import annotations

import re
import shlex
import sys
import xml.dom.minidom
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from viewer.cli import run
from viewer.config import load_config

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import installer_inputs

PACKAGING = REPO_ROOT / "packaging"
MADE: dict[str, Any] = installer_inputs.product()
VERSION = installer_inputs.version()


def write_site_options() -> set[str]:
    from viewer.cli.main import build_parser

    parser = build_parser("config")
    config = parser._subparsers._group_actions[0].choices["config"]  # type: ignore[union-attr]
    write = config._subparsers._group_actions[0].choices["write-site"]
    return {o for action in write._actions for o in action.option_strings}


def test_each_answer_is_a_real_option_of_write_site() -> None:
    options = write_site_options()
    for answer in MADE["answers"]:
        assert answer["option"] in options, answer
        assert re.fullmatch(r"[A-Z_]+", answer["property"])  # an MSI public property


def test_the_debian_package_asks_the_same_answers_and_passes_them_on() -> None:
    templates = (PACKAGING / "debian" / "templates").read_text(encoding="utf-8")
    asked = set(re.findall(r"^Template: qingying/(\w+)$", templates, re.MULTILINE))
    postinst = (PACKAGING / "debian" / "postinst").read_text(encoding="utf-8")
    assert asked == {a["debconf"] for a in MADE["answers"]}
    for answer in MADE["answers"]:
        assert f"db_get qingying/{answer['debconf']}" in postinst
        assert f'{answer["option"]} "$' in postinst, answer["option"]


def test_the_msi_declares_each_answer_and_hands_it_to_write_site() -> None:
    rendered = installer_inputs.wix(MADE, VERSION)
    document = xml.dom.minidom.parseString(rendered)  # noqa: S318 (our own template)
    declared = {p.getAttribute("Id") for p in document.getElementsByTagName("Property")}
    assert declared == {a["property"] for a in MADE["answers"]}
    (action,) = document.getElementsByTagName("CustomAction")
    command = action.getAttribute("ExeCommand")
    for answer in MADE["answers"]:
        assert f'{answer["option"]} "[{answer["property"]}]"' in command
    key = next(
        k for k in document.getElementsByTagName("RegistryKey") if k.getAttribute("Root") == "HKLM"
    )
    assert key.getAttribute("Key") == rf"Software\Classes\{MADE['url_scheme']}"
    # Links and the menu entry run the windowed twin: no console window opens with them.
    windowed = f"{MADE['windowed_executable']}.exe"
    opened = [v.getAttribute("Value") for v in key.getElementsByTagName("RegistryValue")]
    assert any(windowed in v and '"%1"' in v for v in opened)
    (shortcut,) = document.getElementsByTagName("Shortcut")
    assert shortcut.getAttribute("Target").endswith(windowed) and windowed in command
    assert document.getElementsByTagName("Package")[0].getAttribute("Scope") == "perMachine"
    assert VERSION in rendered and "@" not in rendered.replace("@ ", "")  # every field filled


def test_msiexec_answers_become_the_site_config_the_app_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the custom action runs, with `msiexec /qn PLATFORM_URL=... ISSUER=鼓楼` given."""
    given = {"PLATFORM_URL": "https://pacs.example.cn/dicom-web", "ISSUER": "鼓楼 Gulou"}
    values = {a["property"]: given.get(a["property"], a["default"]) for a in MADE["answers"]}
    command = installer_inputs.write_site_arguments(MADE, quote='"')
    for name, value in values.items():
        command = command.replace(f"[{name}]", value)
    site = tmp_path / "config.toml"
    assert run(["config", "write-site", "--out", str(site), *shlex.split(command)]) == 0
    monkeypatch.setenv("QINGYING_SITE_CONFIG", str(site))
    config = load_config()
    (source,) = config.sources
    assert (source.url, source.issuer, source.auth) == (
        given["PLATFORM_URL"],
        "鼓楼 Gulou",
        "basic",
    )
    assert config.locked == ("sources", "cache.dir") and config.cache.max_size == 20 * 10**9


def test_a_site_config_it_did_not_write_is_left_as_it_is(tmp_path: Path) -> None:
    site = tmp_path / "config.toml"
    site.write_text('[ui]\nlanguage = "en"\n', encoding="utf-8")  # IT's own
    assert run(["config", "write-site", "--out", str(site), "--url", "https://x.example"]) == 0
    assert site.read_text(encoding="utf-8") == '[ui]\nlanguage = "en"\n'


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--url", ""], "DICOMweb address is needed"),
        (["--url", "ftp://x.example"], "no valid site configuration"),
        (["--url", "https://x.example", "--auth", "kerberos"], "sign-in kind"),
        (["--url", "https://x.example", "--cache-size", "lots"], "no valid site configuration"),
        (["--url", "https://x.example", "--issuer", "a\nb"], "control characters"),
    ],
)
def test_answers_that_make_no_valid_config_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    site = tmp_path / "config.toml"
    assert run(["config", "write-site", "--out", str(site), *args]) == 2
    assert words in capsys.readouterr().err and not site.exists()


def test_the_mac_bundle_and_the_linux_desktop_entry_take_the_same_url_scheme() -> None:
    plist = installer_inputs.info_plist(MADE, VERSION)
    (kind,) = plist["CFBundleURLTypes"]
    assert kind["CFBundleURLSchemes"] == [MADE["url_scheme"]]
    assert plist["CFBundleShortVersionString"] == VERSION
    desktop = (PACKAGING / "debian" / "qingying.desktop").read_text(encoding="utf-8")
    assert f"MimeType=x-scheme-handler/{MADE['url_scheme']};" in desktop
    from viewer.launch import SCHEME

    assert MADE["url_scheme"] == SCHEME


def test_the_installers_workflow_builds_both_from_the_same_spec_and_inputs() -> None:
    workflow = (PACKAGING / "ci" / "installers.yml").read_text(encoding="utf-8")
    assert "packaging/qingying.spec" in workflow and "scripts/installer_inputs.py" in workflow
    assert "runs-on: windows" in workflow and "runs-on: macos" in workflow
    assert "packaging/macos/build-dmg.sh" in workflow
