"""Where an image file's pixels lie and how they are laid out, told without pydicom.

A volume of a few hundred slices spends most of its loading time in pydicom building
each header. What loading needs is small: the Image Pixel module's layout (PS3.3
C.7.6.3: rows, columns, samples, bits, representation), the Image Plane module's
geometry (C.7.6.2: position, orientation, pixel spacing, thickness), the frame of
reference, the transfer syntax, and where the Pixel Data value starts. :class:`PixelLayout`
holds exactly that; :func:`layout_from_scan` decodes it from a :mod:`viewer.part10` scan
(the cache does so once, when an instance is written, and keeps it in its index), and
:func:`read_layout` from a file's first bytes. Whatever the scan cannot tell for sure (a
VR other than the dictionary's, a value that does not parse, a header longer than the
prefix) gives None, and the caller reads the header with pydicom.

Neither pydicom nor numpy is imported here (the cache writes a layout for each instance
it fetches; a command that only fetches needs neither).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from viewer import part10
from viewer.instance_file import Readable, open_instance

if TYPE_CHECKING:
    from viewer.imaging.geometry import SliceGeometry

# Uncompressed syntaxes whose Pixel Data is the stored values, little endian, as is.
NATIVE_LITTLE_ENDIAN = frozenset(
    {part10.IMPLICIT_VR_LITTLE_ENDIAN, part10.EXPLICIT_VR_LITTLE_ENDIAN}
)

_KEYWORDS = (
    "SamplesPerPixel",
    "PhotometricInterpretation",
    "PlanarConfiguration",
    "NumberOfFrames",
    "Rows",
    "Columns",
    "BitsAllocated",
    "BitsStored",
    "HighBit",
    "PixelRepresentation",
    "ImagePositionPatient",
    "ImageOrientationPatient",
    "FrameOfReferenceUID",
    "PixelSpacing",
    "SliceThickness",
    "SpacingBetweenSlices",
)


_TAGS = {part10.tag_of(k): k for k in _KEYWORDS}
LAYOUT_TAGS = frozenset(_TAGS)
_VRS = {tag: part10.vr_of(tag).encode() for tag in _TAGS}


@dataclass(frozen=True)
class PixelLayout:
    transfer_syntax: str
    rows: int
    columns: int
    samples_per_pixel: int
    photometric: str
    frames: int
    bits_allocated: int
    bits_stored: int
    high_bit: int | None
    pixel_representation: int
    # Offset of the Pixel Data value in the file and its length (part10.UNDEFINED_LENGTH
    # when encapsulated).
    pixel_offset: int
    pixel_length: int
    position: tuple[float, ...]  # as in the file: () when absent
    orientation: tuple[float, ...]
    pixel_spacing: tuple[float, ...]
    spacing_hint: float | None  # Spacing Between Slices, else Slice Thickness
    frame_of_reference: str

    @property
    def native_single_frame(self) -> bool:
        """Uncompressed little-endian pixels of one frame: one read fills the slice."""
        return (
            self.transfer_syntax in NATIVE_LITTLE_ENDIAN
            and self.frames == 1
            and self.pixel_length != part10.UNDEFINED_LENGTH
        )

    def geometry(self) -> SliceGeometry | None:
        # Imported here: the geometry needs numpy, which the cache's writing does not.
        from viewer.imaging.geometry import plane_geometry

        return plane_geometry(
            self.position,
            self.orientation,
            self.rows,
            self.columns,
            self.pixel_spacing,
            self.frame_of_reference,
            self.spacing_hint,
        )

    def to_json(self) -> str:
        # vars, not dataclasses.asdict: the fields are plain values and tuples of them,
        # and asdict's deep copy was most of the Python time of indexing an instance.
        return json.dumps(vars(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> PixelLayout | None:
        """The layout stored by :meth:`to_json`; None for anything else."""
        try:
            fields = json.loads(text)
            for key in ("position", "orientation", "pixel_spacing"):
                fields[key] = tuple(fields[key])
            return cls(**fields)
        except (ValueError, TypeError, KeyError):
            return None


def read_layout(path: Readable) -> PixelLayout | None:
    """The layout of a file (or an instance in a pack) from its first bytes; None when
    pydicom must read it."""
    try:
        with open_instance(path) as fh:
            prefix = fh.read(part10.PREFIX_BYTES)
    except OSError:
        return None
    return layout_from_prefix(prefix, len(prefix) < part10.PREFIX_BYTES)


def layout_from_prefix(prefix: bytes, whole: bool) -> PixelLayout | None:
    """None also when the bytes make the scanner fail in any way (a damaged file): the
    caller then reads the header with pydicom, whose failure says what is wrong."""
    try:
        found = part10.scan(prefix, whole, frozenset(), LAYOUT_TAGS)  # (the syntax it always says)
        return layout_from_scan(found)
    except part10.UnhandledError:
        return None
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException:  # damaged bytes: what fails is pydicom's to report
        return None


def layout_from_scan(found: part10.Scan) -> PixelLayout | None:
    """The layout from a scan that asked for (at least) LAYOUT_TAGS and reached Pixel
    Data; None otherwise, or when a value is not what the dictionary says it is."""
    if found.pixel_data is None:
        return None
    values: dict[str, str | int] = {}
    for tag, (vr, raw) in found.elements.items():
        keyword = _TAGS.get(tag)
        if keyword is None:
            continue
        expected = _VRS[tag]
        if vr is not None and vr != expected:
            return None  # UN or a wrong VR: pydicom has its own rules for those
        if expected == b"US":
            if len(raw) != 2:
                return None
            values[keyword] = part10.U16.unpack(raw)[0]
        else:
            values[keyword] = raw.decode("latin-1").strip("\x00 ")
    try:
        return _layout(found, values)
    except (ValueError, OverflowError):  # a value no int or float holds: unknown layout
        return None


def _layout(found: part10.Scan, values: dict[str, str | int]) -> PixelLayout | None:
    if "Rows" not in values or "Columns" not in values or "BitsAllocated" not in values:
        return None
    bits_allocated = int(values["BitsAllocated"])
    hint = _numbers(values.get("SpacingBetweenSlices")) or _numbers(values.get("SliceThickness"))
    offset, length = found.pixel_data or (0, 0)
    return PixelLayout(
        transfer_syntax=found.transfer_syntax,
        rows=int(values["Rows"]),
        columns=int(values["Columns"]),
        samples_per_pixel=int(values.get("SamplesPerPixel", 1)),
        photometric=str(values.get("PhotometricInterpretation", "")).split("\\")[0].strip(),
        frames=_frames(values.get("NumberOfFrames")),
        bits_allocated=bits_allocated,
        bits_stored=int(values.get("BitsStored", bits_allocated)),
        high_bit=int(values["HighBit"]) if "HighBit" in values else None,
        pixel_representation=int(values.get("PixelRepresentation", 0)),
        pixel_offset=offset,
        pixel_length=length,
        position=tuple(_numbers(values.get("ImagePositionPatient"))),
        orientation=tuple(_numbers(values.get("ImageOrientationPatient"))),
        pixel_spacing=tuple(_numbers(values.get("PixelSpacing"))),
        spacing_hint=hint[0] if hint else None,
        frame_of_reference=str(values.get("FrameOfReferenceUID", "")).split("\\")[0].strip(),
    )


def _frames(text: str | int | None) -> int:
    numbers = _numbers(text)
    return int(numbers[0]) if numbers and numbers[0] else 1


def _numbers(text: str | int | None) -> list[float]:
    """The values of a DS or IS element (PS3.5 §6.2: backslash-separated decimal text)."""
    if text is None or text == "":
        return []
    values = [float(part) for part in str(text).split("\\")]
    if not all(math.isfinite(v) for v in values):
        # PS3.5 §6.2 allows no such DS/IS value; a position or spacing of inf would
        # reach the geometry as if measured. The layout is then unknown (ValueError).
        raise ValueError("a number that is not finite")
    return values


def native_pixel_bytes(
    rows: int, columns: int, samples: int, bits_allocated: int, frames: int, photometric: str
) -> int:
    """Bytes native (uncompressed) Pixel Data needs: Rows × Columns × Samples per Pixel ×
    Bits Allocated × Frames bits (PS3.5 §8.1.1), where YBR_FULL_422 stores two samples a
    pixel, not three (PS3.3 C.7.6.3.1.2)."""
    stored = rows * columns * samples
    if photometric.strip().upper() == "YBR_FULL_422":
        stored = stored * 2 // 3
    return math.ceil(stored * bits_allocated * max(frames, 1) / 8)
