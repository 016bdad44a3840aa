"""Scrolling and windowing a 300-slice 512×512 int16 CT in SliceScene, against bare VTK.

Ours, per frame, as the reading view does it: ``OpenSeries.set_slice`` +
``SliceScene.refresh_slice`` + ``render`` (scroll), and ``OpenSeries.set_window`` (the
core's 65 536-entry display table built anew) + ``refresh_window`` + ``render`` (a W/L
drag). Baseline, same run, same window size and volume memory: a plain vtkImageActor
over the same vtkImageData, its display extent moved (scroll) or its property's
ColorWindow/ColorLevel changed (W/L), then ``Render``; no lookup table at all, the
image filling the window as in ours. Both render offscreen (``vtkOSOpenGLRenderWindow``,
Mesa) into a 512×512 window; rounds interleaved, best and median of each round's mean
per frame.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

import numpy as np
from pydicom.dataset import Dataset

from bench.common import offscreen_window
from viewer.imaging.geometry import Stack
from viewer.imaging.volume import Volume

SLICES, SIZE = 300, 512
ROUNDS = 5


def ct_series() -> Any:
    """A synthetic CT (stored int16, HU = stored - 1024) open as the session opens one."""
    from viewer.session.reading import OpenSeries

    rng = np.random.default_rng(7)
    yy, xx = np.mgrid[:SIZE, :SIZE]
    body = ((xx - 256) / 220.0) ** 2 + ((yy - 256) / 170.0) ** 2 < 1
    plane = np.where(body, 1064, 24).astype(np.int16)
    voxels = np.empty((SLICES, SIZE, SIZE), np.int16)
    for k in range(SLICES):
        voxels[k] = plane + rng.integers(-20, 20, (SIZE, SIZE), dtype=np.int16)
    ds = Dataset()
    ds.Modality, ds.PatientID, ds.PhotometricInterpretation = "CT", "BENCH", "MONOCHROME2"
    # BENCH_BITS=12: stored as most CT scanners write (12 bits, unsigned, 4 096 values);
    # default 16 bits signed: the widest table a CT can need (65 536 values).
    bits = int(os.environ.get("BENCH_BITS", "16"))
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, bits, bits - 1
    ds.PixelRepresentation = 1 if bits == 16 else 0
    ds.RescaleSlope, ds.RescaleIntercept = 1, -1024
    ds.WindowCenter, ds.WindowWidth = 40, 400
    ds.Rows = ds.Columns = SIZE
    stack = Stack(
        indices=tuple(range(SLICES)),
        distances=tuple(float(k) for k in range(SLICES)),
        origin=(0.0, 0.0, 0.0),
        row_cosine=(1.0, 0.0, 0.0),
        column_cosine=(0.0, 1.0, 0.0),
        normal=(0.0, 0.0, 1.0),
        pixel_spacing=(0.7, 0.7),
        slice_spacing=1.0,
        slice_step=(0.0, 0.0, 1.0),
        rows=SIZE,
        columns=SIZE,
    )
    volume = Volume(voxels, stack, [ds] * SLICES, [], (), np.ones(SLICES, bool))
    return OpenSeries("1.2.3", "1.2.3.4", volume)


def window() -> Any:
    return offscreen_window(SIZE)


def ours(series: Any) -> tuple[Any, Any, Any]:
    from viewer.render.slice_scene import SliceScene

    scene = SliceScene(window())
    scene.show(series)
    scene.render()

    def scroll(k: int) -> None:
        series.set_slice(k)
        scene.refresh_slice()
        scene.render()

    def wl(k: int) -> None:
        series.set_window(40 + k % 50, 400 + k % 70)
        scene.refresh_window()
        scene.render()

    return scene, scroll, wl


def bare(series: Any) -> tuple[Any, Any, Any]:
    import vtkmodules.vtkRenderingOpenGL2  # noqa: F401
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.vtkCommonDataModel import vtkImageData
    from vtkmodules.vtkRenderingCore import vtkImageActor, vtkRenderer

    voxels = series.volume.voxels
    image = vtkImageData()
    image.SetDimensions(SIZE, SIZE, SLICES)
    image.SetSpacing(0.7, 0.7, 1.0)
    image.GetPointData().SetScalars(numpy_to_vtk(voxels.reshape(-1), deep=False))
    actor = vtkImageActor()
    actor.SetInputData(image)
    actor.GetProperty().SetInterpolationTypeToNearest()
    actor.GetProperty().SetColorLevel(40 + 1024)
    actor.GetProperty().SetColorWindow(400)
    renderer = vtkRenderer()
    renderer.AddViewProp(actor)
    win = window()
    win.AddRenderer(renderer)
    actor.SetDisplayExtent(0, SIZE - 1, 0, SIZE - 1, 0, 0)
    renderer.ResetCamera()
    camera = renderer.GetActiveCamera()
    camera.ParallelProjectionOn()
    # Filling the window as SliceScene's fit does: Mesa's time grows with the pixels
    # covered, and ResetCamera alone leaves a margin (a baseline ~30 % cheaper).
    camera.SetParallelScale(SIZE * 0.7 / 2)
    # Every slice between the clipping planes, set once: ResetCamera's range holds the
    # first slice only, and a clipped slice renders black, much faster (a first version
    # of this bench measured that: 1.2-1.5 ms against ~3 ms drawn).
    camera.SetClippingRange(1.0, 10_000.0)
    win.Render()

    def scroll(k: int) -> None:
        actor.SetDisplayExtent(0, SIZE - 1, 0, SIZE - 1, k, k)
        win.Render()

    def wl(k: int) -> None:
        actor.GetProperty().SetColorLevel(40 + 1024 + k % 50)
        actor.GetProperty().SetColorWindow(400 + k % 70)
        win.Render()

    return (image, win), scroll, wl


def per_frame(step: Any, frames: int) -> float:
    start = time.perf_counter()
    for k in range(frames):
        step(k)
    return (time.perf_counter() - start) / frames


def main() -> dict[str, float]:
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkOSOpenGLRenderWindow")
    os.environ.setdefault("MESA_SHADER_CACHE_DISABLE", "true")
    series = ct_series()
    keep_ours, ours_scroll, ours_wl = ours(series)
    keep_bare, bare_scroll, bare_wl = bare(series)
    times: dict[str, list[float]] = {name: [] for name in ("bs", "os", "bw", "ow")}
    for _ in range(ROUNDS):  # interleaved: the machine's load falls on both alike
        times["bs"].append(per_frame(bare_scroll, SLICES))
        times["os"].append(per_frame(ours_scroll, SLICES))
        series.set_slice(SLICES // 2)
        times["bw"].append(per_frame(bare_wl, 100))
        times["ow"].append(per_frame(ours_wl, 100))
    best = {name: min(values) * 1000 for name, values in times.items()}
    median = {name: statistics.median(values) * 1000 for name, values in times.items()}
    print(f"SliceScene, {SLICES} x {SIZE}x{SIZE} int16, offscreen {SIZE}x{SIZE} (ms/frame):")
    for label, b, o in (("scroll", "bs", "os"), ("W/L", "bw", "ow")):
        print(
            f"  {label:6} bare VTK {best[b]:6.2f} (median {median[b]:6.2f})"
            f"  SliceScene {best[o]:6.2f} (median {median[o]:6.2f})"
            f"  ratio {best[o] / best[b]:.2f}x (median {median[o] / median[b]:.2f}x)"
        )
    del keep_ours, keep_bare
    return {
        "scroll_ms": best["os"],
        "scroll_ratio": best["os"] / best["bs"],
        "wl_ms": best["ow"],
        "wl_ratio": best["ow"] / best["bw"],
    }


if __name__ == "__main__":
    main()
