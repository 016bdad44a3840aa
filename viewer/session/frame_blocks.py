"""The frames of a colour or multi-frame series read so far, file after file, in one
buffer that grows (:class:`~viewer.session.arriving_frames.ArrivingFrames` keeps it).

How many frames the whole series has is known only once every file is read, so the
volume cannot be allocated once as a single-frame series' is. What keeps it right:

- **File order.** Each file is a *block* of its frames, the blocks in the order the
  cache lists the files (InstanceNumber, then SOP Instance UID: a total order, so the
  order of the files here is always that of the whole series), frames in file order
  within — :func:`~viewer.imaging.frames.load_frames`' order.
- **Never rearranged under the viewport.** A block that lands after every other one is
  written past the frames in use (memory no volume shows yet); the volume then grows
  over the same memory. One that lands before others, or whose type widens the buffer's
  (a 16-bit file after 8-bit ones: numpy's rule, as load_frames' concatenation), makes a
  new buffer, the old one left as the viewport holds it. :meth:`FrameBuffer.add` says
  where each frame shown before is now.
- **Room ahead.** The buffer grows to what the files still expected would need at the
  frames per file seen so far (exact for runs or cines of one length), at least by half,
  so a series of many files is not copied once per file; :meth:`FrameBuffer.trimmed`
  gives the frames in memory of their own size once the series is whole.
- **Placeholders.** A file that cannot be decoded is a block of zero frames, not ready,
  with why (its own Number of Frames of them, so the frames after it are where they
  will be once whole).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset

from viewer.errors import InvalidDataError
from viewer.imaging.decode import max_decoded_bytes
from viewer.instance_file import InstanceFile

GROWTH = 1.5  # the least the buffer grows by when it is full


@dataclass
class Block:
    """One file's frames in the series."""

    sop: str
    path: InstanceFile
    header: Dataset  # without its pixels
    count: int  # frames it takes (a placeholder's as many as the file says it has)
    failed: str = ""  # why its frames will not show; "" when they are here


def _same(k: int) -> int:
    return k


class FrameBuffer:
    """Blocks of frames in file order; ``voxels`` the frames in use."""

    def __init__(self, frame: tuple[int, ...], dtype: np.dtype[Any], expected_files: int) -> None:
        """``frame``: one frame's shape ((rows, columns), or (rows, columns, 3) for colour)."""
        self.blocks: list[Block] = []
        self.frames = 0
        self._frame = frame
        self._expected = max(1, expected_files)
        self._buffer: npt.NDArray[Any] = np.empty((0, *frame), dtype)

    @property
    def voxels(self) -> npt.NDArray[Any]:
        return self._buffer[: self.frames]

    @property
    def nbytes(self) -> int:
        return self.frames * self._frame_bytes(self._buffer.dtype)

    def block(self, sop: str) -> Block | None:
        return next((b for b in self.blocks if b.sop == sop), None)

    def add(
        self, block: Block, images: npt.NDArray[Any] | None, before: int
    ) -> Callable[[int], int]:
        """``block`` as the ``before``-th file, its frames ``images`` (None: a placeholder
        of ``block.count`` zero frames); the new index of each frame of the volume
        before. Refuses frames of another shape than the series' (InvalidDataError)."""
        if images is not None and (images.shape[1:] != self._frame or len(images) != block.count):
            raise InvalidDataError(f"frames of shape {images.shape[1:]}, not {self._frame}")
        dtype = self._buffer.dtype
        if images is not None:
            dtype = np.result_type(dtype, images.dtype)
        if before == len(self.blocks) and dtype == self._buffer.dtype:
            start = self.frames
            self._room(start + block.count)
            self._buffer[start : start + block.count] = 0 if images is None else images
            self.blocks.append(block)
            self.frames += block.count
            return _same
        return self._rebuilt(block, images, before, dtype)

    def _rebuilt(
        self, block: Block, images: npt.NDArray[Any] | None, before: int, dtype: np.dtype[Any]
    ) -> Callable[[int], int]:
        """The blocks with ``block`` among them, in new memory (see the module's docstring)."""
        old_starts = self._starts()
        blocks = [*self.blocks[:before], block, *self.blocks[before:]]
        need = self.frames + block.count
        buffer = np.empty((self._capacity(need, len(blocks), dtype), *self._frame), dtype)
        at, moved = 0, {}
        for b in blocks:
            target = buffer[at : at + b.count]
            if b is block:
                target[...] = 0 if images is None else images
            else:
                start = old_starts[id(b)]
                target[...] = self._buffer[start : start + b.count]
                moved[start] = at
            at += b.count
        self._buffer, self.blocks, self.frames = buffer, blocks, need
        starts = sorted(moved)

        def shown(k: int) -> int:
            start = starts[bisect.bisect_right(starts, k) - 1]
            return moved[start] + k - start

        return shown

    def trimmed(self) -> npt.NDArray[Any]:
        """The frames in use, in memory of their own size when the room ahead is worth
        giving back (more than an eighth); the same memory otherwise."""
        if len(self._buffer) - self.frames > self.frames // 8:
            self._buffer = np.ascontiguousarray(self._buffer[: self.frames].copy())
        return self.voxels

    def headers(self) -> list[Dataset]:
        return [b.header for b in self.blocks for _ in range(b.count)]

    def paths(self) -> list[InstanceFile]:
        return [b.path for b in self.blocks for _ in range(b.count)]

    def ready(self) -> npt.NDArray[np.bool_]:
        return np.repeat(np.array([not b.failed for b in self.blocks], dtype=bool), self.counts())

    def failed(self) -> dict[int, str]:
        at, found = 0, {}
        for b in self.blocks:
            if b.failed:
                found.update({k: b.failed for k in range(at, at + b.count)})
            at += b.count
        return found

    def counts(self) -> list[int]:
        return [b.count for b in self.blocks]

    def first_frame(self, block: Block) -> int:
        return sum(b.count for b in self.blocks[: self.blocks.index(block)])

    # -- memory ----------------------------------------------------------------------------
    def _starts(self) -> dict[int, int]:
        at, starts = 0, {}
        for b in self.blocks:
            starts[id(b)] = at
            at += b.count
        return starts

    def _room(self, need: int) -> None:
        """Room for ``need`` frames; the frames in use copied into new memory if it grew
        (the old buffer stays as the volume shown holds it)."""
        if need <= len(self._buffer):
            return
        dtype = self._buffer.dtype
        buffer = np.empty((self._capacity(need, len(self.blocks) + 1, dtype), *self._frame), dtype)
        buffer[: self.frames] = self._buffer[: self.frames]
        self._buffer = buffer

    def _capacity(self, need: int, files: int, dtype: np.dtype[Any]) -> int:
        guess = math.ceil(need * max(self._expected, files) / max(1, files))
        ahead = max(guess, math.ceil(len(self._buffer) * GROWTH))
        most = max_decoded_bytes() // max(1, self._frame_bytes(dtype))  # never room past it
        return max(need, min(ahead, most))

    def _frame_bytes(self, dtype: np.dtype[Any]) -> int:
        return int(np.prod(self._frame)) * np.dtype(dtype).itemsize
