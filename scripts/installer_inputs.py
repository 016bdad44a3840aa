"""The Windows and macOS installers' inputs, rendered from packaging/product.toml.

usage: python scripts/installer_inputs.py OUT_DIR

Writes OUT_DIR/qingying.wxs (WiX v4: a per-machine MSI of the PyInstaller bundle, IT's
answers as public properties for ``msiexec /qn PLATFORM_URL=... AUTH=...``, the
``qingying://`` handler in the registry, and a deferred custom action that runs
``qingying config write-site`` with the answers) and OUT_DIR/Info.plist (the macOS
bundle's, with the URL scheme). The Debian package asks the same answers through debconf
(packaging/debian/templates); tests/unit/test_installer_inputs.py checks that all three
name the same answers and that each reaches a real option of ``config write-site``.
"""

from __future__ import annotations

import plistlib
import sys
import tomllib
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

ROOT = Path(__file__).resolve().parents[1]


def product() -> dict[str, Any]:
    with (ROOT / "packaging" / "product.toml").open("rb") as f:
        return tomllib.load(f)


def version() -> str:
    namespace: dict[str, str] = {}
    exec((ROOT / "viewer" / "__init__.py").read_text(encoding="utf-8"), namespace)  # noqa: S102
    return namespace["__version__"]


def write_site_arguments(made: dict[str, Any], quote: str = "&quot;") -> str:
    """The ``config write-site`` options, each with its MSI property ([NAME])."""
    return " ".join(f"{a['option']} {quote}[{a['property']}]{quote}" for a in made["answers"])


def wix(made: dict[str, Any], ver: str) -> str:
    properties = "\n".join(
        f'    <Property Id={quoteattr(a["property"])} Secure="yes"'
        + (f" Value={quoteattr(a['default'])}" if a["default"] else "")
        + " />"
        for a in made["answers"]
    )
    exe = made["executable"]
    template = (ROOT / "packaging" / "windows" / "qingying.wxs.in").read_text(encoding="utf-8")
    return (
        template.replace("@NAME@", made["name"])
        .replace("@PUBLISHER@", made["publisher"])
        .replace("@VERSION@", ver)
        .replace("@UPGRADE_CODE@", made["upgrade_code"])
        .replace("@SCHEME@", made["url_scheme"])
        .replace("@EXEW@", made["windowed_executable"])
        .replace("@EXE@", exe)
        .replace("@PROPERTIES@", properties)
        .replace("@WRITE_SITE_ARGS@", write_site_arguments(made))
    )


def info_plist(made: dict[str, Any], ver: str) -> dict[str, Any]:
    """The macOS bundle's Info.plist (PyInstaller's BUNDLE merges it in too)."""
    return {
        "CFBundleName": made["name"],
        "CFBundleDisplayName": made["name"],
        "CFBundleIdentifier": made["identifier"],
        "CFBundleShortVersionString": ver,
        "CFBundleVersion": ver,
        "CFBundleExecutable": made["executable"],
        "LSMinimumSystemVersion": "11.0",
        "NSHighResolutionCapable": True,
        "CFBundleURLTypes": [
            {
                "CFBundleURLName": f"{made['identifier']}.launch",
                "CFBundleURLSchemes": [made["url_scheme"]],
            }
        ],
    }


def main(out: Path) -> None:
    made, ver = product(), version()
    out.mkdir(parents=True, exist_ok=True)
    (out / "qingying.wxs").write_text(wix(made, ver), encoding="utf-8")
    (out / "Info.plist").write_bytes(plistlib.dumps(info_plist(made, ver)))
    print(f"wrote {out / 'qingying.wxs'} and {out / 'Info.plist'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
