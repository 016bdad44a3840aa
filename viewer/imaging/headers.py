"""The headers of a series' slices, without their pixel data: read when first asked for.

A volume keeps one header a slice (:attr:`viewer.imaging.volume.Volume.headers`) for the
display pipeline and the overlay; reading them all before the first image would cost
what the first image must not wait for, so :class:`LazyHeaders` reads each on demand
and keeps it. :class:`HeaderSequence` is what every such sequence answers (an index, or
a slice of indices).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import overload

from pydicom.dataset import Dataset

from viewer.errors import InvalidDataError
from viewer.imaging.bad_data import as_invalid_data, is_stop
from viewer.imaging.decode import bounded
from viewer.instance_file import InstanceFile, Readable, read_dicom


class HeaderSequence(Sequence[Dataset]):
    """A volume's headers, one a slice, each given by :meth:`header` (an index, or a
    slice of indices, as a list)."""

    @overload
    def __getitem__(self, index: int) -> Dataset: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Dataset]: ...
    def __getitem__(self, index: int | slice) -> Dataset | Sequence[Dataset]:
        if isinstance(index, slice):
            return [self.header(i) for i in range(len(self))[index]]
        return self.header(index + len(self) if index < 0 else index)

    def header(self, index: int) -> Dataset:
        raise NotImplementedError


class LazyHeaders(HeaderSequence):
    """The headers of a list of instances (pixel data left on disk), each read when first
    asked for and kept (``known``: those read already, by where they are)."""

    def __init__(
        self, paths: Sequence[InstanceFile], known: dict[InstanceFile, Dataset] | None = None
    ) -> None:
        self._paths = list(paths)
        self._read: dict[InstanceFile, Dataset] = dict(known or {})
        self._lock = threading.Lock()

    def reordered(self, indices: Sequence[int]) -> LazyHeaders:
        """The same headers in another order, sharing what was and will be read."""
        view = LazyHeaders([self._paths[i] for i in indices])
        view._read, view._lock = self._read, self._lock
        return view

    def __len__(self) -> int:
        return len(self._paths)

    def header(self, index: int) -> Dataset:
        path = self._paths[index]
        with self._lock:
            found = self._read.get(path)
        if found is None:
            found = read_header(path)  # outside the lock: may take a while
            with self._lock:
                found = self._read.setdefault(path, found)
        return found


def read_header(path: Readable) -> Dataset:
    """The dataset with its pixel data left on disk (its offset kept by pydicom, counted
    from the instance's start; deferred values are read through the reader kept, which
    stops at the instance's end whatever length a value claims)."""
    try:
        return read_dicom(bounded(path), defer_size=1024, force=True)
    except InvalidDataError:
        raise
    except BaseException as err:  # pydicom raises many kinds on damaged files
        if is_stop(err):
            raise
        if isinstance(err, MemoryError):
            raise as_invalid_data(err, str(path)) from err
        raise InvalidDataError(f"{path}: not a readable DICOM file ({type(err).__name__})") from err
