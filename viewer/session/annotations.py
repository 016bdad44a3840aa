"""The measurements and notes of one study: what the doctor drew, undoable, kept.

A measurement is a tool, its points in image coordinates and the image it belongs to
(SOP Instance UID and frame, PS3.3's way of naming an image: it survives a series read
again in another order, or at another hospital). Its values are not kept: they are
computed again from the image each time (:func:`viewer.measure.tools.measure`), so a
value is never out of step with the pixels or the calibration it states.

Every change is a step that can be undone and redone (Ctrl+Z, Ctrl+Y): adding, moving a
point (one step per drag, however many moves it showed on the way), changing a note,
removing. Each step is written to the study's file at once
(:mod:`viewer.session.annotation_file`), so a measurement survives a crash or a restart
as the images do.

Events (psygnal): ``changed(Annotation | None, Annotation | None)`` — (before, after):
(None, a) added, (a, None) removed, (a, b) changed — for every step, undo and redo, and
for the live moves of a drag (``record=False``), which the screen follows too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from psygnal import Signal

from viewer.measure.calibration import ImageCalibration, manual_calibration
from viewer.measure.image import MeasuredImage
from viewer.measure.shapes import Point
from viewer.measure.tools import Tool, check_points
from viewer.uids import require_uid

Step = tuple["Annotation | None", "Annotation | None"]  # (before, after)


@dataclass(frozen=True)
class Annotation:
    uid: str  # this measurement's own id (a UUID's hex), stable across edits
    tool: Tool
    points: tuple[Point, ...]  # image coordinates: column, row; pixel centres at integers
    series_uid: str
    sop_instance_uid: str
    frame: int  # 1-based
    text: str = ""  # a note (the text tool's; any measurement may carry one)
    known_mm: float | None = None  # a calibration line's true length, as the doctor said
    # Where the doctor moved its label, from where it sits by itself (image pixels).
    label_offset: Point = (0.0, 0.0)
    # The values a report read back stated (its concept name, value), to compare with
    # those computed here: another workstation may have measured in another calibration.
    reported: tuple[tuple[str, float], ...] = ()

    @classmethod
    def new(
        cls,
        tool: Tool,
        points: Sequence[Point],
        image: tuple[str, str, int],
        text: str = "",
        known_mm: float | None = None,
    ) -> Annotation:
        """A new measurement on ``image`` (series UID, SOP Instance UID, frame)."""
        check_points(tool, points)
        if (tool is Tool.CALIBRATE) != (known_mm is not None):
            raise ValueError("a calibration line, and only one, has a known length")
        series_uid, sop, frame = image
        require_uid(series_uid, "SeriesInstanceUID")  # an image not here names none
        require_uid(sop, "SOPInstanceUID")
        pts = tuple((float(x), float(y)) for x, y in points)
        return cls(uuid.uuid4().hex, tool, pts, series_uid, sop, frame, text, known_mm)

    @classmethod
    def key_image(cls, image: tuple[str, str, int]) -> Annotation:
        """The mark of a key image: one per image, its id the image's own (a report of
        key images read back, or marked twice, is the same mark)."""
        series_uid, sop, frame = image
        require_uid(sop, "SOPInstanceUID")
        # By the instance: a Key Object Selection names instances, not frames, so a mark
        # read back from one is this very mark.
        uid = uuid.uuid5(uuid.NAMESPACE_OID, f"key:{sop}").hex
        return cls(uid, Tool.KEY, (), series_uid, sop, frame)

    def with_point(self, index: int, point: Point) -> Annotation:
        points = list(self.points)
        points[index] = (float(point[0]), float(point[1]))
        # Moved, it is another measurement than the one a report stated values for.
        return replace(self, points=tuple(points), reported=())

    def with_label_offset(self, offset: Point) -> Annotation:
        return replace(self, label_offset=(float(offset[0]), float(offset[1])))

    def on(self, sop_instance_uid: str, frame: int) -> bool:
        return (self.sop_instance_uid, self.frame) == (sop_instance_uid, frame)


class StudyAnnotations:
    """Every measurement of one study, in the order drawn; see the module's docstring.
    ``save`` is called with every measurement (and the ids removed) after each
    recorded step; what it returns (another writer's measurements, saved meanwhile) is
    taken in, not as a step of this doctor's."""

    changed = Signal(object, object)  # before, after
    saved = Signal()  # one of the doctor's own steps written (not a drag's move)

    def __init__(
        self,
        study_uid: str,
        found: Sequence[Annotation] = (),
        save: Callable[[list[Annotation], set[str]], list[Annotation] | None] = (
            lambda _items, _removed: None
        ),
        removed: set[str] | None = None,
    ) -> None:
        self.study_uid = study_uid
        self._items: dict[str, Annotation] = {a.uid: a for a in found}
        self._save = save
        # Ids the doctor removed: kept, so that a report holding one (ours sent and
        # fetched back, say) does not bring it back.
        self.removed: set[str] = set(removed or ())
        self._done: list[Step] = []
        self._undone: list[Step] = []

    # -- what there is ------------------------------------------------------------------
    @property
    def items(self) -> list[Annotation]:
        return list(self._items.values())

    def get(self, uid: str) -> Annotation | None:
        return self._items.get(uid)

    def on_image(self, sop_instance_uid: str, frame: int) -> list[Annotation]:
        return [a for a in self._items.values() if a.on(sop_instance_uid, frame)]

    def calibrated(self, image: MeasuredImage, series_uid: str) -> MeasuredImage:
        """``image`` in the manual calibration the doctor drew on it (one an image: the
        line's known length over its length in pixels, the pixels' shape kept,
        :func:`viewer.measure.calibration.manual_calibration`); else as it is. Only on
        the image it was drawn on — another image of the series may be of another scale
        (an ultrasound at another depth, a magnified view) — and never over ultrasound
        regions, which calibrate each part of the image on its own (Doppler in seconds)."""
        if image.calibration.regions:
            return image
        lines = [
            a
            for a in self.on_image(image.sop_instance_uid, image.frame)
            if a.tool is Tool.CALIBRATE and a.series_uid == series_uid and a.known_mm
        ]
        if not lines:
            return image
        line = lines[0]
        assert line.known_mm is not None
        start, end = line.points
        try:
            manual = manual_calibration(image.calibration.whole, start, end, line.known_mm)
        except ValueError:  # a line of no length: no calibration from it
            return image
        return replace(image, calibration=ImageCalibration(manual))

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    # -- what the doctor does ----------------------------------------------------------
    def add(self, annotation: Annotation) -> None:
        if annotation.uid in self._items:
            raise ValueError("that measurement is here already")
        self._step(None, annotation)

    def remove(self, uid: str) -> None:
        found = self._items.get(uid)
        if found is not None:
            self._step(found, None)

    def change(
        self, after: Annotation, *, record: bool = True, before: Annotation | None = None
    ) -> None:
        """``after`` in place of the measurement of its uid. ``record=False`` shows a
        drag's move (no step, nothing written); the drag's end records one step from
        ``before`` (what it was when the drag began) to ``after``."""
        current = self._items.get(after.uid)
        if current is None:
            raise KeyError(after.uid)
        if not record:
            self._items[after.uid] = after
            self.changed.emit(current, after)
            return
        self._step(before if before is not None else current, after)

    def undo(self) -> None:
        if self._done:
            before, after = self._done.pop()
            self._apply(after, before)
            self._undone.append((before, after))

    def redo(self) -> None:
        if self._undone:
            before, after = self._undone.pop()
            self._apply(before, after)
            self._done.append((before, after))

    # -- inside ---------------------------------------------------------------------------
    def _step(self, before: Annotation | None, after: Annotation | None) -> None:
        self._done.append((before, after))
        self._undone.clear()  # a new step: what was undone is gone
        self._apply(before, after)

    def _apply(self, before: Annotation | None, after: Annotation | None) -> None:
        """The measurement that was ``before`` becomes ``after`` (None: there is none)."""
        either = after if after is not None else before
        assert either is not None
        shown = self._items.get(either.uid)
        if after is None:
            self._items.pop(either.uid, None)
            self.removed.add(either.uid)
        else:
            self._items[either.uid] = after
            self.removed.discard(either.uid)
        others = self._save(self.items, set(self.removed))
        self.saved.emit()
        self.changed.emit(shown, after)
        for added in others or ():  # saved meanwhile by another writer (the CLI): shown too
            if added.uid not in self._items and added.uid not in self.removed:
                self._items[added.uid] = added
                self.changed.emit(None, added)
