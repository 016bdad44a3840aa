"""What the corners of a viewport say, in the doctor's language.

Who the images belong to is never optional: patient name (as the file writes it, e.g.
王小东), ID and issuer, birth date and sex in the top left; where and when, the study and
the series in the top right; the image's place in the series bottom left; window and
zoom bottom right. The data come from the open series (:mod:`viewer.session.reading`);
only the words are chosen here. Geometry warnings become one banner line.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication

from viewer.display import display_name, format_date
from viewer.imaging.geometry import GeometryIssue, GeometryWarning
from viewer.imaging.orientation import direction_letters
from viewer.measure.calibration import Basis, Calibration, ImageCalibration, Uncalibrated
from viewer.render.view_plane import ViewPlane, index_directions, plane_kind
from viewer.render.view_turns import ViewTurns
from viewer.session.presets import AUTO, FILE_PRESET, KeyPreset
from viewer.session.reading import OpenSeries


def corner_texts(
    series: OpenSeries, zoom: float, cine_fps: int | None = None, reformat: str = ""
) -> dict[str, str]:
    """The four corners' lines for the current slice, window and ``zoom``; ``cine_fps``
    while the cine plays; ``reformat``: the line that names an MPR plane and its place
    (:func:`reformat_line`), said instead of the slice's."""
    who = series.identity
    unknown = QCoreApplication.translate("ReadingView", "unknown")
    sex = {
        "M": QCoreApplication.translate("ReadingView", "male"),
        "F": QCoreApplication.translate("ReadingView", "female"),
    }.get(who.sex, who.sex)
    top_left = [
        display_name(who.patient_name),
        QCoreApplication.translate("ReadingView", "ID %1 (%2)")
        .replace("%1", who.patient_id or unknown)
        .replace("%2", who.issuer or QCoreApplication.translate("ReadingView", "no issuer")),
        " · ".join(x for x in (format_date(who.birth_date), sex) if x),
    ]
    series_line = " ".join(
        x for x in (str(who.series_number or ""), who.series_description, who.modality) if x
    )
    top_right = [who.institution, format_date(who.study_date), who.study_description]
    top_right.append(
        QCoreApplication.translate("ReadingView", "Series %1").replace("%1", series_line)
    )
    k = series.slice
    bottom_left = [
        reformat
        or QCoreApplication.translate("ReadingView", "Image %1 / %2")
        .replace("%1", str(k + 1))
        .replace("%2", str(series.slice_count))
    ]
    if cine_fps is not None:
        bottom_left.append(
            QCoreApplication.translate("ReadingView", "▶ Cine %1 fps").replace("%1", str(cine_fps))
        )
    stack = series.volume.stack
    # A film has no position; a slice still arriving has none yet (NaN).
    if (
        not reformat
        and stack.placed
        and k < len(stack.distances)
        and np.isfinite(stack.distances[k])
    ):
        # Thickness as the file states it: the spacing between slices may differ (gaps,
        # overlapping reconstructions), and a reader judging partial volume needs this.
        thickness = series.volume.headers[k].get("SliceThickness")
        bottom_left.append(
            QCoreApplication.translate("ReadingView", "Location %1 mm · thickness %2 mm")
            .replace("%1", f"{stack.distances[k]:.1f}")
            .replace("%2", f"{float(thickness):g}" if thickness not in (None, "") else "?")
        )
    window = series.window
    if series.colour:  # no window on colour (PS3.4 N.2): the frames are shown as they are
        voi = QCoreApplication.translate("ReadingView", "Colour")
    elif window is not None:
        voi = (
            QCoreApplication.translate("ReadingView", "W %1  L %2")
            .replace("%1", f"{window.width:g}")
            .replace("%2", f"{window.center:g}")
        )
    else:
        voi = QCoreApplication.translate("ReadingView", "VOI LUT of the file")
    zoom_text = QCoreApplication.translate("ReadingView", "Zoom %1").replace("%1", f"{zoom:.2f}")
    bottom_right = [voi, zoom_text]
    if series.preset is not None:
        bottom_right.insert(0, preset_label(series.preset))
    if series.inverted:
        bottom_right.insert(-1, QCoreApplication.translate("ReadingView", "Inverted"))
    return {
        "top-left": "\n".join(line for line in top_left if line),
        "top-right": "\n".join(line for line in top_right if line),
        "bottom-left": "\n".join(bottom_left),
        "bottom-right": "\n".join(bottom_right),
    }


