"""The reading view's bar: back to the history, whose images these are, a note, the
layout buttons, linking, MPR and compare with prior.

Made on the view (:func:`build_bar` sets its widgets as the view's attributes, which the
view and its tests read); the words are the view's (translation context "ReadingView").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy

from viewer.session.layout import GRIDS
from widgets.measure_palette import ToolsButton

if TYPE_CHECKING:
    from widgets.reading_view import ReadingView


def build_bar(view: ReadingView) -> QHBoxLayout:
    bar = QHBoxLayout()
    bar.setContentsMargins(8, 4, 8, 4)
    view.back_button = QPushButton(QCoreApplication.translate("ReadingView", "← History"), view)
    view.back_button.setToolTip(
        QCoreApplication.translate("ReadingView", "Back to the imaging history (Esc)")
    )
    view.back_button.clicked.connect(view.back_requested)
    view.title = QLabel(view)
    view.title.setObjectName("ReadingTitle")
    # The bar never widens the window: a long title is cut, not the viewports.
    view.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    view.patients_warning = QLabel(view)
    view.patients_warning.setObjectName("TwoPatientsWarning")
    # Its own sheet, not the theme's: this red must hold whatever style is in force.
    view.patients_warning.setStyleSheet(
        "color: #ffffff; background: #b3261e; font-weight: bold; padding: 3px 8px;"
    )
    view.patients_warning.hide()
    view.note = QLabel(view)
    view.note.setObjectName("ReadingNote")
    bar.addWidget(view.back_button)
    bar.addWidget(view.title, 1)
    bar.addWidget(view.note)
    view.grid_buttons = {}
    for name, tip in (
        ("1x1", QCoreApplication.translate("ReadingView", "One viewport (Ctrl+1)")),
        ("1x2", QCoreApplication.translate("ReadingView", "Two side by side (Ctrl+2)")),
        ("2x1", QCoreApplication.translate("ReadingView", "Two, one above the other (Ctrl+3)")),
        ("2x2", QCoreApplication.translate("ReadingView", "Four viewports (Ctrl+4)")),
        ("3x3", QCoreApplication.translate("ReadingView", "Nine viewports (Ctrl+9)")),
    ):
        button = QPushButton(name.replace("x", "×"), view)
        button.setObjectName("GridButton")
        button.setCheckable(True)
        button.setToolTip(tip)
        button.clicked.connect(lambda _=False, name=name: view.set_grid(GRIDS[name]))
        bar.addWidget(button)
        view.grid_buttons[name] = button
    view.link_button = QPushButton(QCoreApplication.translate("ReadingView", "Link"), view)
    view.link_button.setObjectName("LinkButton")
    view.link_button.setCheckable(True)
    view.link_button.setChecked(True)
    view.link_button.setToolTip(
        QCoreApplication.translate(
            "ReadingView",
            "Scroll the viewports together by position (L). Turned on, it links the "
            "images now on screen, across studies too: line up a prior first.",
        )
    )
    view.link_button.clicked.connect(lambda checked: view.set_linking(checked))
    bar.addWidget(view.link_button)
    view.mpr_button = QPushButton(QCoreApplication.translate("ReadingView", "MPR"), view)
    view.mpr_button.setObjectName("LinkButton")
    view.mpr_button.setCheckable(True)
    view.mpr_button.setToolTip(
        QCoreApplication.translate(
            "ReadingView", "Axial, coronal and sagittal planes of this series, one point shared (M)"
        )
    )
    view.mpr_button.clicked.connect(lambda _=False: view.toggle_mpr())
    bar.addWidget(view.mpr_button)
    view.prior_button = QPushButton(QCoreApplication.translate("ReadingView", "Prior"), view)
    view.prior_button.setObjectName("LinkButton")
    view.prior_button.setToolTip(
        QCoreApplication.translate(
            "ReadingView",
            "Compare with prior (P): the nearest earlier study of this kind, from any "
            "hospital, beside this one",
        )
    )
    view.prior_button.clicked.connect(lambda _=False: view.compare_requested.emit())
    bar.addWidget(view.prior_button)
    view.tools_button = ToolsButton(view)
    view.tools_button.chosen.connect(view.choose_tool)
    view.tools_button.key_action.triggered.connect(
        lambda _=False: view.active.measuring.toggle_key_image()
    )
    view.tools_button.send_action.triggered.connect(
        lambda _=False: view.series is not None and view.send_requested.emit(view.series.study_uid)
    )
    bar.addWidget(view.tools_button)
    return bar
