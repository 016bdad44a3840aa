"""The main window's frame: its menus, the Esc shortcut, the status bar, the About box and
the page shown before the first search.

Functions that take the window and the actions to bind, so that the window's own class
is left with what it binds. The texts were the window's own before they moved here; they
keep the translation context ``MainWindow`` (``QCoreApplication.translate``) so that no
translation is lost.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QPushButton, QVBoxLayout, QWidget

from viewer import __version__
from viewer.config import Config


def build_empty_state(parent: QWidget) -> QWidget:
    """What the work area shows until the first search."""
    empty = QWidget(parent)
    layout = QVBoxLayout(empty)
    layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
    title = QLabel("轻影 Qingying", empty)
    title.setObjectName("EmptyStateTitle")
    title.setAlignment(Qt.AlignmentFlag.AlignCenter)
    hint = QLabel(
        QCoreApplication.translate(
            "MainWindow",
            "Search for a patient to see their imaging history from every hospital.",
        ),
        empty,
    )
    hint.setObjectName("EmptyStateHint")
    hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
    keys = QLabel(
        QCoreApplication.translate("MainWindow", "Ctrl+F search · Enter run · Esc cancel"), empty
    )
    keys.setObjectName("EmptyStateKeys")
    keys.setAlignment(Qt.AlignmentFlag.AlignCenter)
    layout.addWidget(title)
    layout.addWidget(hint)
    layout.addWidget(keys)
    return empty


def build_menus(
    window: QMainWindow,
    *,
    find: Callable[[], None],
    show_cache_page: Callable[[], None],
    prefetch: Callable[[], None],
) -> tuple[QAction, QAction]:
    """File (find, offline cache, prefetch, quit) and Help (About); returns the cache and
    prefetch actions, which need the offline cache."""
    file_menu = window.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&File"))
    find_action = QAction(QCoreApplication.translate("MainWindow", "&Find patient"), window)
    find_action.setShortcut(QKeySequence.StandardKey.Find)
    find_action.triggered.connect(find)
    file_menu.addAction(find_action)
    cache_action = QAction(QCoreApplication.translate("MainWindow", "Offline &cache…"), window)
    cache_action.triggered.connect(show_cache_page)
    file_menu.addAction(cache_action)
    prefetch_action = QAction(
        QCoreApplication.translate("MainWindow", "&Prefetch worklist…"), window
    )
    prefetch_action.setToolTip(
        QCoreApplication.translate(
            "MainWindow",
            "Bring a clinic worklist's patients' recent studies into the offline cache",
        )
    )
    prefetch_action.triggered.connect(prefetch)
    file_menu.addAction(prefetch_action)
    file_menu.addSeparator()
    quit_action = QAction(QCoreApplication.translate("MainWindow", "&Quit"), window)
    quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    quit_action.triggered.connect(window.close)
    file_menu.addAction(quit_action)
    help_menu = window.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&Help"))
    about_action = QAction(QCoreApplication.translate("MainWindow", "&About Qingying"), window)
    about_action.triggered.connect(lambda: show_about(window))
    help_menu.addAction(about_action)
    return cache_action, prefetch_action


def build_shortcuts(window: QMainWindow, cancel_search: Callable[[], None]) -> None:
    # Esc anywhere in the window, not only in the search fields, stops a slow search.
    cancel = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
    cancel.setContext(Qt.ShortcutContext.WindowShortcut)
    cancel.activated.connect(cancel_search)


def build_status_bar(window: QMainWindow, prefetch_button: QPushButton) -> QLabel:
    """The status bar's right end: the running downloads' sum (returned, hidden until a
    download runs), then the running prefetch's button."""
    download_summary = QLabel(window)
    download_summary.setObjectName("DownloadSummary")
    download_summary.hide()
    window.statusBar().addPermanentWidget(download_summary)
    window.statusBar().addPermanentWidget(prefetch_button)
    return download_summary


def disable_without_cache(problem: str, *controls: QWidget | QAction) -> None:
    """The offline cache could not be opened: what needs it is greyed out and says why."""
    for control in controls:
        control.setEnabled(False)
        control.setToolTip(problem)


def say_cache_emptied(window: QMainWindow) -> None:
    """The offline cache's key was lost (the keyring reset): what was sealed under it
    could never be read again, so it was removed. Said until the doctor does something
    else."""
    window.statusBar().showMessage(
        QCoreApplication.translate(
            "MainWindow",
            "The cache's key is gone from the keyring: what it encrypted (cached "
            "studies, unsent measurements) cannot be read and was removed; studies are "
            "fetched again when opened.",
        )
    )


def show_configuration(window: QMainWindow, config: Config) -> None:
    """The status bar's first message: how many sources, read from which files."""
    files = ", ".join(str(p) for p in config.files) or QCoreApplication.translate(
        "MainWindow", "built-in defaults"
    )
    window.statusBar().showMessage(
        QCoreApplication.translate("MainWindow", "%1 source(s) configured · configuration: %2")
        .replace("%1", str(len(config.sources)))
        .replace("%2", files)
    )


def show_about(window: QWidget) -> None:
    QMessageBox.about(
        window,
        QCoreApplication.translate("MainWindow", "About Qingying"),
        QCoreApplication.translate(
            "MainWindow",
            "<b>轻影 Qingying</b> %1<br>"
            "A viewer for a regional imaging platform: one patient's studies from every "
            "hospital, so that films are no longer carried and exams not repeated.",
        ).replace("%1", __version__),
    )
