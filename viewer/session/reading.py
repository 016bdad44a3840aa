"""A series open for reading: its volume, who it belongs to, its window and its slice.

The reading view draws what this says and changes it only through its methods, so the
window and slice a doctor sets are the session's, not a widget's, and every change is
an event (``window_changed``, ``slice_changed``). The display pipeline is the core's one
grayscale chain (:mod:`viewer.imaging.display`, PS3.4 Annex N), or for a colour series
the RGB frames :func:`viewer.imaging.export.display_image` gave: the screen shows
exactly what ``export`` writes for the same window, inverted or not (the inversion is
the chain's own, ``GrayscaleChain.inverted``, event ``inverted_changed``). Which window
each key 1–9 gives is :mod:`viewer.session.presets`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
from psygnal import Signal
from pydicom.dataset import Dataset

from viewer.imaging.display import (
    MAX_TABLE_BITS,
    DisplayLUT,
    GrayscaleChain,
    apply_display_lut,
    display_lut,
    display_lut_for_bits,
    grayscale_chain,
    to_display,
)
from viewer.imaging.geometry import GeometryWarning
from viewer.imaging.modality_lut import Rescale, apply_modality
from viewer.imaging.voi_lut import VOI, Window
from viewer.imaging.volume import Volume
from viewer.measure.calibration import image_calibration
from viewer.measure.image import MeasuredImage, image_of
from viewer.session.presets import AUTO, KeyPreset, auto_window, key_presets


@dataclass(frozen=True)
class SeriesIdentity:
    """Who and what a series is, as its first image says: what every viewport shows.

    Text is as the file decodes it (a Chinese name in its own script); empty where the
    file is silent. Read once, so a viewport never mixes two images' answers.
    """

    patient_name: str
    patient_id: str
    issuer: str
    birth_date: str
    sex: str
    institution: str
    study_date: str
    study_description: str
    series_number: int | None
    series_description: str
    modality: str

    @classmethod
    def of(cls, ds: Dataset) -> SeriesIdentity:
        def text(keyword: str) -> str:
            value = ds.get(keyword)
            return "" if value is None else str(value).strip()

        number = ds.get("SeriesNumber")
        try:
            series_number = int(number) if number not in (None, "") else None
        except (TypeError, ValueError):
            series_number = None  # a damaged number is shown as none, not guessed
        return cls(
            patient_name=text("PatientName"),
            patient_id=text("PatientID"),
            issuer=text("IssuerOfPatientID"),
            birth_date=text("PatientBirthDate"),
            sex=text("PatientSex"),
            institution=text("InstitutionName"),
            study_date=text("StudyDate"),
            study_description=text("StudyDescription"),
            series_number=series_number,
            series_description=text("SeriesDescription"),
            modality=text("Modality"),
        )

    def same_patient(self, other: SeriesIdentity) -> bool:
        """Whether two series are known to be one patient's: the same PatientID under the
        same IssuerOfPatientID. Never on the name alone (two 王伟 are two people); no ID is
        no patient known (two series without one are two patients, as far as anyone can
        tell); and an ID without its issuer names a patient only with the name and birth
        date agreeing too (the same number at two hospitals is two people)."""
        if not self.patient_id or self.patient_id != other.patient_id:
            return False
        if self.issuer and other.issuer:
            return self.issuer == other.issuer
        return (self.patient_name, self.birth_date) == (other.patient_name, other.birth_date)


def one_patient(a: OpenSeries, b: OpenSeries) -> bool:
    """Two open series known to be one patient's: of one study (a study is one
    patient's), or of studies whose identities say so (:meth:`SeriesIdentity.same_patient`)."""
    return a is b or a.study_uid == b.study_uid or a.identity.same_patient(b.identity)