def preset_label(preset: KeyPreset) -> str:
    """A key preset's name in the doctor's words: the CT window's name, the file's own
    explanation of its window (else its number), or the auto-window."""
    if preset.name == AUTO:
        return QCoreApplication.translate("ReadingView", "Auto window (1–99 %)")
    if preset.name == FILE_PRESET:
        return preset.explanation or QCoreApplication.translate(
            "ReadingView", "Window %1 of the file"
        ).replace("%1", str(preset.number))
    names = {
        "ct-brain": QCoreApplication.translate("ReadingView", "Brain window"),
        "ct-subdural": QCoreApplication.translate("ReadingView", "Subdural window"),
        "ct-stroke": QCoreApplication.translate("ReadingView", "Stroke window"),
        "ct-lung": QCoreApplication.translate("ReadingView", "Lung window"),
        "ct-mediastinum": QCoreApplication.translate("ReadingView", "Mediastinum window"),
        "ct-abdomen": QCoreApplication.translate("ReadingView", "Abdomen window"),
        "ct-liver": QCoreApplication.translate("ReadingView", "Liver window"),
        "ct-bone": QCoreApplication.translate("ReadingView", "Bone window"),
    }
    return names.get(preset.name, preset.name)


def warning_words(warning: GeometryWarning) -> str:
    value = "" if warning.value is None else f"{warning.value:.1f}"
    words = {
        GeometryIssue.NO_POSITION: QCoreApplication.translate(
            "ReadingView", "images without a position"
        ),
        GeometryIssue.NO_PIXEL_SPACING: QCoreApplication.translate(
            "ReadingView", "no pixel spacing: distances are not real"
        ),
        GeometryIssue.MISSING_SLICES: QCoreApplication.translate(
            "ReadingView", "missing slices (gap %1 mm)"
        ),
        GeometryIssue.UNEVEN_SPACING: QCoreApplication.translate(
            "ReadingView", "uneven slice spacing"
        ),
        GeometryIssue.GANTRY_TILT: QCoreApplication.translate("ReadingView", "gantry tilt %1°"),
        GeometryIssue.DUPLICATE_POSITIONS: QCoreApplication.translate(
            "ReadingView", "two images at one position"
        ),
        GeometryIssue.MIXED_ORIENTATION: QCoreApplication.translate(
            "ReadingView", "images of other orientations left out"
        ),
        GeometryIssue.MIXED_SIZE: QCoreApplication.translate(
            "ReadingView", "images of another size left out"
        ),
        GeometryIssue.MIXED_FRAME_OF_REFERENCE: QCoreApplication.translate(
            "ReadingView", "images of another frame of reference left out"
        ),
    }
    return words.get(warning.issue, warning.message).replace("%1", value)


def warning_banner(warnings: tuple[GeometryWarning, ...]) -> str:
    """One line naming each kind of geometry problem once; empty when there is none."""
    seen: dict[GeometryIssue, str] = {}
    for warning in warnings:
        seen.setdefault(warning.issue, warning_words(warning))
    return ("⚠ " + " · ".join(seen.values())) if seen else ""


def series_banner(series: OpenSeries) -> str:
    """The series' geometry warnings, but "no pixel spacing" only when nothing else
    calibrates it either: a radiograph's Imager Pixel Spacing or an ultrasound's regions
    do (the scale bar says which), and a banner saying distances are not real would lie."""
    calibrated = series.calibration.single() is not None or bool(series.calibration.regions)
    # Ultrasound regions that no longer fit the image (resized after they were written)
    # are said as what they are, not as "no pixel spacing".
    unfit = series.calibration.whole.why is Uncalibrated.REGIONS_OUTSIDE_IMAGE
    banner = warning_banner(
        tuple(
            w
            for w in series.warnings
            if not ((calibrated or unfit) and w.issue is GeometryIssue.NO_PIXEL_SPACING)
        )
    )
    if not unfit:
        return banner
    said = QCoreApplication.translate(
        "ReadingView", "ultrasound regions do not fit the image: distances are not real"
    )
    return f"⚠ {said}" + (f" · {banner.removeprefix('⚠ ')}" if banner else "")


NICE_MM = (1, 2, 5, 10, 20, 50, 100, 200, 500)
SCALE_BAR_PX = 100  # about this long on screen


