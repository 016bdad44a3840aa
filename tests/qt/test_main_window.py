"""The main window shows what the configuration says, in the chosen language."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QApplication

from viewer.config import load_config
from widgets.app import create_application, install_translation
from widgets.main_window import MainWindow

pytestmark = pytest.mark.qt

CONFIG = """
[[sources]]
name = "provincial"
url = "http://127.0.0.1:8142/dicom-web"
username = "doctor"
issuer = "JS-EMPI"

[[sources]]
name = "gulou-pacs"
url = "http://127.0.0.1:8143/dicom-web"
username = "doctor"
issuer = "NJGL"
"""


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def test_main_window_lists_every_configured_source(qtbot, config_file: Path) -> None:  # type: ignore[no-untyped-def]
    create_application()
    window = MainWindow(load_config(config_file))
    qtbot.addWidget(window)
    assert window.sources_dock.source_names() == ["provincial", "gulou-pacs"]
    assert "NJGL" in window.sources_dock.source_rows[1].toolTip()
    assert "2" in window.statusBar().currentMessage()


def test_chinese_translation_is_applied(qtbot, config_file: Path) -> None:  # type: ignore[no-untyped-def]
    app = create_application()
    translator = install_translation(app, "zh_CN")
    if translator is None:
        pytest.fail("resources/translations/qingying_zh_CN.qm missing: run make setup")
    try:
        window = MainWindow(load_config(config_file))
        qtbot.addWidget(window)
        assert window.windowTitle() == "轻影 — 影像历史"
    finally:
        QApplication.removeTranslator(translator)


def test_every_string_has_a_chinese_translation() -> None:
    import xml.etree.ElementTree as ET

    ts = Path(__file__).resolve().parents[2] / "resources/translations/qingying_zh_CN.ts"
    root = ET.parse(ts).getroot()  # noqa: S314 (our own file)
    untranslated = []
    for message in root.iter("message"):
        translation = message.find("translation")
        if translation is None or translation.get("type") or not (translation.text or "").strip():
            untranslated.append(message.findtext("source"))
    assert untranslated == [], "fill these in qingying_zh_CN.ts (after make translations)"


def test_the_patient_id_field_has_the_keyboard_when_the_window_opens(
    qtbot, config_file: Path
) -> None:  # type: ignore[no-untyped-def]
    # The first focusable widget made gets the focus: the search panel, not the dock.
    create_application()
    window = MainWindow(load_config(config_file))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    assert window.search_panel.patient_id_edit.hasFocus()


def test_the_translations_hold_every_string_the_widgets_ask_for(tmp_path: Path) -> None:
    """lupdate over the widgets finds nothing new and nothing gone: a text moved to another
    file keeps its context, and a text passed through a variable (which lupdate cannot
    see, so it would reach a Chinese screen in English) is caught as gone."""
    import shutil
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[2]
    ts = tmp_path / "zh_CN.ts"
    shutil.copy(repo / "resources/translations/qingying_zh_CN.ts", ts)
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    widgets = sorted(str(p.relative_to(repo)) for p in (repo / "widgets").glob("*.py"))
    done = subprocess.run(
        [str(lupdate), *widgets, "-ts", str(ts), "-no-obsolete"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    report = done.stdout + done.stderr
    assert "(0 new and" in report, report
    assert "obsolete" not in report, report