class OpenSeries:
    """One loaded series and how it is shown now.

    ``window_changed`` carries the new :class:`Window`, ``slice_changed`` the new slice
    index (in stack order, 0 … ``slice_count - 1``), ``inverted_changed`` whether the
    reader has inverted the grey scale. ``preset`` is the key preset (or auto-window) in
    use, None once the window is dragged or reset. While open, the study is leased in
    the cache (:meth:`hold`) so eviction leaves its files alone.
    """

    window_changed = Signal(object)  # Window
    slice_changed = Signal(int)
    inverted_changed = Signal(bool)

    def __init__(
        self,
        study_uid: str,
        series_uid: str,
        volume: Volume,
        *,
        first: Dataset | None = None,
        window_pixels: npt.NDArray[Any] | None = None,
    ) -> None:
        """``first`` is the header that names the series (default: the first slice's);
        ``window_pixels`` the stored values a file without a window is windowed on
        (default: every slice; a series still arriving passes those it has)."""
        self.study_uid = study_uid
        self.series_uid = series_uid
        self.volume = volume
        self._leases = contextlib.ExitStack()
        first = volume.headers[0] if first is None else first
        self.identity = SeriesIdentity.of(first)
        self._header = first
        # The size of a pixel as measurements take it (viewer.measure.calibration): the
        # scale bar says the same, a radiograph's at the detector, an ultrasound's region's.
        self.calibration = image_calibration(first)
        # Colour frames are 8-bit RGB already (viewer.imaging.frames): no window, no
        # inversion, no presets (PS3.4 N.2: the VOI LUT applies to grayscale only).
        self.colour = volume.voxels.ndim == 4
        # One window for the whole series: the file's first, else the range of every slice.
        self._default = (
            GrayscaleChain(Rescale(1.0, 0.0), Window(127.5, 256.0), False)
            if self.colour
            else grayscale_chain(
                first, pixels=volume.voxels if window_pixels is None else window_pixels
            )
        )
        self.chain: GrayscaleChain = self._default
        self.slice = 0
        self.presets: tuple[KeyPreset, ...] = () if self.colour else key_presets(first)
        self.preset: KeyPreset | None = None
        self._range: tuple[int, int] | None = None  # _held_range's, for _range_of
        self._range_of: Volume | None = None
        self._slices_of: tuple[Volume, dict[tuple[str, int], int]] | None = None
        if not self.colour:
            self._held_range()  # here, on the loading thread, not at the first draw

    # -- what is shown --------------------------------------------------------------------
    @property
    def slice_count(self) -> int:
        return int(self.volume.voxels.shape[0])

    @property
    def warnings(self) -> tuple[GeometryWarning, ...]:
        return self.volume.warnings

    @property
    def window(self) -> Window | None:
        """The current window; None while the file's own VOI LUT table is in use, and
        always for colour."""
        if self.colour:
            return None
        voi = self.chain.voi
        return voi if isinstance(voi, Window) else None

    @property
    def inverted(self) -> bool:
        """Whether the reader inverted the grey scale (a MONOCHROME1 image shown as the
        file asks is not inverted here, though its chain inverts)."""
        return self.chain.inverted != self._default.inverted

    def display_table(self) -> DisplayLUT | None:
        """The current chain as a table (for VTK's lookup table): over the stored values
        the volume holds once every slice is here (a 16-bit CT holds a few thousand of
        its 65 536, and a W/L drag builds the table at every step), else over every
        value the stored bits allow (a slice yet to arrive may hold any). None when the
        stored values are too wide for a table, or the series is colour."""
        if self.colour:
            return None
        bits = int(self._header.get("BitsStored", 16))
        if bits > MAX_TABLE_BITS:
            return None
        held = self._held_range()
        if held is not None:
            return display_lut(self.chain, *held)
        signed = int(self._header.get("PixelRepresentation", 0)) == 1
        return display_lut_for_bits(self.chain, bits, signed)

    def _held_range(self) -> tuple[int, int] | None:
        """(lowest, highest) stored value of a whole volume, found once per volume (a
        series still arriving has none yet: its range may still grow)."""
        volume = self.volume
        ready = volume.ready
        if ready.size and not bool(ready.all()):
            return None
        if self._range_of is not volume:
            voxels = volume.voxels
            self._range = (int(voxels.min()), int(voxels.max())) if voxels.size else None
            self._range_of = volume
        return self._range

    # -- what a measurement reads ------------------------------------------------------------
    def image_at(self, k: int | None = None) -> MeasuredImage | None:
        """Slice ``k`` (default: the current) as a measurement sees it — its modality
        values, calibration and place, from the voxels shown (so a value is of what is on
        screen); None for a slice not here (arriving, or that cannot be decoded)."""
        k = self.slice if k is None else k
        volume = self.volume
        if not 0 <= k < self.slice_count or (volume.ready.size and not volume.ready[k]):
            return None
        stored = None if self.colour else volume.voxels[k]
        return image_of(volume.headers[k], volume.frame_of(k), stored)

    def image_key(self, k: int | None = None) -> tuple[str, int]:
        """(SOP Instance UID, frame) of slice ``k``: the image a measurement belongs to."""
        k = self.slice if k is None else k
        return str(self.volume.headers[k].get("SOPInstanceUID", "")), self.volume.frame_of(k)

    def slice_of(self, sop_instance_uid: str, frame: int) -> int | None:
        """The slice showing that image, None when this series does not hold it (the
        headers read once a volume: a 300-slice CT's, about a tenth of a second)."""
        volume = self.volume
        if self._slices_of is None or self._slices_of[0] is not volume:
            found = {self.image_key(k): k for k in range(self.slice_count)}
            if volume.ready.size and not bool(volume.ready.all()):
                return found.get((sop_instance_uid, frame))  # still arriving: not kept
            self._slices_of = (volume, found)
        return self._slices_of[1].get((sop_instance_uid, frame))

    def display_slice(self, k: int | None = None) -> npt.NDArray[np.uint8]:
        """8-bit display values of slice ``k`` (default: the current one): (rows,
        columns), or (rows, columns, 3) for colour."""
        stored = self.volume.voxels[self.slice if k is None else k]
        if self.colour:
            return np.asarray(stored, dtype=np.uint8)
        table = self.display_table()
        return to_display(stored, self.chain) if table is None else apply_display_lut(stored, table)

    # -- what the doctor changes ------------------------------------------------------------
    def set_window(self, center: float, width: float) -> None:
        """A linear window (PS3.3 C.11.2.1.2); the width is at least 1, as the standard
        asks. The function of the file's window (e.g. SIGMOID) is kept. Nothing on colour."""
        if self.colour:
            return
        current = self.window
        function = current.function if current is not None else Window(0, 1).function
        window = Window(float(center), max(1.0, float(width)), function)
        self._show_voi(window, None)

    def reset_window(self) -> None:
        """The file's own window back (the inversion stays as the reader set it)."""
        if self.colour:
            return
        self._show_voi(self._default.voi, None)

    def choose_preset(self, index: int) -> bool:
        """The window of key ``index + 1`` (see :attr:`presets`); False when the key has none."""
        if not 0 <= index < len(self.presets):
            return False
        chosen = self.presets[index]
        self._show_voi(chosen.voi, chosen)
        return True

    def auto_window(self) -> None:
        """A window from the current slice's modality values (the 1st to the 99th
        percentile, :mod:`viewer.session.presets`), the file's padding left out; nothing
        on colour."""
        if self.colour:
            return
        stored = self.volume.voxels[self.slice]
        kept = stored[~self._padding(stored)]
        window = auto_window(apply_modality(kept, self.chain.modality))
        if window is not None:
            self._show_voi(window, KeyPreset(AUTO, window))

    def invert(self) -> None:
        """Invert the grey scale, or undo it: the chain's Presentation LUT step, so the
        screen and export invert alike. Nothing on colour (no grey scale to invert)."""
        if self.colour:
            return
        self.chain = replace(self.chain, inverted=not self.chain.inverted)
        self.inverted_changed.emit(self.inverted)

    def set_slice(self, k: int) -> None:
        """Go to slice ``k``, kept within the series."""
        k = min(max(0, int(k)), self.slice_count - 1)
        if k != self.slice:
            self.slice = k
            self.slice_changed.emit(k)

    def step(self, delta: int) -> None:
        self.set_slice(self.slice + delta)

    def _show_voi(self, voi: VOI, preset: KeyPreset | None) -> None:
        changed = voi != self.chain.voi or preset != self.preset
        self.preset = preset
        if changed:
            self.chain = replace(self.chain, voi=voi)
            self.window_changed.emit(voi)

    def _padding(self, stored: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
        """Pixel Padding Value (0028,0120), with its Range Limit (0028,0121): pixels
        outside the patient (a CT's circle), no tissue to window on (PS3.3 C.7.5.1.1.2)."""
        pad = self._header.get("PixelPaddingValue")
        if not isinstance(pad, int):
            return np.zeros(stored.shape, dtype=bool)
        limit = self._header.get("PixelPaddingRangeLimit")
        if not isinstance(limit, int):
            return np.asarray(stored == pad)
        return np.asarray((stored >= min(pad, limit)) & (stored <= max(pad, limit)))

    def hold(self, lease: contextlib.AbstractContextManager[Any]) -> None:
        """Keep ``lease`` (already entered: the cache's hold on the study) until closed."""
        self._leases.push(lease)

    def close(self) -> None:
        """Let the cache evict the study again."""
        self._leases.close()