def scale_bar(
    series: OpenSeries,
    zoom: float,
    fine: float | None = None,
    calibration: ImageCalibration | None = None,
) -> tuple[float | None, str]:
    """A bar of a round number of mm about :data:`SCALE_BAR_PX` long at ``zoom`` (screen
    pixels per image pixel along the finer spacing ``fine`` the image is laid out in, by
    default the pixel spacing's), as long as the overlay must draw it (in laid-out
    units) and its label. A radiograph or an ultrasound image is laid out in pixels and
    measured in its calibration's mm (:attr:`OpenSeries.calibration`), which the label
    names. Uncalibrated, no bar and the word "uncalibrated": a length drawn over an
    assumed 1 mm would lie."""
    # The image's own, or the manual one the doctor drew on it (as its measurements use).
    said = (calibration or series.calibration).single()
    spaced = not any(w.issue is GeometryIssue.NO_PIXEL_SPACING for w in series.warnings)
    laid = min(series.volume.stack.pixel_spacing) if fine is None else fine
    true = laid  # mm an image pixel along the finer axis, as measured
    if said is not None and said.basis is not Basis.PIXEL_SPACING:
        # A radiograph at its detector, an ultrasound region, a manual calibration:
        # lengths in its mm an image pixel, said with the bar as with every measurement.
        true = min(said.row_mm, said.column_mm)
    elif spaced:  # in the patient: the spacing the image (or an MPR plane) is laid in
        said = None
    else:
        return None, QCoreApplication.translate("ReadingView", "uncalibrated")
    wanted = SCALE_BAR_PX * true / max(zoom, 1e-6)
    length = min(NICE_MM, key=lambda mm: abs(mm - wanted))
    # The overlay draws in the units the image is laid out in: the true length's share.
    return float(length) * laid / true, _bar_words(length, said)


def _bar_words(length: int, calibration: Calibration | None) -> str:
    """The bar's label: its length, and where it is true when not in the patient."""
    basis = calibration.basis if calibration is not None else Basis.PIXEL_SPACING
    if basis is Basis.DETECTOR:
        text = QCoreApplication.translate("ReadingView", "%1 mm at detector")
    elif basis is Basis.MAGNIFICATION:
        assert calibration is not None and calibration.magnification is not None
        text = QCoreApplication.translate(
            "ReadingView", "%1 mm at detector ÷ magnification %2"
        ).replace("%2", f"{calibration.magnification:g}")
    elif basis is Basis.US_REGION:
        text = QCoreApplication.translate("ReadingView", "%1 mm (ultrasound region)")
    elif basis is Basis.MANUAL:
        text = QCoreApplication.translate("ReadingView", "%1 mm (manual calibration)")
    else:
        text = QCoreApplication.translate("ReadingView", "%1 mm")
    return text.replace("%1", str(length))


def orientation_letters(
    series: OpenSeries, turns: ViewTurns | ViewPlane
) -> tuple[str, str, str, str]:
    """Left, right, top, bottom edge letters from Image Orientation (Patient), for the
    image as ``turns`` (or an MPR plane) lies on screen: a stored column step is the row
    cosine in the patient, a stored row step the column cosine (PS3.3 C.7.6.2.1.1), a
    slice step the stack's, so the screen's right and up are those directions combined
    as the plane says. None for a stack whose cosines are not its own (a film without
    Patient Orientation): a letter would be a guess."""
    stack = series.volume.stack
    if not stack.oriented:
        return "", "", "", ""
    plane = ViewPlane.stack(turns) if isinstance(turns, ViewTurns) else turns
    directions = stack_directions(series)
    right, up = directions @ np.asarray(plane.right), directions @ np.asarray(plane.up)
    return (
        direction_letters(-right),
        direction_letters(right),
        direction_letters(up),
        direction_letters(-up),
    )


def stack_directions(series: OpenSeries) -> np.ndarray:
    """The patient direction of each index axis of the series' volume (view_plane.py)."""
    stack = series.volume.stack
    return index_directions(stack.row_cosine, stack.column_cosine, stack.slice_step)


def reformat_line(series: OpenSeries, axis: int, position: int, count: int) -> str:
    """ "Coronal 128 / 256": an MPR plane's kind and its place along its axis."""
    kind = plane_kind(stack_directions(series), axis)
    words = {
        "axial": QCoreApplication.translate("ReadingView", "Axial %1 / %2"),
        "coronal": QCoreApplication.translate("ReadingView", "Coronal %1 / %2"),
        "sagittal": QCoreApplication.translate("ReadingView", "Sagittal %1 / %2"),
    }
    return words[kind].replace("%1", str(position + 1)).replace("%2", str(count))


def slice_placeholder(series: OpenSeries) -> str:
    """What stands in for the current slice when it has no image: why ("" when it has).
    A slice that cannot be decoded says its reason; one still on its way says so."""
    volume, k = series.volume, series.slice
    reason = volume.failed.get(k)
    if reason is not None:
        return (
            QCoreApplication.translate("ReadingView", "Image %1 cannot be shown: %2")
            .replace("%1", str(k + 1))
            .replace("%2", reason)
        )
    ready = volume.ready
    if ready.size == series.slice_count and not bool(ready[k]):
        return QCoreApplication.translate("ReadingView", "Image %1 not yet received").replace(
            "%1", str(k + 1)
        )
    return ""
