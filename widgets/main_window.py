"""The main window: sources on the left, the work area in the middle, status below."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from viewer import __version__
from viewer.config import Config, SourceConfig


class MainWindow(QMainWindow):
    def __init__(self, config: Config) -> None:
        super().__init__()
        self._config = config
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("Qingying — imaging history"))
        self.resize(1280, 800)
        self.setCentralWidget(self._build_work_area())
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self._build_sources_dock())
        self._build_menus()
        self._show_status()

    def _build_work_area(self) -> QWidget:
        area = QWidget(self)
        area.setObjectName("WorkArea")
        layout = QVBoxLayout(area)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("轻影 Qingying", area)
        title.setObjectName("EmptyStateTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel(
            self.tr("Search for a patient to see their imaging history from every hospital."),
            area,
        )
        hint.setObjectName("EmptyStateHint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        layout.addWidget(hint)
        return area

    def _build_sources_dock(self) -> QDockWidget:
        dock = QDockWidget(self.tr("Sources"), self)
        dock.setObjectName("SourcesDock")
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.sources_list = QListWidget(dock)
        self.sources_list.setObjectName("SourcesList")
        for source in self._config.sources:
            item = QListWidgetItem(source.name, self.sources_list)
            item.setToolTip(self._describe_source(source))
        if not self._config.sources:
            empty = QListWidgetItem(self.tr("No source configured"), self.sources_list)
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
        dock.setWidget(self.sources_list)
        return dock

    def _describe_source(self, source: SourceConfig) -> str:
        lines = [source.url, self.tr("Authentication: %1").replace("%1", source.auth)]
        if source.username:
            lines.append(self.tr("User: %1").replace("%1", source.username))
        if source.issuer:
            lines.append(self.tr("Patient ID issuer: %1").replace("%1", source.issuer))
        return "\n".join(lines)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about_action = QAction(self.tr("&About Qingying"), self)
        about_action.triggered.connect(self._show_about)
        help_menu.addAction(about_action)

    def _show_status(self) -> None:
        count = len(self._config.sources)
        files = ", ".join(str(p) for p in self._config.files) or self.tr("built-in defaults")
        self.statusBar().showMessage(
            self.tr("%1 source(s) configured · configuration: %2")
            .replace("%1", str(count))
            .replace("%2", files)
        )

    def _show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Qingying"),
            self.tr(
                "<b>轻影 Qingying</b> %1<br>"
                "A viewer for a regional imaging platform: one patient's studies from every "
                "hospital, so that films are no longer carried and exams not repeated."
            ).replace("%1", __version__),
        )
