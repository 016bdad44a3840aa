"""The core runs where Qt is absent: every module of viewer/ imports with PySide6 blocked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter whose import system refuses Qt, as if it were not installed.
PROBE = """
import importlib, importlib.abc, pkgutil, sys

class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6", "widgets"):
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)")
        return None

sys.meta_path.insert(0, NoQt())
import viewer
names = [m.name for m in pkgutil.walk_packages(viewer.__path__, "viewer.")]
for name in names:
    importlib.import_module(name)
print(len(names))
"""


def test_every_core_module_imports_with_pyside6_absent() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 3  # the walk really found modules


def test_the_probe_would_catch_a_qt_import(tmp_path: Path) -> None:
    # Guard against a probe that cannot fail: a module importing Qt must break it.
    pkg = tmp_path / "viewer"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "bad.py").write_text("import PySide6.QtCore\n")
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "blocked by the test" in result.stderr
