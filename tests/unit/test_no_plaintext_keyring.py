"""No plain-text keyring can sneak in: keyrings.alt is neither installed nor required.

keyrings.alt silently becomes keyring's default backend when it is installed and keeps
passwords as base64 in a file; viewer.secrets would then "store" them in plain text.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import tomllib
from pathlib import Path

import keyring.backend

REPO = Path(__file__).resolve().parents[2]
FORBIDDEN = "keyrings-alt"  # the normalised distribution name (PEP 503)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _is_plaintext(backend: object) -> bool:
    cls = type(backend)
    return cls.__module__.startswith("keyrings.alt") or "plaintext" in cls.__name__.lower()


def test_keyrings_alt_is_not_importable() -> None:
    if importlib.util.find_spec("keyrings") is not None:  # the namespace other plugins share
        assert importlib.util.find_spec("keyrings.alt") is None
    installed = {_normalise(d.metadata["Name"] or "") for d in importlib.metadata.distributions()}
    assert FORBIDDEN not in installed


def test_no_keyring_backend_comes_from_keyrings_alt() -> None:
    plugins = importlib.metadata.entry_points(group="keyring.backends")
    assert [ep.value for ep in plugins if ep.value.startswith("keyrings.alt")] == []
    assert [b for b in keyring.backend.get_all_keyring() if _is_plaintext(b)] == []


def _requirement_names(path: Path) -> set[str]:
    names = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):  # options such as -r, -c, --index-url
            continue
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", line)
        if match:
            names.add(_normalise(match.group()))
    return names


def test_requirement_files_do_not_list_keyrings_alt() -> None:
    files = sorted(REPO.glob("requirements*.txt")) + sorted(REPO.glob("constraints*.txt"))
    assert REPO / "constraints.txt" in files and REPO / "requirements.txt" in files
    for path in files:
        names = _requirement_names(path)
        assert "keyring" in names or path.name != "constraints.txt"  # the parser works
        assert FORBIDDEN not in names, f"{path.name} lists keyrings.alt"


def test_pyproject_does_not_depend_on_keyrings_alt() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    names = {_normalise(re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0]) for r in requirements}
    assert FORBIDDEN not in names


def test_system_packages_do_not_include_keyrings_alt() -> None:
    listed = REPO / "scripts" / "system-packages.txt"
    if listed.is_file():
        assert "keyrings.alt" not in listed.read_text(encoding="utf-8").lower()
