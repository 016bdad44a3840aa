"""The isolated decoder's deadline counts the decode, not the child's start: a slow start
(a loaded machine, a scanner of new processes) must not make every first decode fail."""

from __future__ import annotations

import os
import signal

import numpy as np
import pytest
from pydicom.uid import JPEGLSLossless

from tests.unit.test_decode_plugin_order import compressed, stored_image
from viewer.imaging import isolated


@pytest.fixture
def fresh_child() -> None:
    with isolated._lock:
        if isolated._child is not None:
            isolated._child.stop()
            isolated._child = None


def test_the_childs_start_is_not_counted_against_a_decodes_deadline(
    fresh_child: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Far less than the 0.3-0.45 s a start takes here, far more than this decode takes.
    monkeypatch.setattr(isolated, "TIMEOUT_BASE", 0.15)
    ds = compressed(JPEGLSLossless, "pyjpegls")
    arr, _meta = isolated.decode_in_child(ds, "pyjpegls", None)
    assert np.array_equal(arr.reshape(stored_image().shape), stored_image())


def test_a_decode_past_its_deadline_ends_the_child_with_a_reason(
    fresh_child: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolated.decode_in_child(compressed(JPEGLSLossless, "pyjpegls"), "pyjpegls", None)  # started
    child = isolated._child
    assert child is not None
    # A child that cannot answer (stopped, as a decoder stuck in a loop would be silent):
    # a deadline of 0 s raced a fast child on a busy machine and sometimes lost.
    os.kill(child.process.pid, signal.SIGSTOP)
    monkeypatch.setattr(isolated, "TIMEOUT_BASE", 0.2)
    monkeypatch.setattr(isolated, "TIMEOUT_PER_MB", 0.0)
    with pytest.raises(isolated.ChildDecodeError, match="took more than"):
        isolated.decode_in_child(compressed(JPEGLSLossless, "pyjpegls"), "pyjpegls", None)
    assert not child.process.is_alive() and isolated._child is None  # ended, not left
