"""Retrieval screens: downloads from study cards, the offline banner, the cache page."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.conftest import DEMO_DATA_DIR
from tests.support.app_cache import app_store
from viewer.cache.store import CacheStore
from viewer.config import Config, load_config
from viewer.demo.platform import RunningPlatform
from viewer.display import display_name
from viewer.retrieve.fetch import fetch_into_cache
from widgets.main_window import MainWindow
from widgets.study_card import StudyCard

from .conftest import sign_in
from .test_history_screen import MAIN_PATIENT, open_window, search

pytestmark = pytest.mark.qt

DEAD_SOURCE = """
[[sources]]
name = "provincial"
url = "http://127.0.0.1:9/dicom-web"
auth = "none"
issuer = "JS-EMPI"
"""


def config_with_cache(tmp_path: Path, sources: str, max_size: str = "20 GB") -> Config:
    """A config whose cache lives in the test's own folder."""
    path = tmp_path / "qingying.toml"
    cache = (tmp_path / "cache").as_posix()
    path.write_text(
        f'[cache]\ndir = "{cache}"\nmax_size = "{max_size}"\n\n{sources}', encoding="utf-8"
    )
    return load_config(path)


def demo_with_cache(tmp_path: Path, platform: RunningPlatform) -> Config:
    return config_with_cache(tmp_path, platform.config_path.read_text(encoding="utf-8"))


def card_for(window: MainWindow, modality: str) -> StudyCard:
    """The newest study card of a modality that a live source holds."""
    return next(
        c
        for c in window.history_view.cards()
        if modality in c.study.record.modalities and c.live_sources
    )


def fill_cache(config: Config) -> CacheStore:
    store = app_store(config.cache.dir, config.cache.max_size)
    report = store.import_path(DEMO_DATA_DIR / "pacs")
    assert report.imported
    return store


