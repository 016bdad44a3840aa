"""The ``view`` command's window: a cached series in the reading view, as the command asks.

The command line has checked everything it can without Qt (``viewer.cli.view_cmd``); what
is left needs the series loaded: the image number within the series, whether it has a
window at all (colour has none), whether a CT preset applies. The series opens as a
double-click opens it (``MainWindow.read_series``: loaded off the UI thread, then shown);
the options are then the reading view's own changes (the series' ``set_slice``,
``set_window``, ``choose_preset``; the scene's ``one_to_one`` and ``zoom``), so the
picture written is the screen a doctor would see, not a second drawing of it.

Errors become :class:`~viewer.errors.QingyingError` raised out of :func:`show_view`: the
command line turns them into its one line and exit code. Messages are English, as the
command line's are.
"""

from __future__ import annotations

import ctypes.util
import os
import sys
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import (
    QEventLoop,
    QMessageLogContext,
    QPoint,
    QRect,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QApplication

from viewer.errors import QingyingError, UsageError
from viewer.session.reading import OpenSeries
from widgets.main_window import MainWindow
from widgets.vtk_qt import QVTKRenderWindowInteractor, fit_offscreen_buffer


class ViewOptions(Protocol):
    """What the window reads of the command's request (``viewer.cli.view_cmd.ViewRequest``,
    which this side may not import: the widgets and the command line are separate layers)."""

    @property
    def study_uid(self) -> str: ...
    @property
    def series_uid(self) -> str: ...
    @property
    def layout(self) -> tuple[int, int]: ...  # rows, columns
    @property
    def window(self) -> tuple[float, float] | None: ...  # center, width
    @property
    def preset(self) -> str | None: ...  # "ct-lung"
    @property
    def slice(self) -> int | None: ...  # 1-based, as the corner counts
    @property
    def zoom(self) -> float | None: ...  # screen pixels per image pixel; None: fitted
    @property
    def size(self) -> tuple[int, int] | None: ...  # width, height
    @property
    def screenshot(self) -> Path | None: ...
    @property
    def viewport_png(self) -> Path | None: ...
    @property
    def mpr(self) -> bool: ...
    @property
    def compare(self) -> bool: ...


def prefer_offscreen(view: ViewOptions) -> None:
    """A picture asked for, no window wanted on screen: Qt's offscreen platform, with VTK
    drawing through OSMesa (with Qt offscreen, VTK's default EGL draws black frames:
    docs of the platform). Only before the application exists, only where OSMesa is
    installed (elsewhere the window shows while it is drawn), never over a choice made
    in the environment."""
    if view.screenshot is None and view.viewport_png is None:
        return
    if QApplication.instance() is not None or not ctypes.util.find_library("OSMesa"):
        return
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkOSOpenGLRenderWindow")


_quiet = False  # quiet_offscreen_notes has put its handler in place


def quiet_offscreen_notes() -> None:
    """Drop the offscreen platform's notes that it cannot raise or size a window ("This
    plugin does not support raise()"): true of every window it draws, and noise in front
    of the one line a command prints. Every other message passes on as before."""
    global _quiet
    if _quiet:
        return
    _quiet = True
    previous = None

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message.startswith("This plugin does not support"):
            return
        if previous is not None:
            previous(kind, context, message)
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)


def show_view(app: QApplication, window: MainWindow, view: ViewOptions) -> int:
    """Open ``view``'s series in ``window``; write the picture asked for and end, or run
    the window until it is closed."""
    if QGuiApplication.platformName() == "offscreen":
        quiet_offscreen_notes()
    window.show()
    try:
        if view.size is not None:
            window.resize(*view.size)
        series = _open(window, view.study_uid, view.series_uid)
        reading = window.reading_view
        assert reading is not None  # made by the series' opening
        _arrange(reading, series, view)
        if view.compare:
            _compare(window, reading, series)
            reading.layout_model.activate(0)  # the options after are the series', not the prior's
        _settle(app)  # the viewport at its final size before a zoom is set against it
        if view.zoom is not None:
            reading.scene.one_to_one(view.zoom)  # image pixels on screen pixels
        reading.redraw()
        if view.screenshot is not None:
            _check_size(window, view.size)
            write_image(window_image(window), view.screenshot)
        elif view.viewport_png is not None:
            from viewer.imaging.export import export_png

            export_png(viewport_image(reading, series.colour), view.viewport_png)
        else:
            return app.exec()
    finally:
        close(window)
    return 0


