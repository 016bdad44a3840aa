"""Fuzzing every untrusted-input boundary (issue 12): bad data never takes the viewer down.

- :mod:`tests.fuzz.corpus`: the valid inputs, generated (small images in 7 syntaxes, a
  QIDO answer, a CD with a DICOMDIR);
- :mod:`tests.fuzz.mutate`: the seeded mutator (bytes, DICOM structure, JSON);
- :mod:`tests.fuzz.boundaries`, ``cases_stream``, ``cases_files``: each boundary's cases
  and what its contract lets out;
- :mod:`tests.fuzz.worker` / :mod:`tests.fuzz.runner`: cases in worker processes under
  limits, a watchdog, failures grouped by type and place;
- ``test_fuzz_boundaries.py``: the fixed CI budget (marker ``fuzz``);
- ``python -m tests.fuzz run|replay`` (or ``scripts/fuzz.py``): the long run, one case again.
"""