class TestDownloadFromACard:
    def test_download_button_fetches_the_study_and_the_card_turns_complete(  # type: ignore[no-untyped-def]
        self, qtbot, tmp_path: Path, platform: RunningPlatform
    ) -> None:
        config = demo_with_cache(tmp_path, platform)
        sign_in(config, platform, "provincial", "gulou")
        window = open_window(qtbot, config)
        search(qtbot, window, patient_id=MAIN_PATIENT)
        card = card_for(window, "DX")
        assert card.cache_state == "none"
        assert card.download_button.isVisible()
        downloads = window.downloads
        assert downloads is not None
        with qtbot.waitSignal(downloads.ended, timeout=60000) as ended:
            qtbot.mouseClick(card.download_button, Qt.MouseButton.LeftButton)
            assert card.cancel_button.isVisible()  # at once: the card says it is running
        assert ended.args[0].state == "complete"
        assert card.cache_state == "complete"
        assert card.cache_label.text() == "cached offline"
        assert not card.download_button.isVisible()
        assert not card.cancel_button.isVisible()
        assert window.store is not None
        assert window.store.study_state(card.study.study_uid) == "complete"
        assert "Downloaded" in card.download_status.text()
        assert not window.download_summary.isVisible()  # nothing runs any more

    def test_cancel_stops_a_download_and_keeps_what_arrived(  # type: ignore[no-untyped-def]
        self, qtbot, tmp_path: Path, platform: RunningPlatform
    ) -> None:
        config = demo_with_cache(tmp_path, platform)
        sign_in(config, platform, "provincial", "gulou")
        window = open_window(qtbot, config)
        search(qtbot, window, patient_id=MAIN_PATIENT)
        card = card_for(window, "MR")
        downloads = window.downloads
        assert downloads is not None
        first_arrived = threading.Event()

        def held_after_first_image(*args: Any, on_progress: Any, cancelled: Any, **kw: Any):  # type: ignore[no-untyped-def]
            # The local server is fast: hold the fetch after its first image until the
            # doctor's Cancel, so the test sees a download stopped half-way.
            def progress(p: Any) -> None:
                on_progress(p)
                if p.instances_done >= 1:
                    first_arrived.set()
                    for _ in range(1000):
                        if cancelled():
                            return
                        threading.Event().wait(0.01)

            return fetch_into_cache(*args, on_progress=progress, cancelled=cancelled, **kw)

        downloads.fetch = held_after_first_image
        qtbot.mouseClick(card.download_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(first_arrived.is_set, timeout=30000)
        qtbot.waitUntil(lambda: "Downloading" in card.download_status.text(), timeout=5000)
        assert window.download_summary.isVisible()
        assert window.download_summary.text().startswith("1 download(s): ")
        with qtbot.waitSignal(downloads.ended, timeout=30000) as ended:
            qtbot.mouseClick(card.cancel_button, Qt.MouseButton.LeftButton)
        assert ended.args[0].cancelled
        assert window.store is not None
        uid = card.study.study_uid
        assert window.store.cached_sop_uids(uid), "what arrived stays cached"
        # The fetch starts before it lists instances, so what is missing is known as a
        # count (the study stays partial), not yet as a list of instances.
        assert window.store.study_state(uid) == "partial"
        assert card.cache_state == "partial"
        assert card.download_button.isVisible()  # downloading again resumes
        assert "cancelled" in card.download_status.text()

    def test_a_refused_sign_in_says_so_on_the_card_with_sign_in(  # type: ignore[no-untyped-def]
        self, qtbot, tmp_path: Path, platform: RunningPlatform
    ) -> None:
        config = demo_with_cache(tmp_path, platform)
        sign_in(config, platform, "provincial", "gulou")
        window = open_window(qtbot, config)
        search(qtbot, window, patient_id=MAIN_PATIENT)
        card = card_for(window, "DX")
        source = window.session.holder_of(card.study)
        # The password is changed under the opened source (as if revoked on the server).
        source._client.session.auth = ("doctor", "wrong")  # type: ignore[attr-defined]
        downloads = window.downloads
        assert downloads is not None
        with qtbot.waitSignal(downloads.ended, timeout=30000) as ended:
            qtbot.mouseClick(card.download_button, Qt.MouseButton.LeftButton)
        assert ended.args[0].error is not None
        assert card.download_status.text() == "sign-in refused"
        assert card.sign_in_button.isVisible()
        with qtbot.waitSignal(window.history_view.sign_in_requested) as asked:
            qtbot.mouseClick(card.sign_in_button, Qt.MouseButton.LeftButton)
        assert asked.args == [source.name]


def test_offline_banner_when_no_source_answers(qtbot, tmp_path: Path, demo_data: Any) -> None:  # type: ignore[no-untyped-def]
    config = config_with_cache(tmp_path, DEAD_SOURCE)
    fill_cache(config).close()
    window = open_window(qtbot, config)
    search(qtbot, window, name="Wang")
    view = window.history_view
    assert view.result is not None and view.result.offline
    assert view.offline_banner is not None and view.offline_banner.isVisible()
    assert view.offline_banner.text().startswith("Offline: no source could be reached")
    cards = view.cards()
    assert cards, "the cache answered"
    assert window.store is not None
    for card in cards:
        assert card.cache_state == window.store.study_state(card.study.study_uid)
        assert card.cache_state != "none"
        assert not card.download_button.isVisible()  # no live source to fetch from
    assert "offline" in window.search_panel.status_label.text()


class TestCachePage:
    def open_page(self, qtbot: Any, tmp_path: Path, max_size: str = "20 GB"):  # type: ignore[no-untyped-def]
        config = config_with_cache(tmp_path, DEAD_SOURCE, max_size)
        fill_cache(config).close()
        window = open_window(qtbot, config)
        window.cache_action.trigger()
        page = window.cache_page.dialog
        assert page is not None and page.isVisible()
        return window, page

    def test_cache_page_lists_studies_and_pin_toggles_the_store(  # type: ignore[no-untyped-def]
        self, qtbot, tmp_path: Path, demo_data: Any
    ) -> None:
        window, page = self.open_page(qtbot, tmp_path)
        store = window.store
        studies = store.studies()
        assert page.table.rowCount() == len(studies) > 0
        assert str(store.root) == page.location_label.text()
        first = studies[0]
        row = page.row_of(first.study_uid)
        assert page.table.item(row, 2).text().startswith(first.patient_id)
        assert page.table.item(row, 1).text() == display_name(first.patient_name)
        item = page.pin_item(first.study_uid)
        assert item is not None and item.checkState() == Qt.CheckState.Unchecked
        item.setCheckState(Qt.CheckState.Checked)
        assert store.study(first.study_uid).pinned
        item.setCheckState(Qt.CheckState.Unchecked)
        assert not store.study(first.study_uid).pinned

    def test_free_space_spares_pinned(  # type: ignore[no-untyped-def]
        self, qtbot, tmp_path: Path, demo_data: Any
    ) -> None:
        window, page = self.open_page(qtbot, tmp_path, max_size="1 KB")
        store = window.store
        studies = store.studies()
        assert len(studies) >= 2
        keep = studies[0].study_uid
        page.pin_item(keep).setCheckState(Qt.CheckState.Checked)
        qtbot.mouseClick(page.free_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not page.busy, timeout=30000)
        assert [s.study_uid for s in store.studies()] == [keep]
        assert page.table.rowCount() == 1
        report = page.report_label.text()
        assert "Freed" in report and "Kept: 1 pinned" in report

    def test_remove_selected_asks_first(  # type: ignore[no-untyped-def]
        self, qtbot, tmp_path: Path, demo_data: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        window, page = self.open_page(qtbot, tmp_path)
        store = window.store
        before = len(store.studies())
        page.table.selectRow(0)
        uid = page.selected_uids()[0]
        answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
        monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: answers.pop(0))
        qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
        assert len(store.studies()) == before  # "No": nothing removed
        qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not page.busy, timeout=30000)
        assert store.study(uid) is None
        assert page.table.rowCount() == before - 1

    def test_verify_import_and_export_report_what_they_did(  # type: ignore[no-untyped-def]
        self, qtbot, tmp_path: Path, demo_data: Any
    ) -> None:
        window, page = self.open_page(qtbot, tmp_path)
        store = window.store
        study_uid = store.studies()[0].study_uid
        before = store.cached_sop_uids(study_uid)
        victim = store.instance_files(study_uid)[0].path
        victim.write_bytes(victim.read_bytes()[:-16] + b"\0" * 16)
        page.verify()
        qtbot.waitUntil(lambda: not page.busy, timeout=60000)
        assert "1 damaged" in page.report_label.text()
        (damaged,) = before - store.cached_sop_uids(study_uid)
        assert f"• {damaged}: checksum mismatch" in page.report_label.text()

        page.import_folder(DEMO_DATA_DIR / "pacs")
        qtbot.waitUntil(lambda: not page.busy, timeout=60000)
        assert page.report_label.text().startswith("Imported ")

        uid = store.studies()[0].study_uid
        out = tmp_path / "export"
        page.export_study(uid, out)
        qtbot.waitUntil(lambda: not page.busy, timeout=60000)
        assert page.report_label.text().startswith("Exported ")
        assert any(out.rglob("*"))