def close(window: MainWindow) -> None:
    """Close ``window`` and let each VTK area's OpenGL context go while its native window
    still exists: left to the widgets' destruction, the next window's first render (a
    second command in one process: the tests) may find a context dangling and crash."""
    window.close()
    for area in window.findChildren(QVTKRenderWindowInteractor):
        area.Finalize()


def _open(window: MainWindow, study_uid: str, series_uid: str) -> OpenSeries:
    """The series opened by ``read_series``, waited for (its worker's end, after which the
    window has shown it); what stopped it raised."""
    window.read_series(study_uid, series_uid)
    worker = window.open_worker
    assert worker is not None
    ended: list[object] = []
    loop = QEventLoop()
    # Connected after the window's own slots: when these run, the series is shown.
    worker.finished.connect(lambda result: (ended.append(result), loop.quit()))
    worker.failed.connect(lambda err: (ended.append(err), loop.quit()))
    worker.cancelled.connect(lambda: (ended.append(None), loop.quit()))
    loop.exec()
    outcome = ended[0] if ended else None
    if isinstance(outcome, QingyingError):
        raise outcome
    if not isinstance(outcome, OpenSeries):
        raise QingyingError("the series was not opened")
    return outcome


def _arrange(reading: Any, series: OpenSeries, view: ViewOptions) -> None:
    """The layout, image and window asked for, each as the reading view's own change."""
    reading.set_layout(*view.layout)  # the series stays in the active (first) viewport
    if view.slice is not None:
        if view.slice > series.slice_count:
            raise UsageError(f"--slice {view.slice}: the series has {series.slice_count} images")
        series.set_slice(view.slice - 1)
    if (view.window is not None or view.preset is not None) and series.colour:
        raise UsageError("a colour series has no window: leave out --window and --preset")
    if view.window is not None:
        series.set_window(*view.window)
    if view.preset is not None:
        keys = [p.name for p in series.presets]
        if view.preset not in keys:
            modality = series.identity.modality or "not CT"
            raise UsageError(
                f"--preset {view.preset.removeprefix('ct-')}: the presets are CT windows "
                f"(Hounsfield units); this series is {modality}: use --window"
            )
        series.choose_preset(keys.index(view.preset))
    if view.mpr:
        reading.toggle_mpr()  # through the slice chosen: the point's slice
        if reading.layout_model.cursor is None:
            raise UsageError("--mpr: " + reading.note.text())


def _compare(window: MainWindow, reading: Any, series: OpenSeries) -> None:
    """The prior beside ``series``, as P in the window gives it: the patient's history
    searched first (the sources, else the cache), then the comparer's choice, waited for."""
    from viewer.dicomweb.qido import StudyQuery

    who = series.identity
    window.session.search(StudyQuery(patient_id=who.patient_id, issuer=who.issuer))
    before = len(reading.layout_model.open_series())
    reading.compare_requested.emit()
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(loop.quit)
    for _ in range(600):  # at most a minute: a prior may have to be fetched first
        if len(reading.layout_model.open_series()) > before:
            return
        comparer = window.reading.comparer
        if comparer is not None and comparer.problem:
            raise UsageError("--compare: " + comparer.problem)
        timer.start(100)
        loop.exec()
    raise QingyingError("--compare: the prior did not open within a minute")


def _settle(app: QApplication) -> None:
    """Let the layout and the resize events run out (the reading view redraws after one)."""
    for _ in range(3):
        app.sendPostedEvents()
        app.processEvents()


def _check_size(window: MainWindow, size: tuple[int, int] | None) -> None:
    if size is not None and (window.width(), window.height()) != size:
        least = window.minimumSizeHint()
        raise UsageError(
            f"--size {size[0]}x{size[1]}: the window is at least {least.width()}x{least.height()}"
        )


