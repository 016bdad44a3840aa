"""While patient access cannot be recorded, the window says so (and to call IT), and the
doctor can go on; once recording works again, the warning goes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt

from tests.qt.reading_support import window_searched
from tests.unit.test_session_model import PATIENT, ct_cd
from viewer.errors import AuditKeyUnavailableError

pytestmark = pytest.mark.qt


def search_again(qtbot: Any, window: Any) -> None:
    with qtbot.waitSignal(window.history_view.shown, timeout=30000):
        qtbot.keyClick(window.search_panel.patient_id_edit, Qt.Key.Key_Return)


def test_the_window_says_when_patient_access_goes_unrecorded_and_when_it_is_again(
    qtbot: Any, tmp_path: Path, memory_keyring: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _study, _series = ct_cd(tmp_path)
    window = window_searched(qtbot, folder, tmp_path, PATIENT.patient_id)
    assert not window.audit_warning.isVisible()  # the first search was recorded
    trail = window.session.audit._trail
    record = trail.record

    def locked(_event: object) -> None:
        raise AuditKeyUnavailableError("no system keyring is available")

    monkeypatch.setattr(trail, "record", locked)
    search_again(qtbot, window)
    qtbot.waitUntil(window.audit_warning.isVisible, timeout=5000)
    assert "not being recorded in the audit trail" in window.audit_warning.text()
    assert "keyring" in window.audit_warning.text()
    assert window.history_view.cards()  # the search itself went on
    monkeypatch.setattr(trail, "record", record)
    search_again(qtbot, window)
    qtbot.waitUntil(lambda: not window.audit_warning.isVisible(), timeout=5000)
