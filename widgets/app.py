"""Start the Qt application: style, fonts, translations, then the main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from viewer import __version__
from viewer.config import Config, load_config
from viewer.errors import QingyingError
from viewer.launch import LaunchRequest
from widgets import resources
from widgets.main_window import MainWindow

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from widgets.view_command import ViewOptions

# Chinese patient names must never fall back to boxes: list CJK families explicitly,
# the first one installed wins (Noto on Linux, YaHei on Windows, PingFang on macOS).
UI_FONT_FAMILIES = [
    "Noto Sans",
    "Noto Sans CJK SC",
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "Source Han Sans SC",
]


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Qingying")
    app.setApplicationDisplayName("轻影 Qingying")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Qingying")
    app.setWindowIcon(QIcon(str(resources.icon_path("qingying.svg"))))
    font = QFont()
    font.setFamilies(UI_FONT_FAMILIES)
    font.setPointSize(10)
    app.setFont(font)
    app.setStyleSheet(resources.stylesheet())
    return app


def choose_language(config_language: str | None) -> str:
    """The config's ``ui.language``, else the system's: Chinese locales get zh_CN."""
    if config_language:
        return config_language
    return "zh_CN" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def install_translation(app: QApplication, language: str) -> QTranslator | None:
    qm = resources.translation_file(language)
    translator = QTranslator(app)
    if qm.is_file() and translator.load(str(qm)):
        app.installTranslator(translator)
        return translator
    return None


def run_gui(config_path: Path | None, view: ViewOptions | LaunchRequest | None = None) -> int:
    """The window until it is closed; with ``view`` (the ``view`` command) on a cached
    series, or drawn, written as a picture and closed (:mod:`widgets.view_command`); with
    a launch (the ``open`` command, a ``qingying://`` link) on that patient's history.

    One window per user session: a launch, or the app started again, while a window
    runs is handed to that window (:mod:`widgets.launch_server`) and this process ends."""
    launch = view if isinstance(view, LaunchRequest) else None
    shown = None if isinstance(view, LaunchRequest) else view
    if shown is not None:
        from widgets.view_command import prefer_offscreen

        prefer_offscreen(shown)  # before the application: Qt picks its platform then
    app = create_application()
    server = None
    if shown is None:
        from widgets.launch_server import LaunchServer, hand_over

        server = LaunchServer(app)
        if hand_over(launch) or (not server.listen() and hand_over(launch)):
            # The running window shows it (the other of two starts at once, maybe).
            if config_path is not None:
                print(
                    f"qingying: a window is open already; it keeps its configuration "
                    f"({config_path} not used)",
                    file=sys.stderr,
                )
            return 0
    try:
        config: Config = load_config(config_path)
    except QingyingError as err:
        if shown is not None:
            raise  # the command line says it in its one line, no dialog to wait on
        return _config_refused(app, err)
    install_translation(app, choose_language(config.ui.language))
    window = MainWindow(config)
    if shown is not None:
        from widgets.view_command import show_view

        return show_view(app, window, shown)
    window.show()
    # Said once the window's first events ran: what a start-up benchmark of the bundle
    # waits for (bench/bench_gui_start.py), and IT in a --debug log.
    QTimer.singleShot(0, lambda: log.info("the window is shown"))
    assert server is not None
    from widgets.launch_binding import show_launch

    server.requested.connect(lambda request: show_launch(window, request))
    from widgets.launch_server import OpenedUrls

    links = OpenedUrls(app)  # macOS: a link clicked while the app runs
    app.installEventFilter(links)
    links.requested.connect(lambda request: show_launch(window, request))
    if launch is not None:
        show_launch(window, launch)
    try:
        return app.exec()
    finally:
        server.close()


def _config_refused(app: QApplication, err: QingyingError) -> int:
    print(f"qingying: {err}", file=sys.stderr)
    install_translation(app, choose_language(None))  # the system's: no config to ask
    said = QCoreApplication.translate("App", "The configuration cannot be used:")
    QMessageBox.critical(None, "Qingying", f"{said}\n\n{err}")
    return int(err.exit_code)
