"""Qingying core: everything that does not need Qt.

The package must import and run without PySide6 installed; an import-linter
contract in ``pyproject.toml`` checks that on every CI run.
"""

__version__ = "0.1.0"