# -- pictures ---------------------------------------------------------------------------------
def rendered_rgb(render_window: Any) -> npt.NDArray[np.uint8]:
    """What a VTK render window shows, (rows, columns, 3), row 0 at the top (VTK's first
    row is the bottom one). Read back from VTK: Qt's grab() shows its area black."""
    from vtkmodules.util.numpy_support import vtk_to_numpy
    from vtkmodules.vtkRenderingCore import vtkWindowToImageFilter

    grab = vtkWindowToImageFilter()
    grab.SetInput(render_window)
    grab.SetInputBufferTypeToRGB()
    grab.ReadFrontBufferOff()  # the frame just rendered, not what a compositor kept
    grab.Update()
    image = grab.GetOutput()
    width, height, _ = image.GetDimensions()
    pixels = vtk_to_numpy(image.GetPointData().GetScalars()).reshape(height, width, 3)
    return np.ascontiguousarray(pixels[::-1])


def window_image(window: MainWindow) -> QImage:
    """The whole window as it shows: Qt's grab, each visible VTK area painted over it from
    its own render window at its place.

    Each area is drawn first: an empty viewport may never have been (on a screen its
    first paint event draws it; offscreen none comes), and read as it is it holds
    whatever its buffer held, where the screen shows it black."""
    areas = [a for a in window.findChildren(QVTKRenderWindowInteractor) if a.isVisible()]
    for area in areas:
        fit_offscreen_buffer(area.GetRenderWindow())
        area.GetRenderWindow().Render()
    image = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        for area in areas:
            rgb = rendered_rgb(area.GetRenderWindow())
            rows, columns = rgb.shape[:2]
            drawn = QImage(rgb.data, columns, rows, 3 * columns, QImage.Format.Format_RGB888)
            painter.drawImage(QRect(area.mapTo(window, QPoint(0, 0)), area.size()), drawn)
    finally:
        painter.end()
    return image


def viewport_image(reading: Any, colour: bool) -> npt.NDArray[np.uint8]:
    """The active viewport's image area as drawn, without the text over it: (rows,
    columns) for grayscale, as ``export`` writes it, (rows, columns, 3) for colour."""
    scene = reading.scene
    fit_offscreen_buffer(scene.window)
    scene.set_overlays_visible(False)
    try:
        reading.redraw()
        shown = rendered_rgb(scene.window)
    finally:
        scene.set_overlays_visible(True)
        reading.redraw()
    left, bottom, right, top = image_area(scene.renderer, shown.shape[1], shown.shape[0])
    height = shown.shape[0]
    cut = shown[height - top : height - bottom, left:right]
    return np.ascontiguousarray(cut if colour else cut[:, :, 0])


def image_area(renderer: Any, width: int, height: int) -> tuple[int, int, int, int]:
    """Where the image lies in the window (left, bottom, right, top in VTK's display
    pixels, y up), clipped to the renderer's viewport. The image's outer edges are its
    edge pixels' centres half a spacing out (the scene draws edge pixels whole)."""
    from vtkmodules.vtkRenderingCore import vtkImageActor

    props = renderer.GetViewProps()
    actors = [props.GetItemAsObject(i) for i in range(props.GetNumberOfItems())]
    shown = [a for a in actors if isinstance(a, vtkImageActor) and a.GetVisibility()]
    if not shown:
        raise QingyingError("no image is shown")
    x0, x1, y0, y1, z, _ = shown[0].GetBounds()
    sx, sy, _ = shown[0].GetInput().GetSpacing()
    xs, ys = [], []
    for x in (x0 - sx / 2, x1 + sx / 2):
        for y in (y0 - sy / 2, y1 + sy / 2):
            renderer.SetWorldPoint(x, y, z, 1.0)
            renderer.WorldToDisplay()
            dx, dy, _ = renderer.GetDisplayPoint()
            xs.append(dx)
            ys.append(dy)
    vx0, vy0, vx1, vy1 = renderer.GetViewport()
    left = max(round(min(xs)), round(vx0 * width))
    right = min(round(max(xs)), round(vx1 * width))
    bottom = max(round(min(ys)), round(vy0 * height))
    top = min(round(max(ys)), round(vy1 * height))
    if right <= left or top <= bottom:
        raise UsageError("the image lies outside the viewport: try a smaller --zoom")
    return left, bottom, right, top


def write_image(image: QImage, out: Path) -> None:
    """``image`` as a PNG at ``out``, whole or not at all (a temporary file renamed)."""
    part = out.with_name(out.name + ".part")
    if not image.save(str(part), "PNG"):
        part.unlink(missing_ok=True)
        raise QingyingError(f"{out}: the picture could not be written")
    part.replace(out)
